import { App, type RespondFn, type webApi } from '@slack/bolt';
import {
  checkMeetingRequest,
  connectHint,
  parseSchedule,
  presentFailure,
  IdentityRefused,
  UserError,
  type Actor,
  type Calling,
  type CallState,
  type Logger,
  type MeetingInvitee,
  type MeetingService,
  type User,
  type WebexAccounts,
} from '../core';
import type { SlackActors } from './actors';
import { boltLogger } from './bolt-logger';
import { parseWebexCommand, type WebexCommand } from './command-text';
import type { SlackAuthorization } from './installations';
import {
  connectMessage,
  escapeMrkdwn,
  helpMessage,
  invitationMessage,
  listMessage,
  plain,
  say,
  scheduledMessage,
  startedMessage,
  when,
  type SlackMessage,
} from './messages';
import type { RestifyReceiver } from './receiver';
import { homeView } from './home-tab';
import { readScheduleSubmission, scheduleModal, SCHEDULE_CALLBACK_ID } from './schedule-modal';
import { callStatusMessage, directoryChoiceMessage, recentCallsMessage } from './calling-messages';

export interface SlackAppOptions {
  receiver: RestifyReceiver;
  authorize: (source: { teamId?: string | undefined; enterpriseId?: string | undefined }) => Promise<SlackAuthorization>;
  /** The Slack Web API base (…/api/); the Slack emulator in sandbox mode. */
  slackApiUrl: string | undefined;
  meetings: MeetingService;
  accounts: WebexAccounts;
  actors: SlackActors;
  /** KPN EEN click-to-dial, shared with Teams; undefined when Xsi is off. */
  calling?: Calling | undefined;
  /** How often a placed call's state is read back for its status message; tests shorten it. */
  callPollMs?: number;
  log: Logger;
}

type Client = webApi.WebClient;
/** The core user (for the Webex account link and licence) and the Actor every façade call takes. */
type Who = { user: User; actor: Actor };

/** The /webex app: every listener acknowledges first, then works and answers through response_url. */
export function createSlackApp(options: SlackAppOptions): App {
  const { meetings, accounts, actors, log } = options;
  const app = new App({
    receiver: options.receiver,
    authorize: options.authorize,
    logger: boltLogger(log),
    clientOptions: {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      // The answer is already late by Slack's clock; a few quick retries, not half an hour of them.
      retryConfig: { retries: 2, factor: 1.5, minTimeout: 200, maxTimeout: 1000 },
      timeout: 10_000,
    },
  });

  /**
   * Renders the one presenter's answer (core/failure.ts) as mrkdwn in the user's language; a
   * missing or refused Webex link gets a Connect button.
   */
  async function failure(locale: string, actor: User | undefined, err: unknown): Promise<SlackMessage> {
    const presented = presentFailure(err, log, 'slack');
    if (actor && (presented.key === 'meetings.notConnected' || presented.key === 'meetings.reconnect')) {
      return connectMessage(locale, await accounts.beginConnect(actor.id, 'slack'), presented.key === 'meetings.reconnect' ? 'slack.connect.again' : 'slack.connect.needed');
    }
    // Params can carry what the user typed (a schedule text they could not parse) or what
    // Webex answered: mrkdwn must not turn `<!channel>` or `<@U…>` in them into a mention.
    const params = Object.fromEntries(Object.entries(presented.params).map(([k, v]) => [k, typeof v === 'string' ? escapeMrkdwn(v) : v]));
    // How to connect Webex, said the Slack way ({connect} in the meetings.* messages).
    return plain(locale, presented.key, { ...params, ...connectHint(locale, 'slack') });
  }


  async function inviteesFor(client: Client, slackIds: string[]): Promise<{ invitees: MeetingInvitee[]; locales: Map<string, string> }> {
    const profiles = await Promise.all(slackIds.map(async (id) => ({ id, profile: await actors.profile(client, id) })));
    const locales = new Map(profiles.map((p) => [p.id, p.profile.locale ?? 'en']));
    const invitees = profiles.filter((p) => p.profile.email).map((p) => ({ email: p.profile.email!, ...(p.profile.name ? { displayName: p.profile.name } : {}) }));
    return { invitees, locales };
  }

  async function dmInvitees(client: Client, locales: Map<string, string>, message: (locale: string) => SlackMessage): Promise<void> {
    await Promise.all(
      [...locales].map(([id, locale]) =>
        client.chat.postMessage({ channel: id, ...message(locale) }).catch((err: unknown) => log.warn({ err }, 'could not DM an invitee')),
      ),
    );
  }

  /**
   * Places a call for the person (the dial policy of their Slack workspace, as Teams uses its
   * tenant's) and keeps its status message current: Alerting, then Active, then ended. Slack
   * lets a response_url be used five times in 30 minutes (api.slack.com/interactivity/handling,
   * "Message responses"), enough for the three changes of a call.
   */
  async function placeCall(actor: Actor, target: string, respond: RespondFn): Promise<void> {
    if (!options.calling) throw new UserError('slack.calling.off');
    const calling = options.calling;
    // The one Actor (issue 14): its organisation is the Slack team, the dial policy's tenant.
    const who = actor;
    const outcome = await calling.callNumberOrName(who, target);
    if ('choices' in outcome) return void (await respond(directoryChoiceMessage(actor.locale, target, outcome.choices)));
    const { callId, target: dialled, name } = outcome.placed;
    const shown = name ? `${name} (${dialled.display})` : dialled.display;
    await respond(callStatusMessage(actor.locale, { callId, target: shown, state: 'Alerting' }));
    let last: CallState = 'Alerting';
    const started = Date.now();
    const poll = async (): Promise<void> => {
      const detail = await calling.callStatus(who, callId).catch(() => undefined);
      const state: CallState = detail?.state ?? 'Released';
      if (state !== last) {
        last = state;
        await respond(callStatusMessage(actor.locale, { callId, target: shown, state })).catch((err: unknown) => log.warn({ err }, 'could not update a call status in Slack'));
      }
      if (state !== 'Released' && Date.now() - started < 10 * 60_000) setTimeout(() => void poll(), options.callPollMs ?? 1000).unref();
    };
    setTimeout(() => void poll(), options.callPollMs ?? 1000).unref();
  }

  async function run(cmd: WebexCommand, { user, actor }: Who, client: Client, respond: RespondFn, context: { triggerId: string; channelId: string }): Promise<void> {
    const locale = actor.locale;
    const zone = actor.timeZone;
    const host = user.displayName ?? user.email ?? 'Webex';
    switch (cmd.kind) {
      case 'help':
        return void (await respond(helpMessage(locale, cmd.unknown)));
      case 'connect': {
        if (await accounts.isConnected(user.id)) return void (await respond(plain(locale, 'slack.connect.already')));
        return void (await respond(connectMessage(locale, await accounts.beginConnect(user.id, 'slack'))));
      }
      case 'disconnect': {
        const removed = await accounts.disconnect(user.id);
        return void (await respond(plain(locale, removed ? 'slack.disconnected' : 'slack.disconnect.none')));
      }
      case 'start': {
        const { invitees, locales } = await inviteesFor(client, cmd.mentions);
        const meeting = await meetings.startMeeting(actor, { invitees, ...(cmd.title ? { title: cmd.title } : {}) });
        await respond(startedMessage(locale, meeting, host, !cmd.private));
        return dmInvitees(client, locales, (l) => invitationMessage(l, meeting, host));
      }
      case 'schedule': {
        if (cmd.text === '') {
          checkMeetingRequest(user.licenceTier, { kind: 'space', scheduled: true });
          await client.views.open({ trigger_id: context.triggerId, view: scheduleModal(locale, zone, { channelId: context.channelId }) as unknown as webApi.View });
          return;
        }
        const { invitees, locales } = await inviteesFor(client, cmd.mentions);
        const meeting = await meetings.scheduleMeeting(actor, { when: { text: cmd.text }, invitees });
        await respond(scheduledMessage(locale, meeting, zone));
        return dmInvitees(client, locales, (l) => invitationMessage(l, meeting, host));
      }
      case 'list':
        return void (await respond(listMessage(locale, await meetings.listMeetings(actor), zone)));
      case 'cancel': {
        if (cmd.number === undefined) return void (await respond(plain(locale, 'slack.cancel.usage')));
        const meeting = await meetings.cancelMeeting(actor, cmd.number);
        return void (await respond(plain(locale, 'slack.cancelled', { title: escapeMrkdwn(meeting.title), when: when(locale, meeting.start, zone) })));
      }
      case 'room': {
        const room = await meetings.personalRoom(actor);
        return void (await respond(plain(locale, 'slack.room', { link: room.link })));
      }
      case 'call':
        if (cmd.target === '') return void (await respond(plain(locale, 'slack.call.usage')));
        return placeCall(actor, cmd.target, respond);
      case 'recent': {
        if (!options.calling) throw new UserError('slack.calling.off');
        return void (await respond(recentCallsMessage(locale, await options.calling.recentCalls(actor))));
      }
      case 'hangup': {
        if (!options.calling) throw new UserError('slack.calling.off');
        await options.calling.hangUpCurrent(actor);
        return void (await respond(plain(locale, 'teams.hungUp')));
      }
    }
  }

  app.command('/webex', async ({ command, ack, respond, client }) => {
    await ack();
    let who: Who | undefined;
    try {
      who = await actors.actor(client, command.team_id, command.user_id);
      await run(parseWebexCommand(command.text), who, client, respond, { triggerId: command.trigger_id, channelId: command.channel_id });
    } catch (err) {
      // A refused link has no actor: it is said in the language Slack gave for the person.
      const locale = who?.actor.locale ?? (err instanceof IdentityRefused ? err.locale : 'en');
      await respond(await failure(locale, who?.user, err)).catch((e: unknown) => log.error({ err: e }, 'could not answer through response_url'));
    }
  });

  app.view(SCHEDULE_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const submission = readScheduleSubmission(view);
    const teamId = body.team?.id ?? '';
    // A local lookup: this person opened the modal, so they are known; no call to Slack before the ack.
    const { user, actor } = await actors.actor(client, teamId, body.user.id);
    try {
      parseSchedule(`${submission.date} ${submission.time} ${submission.lengthMinutes}m`, {
        now: new Date(),
        timeZone: actor.timeZone,
        locale: actor.locale,
        maxLengthMinutes: checkMeetingRequest(user.licenceTier, { kind: 'space', scheduled: true }).maxLengthMinutes,
      });
    } catch (err) {
      // The modal stays open with the reason under the time field (an unexpected one with its reference).
      const presented = presentFailure(err, log, 'slack');
      await ack({ response_action: 'errors', errors: { time: say(actor.locale, presented.key, presented.params) } });
      return;
    }
    await ack();
    let message: SlackMessage;
    try {
      const { invitees, locales } = await inviteesFor(client, submission.invitees);
      const meeting = await meetings.scheduleMeeting(actor, {
        when: { date: submission.date, time: submission.time, lengthMinutes: submission.lengthMinutes },
        invitees,
        ...(submission.title ? { title: submission.title } : {}),
        ...(submission.password ? { password: submission.password } : {}),
      });
      message = scheduledMessage(actor.locale, meeting, actor.timeZone);
      const host = user.displayName ?? user.email ?? 'Webex';
      await dmInvitees(client, locales, (l) => invitationMessage(l, meeting, host));
    } catch (err) {
      message = await failure(actor.locale, user, err);
    }
    await client.chat.postMessage({ channel: body.user.id, text: message.text, ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}) });
  });

  // Call (a directory hit or a recent call) and Hang up: buttons on the ephemeral calling messages.
  app.action(/^webex_call_\d+$/, async ({ ack, body, action, client, respond }) => {
    await ack();
    const target = (action as { value?: string }).value ?? '';
    const teamId = body.team?.id ?? '';
    let who: Who | undefined;
    try {
      who = await actors.actor(client, teamId, body.user.id);
      await placeCall(who.actor, target, respond);
    } catch (err) {
      await respond(await failure(who?.actor.locale ?? 'en', who?.user, err)).catch((e: unknown) => log.error({ err: e }, 'could not answer through response_url'));
    }
  });
  app.action('webex_hangup', async ({ ack, body, action, client, respond }) => {
    await ack();
    const callId = (action as { value?: string }).value ?? '';
    const teamId = body.team?.id ?? '';
    let who: Who | undefined;
    try {
      who = await actors.actor(client, teamId, body.user.id);
      if (!options.calling) throw new UserError('slack.calling.off');
      await options.calling.hangUp(who.actor, callId);
      await respond({ ...plain(who.actor.locale, 'teams.hungUp'), replace_original: true });
    } catch (err) {
      await respond(await failure(who?.actor.locale ?? 'en', who?.user, err)).catch((e: unknown) => log.error({ err: e }, 'could not answer through response_url'));
    }
  });

  // Join and Connect are link buttons; Slack still sends an action that must be acknowledged.
  app.action(/^webex_(join|connect)/, async ({ ack }) => {
    await ack();
  });

  // App Home: connection state, licence and upcoming meetings. Events are acknowledged by
  // Bolt before this runs; a slow or failing Webex only leaves the list out.
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    try {
      const { user, actor } = await actors.actor(client, teamId, event.user);
      const connected = await accounts.isConnected(user.id);
      const meetingsNow = connected
        ? await meetings.listMeetings(actor).catch((err: unknown) => {
            log.warn({ err }, 'app home: webex list failed');
            return undefined;
          })
        : undefined;
      const connectUrl = connected ? undefined : await accounts.beginConnect(user.id, 'slack');
      await client.views.publish({ user_id: event.user, view: homeView(user, { connected, connectUrl, meetings: meetingsNow }) as unknown as webApi.HomeView });
    } catch (err) {
      // A refused link is a decision (audited), not a failure; the person is told at their next command.
      if (err instanceof IdentityRefused) log.info({ key: err.key }, 'app home: identity not linked');
      else log.error({ err }, 'app home failed');
    }
  });

  app.error(async (err) => {
    log.error({ err }, 'slack app error');
  });
  return app;
}
