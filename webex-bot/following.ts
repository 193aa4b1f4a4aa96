import {
  UpstreamError,
  escapeMarkdown,
  graphFolderKey,
  translate,
  trelloBoardRef,
  type FollowRequest,
  type FollowRequestQueue,
  type FollowingDeps,
  type Language,
  type MessageKey,
  type MessageParams,
  type SourceName,
  type SourceToFollow,
  type Subscriptions,
} from '../core';
import type { BotReply } from './cards';
import type { BotCommand } from './command-parser';


type T = (key: MessageKey, params?: MessageParams) => string;
type SubscribeCommand = Extract<BotCommand, { name: 'subscribe' }> & { source: 'jira' | 'trello' | 'onedrive' };

/** The source a `subscribe` names, looked up where it lives; or the answer saying why not. */
export type Resolved = { wanted: SourceToFollow; name: string } | { reply: BotReply };

const locales: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

export function languageOfLocale(locale: string): Language {
  return locale.startsWith('nl') ? 'nl' : 'en';
}

/** "Jira project" / "Trello-bord": the kind of source, in the space's language. */
export function sourceWord(source: SourceName, t: T): string {
  return t(source === 'jira' ? 'webexbot.source.jira' : source === 'trello' ? 'webexbot.source.trello' : 'webexbot.source.graph');
}

/**
 * Finds what a space asked to follow: a Jira key as typed, a Trello board by its link (its id and
 * short link, either of which an administrator may have allowed), a OneDrive folder by path or
 * sharing link. Nothing is subscribed or registered here: that waits for the access decision.
 */
export async function resolveSource(command: SubscribeCommand, language: Language, deps: Pick<FollowingDeps, 'graph' | 'trello'>, t: T): Promise<Resolved> {
  const base = { filter: command.filter, locale: locales[language] };
  const text = (markdown: string): { reply: BotReply } => ({ reply: { markdown } });
  if (command.source === 'jira') return { wanted: { ...base, source: 'jira', sourceKey: command.key, label: command.key }, name: command.key };
  if (command.source === 'onedrive') {
    if (!deps.graph) return text(t('webexbot.graphOff'));
    const folder = await deps.graph.findFolder(command.folder);
    if (!folder) return text(t('webexbot.badOneDriveFolder', { folder: escapeMarkdown(command.folder.slice(0, 120)) }));
    return { wanted: { ...base, source: 'graph', sourceKey: graphFolderKey(folder), label: folder.name }, name: folder.name };
  }
  if (!deps.trello) return text(t('webexbot.trelloOff'));
  const ref = trelloBoardRef(command.board);
  const bad = text(t('webexbot.badTrelloBoard', { board: escapeMarkdown(command.board.slice(0, 80)) }));
  if (!ref) return bad;
  const board = await deps.trello.api.board(ref).catch((err: unknown) => {
    if (err instanceof UpstreamError && (err.status === 404 || err.status === 410 || err.status === 400)) return undefined;
    throw err;
  });
  if (!board) return bad;
  const aliases = [ref, trelloBoardRef(board.url)].filter((a): a is string => a !== undefined && a !== board.id);
  return { wanted: { ...base, source: 'trello', sourceKey: board.id, aliases, label: board.name }, name: board.name };
}

/**
 * Turns the requests an administrator approved (`een-bridge sources approve`) into
 * subscriptions and tells each space in its own language; tells spaces whose request was denied.
 * Runs in the service, which holds the Trello, Graph and Webex clients the CLI does not. A
 * request another replica took first is skipped (claim answers false).
 */
export async function applyDecidedRequests(deps: Pick<FollowingDeps, 'webex' | 'log'> & { subscriptions: Subscriptions }, requests: FollowRequestQueue): Promise<number> {
  let done = 0;
  for (const r of await requests.decidedToApply()) {
    const t: T = (key, params = {}) => translate(languageOfLocale(r.locale), key, params);
    const params = { source: sourceWord(r.source, t), item: escapeMarkdown(r.label), id: r.id };
    if (!(await requests.claim(r))) continue;
    try {
      if (r.status === 'approved') {
        // Undefined: Trello says the board is gone; the space is told that instead.
        if (await deps.subscriptions.followApproved(r)) await tell(deps, r, t('webexbot.followApproved', params));
        else await tell(deps, r, t('webexbot.trelloBoardGone', { board: escapeMarkdown(r.label) }));
      } else {
        await tell(deps, r, t('webexbot.followDenied', params));
      }
      done += 1;
    } catch (err) {
      await requests.release(r).catch(() => undefined);
      deps.log.warn({ err, request: r.id, space: r.spaceId }, 'could not apply a decided follow request; it is tried again later');
    }
  }
  return done;
}

async function tell(deps: Pick<FollowingDeps, 'webex'>, r: FollowRequest, markdown: string): Promise<void> {
  await deps.webex.create({ roomId: r.spaceId, markdown, text: markdown });
}
