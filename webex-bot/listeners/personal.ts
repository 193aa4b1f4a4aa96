import {
  IdentityRefused,
  UserError,
  connectHint,
  escapeMarkdown,
  normaliseOrganisation,
  presentFailure,
  translate,
  type Actor,
  type CallWatcher,
  type Calling,
  type Identity,
  type Logger,
  type MeetingService,
  type SpaceGate,
  type User,
  type WebexAccounts,
  type WebexActor,
  type WebexMessages,
} from '../../core';
import { connectWebexReply } from '../personal-cards';
import type { ListenerTurn } from './router';

/** What the personal commands (calling, meetings) use: façades only, never a repository or API client of theirs. */
export interface PersonalDeps {
  /** KPN EEN calling (core/calling/wiring.ts); undefined when Xsi is off. */
  calling: Calling | undefined;
  /** Webex meetings (app/meetings.ts); undefined when Webex Meetings is off. */
  meetings: { meetings: MeetingService; accounts: WebexAccounts } | undefined;
  /** The Identity façade: the one way a Webex person becomes a core user. */
  identity: Identity;
  /** Who the bot serves at all (core/notifications/space-access.ts). */
  access: SpaceGate;
  /** The bot's own Webex messaging: space members, and a 1:1 message to the person. */
  webex: WebexMessages;
  watcher: CallWatcher;
  log: Logger;
}

function webexActor(turn: ListenerTurn): WebexActor {
  return { personId: turn.who.personId, email: turn.who.personEmail, orgId: turn.who.personOrgId, spaceId: turn.who.roomId };
}

/**
 * The een-bridge user behind the Webex person, through the one identity use case: the person id
 * within their organisation, as Webex's People API gave both. The address is one People API
 * lists for the person; IdentityLinker trusts it only while that organisation and its mail
 * domain are served, and refuses anyone whose organisation is not (docs/security.md).
 */
export async function userOf(turn: ListenerTurn, deps: PersonalDeps): Promise<User> {
  const user = await deps.identity.resolve({ system: 'webex', orgId: turn.who.personOrgId, personId: turn.who.personId }, async () => ({
    email: turn.who.personEmail || undefined,
    emailVerified: true,
    displayName: turn.who.displayName,
    locale: turn.language,
  }));
  // Undefined: a person outside the served organisations, of whom nothing is kept.
  if (!user) throw new IdentityRefused('webexbot.notServed', {}, turn.language);
  return user;
}

/**
 * The one Actor (core/actor.ts) of the Webex person, for every façade call (calling, meetings):
 * the core user, the language of the command word (Webex has no per-person locale), their zone,
 * and their Webex organisation as the dial policy's tenant (normalised, as the policy is stored).
 */
export async function actorOf(turn: ListenerTurn, deps: PersonalDeps): Promise<Actor> {
  return (await whoOf(turn, deps)).actor;
}

/** The core user (for the Webex account link) and the Actor. */
export async function whoOf(turn: ListenerTurn, deps: PersonalDeps): Promise<{ user: User; actor: Actor }> {
  const user = await userOf(turn, deps);
  const home = { system: 'webex', orgId: turn.who.personOrgId, personId: turn.who.personId } as const;
  const actor = deps.identity.actor(user, home, { typed: { language: turn.language } }, turn.who.personEmail || undefined);
  return { user, actor: { ...actor, organisation: normaliseOrganisation('webex-org', turn.who.personOrgId ?? '') ?? 'unknown' } };
}

/** A plain sentence from the catalogue, escaped for Webex markdown. */
export function sentence(turn: ListenerTurn, key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]): { markdown: string } {
  return { markdown: escapeMarkdown(translate(turn.language, key, params)) };
}

/**
 * Runs one personal command: the sender must be served (the same rule as every bot command,
 * refusals audited), then `work`; whatever it throws becomes an answer (core's failure
 * presenter), never silence. A Webex account that is not connected gets the Connect link: in
 * the 1:1 space, or from a group space by a 1:1 message, so nobody else is handed the link.
 */
export async function personally(turn: ListenerTurn, deps: PersonalDeps, command: string, work: () => Promise<void>): Promise<void> {
  try {
    if (!(await deps.access.serves(webexActor(turn), command))) return await turn.say(sentence(turn, 'webexbot.notServed'));
    await work();
  } catch (err) {
    if (err instanceof IdentityRefused && err.key === 'identity.link.notServed') return turn.say(sentence(turn, 'webexbot.notServed'));
    if (err instanceof UserError && (err.key === 'meetings.notConnected' || err.key === 'meetings.reconnect') && deps.meetings) {
      const user = await userOf(turn, deps);
      const reason = err.key === 'meetings.reconnect' ? 'teams.meeting.connectAgain' : 'teams.meeting.connectNeeded';
      const link = connectWebexReply(turn.language, await deps.meetings.accounts.beginConnect(user.id, 'webex'), reason);
      if (turn.direct) return turn.say(link);
      await deps.webex.direct(turn.who.personId, { text: link.markdown, markdown: link.markdown, ...(link.card ? { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: link.card }] } : {}) });
      return turn.say(sentence(turn, 'webexbot.meet.connectSent'));
    }
    const failure = presentFailure(err, deps.log, `webex-bot ${command}`);
    // How to connect Webex, said the Webex way ({connect} in the meetings.* messages).
    await turn.say(sentence(turn, failure.key, { ...failure.params, ...connectHint(turn.language, 'webex') }));
  }
}
