import {
  UpstreamError,
  escapeMarkdown,
  graphFolderKey,
  translate,
  trelloBoardRef,
  type GraphDriveWatcher,
  type Language,
  type Logger,
  type MessageKey,
  type MessageParams,
  type Subscription,
  type SubscriptionFilter,
  type SubscriptionRepository,
  type TrelloApi,
  type WebexMessages,
} from '../core';
import { parseCommand, type BotCommand } from './command-parser';

export interface SpaceCommandsDeps {
  subscriptions: SubscriptionRepository;
  webex: WebexMessages;
  /** Absent when Trello is off. */
  trello: { api: TrelloApi; callbackUrl: () => string } | undefined;
  /** Absent when Microsoft Graph is off. */
  graph?: GraphDriveWatcher | undefined;
  log: Logger;
}

/** A message to the bot in a space, as the events route read it. */
export interface SpaceMessage {
  roomId: string;
  personId: string;
  personEmail: string;
  /** With the bot's mention already removed. */
  text: string;
}

const locales: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

/**
 * What the bot does with `subscribe`, `subscriptions`, `unsubscribe` and `help` in a space, and
 * what it answers (markdown, in the language the person used). Changing a moderated space's
 * subscriptions takes a moderator (DESIGN.md: only a space's moderators manage its subscriptions).
 */
export class SpaceCommands {
  constructor(private readonly deps: SpaceCommandsDeps) {}

  async handle(message: SpaceMessage): Promise<string> {
    const { language, command } = parseCommand(message.text);
    const t = (key: MessageKey, params: MessageParams = {}) => translate(language, key, params);
    try {
      return await this.run(command, language, message, t);
    } catch (err) {
      if (err instanceof UpstreamError) return t('webexbot.failed', { reason: translate(language, err.key, { system: err.system, seconds: err.retryAfterSeconds ?? 60 }) });
      throw err;
    }
  }

  private async run(command: BotCommand, language: Language, message: SpaceMessage, t: (key: MessageKey, params?: MessageParams) => string): Promise<string> {
    const { subscriptions } = this.deps;
    switch (command.name) {
      case 'help':
        return t('webexbot.help');
      case 'unknown':
        return t('webexbot.unknown', { command: escapeMarkdown(command.word.slice(0, 40)) });
      case 'invalid':
        return t(command.key, Object.fromEntries(Object.entries(command.params).map(([k, v]) => [k, escapeMarkdown(v.slice(0, 80))])));
      case 'trelloCardUsage':
        return t('webexbot.cardUsage');
      case 'trelloCard': {
        const trello = this.deps.trello;
        if (!trello) return t('webexbot.trelloOff');
        const board = (await subscriptions.forSpace(message.roomId)).find((s) => s.source === 'trello');
        if (!board) return t('webexbot.cardNoBoard');
        const lists = await trello.api.lists(board.sourceKey);
        const list = lists.find((l) => l.name.toLowerCase() === command.list.toLowerCase());
        if (!list) return t('webexbot.cardNoList', { list: escapeMarkdown(command.list.slice(0, 80)), lists: escapeMarkdown(lists.map((l) => l.name).join(', ')) });
        const card = await trello.api.createCard(list.id, command.title.slice(0, 16384));
        return t('webexbot.cardCreated', { title: escapeMarkdown(card.name), list: escapeMarkdown(list.name), url: card.shortUrl });
      }
      case 'subscriptions': {
        const list = await subscriptions.forSpace(message.roomId);
        if (list.length === 0) return t('webexbot.none');
        return t('webexbot.list', { items: list.map((s, i) => `${i + 1}. ${describe(s, t)}`).join('\n') });
      }
      case 'unsubscribe': {
        if (command.number === undefined) return t('webexbot.unsubscribeUsage');
        if (!(await this.mayChange(message))) return t('webexbot.moderatorsOnly');
        const target = (await subscriptions.forSpace(message.roomId))[command.number - 1];
        if (!target) return t('webexbot.noSuchNumber', { n: command.number });
        await subscriptions.unsubscribe(message.roomId, target.id);
        return t('webexbot.unsubscribed', { item: describe(target, t) });
      }
      case 'subscribe': {
        if (command.source === undefined) return t('webexbot.subscribeUsage');
        if (!(await this.mayChange(message))) return t('webexbot.moderatorsOnly');
        const base = { spaceId: message.roomId, filter: command.filter, locale: locales[language], createdBy: message.personEmail };
        if (command.source === 'jira') {
          await subscriptions.subscribe({ ...base, source: 'jira', sourceKey: command.key });
          return t('webexbot.subscribedJira', { key: command.key, filter: filterText(command.filter, t) });
        }
        if (command.source === 'onedrive') {
          const graph = this.deps.graph;
          if (!graph) return t('webexbot.graphOff');
          const folder = await graph.findFolder(command.folder);
          if (!folder) return t('webexbot.badOneDriveFolder', { folder: escapeMarkdown(command.folder.slice(0, 120)) });
          // Graph first: a space should not follow a folder nobody will hear about.
          await graph.watchDrive(folder.driveId);
          await subscriptions.subscribe({ ...base, source: 'graph', sourceKey: graphFolderKey(folder) });
          return t('webexbot.subscribedOneDrive', { folder: escapeMarkdown(folder.name) });
        }
        const trello = this.deps.trello;
        if (!trello) return t('webexbot.trelloOff');
        const ref = trelloBoardRef(command.board);
        if (!ref) return t('webexbot.badTrelloBoard', { board: escapeMarkdown(command.board.slice(0, 80)) });
        const board = await trello.api.board(ref).catch((err: unknown) => {
          if (err instanceof UpstreamError && (err.status === 404 || err.status === 400)) return undefined;
          throw err;
        });
        if (!board) return t('webexbot.badTrelloBoard', { board: escapeMarkdown(command.board.slice(0, 80)) });
        await subscriptions.subscribe({ ...base, source: 'trello', sourceKey: board.id });
        await this.registerBoardWebhook(board.id);
        return t('webexbot.subscribedTrello', { board: escapeMarkdown(board.name), filter: filterText(command.filter, t) });
      }
    }
  }

  /** One webhook per board; Trello refuses a second with the same callback, which is fine. */
  private async registerBoardWebhook(boardId: string): Promise<void> {
    const trello = this.deps.trello!;
    try {
      await trello.api.createWebhook(trello.callbackUrl(), boardId, `een-bridge ${boardId}`);
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 400 && err.message.includes('already exists')) return;
      throw err;
    }
  }

  private async mayChange(message: SpaceMessage): Promise<boolean> {
    const room = await this.deps.webex.room(message.roomId);
    if (!room.isLocked) return true;
    const membership = await this.deps.webex.membership(message.roomId, message.personId);
    return membership?.isModerator === true;
  }
}

function describe(s: Subscription, t: (key: MessageKey, params?: MessageParams) => string): string {
  return `${s.source === 'jira' ? 'Jira' : s.source === 'trello' ? 'Trello' : 'OneDrive'} ${s.sourceKey}${filterText(s.filter, t)}`;
}

function filterText(filter: SubscriptionFilter, t: (key: MessageKey, params?: MessageParams) => string): string {
  const parts: string[] = [];
  if (filter.kinds) parts.push(t('webexbot.filterKinds', { kinds: filter.kinds.join(', ') }));
  if (filter.issueTypes) parts.push(t('webexbot.filterTypes', { types: escapeMarkdown(filter.issueTypes.join(', ')) }));
  if (filter.minPriority) parts.push(t('webexbot.filterPriority', { priority: filter.minPriority }));
  if (filter.lists) parts.push(t('webexbot.filterLists', { lists: escapeMarkdown(filter.lists.join(', ')) }));
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}
