import { UpstreamError } from '../errors';
import { translate } from '../i18n';
import type { Logger } from '../log';
import type { DriveFolders } from './graph-watcher';
import { escapeMarkdown } from './markdown';
import { parseGraphFolderKey } from './sources/graph';
import type { SourceToFollow } from './space-access';
import type { Subscription, SubscriptionRepository } from './subscriptions';
import type { TrelloBoards } from './trello-client';
import type { WebexMessages } from './webex-messages';

/** What following a source takes: the subscriptions table and the clients that register its hooks. */
export interface FollowingDeps {
  subscriptions: SubscriptionRepository;
  webex: WebexMessages;
  trello: { api: TrelloBoards; callbackUrl: () => string } | undefined;
  graph?: DriveFolders | undefined;
  log: Logger;
}

/**
 * Makes the subscription once access is granted, with what the source needs to send us its
 * changes: a Graph subscription on the drive first (a space should not follow a folder nobody
 * will hear about), the Trello board webhook after. Undefined when Trello says the board is gone
 * (every space then stops following it; `askingRoom` hears it in its answer).
 */
export async function startFollowing(deps: FollowingDeps, spaceId: string, createdBy: string, wanted: Omit<SourceToFollow, 'label'>, askingRoom?: string): Promise<Subscription | undefined> {
  const base = { spaceId, filter: wanted.filter, locale: wanted.locale, createdBy };
  if (wanted.source === 'graph') {
    const folder = parseGraphFolderKey(wanted.sourceKey);
    if (!deps.graph || !folder) throw new Error(`cannot follow OneDrive folder ${wanted.sourceKey}: Microsoft Graph is off or the key is malformed`);
    await deps.graph.watchDrive(folder.driveId);
    return deps.subscriptions.subscribe({ ...base, source: 'graph', sourceKey: wanted.sourceKey });
  }
  const made = await deps.subscriptions.subscribe({ ...base, source: wanted.source, sourceKey: wanted.sourceKey });
  if (wanted.source === 'jira') return made;
  const trello = deps.trello;
  if (!trello) throw new Error('cannot follow a Trello board: Trello is off');
  try {
    await trello.api.createWebhook(trello.callbackUrl(), wanted.sourceKey, `een-bridge ${wanted.sourceKey}`);
  } catch (err) {
    // One webhook per board; Trello refuses a second with the same callback, which is fine.
    if (err instanceof UpstreamError && err.status === 400 && err.message.includes('already exists')) return made;
    if (!(err instanceof UpstreamError && (err.status === 404 || err.status === 410))) throw err;
    await forgetTrelloBoard(wanted.sourceKey, deps, askingRoom);
    return undefined;
  }
  return made;
}

/**
 * Every space that follows `boardId` stops, and each one but `except` is told so once (the
 * subscription is gone afterwards, so a second failure finds nobody to tell). Posted with core's
 * Webex client: this is the bot speaking on its own, not an answer in a conversation.
 */
export async function forgetTrelloBoard(boardId: string, deps: Pick<FollowingDeps, 'subscriptions' | 'webex' | 'log'>, except?: string): Promise<string[]> {
  const following = (await deps.subscriptions.all()).filter((s) => s.source === 'trello' && s.sourceKey === boardId);
  const told: string[] = [];
  for (const s of following) {
    if (!(await deps.subscriptions.unsubscribe(s.spaceId, s.id))) continue;
    if (s.spaceId === except || told.includes(s.spaceId)) continue;
    told.push(s.spaceId);
    const markdown = translate(s.locale, 'webexbot.trelloBoardGone', { board: escapeMarkdown(boardId) });
    await deps.webex.create({ roomId: s.spaceId, markdown, text: markdown }).catch((err: unknown) => deps.log.warn({ err, space: s.spaceId }, 'could not tell a space its Trello board is gone'));
  }
  deps.log.info({ boardId, spaces: following.length }, 'Trello board gone: subscriptions removed');
  return told;
}
