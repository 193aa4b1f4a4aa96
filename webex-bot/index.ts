import type { Server } from 'restify';
import type Framework from 'webex-node-bot-framework';
import { CallWatcher, translate, type TrelloBoards, type FollowRequestQueue, type Replies, type ReplyAuthor, type SpaceDigests, type DriveFolders, type HealthReadings, type Identity, type Logger, type Language, type SpaceGate, type Subscriptions, type WebexMessages, type SeenEvents } from '../core';
import { ADAPTIVE_CARD, cardActionOf, type BotReply } from './cards';
import { COMMAND_WORDS } from './command-parser';
import { mountWebexEvents, withoutMention } from './events';
import type { SdkApi } from './framework';
import { inTurnPerSpace } from './in-turn-per-space';
import { applyDecidedRequests } from './following';
import { SpaceCommands } from './space-commands';
import { webexEventListeners, webexListeners, type PersonalDeps, type SpaceEvent, type WebexCommandRouter } from './listeners';
import { personalActionOf } from './personal-cards';

export { SANDBOX_WEBEX_WEBHOOK_SECRET, verifySparkSignature, withoutMention } from './events';
export { parseCommand } from './command-parser';
export { SpaceCommands } from './space-commands';
export { cardActionOf, type AdaptiveCard, type BotReply, type CardAction } from './cards';

export interface WebexBotOptions {
  server: Server;
  /** core's Webex REST client: moderator checks and the bot's own announcements (not conversation answers). */
  webex: WebexMessages;
  /** The bot's token and the API the framework's webex SDK talks to. */
  sdk: { token: string; api: () => SdkApi };
  /** WEBEX_WEBHOOK_SECRET, or the sandbox's. */
  webhookSecret: string;
  /** The Subscriptions façade, built in the composition root (app/subscriptions.ts). */
  subscriptions: Subscriptions;
  /** The Identity façade: links the people of served organisations and builds each message's Actor. */
  identity: Identity;
  /** Trello's client (built by the composition root) and where its webhooks call back. */
  trello: { api: TrelloBoards; callbackUrl: () => string } | undefined;
  /** The OneDrive folder watcher; absent when Microsoft Graph is off. */
  graph?: DriveFolders | undefined;
  /** Subscription health for `subscriptions` (core/notifications/health/). */
  health?: HealthReadings | undefined;
  /** Follow requests an administrator decides on with `een-bridge sources approve|deny`. */
  requests: FollowRequestQueue;
  /** Webex events already handled (replay). */
  seen: SeenEvents;
  /** Replies in a notification's thread to Jira and Trello (core/notifications/replies). */
  replies?: Replies | undefined;
  /** Calling and meetings for a person (webex-bot/listeners/); absent: the bot only follows sources. */
  personal?: Pick<PersonalDeps, 'calling' | 'meetings'> | undefined;
  /** Who the bot serves at all, for the personal commands (core/notifications/space-access.ts). */
  access?: SpaceGate | undefined;
  /** Scheduled digests per space (`digest daily 09:00`). */
  digests?: SpaceDigests | undefined;
  log: Logger;
}

export interface WebexBot {
  /**
   * Starts the bot framework with its webhooks at `targetUrl` (once the URL is known: after listen).
   * Until then /webex/events answers 200 and drops events, as Webex does not retry anyway.
   */
  registerWebhook(targetUrl: string): Promise<void>;
  /** The running framework, for tests and diagnostics. */
  framework(): Framework | undefined;
  /** Subscribes the spaces whose requests were approved, tells those denied; how many were handled. */
  applyDecidedRequests(): Promise<number>;
  /** Stops following calls. */
  stop(): void;
}

/**
 * The Webex bot: /webex/events (our raw-body signature check) feeding webex-node-bot-framework,
 * which runs the conversation: `hears` for typed commands, `attachmentAction` for card buttons,
 * `spawn`/`despawn` for being added to or removed from a space. Notifications do not go through
 * here; the outbox posts them with core's Webex client.
 */
export function mountWebexBot(options: WebexBotOptions): WebexBot {
  const { trello, log } = options;
  const following = {
    subscriptions: options.subscriptions,
    identity: options.identity,
    webex: options.webex,
    trello,
    graph: options.graph,
    log,
  };
  const commands = new SpaceCommands({ ...following, health: options.health, digests: options.digests, moreHelp: (language) => (options.personal ? translate(language, 'webexbot.helpPersonal') : '') });
  const watcher = new CallWatcher({ pollMs: 1000, maxMs: 10 * 60_000, log });
  const router = options.personal && options.access ? webexListeners({ ...options.personal, identity: options.identity, access: options.access, webex: options.webex, watcher, log }) : undefined;
  const events = webexEventListeners({ subscriptions: options.subscriptions, identity: options.identity, webex: options.webex, replies: options.replies, log });
  let running: { framework: Framework; deliver: (event: Record<string, unknown>) => Promise<unknown> } | undefined;
  mountWebexEvents(options.server, {
    secret: () => options.webhookSecret,
    seen: options.seen,
    log,
    deliver(event) {
      if (!running) return;
      running.deliver(event).catch((err: unknown) => log.warn({ err }, 'the bot framework failed on a Webex event'));
    },
  });
  return {
    async registerWebhook(targetUrl) {
      if (running) return;
      // Loaded here, not at the top: the framework and its webex SDK take 1.5 s and ~85 MB to
      // load, which every CLI command (outbox list, users import, doctor…) would pay for nothing.
      // A part at a time, so requests arriving meanwhile are not held up by the whole load.
      await (await import('./sdk-in-turns')).loadWebexSdkInTurns();
      const { deliverToFramework, newBotFramework, startBotFramework } = await import('./framework');
      const framework = newBotFramework({ token: options.sdk.token, webhookUrl: targetUrl, secret: options.webhookSecret });
      converse(framework, commands, router, events, options.webex, log);
      await startBotFramework(framework, { api: options.sdk.api() });
      // One event per space at a time: the framework drops a space's events while it spawns its bot there.
      const { deliver } = inTurnPerSpace((event) => deliverToFramework(framework, options.webhookSecret, event));
      running = { framework, deliver };
    },
    framework: () => running?.framework,
    applyDecidedRequests: () => applyDecidedRequests(following, options.requests),
    stop: () => watcher.close(),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function say(bot: Framework.Bot, reply: BotReply, parentId?: string): Promise<unknown> {
  return bot.say({ markdown: reply.markdown, ...(parentId ? { parentId } : {}), ...(reply.card ? { attachments: [{ contentType: ADAPTIVE_CARD, content: reply.card }] } : {}) });
}

/**
 * Who sent a message or pressed a button: the framework looks the person up with Webex's People
 * API (framework.js getTrigger: webex.people.get(personId)) after fetching the message or action
 * by the id in the verified event, so address and organisation are Webex's, not the sender's word.
 */
function whoOf(bot: Framework.Bot, trigger: Framework.Trigger): { roomId: string; personId: string; personEmail: string; personOrgId: string | undefined } {
  return { roomId: bot.room.id, personId: trigger.personId, personEmail: trigger.person.emails[0] ?? '', personOrgId: trigger.person.orgId };
}

function authorOf(bot: Framework.Bot, trigger: Framework.Trigger): ReplyAuthor {
  const who = whoOf(bot, trigger);
  return { personId: who.personId, email: who.personEmail, orgId: who.personOrgId, spaceId: who.roomId, displayName: trigger.person.displayName };
}

function spaceOf(bot: Framework.Bot): SpaceEvent {
  return { roomId: bot.room.id, say: async (reply, parentId) => void (await say(bot, reply, parentId)) };
}

/**
 * The conversation, on the framework's events: each goes to its listener (webex-bot/listeners/),
 * whatever fails is logged here.
 */
function converse(framework: Framework, commands: SpaceCommands, router: WebexCommandRouter | undefined, events: WebexCommandRouter, webex: WebexMessages, log: Logger): void {
  /** A turn for a listener of webex-bot/listeners/: it answers in the space by itself. */
  const turnOf = (bot: Framework.Bot, trigger: Framework.Trigger, language: Language, text: string) => ({
    who: { ...whoOf(bot, trigger), displayName: trigger.person.displayName },
    language,
    text,
    direct: bot.room.type === 'direct' || bot.isDirect,
    say: async (reply: BotReply) => void (await say(bot, reply)),
    post: async (markdown: string) => (await bot.say({ markdown })).id,
    edit: async (messageId: string, markdown: string) => void (await webex.edit(messageId, { roomId: bot.room.id, markdown })),
  });
  const answer = (bot: Framework.Bot, trigger: Framework.Trigger): void => {
    const who = whoOf(bot, trigger);
    const parentId = trigger.message?.parentId;
    const threadReply = events.event('threadReply');
    if (parentId && threadReply) {
      // A reply in a thread: to one of our notifications, it goes to Jira or Trello; otherwise it
      // is a command like any other. The message's own text keeps its line breaks.
      const said = withoutMention(trigger.message?.text ?? trigger.text ?? '', framework.person.displayName);
      threadReply(spaceOf(bot), authorOf(bot, trigger), parentId, said)
        .then((answered) => (answered ? undefined : asCommand()))
        .catch((err: unknown) => log.warn({ err, room: bot.room.id }, 'could not carry a reply to its source'));
      return;
    }
    void asCommand();

    function asCommand(): Promise<unknown> {
      const text = withoutMention(trigger.text ?? '', framework.person.displayName);
      const listener = router?.match(text);
      if (listener) {
        return listener.handler(turnOf(bot, trigger, listener.language, listener.rest)).catch((err: unknown) => log.warn({ err, room: bot.room.id }, 'could not answer a command in a space'));
      }
      return commands
        .handle({ ...who, text })
        .then((reply) => say(bot, reply))
        .catch((err: unknown) => log.warn({ err, room: bot.room.id }, 'could not answer a message in a space'));
    }
  };

  // The framework calls hears handlers with the whole text, mention included; among several
  // matches only the lowest preference runs, so a known command never also reaches the catch-all.
  framework.on('initialized', () => {
    const name = escapeRegExp(framework.person.displayName);
    framework.hears(new RegExp(`^(?:${name}\\s+)?(?:${[...COMMAND_WORDS, ...(router?.words() ?? [])].map(escapeRegExp).join('|')})(?:\\s|$)`, 'i'), answer, 'een-bridge commands', 0);
    framework.hears(/[\s\S]*/, answer, 'anything else: unknown command or help', 1);
  });

  framework.on('attachmentAction', (bot, trigger) => {
    const personal = personalActionOf(trigger.attachmentAction?.inputs);
    const pressedPersonal = personal && router?.press(turnOf(bot, trigger, personal.lang, ''), personal);
    if (pressedPersonal) {
      pressedPersonal.catch((err: unknown) => log.warn({ err, room: bot.room.id }, 'could not answer a card button'));
      return;
    }
    const action = cardActionOf(trigger.attachmentAction?.inputs);
    if (!action) return;
    const pressed = trigger.attachmentAction;
    if ((action.action === 'jiraTransitions' || action.action === 'jiraTransition') && pressed) {
      events
        .event('jiraStatus')?.(spaceOf(bot), authorOf(bot, trigger), pressed.messageId, action)
        .catch((err: unknown) => log.warn({ err, room: bot.room.id }, 'could not answer a Jira status button'));
      return;
    }
    commands
      .handleAction(action, whoOf(bot, trigger))
      .then((reply) => say(bot, reply))
      .catch((err: unknown) => log.warn({ err, room: bot.room.id }, 'could not answer a card button'));
  });

  // Found again after a restart, the framework spawns without addedBy: nobody to greet then.
  framework.on('spawn', (bot, _id, addedBy) => {
    if (!addedBy) return;
    events
      .event('added')?.(spaceOf(bot), addedBy)
      .catch((err: unknown) => log.warn({ err, room: bot.room.id }, 'could not greet a space'));
  });

  framework.on('despawn', (bot) => {
    const roomId = bot.room.id;
    events
      .event('removed')?.(roomId, framework.person.id)
      .catch((err: unknown) => log.warn({ err, room: roomId }, 'could not drop the subscriptions of a space the bot left'));
  });

  framework.on('log', (message) => log.debug({ framework: message }, 'webex-node-bot-framework'));
}
