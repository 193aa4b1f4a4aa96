import type { RespondFn, webApi } from '@slack/bolt';
import {
  connectHint,
  presentFailure,
  type Actor,
  type Calling,
  type Logger,
  type MeetingInvitee,
  type MeetingService,
  type User,
  type WebexAccounts,
} from '../../core';
import type { SlackActors } from '../actors';
import { connectMessage, escapeMrkdwn, plain, type SlackMessage } from '../messages';

/** What the Slack app's listeners use: façades only (the Slack app's composition, slack-app/mount.ts). */
export interface SlackListenerDeps {
  meetings: MeetingService;
  accounts: WebexAccounts;
  actors: SlackActors;
  /** KPN EEN click-to-dial, shared with Teams; undefined when Xsi is off. */
  calling?: Calling | undefined;
  /** How often a placed call's state is read back for its status message; tests shorten it. */
  callPollMs?: number | undefined;
  log: Logger;
}

/** The core user (for the Webex account link and licence) and the Actor every façade call takes. */
export type Who = { user: User; actor: Actor };

/**
 * One slash command or button press, with what a listener may do: answer through the
 * response_url (`respond`), call Slack's Web API (`client`), and find who it was (the core user
 * behind team + Slack user id, linked on first contact, asked of SlackActors at most once).
 */
export interface SlackTurn {
  client: webApi.WebClient;
  respond: RespondFn;
  who(): Promise<Who>;
}

/**
 * Renders the one presenter's answer (core/failure.ts) as mrkdwn in the user's language; a
 * missing or refused Webex link gets a Connect button.
 */
export async function failureMessage(deps: Pick<SlackListenerDeps, 'accounts' | 'log'>, locale: string, actor: User | undefined, err: unknown): Promise<SlackMessage> {
  const presented = presentFailure(err, deps.log, 'slack');
  if (actor && (presented.key === 'meetings.notConnected' || presented.key === 'meetings.reconnect')) {
    return connectMessage(locale, await deps.accounts.beginConnect(actor.id, 'slack'), presented.key === 'meetings.reconnect' ? 'slack.connect.again' : 'slack.connect.needed');
  }
  // Params can carry what the user typed (a schedule text they could not parse) or what
  // Webex answered: mrkdwn must not turn `<!channel>` or `<@U…>` in them into a mention.
  const params = Object.fromEntries(Object.entries(presented.params).map(([k, v]) => [k, typeof v === 'string' ? escapeMrkdwn(v) : v]));
  // How to connect Webex, said the Slack way ({connect} in the meetings.* messages).
  return plain(locale, presented.key, { ...params, ...connectHint(locale, 'slack') });
}

/** The mentioned Slack users as meeting invitees (those with an e-mail address) and the language of each. */
export async function inviteesFor(deps: Pick<SlackListenerDeps, 'actors'>, client: webApi.WebClient, slackIds: string[]): Promise<{ invitees: MeetingInvitee[]; locales: Map<string, string> }> {
  const profiles = await Promise.all(slackIds.map(async (id) => ({ id, profile: await deps.actors.profile(client, id) })));
  const locales = new Map(profiles.map((p) => [p.id, p.profile.locale ?? 'en']));
  const invitees = profiles.filter((p) => p.profile.email).map((p) => ({ email: p.profile.email!, ...(p.profile.name ? { displayName: p.profile.name } : {}) }));
  return { invitees, locales };
}

/** A direct message to each invitee in their language; one that cannot be sent is only logged. */
export async function dmInvitees(deps: Pick<SlackListenerDeps, 'log'>, client: webApi.WebClient, locales: Map<string, string>, message: (locale: string) => SlackMessage): Promise<void> {
  await Promise.all(
    [...locales].map(([id, locale]) =>
      client.chat.postMessage({ channel: id, ...message(locale) }).catch((err: unknown) => deps.log.warn({ err }, 'could not DM an invitee')),
    ),
  );
}

/** The name the invitations give the host. */
export function hostName(user: User): string {
  return user.displayName ?? user.email ?? 'Webex';
}
