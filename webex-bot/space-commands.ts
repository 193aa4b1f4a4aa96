import {
  DEFAULT_IMPORTANT,
  UpstreamError,
  escapeMarkdown,
  healthLabel,
  presentFailure,
  translate,
  type DigestSchedules,
  type GraphDriveWatcher,
  type HealthMonitor,
  type Language,
  type Logger,
  type MessageKey,
  type MessageParams,
  type Actor,
  type Identity,
  type Subscription,
  type SubscriptionFilter,
  type Subscriptions,
  type TrelloApi,
  type WebexMessages,
} from '../core';
import { helpCard, subscribedCard, subscriptionsCard, trelloCardCreatedCard, type BotReply, type CardAction } from './cards';
import { parseCommand, type BotCommand } from './command-parser';
import { webexActor } from './actor';
import { digestStatus, runDigestCommand } from './digest-commands';
import { resolveSource, sourceWord } from './following';
import { filterSuffix, runFilterCommand } from './filter-command';

export interface SpaceCommandsDeps {
  /** The Subscriptions façade: the authorisation and moderator rules live behind it (core/notifications/subscriptions-facade.ts). */
  subscriptions: Subscriptions;
  /** The Identity façade, which builds the Actor of each message. */
  identity: Identity;
  webex: WebexMessages;
  /** Absent when Trello is off. */
  trello: { api: TrelloApi; callbackUrl: () => string } | undefined;
  /** Absent when Microsoft Graph is off. */
  graph?: GraphDriveWatcher | undefined;
  log: Logger;
  /** Subscription health, shown in `subscriptions` (core/notifications/health/). */
  health?: Pick<HealthMonitor, 'health' | 'healthPolicy'> | undefined;
  /** Lines the help adds for commands that live elsewhere (webex-bot/listeners/), starting with a line break. */
  moreHelp?: (language: Language) => string;
  /** Scheduled digests (`digest daily 09:00`); the commands answer with their usage when absent. */
  digests?: DigestSchedules | undefined;
}

/** A message to the bot in a space, as the framework's trigger gives it. */
export interface SpaceMessage {
  roomId: string;
  personId: string;
  personEmail: string;
  /** The sender's organisation as Webex's People API gives it (Person.orgId). */
  personOrgId: string | undefined;
  /** With the bot's mention already removed. */
  text: string;
}

type T = (key: MessageKey, params?: MessageParams) => string;
const text = (markdown: string): BotReply => ({ markdown });

/**
 * What the bot does with `subscribe`, `subscriptions`, `unsubscribe` and `help` in a space, and
 * what it answers (markdown, in the language the person used). Changing a moderated space's
 * subscriptions takes a moderator (DESIGN.md: only a space's moderators manage its subscriptions).
 * Before anything, SpaceAccess decides: a person outside the served organisations is refused
 * politely and nothing else happens; a source not on the allow-list becomes a request; a Trello
 * card takes a write grant for the space.
 */
export class SpaceCommands {
  constructor(private readonly deps: SpaceCommandsDeps) {}

  async handle(message: SpaceMessage): Promise<BotReply> {
    const { language, command } = parseCommand(message.text);
    return this.guarded(language, async () => {
      const actor = await webexActor(this.deps.identity, message, language);
      if (!(await this.deps.subscriptions.serves(actor, message.roomId, command.name))) return text(translate(language, 'webexbot.notServed'));
      return this.run(command, language, message, tFor(language), actor);
    });
  }

  /**
   * A button pressed on one of our cards, with the same rules as the typed command (in a
   * moderated space only moderators may unsubscribe). Undefined for presses that are not ours.
   */
  async handleAction(action: CardAction, who: Omit<SpaceMessage, 'text'>): Promise<BotReply> {
    const language = action.lang;
    const t = tFor(language);
    return this.guarded(language, async () => {
      const actor = await webexActor(this.deps.identity, who, language);
      if (!(await this.deps.subscriptions.serves(actor, who.roomId, `card:${action.action}`))) return text(t('webexbot.notServed'));
      if (action.action === 'subscriptions') return this.list(actor, who.roomId, language, t);
      const done = await this.deps.subscriptions.unsubscribe(actor, who.roomId, { id: action.subscriptionId ?? -1 });
      if (done.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
      // Pressed twice, or on an old card: say so rather than nothing.
      if (done.outcome !== 'done') return text(t('webexbot.alreadyGone'));
      return text(t('webexbot.unsubscribed', { item: describe(done.subscription, t, true, language) }));
    });
  }

  /**
   * Every command and button ends in an answer: what failed is rendered from the one presenter
   * (core/failure.ts) as Webex markdown in the person's language, an unexpected error with the
   * reference that is logged with it, never silence in the space.
   */
  private async guarded(language: Language, work: () => Promise<BotReply>): Promise<BotReply> {
    try {
      return await work();
    } catch (err) {
      const failure = presentFailure(err, this.deps.log, 'webex-bot');
      // Params can carry what the person typed: as text, never as markdown.
      const params = Object.fromEntries(Object.entries(failure.params).map(([k, v]) => [k, typeof v === 'string' ? escapeMarkdown(v) : v]));
      return text(translate(language, 'webexbot.failed', { reason: translate(language, failure.key, params) }));
    }
  }

  private async list(actor: Actor, roomId: string, language: Language, t: T): Promise<BotReply> {
    const list = await this.deps.subscriptions.list(actor, roomId);
    if (list.length === 0) return text(t('webexbot.none'));
    const { health } = this.deps;
    const states = new Map((health ? await health.health(roomId) : []).map((h) => [h.subscriptionId, h]));
    // "— working, last change 2026-12-01 09:12 UTC": what the space needs to see a silent stop.
    const state = (s: Subscription, markdown = true): string => {
      const h = states.get(s.id);
      if (!h || !health) return '';
      const label = healthLabel(h, language, health.healthPolicy);
      const last = h.lastEventAt ? t('health.lastEvent', { when: `${h.lastEventAt.slice(0, 16).replace('T', ' ')} UTC` }) : t('health.noEvent');
      return ` — ${markdown && h.problem ? `**${label}**` : label}, ${last}`;
    };
    const digest = this.deps.digests ? digestStatus(await this.deps.digests.get(roomId), language, t) : '';
    return {
      markdown: t('webexbot.list', { items: list.map((s, i) => `${i + 1}. ${describe(s, t, true, language)}${state(s)}`).join('\n') }) + (digest ? `\n\n${digest}` : ''),
      card: subscriptionsCard(language, list.map((s, i) => ({ n: i + 1, subscriptionId: s.id, text: `${describe(s, t, false, language)}${state(s, false)}` }))),
    };
  }

  private async run(command: BotCommand, language: Language, message: SpaceMessage, t: T, actor: Actor): Promise<BotReply> {
    const { subscriptions } = this.deps;
    switch (command.name) {
      case 'help': {
        const help = `${t('webexbot.help')}\n${t('digest.help')}${this.deps.moreHelp?.(language) ?? ''}`;
        return { markdown: help, card: helpCard(language, help) };
      }
      case 'digest':
      case 'timeZone': {
        const digests = this.deps.digests;
        if (!digests) return text(t('digest.usage'));
        // Looking is for everyone; changing takes what changing subscriptions takes.
        const changing = command.name === 'digest' ? command.words.length > 0 : command.zone !== undefined;
        if (changing && !(await subscriptions.mayManage(actor, message.roomId))) return text(t('webexbot.moderatorsOnly'));
        return runDigestCommand(command, message.roomId, message.personEmail, digests, language, t);
      }
      case 'unknown':
        return text(t('webexbot.unknown', { command: escapeMarkdown(command.word.slice(0, 40)) }));
      case 'invalid':
        return text(t(command.key, Object.fromEntries(Object.entries(command.params).map(([k, v]) => [k, escapeMarkdown(v.slice(0, 80))]))));
      case 'trelloCardUsage':
        return text(t('webexbot.cardUsage'));
      case 'trelloCard': {
        const trello = this.deps.trello;
        if (!trello) return text(t('webexbot.trelloOff'));
        if (!(await subscriptions.mayWrite(actor, message.roomId, 'trello.card'))) return text(t('webexbot.writeRefused'));
        const board = (await subscriptions.list(actor, message.roomId)).find((s) => s.source === 'trello');
        if (!board) return text(t('webexbot.cardNoBoard'));
        const lists = await this.boardCall(board.sourceKey, message.roomId, () => trello.api.lists(board.sourceKey));
        if (!lists) return text(t('webexbot.trelloBoardGone', { board: escapeMarkdown(board.sourceKey) }));
        const list = lists.find((l) => l.name.toLowerCase() === command.list.toLowerCase());
        if (!list) return text(t('webexbot.cardNoList', { list: escapeMarkdown(command.list.slice(0, 80)), lists: escapeMarkdown(lists.map((l) => l.name).join(', ')) }));
        const card = await trello.api.createCard(list.id, command.title.slice(0, 16384));
        const markdown = t('webexbot.cardCreated', { title: escapeMarkdown(card.name), list: escapeMarkdown(list.name), url: card.shortUrl });
        return { markdown, card: trelloCardCreatedCard(language, t('webexbot.cardCreated', { title: card.name, list: list.name, url: '' }).replace(/:\s*$/, '.'), card.shortUrl) };
      }
      case 'subscriptions':
        return this.list(actor, message.roomId, language, t);
      case 'filter':
        return text(
          await runFilterCommand(command, {
            subscriptions: {
              forSpace: (roomId) => subscriptions.list(actor, roomId),
              setFilterExpression: (roomId, id, expression, subscriber) => subscriptions.setFilterExpression(actor, roomId, id, expression, subscriber),
            },
            roomId: message.roomId,
            personEmail: message.personEmail,
            language,
            mayChange: () => subscriptions.mayManage(actor, message.roomId),
            describe: (s) => describe(s, t, true, language),
          }),
        );
      case 'configure': {
        const usage = { format: 'webexbot.formatUsage', skipOwn: 'webexbot.skipOwnUsage', important: 'webexbot.importantUsage' } as const;
        if (!command.settings) return text(t(usage[command.setting]));
        if (!(await subscriptions.mayManage(actor, message.roomId))) return text(t('webexbot.moderatorsOnly'));
        const list = await subscriptions.list(actor, message.roomId);
        if (list.length === 0) return text(t('webexbot.none'));
        // Without a number, the only subscription; with several, the number says which.
        if (command.number === undefined && list.length > 1) return text(t('webexbot.whichSubscription'));
        const done = await subscriptions.configure(actor, message.roomId, { number: command.number ?? 1 }, command.settings);
        if (done.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
        if (done.outcome !== 'done') return text(t('webexbot.noSuchNumber', { n: command.number ?? 1 }));
        return text(t('webexbot.configured', { item: describe(done.subscription, t, true, language) }));
      }
      case 'unsubscribe': {
        if (command.number === undefined) return text(t('webexbot.unsubscribeUsage'));
        const done = await subscriptions.unsubscribe(actor, message.roomId, { number: command.number });
        if (done.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
        if (done.outcome !== 'done') return text(t('webexbot.noSuchNumber', { n: command.number }));
        return text(t('webexbot.unsubscribed', { item: describe(done.subscription, t, true, language) }));
      }
      case 'subscribe': {
        if (command.source === undefined) return text(t('webexbot.subscribeUsage'));
        let name = '';
        const decision = await subscriptions.subscribe<BotReply>(actor, message.roomId, async () => {
          const resolved = await resolveSource(command, language, this.deps, t);
          if ('reply' in resolved) return { notFound: resolved.reply };
          name = resolved.name;
          return { wanted: resolved.wanted };
        });
        if (decision.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
        if (decision.outcome === 'notFound') return decision.reason;
        if (decision.outcome === 'notServed' || decision.outcome === 'unknownSpace') return text(t('webexbot.notServed'));
        const { wanted } = decision;
        if (decision.outcome === 'requested') {
          const params = { source: sourceWord(wanted.source, t), item: escapeMarkdown(wanted.label), id: decision.request.id };
          return text(t(decision.isNew ? 'webexbot.followRequested' : 'webexbot.followPending', params));
        }
        if (decision.outcome === 'gone') return text(t('webexbot.trelloBoardGone', { board: escapeMarkdown(name) }));
        const made = decision.subscription;
        const confirm = (markdown: string, plain: string): BotReply => ({ markdown, card: subscribedCard(language, plain, made.id) });
        if (wanted.source === 'jira') {
          return confirm(t('webexbot.subscribedJira', { key: name, filter: filterText(wanted.filter, t) }), t('webexbot.subscribedJira', { key: name, filter: filterText(wanted.filter, t, false) }));
        }
        if (wanted.source === 'graph') return confirm(t('webexbot.subscribedOneDrive', { folder: escapeMarkdown(name) }), t('webexbot.subscribedOneDrive', { folder: name }));
        return confirm(
          t('webexbot.subscribedTrello', { board: escapeMarkdown(name), filter: filterText(wanted.filter, t) }),
          t('webexbot.subscribedTrello', { board: name, filter: filterText(wanted.filter, t, false) }),
        );
      }
    }
  }

  /**
   * A Trello call about a board we hold. When Trello answers 404 or 410 the board is gone (or
   * our token lost it): every space stops following it, and each space other than `askingRoom`
   * (which hears it in the answer) is told once, in its own language. Undefined then.
   */
  private async boardCall<R>(boardId: string, askingRoom: string, call: () => Promise<R>): Promise<R | undefined> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof UpstreamError && (err.status === 404 || err.status === 410))) throw err;
      await this.deps.subscriptions.forgetSource('trello', boardId, askingRoom);
      return undefined;
    }
  }
}

function tFor(language: Language): T {
  return (key, params = {}) => translate(language, key, params);
}

/** `markdown` false: plain text for cards and speech, no backslash escapes. */
function describe(s: Subscription, t: T, markdown: boolean, language: Language): string {
  const expression = filterSuffix(s, language, markdown);
  return `${s.source === 'jira' ? 'Jira' : s.source === 'trello' ? 'Trello' : 'OneDrive'} ${s.sourceKey}${filterText(s.filter, t, markdown)}${expression}${settingsText(s, t)}`;
}

/** The delivery settings that differ from the defaults, e.g. " — compact, own changes skipped". */
function settingsText(s: Subscription, t: T): string {
  const parts: string[] = [];
  if (s.format === 'compact') parts.push(t('webexbot.settingCompact'));
  if (s.skipOwn) parts.push(t('webexbot.settingSkipOwn'));
  const important = [...s.important].sort().join(',');
  if (important !== [...DEFAULT_IMPORTANT].sort().join(',')) {
    parts.push(t('webexbot.settingImportant', { changes: s.important.map((w) => t(`webexbot.important.${w}`)).join(', ') }));
  }
  return parts.length > 0 ? ` — ${parts.join(', ')}` : '';
}

function filterText(filter: SubscriptionFilter, t: T, markdown = true): string {
  const esc = markdown ? escapeMarkdown : (v: string) => v;
  const parts: string[] = [];
  if (filter.kinds) parts.push(t('webexbot.filterKinds', { kinds: filter.kinds.join(', ') }));
  if (filter.issueTypes) parts.push(t('webexbot.filterTypes', { types: esc(filter.issueTypes.join(', ')) }));
  if (filter.minPriority) parts.push(t('webexbot.filterPriority', { priority: filter.minPriority }));
  if (filter.lists) parts.push(t('webexbot.filterLists', { lists: esc(filter.lists.join(', ')) }));
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}
