import { UpstreamError } from '../errors';

export interface TrelloBoard {
  id: string;
  name: string;
  url: string;
}

export interface TrelloApiOptions {
  /** https://api.trello.com/1, or the sandbox emulator; asked per request. */
  baseUrl: () => string;
  key: string;
  token: string;
  timeoutMs?: number;
}

/**
 * Trello as following a board and writing cards need it (issue 14: the Webex bot gets this port;
 * the composition root builds the client).
 */
export interface TrelloBoards {
  board(idOrShortLink: string): Promise<TrelloBoard>;
  lists(boardId: string): Promise<{ id: string; name: string }[]>;
  createCard(idList: string, name: string): Promise<{ id: string; name: string; shortUrl: string }>;
  createWebhook(callbackURL: string, idModel: string, description: string): Promise<{ id: string }>;
}

/**
 * The Trello REST calls the bot needs (https://developer.atlassian.com/cloud/trello/rest/):
 * find a board and its lists, register a board webhook, create a card. Trello authenticates with `key` and `token` query
 * parameters and answers errors as plain text.
 */
export class TrelloApi implements TrelloBoards {
  constructor(private readonly options: TrelloApiOptions) {}

  /** By id or by the short link in a board URL (https://trello.com/b/<shortLink>/<name>). */
  board(idOrShortLink: string): Promise<TrelloBoard> {
    return this.request('GET', `/boards/${encodeURIComponent(idOrShortLink)}`);
  }

  lists(boardId: string): Promise<{ id: string; name: string }[]> {
    return this.request('GET', `/boards/${encodeURIComponent(boardId)}/lists`);
  }

  createCard(idList: string, name: string): Promise<{ id: string; name: string; shortUrl: string }> {
    return this.request('POST', '/cards', { idList, name });
  }

  /**
   * POST /1/cards/{id}/actions/comments?text=… ("Add a new comment to a Card": text of 1 to 16384
   * characters; https://developer.atlassian.com/cloud/trello/rest/api-group-cards/#api-cards-id-actions-comments-post).
   * `idOrShortLink`: the card's id or the short link in its URL.
   */
  addComment(idOrShortLink: string, text: string): Promise<{ id: string }> {
    return this.request('POST', `/cards/${encodeURIComponent(idOrShortLink)}/actions/comments`, { text });
  }

  /** Trello first sends a HEAD to `callbackURL` and refuses the webhook unless it answers 200. */
  createWebhook(callbackURL: string, idModel: string, description: string): Promise<{ id: string }> {
    return this.request('POST', '/webhooks', { callbackURL, idModel, description });
  }

  /**
   * The webhooks this token made (GET /1/tokens/{token}/webhooks,
   * https://developer.atlassian.com/cloud/trello/rest/api-group-tokens/#api-tokens-token-webhooks-get):
   * the health check looks for the one on each followed board, since Trello deletes a webhook
   * whose model is gone or whose callback kept failing, and says nothing.
   */
  webhooks(): Promise<{ id: string; idModel: string; active: boolean; callbackURL: string }[]> {
    return this.request('GET', `/tokens/${encodeURIComponent(this.options.token)}/webhooks`);
  }

  private async request<T>(method: string, path: string, params: Record<string, string> = {}): Promise<T> {
    const query = new URLSearchParams({ ...params, key: this.options.key, token: this.options.token });
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl().replace(/\/+$/, '')}${path}?${query}`, {
        method,
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new UpstreamError('Trello', undefined, 'upstream.unavailable', undefined, (err as Error).message);
    }
    if (res.ok) return (await res.json()) as T;
    const detail = (await res.text().catch(() => '')).slice(0, 200);
    if (res.status === 429) throw new UpstreamError('Trello', 429, 'upstream.rateLimited', Number(res.headers.get('retry-after') ?? 10), detail);
    throw new UpstreamError('Trello', res.status, res.status === 401 ? 'upstream.unauthorized' : 'upstream.unavailable', undefined, detail);
  }
}

/** The board id or short link in what a person typed: a board URL, a short link or an id. */
export function trelloBoardRef(text: string): string | undefined {
  const url = /^https?:\/\/(?:www\.)?trello\.com\/b\/([A-Za-z0-9]{8})(?:[/?#].*)?$/.exec(text.trim());
  if (url) return url[1];
  return /^(?:[0-9a-f]{24}|[A-Za-z0-9]{8})$/.test(text.trim()) ? text.trim() : undefined;
}
