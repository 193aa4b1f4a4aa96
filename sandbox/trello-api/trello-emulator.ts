import { randomBytes } from 'node:crypto';
import { isLocalTarget } from '../targets';
import type { Next, Request, Response, Server } from 'restify';
import { SANDBOX_TRELLO_API_SECRET, signTrelloBody, type SystemName } from '../../core';
import { rawBodyOf, requestQuery } from '../../inbound';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';

/** Key and token of the sandbox's Trello app, where TRELLO_API_KEY / TRELLO_TOKEN are not set. */
export const SANDBOX_TRELLO_API_KEY = 'sandbox-trello-api-key';
export const SANDBOX_TRELLO_TOKEN = 'sandbox-trello-token';
/** The board every sandbox starts with. */
export const SANDBOX_TRELLO_BOARD_ID = '5f1e2d3c4b5a69788796a5b4';

interface Member { id: string; fullName: string; username: string; initials: string; avatarHash: null }
/**
 * `prefs.permissionLevel`: who may see the board, `private` (its members), `org` (its workspace),
 * `public` or `enterprise` (https://developer.atlassian.com/cloud/trello/guides/rest-api/object-definitions/#board-object).
 */
interface Board {
  id: string; name: string; desc: string; closed: boolean; idOrganization: null; url: string; shortUrl: string; shortLink: string;
  prefs: { permissionLevel: 'private' | 'org' | 'public' | 'enterprise' };
}
interface List { id: string; name: string; closed: boolean; idBoard: string; pos: number }
interface Card {
  id: string; name: string; desc: string; idList: string; idBoard: string; idShort: number; shortLink: string;
  shortUrl: string; url: string; due: string | null; closed: boolean; idMembers: string[]; dateLastActivity: string;
}
interface Webhook { id: string; description: string; idModel: string; callbackURL: string; active: boolean; consecutiveFailures: number; firstConsecutiveFailDate: null }

const trelloId = () => randomBytes(12).toString('hex');
const shortLink = () => randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);

/**
 * The Trello REST API under /sandbox/trello/1/…: boards, lists, cards, comments, members and
 * webhooks, in the shapes of https://developer.atlassian.com/cloud/trello/rest/. Webhooks work as
 * Trello's do: a HEAD check of the callback at creation, then a signed POST of `{ action, model }`
 * for each change to the board, and a 410 answer deletes the webhook.
 */
export class TrelloEmulator implements Emulator {
  readonly name = 'trello';
  readonly serves: readonly SystemName[] = ['trello'];
  readonly log = new RequestLog();
  readonly boards = new Map<string, Board>();
  readonly lists = new Map<string, List>();
  readonly cards = new Map<string, Card>();
  readonly webhooks = new Map<string, Webhook>();
  readonly members = new Map<string, Member>();
  /** The signed POSTs sent to callbacks, newest last, with the status they got. */
  readonly deliveries: { callbackURL: string; status: number | 'failed'; actionType: string }[] = [];
  private readonly me: Member = { id: '5a1b2c3d4e5f60718293a4b5', fullName: 'Sandbox Gebruiker', username: 'sandbox', initials: 'SG', avatarHash: null };
  private pending = new Set<Promise<void>>();

  constructor(private readonly secret = SANDBOX_TRELLO_API_SECRET) {
    this.members.set(this.me.id, this.me);
    const board: Board = { id: SANDBOX_TRELLO_BOARD_ID, name: 'een-bridge demo', desc: '', closed: false, idOrganization: null, url: 'https://trello.com/b/SbxDemo1/een-bridge-demo', shortUrl: 'https://trello.com/b/SbxDemo1', shortLink: 'SbxDemo1', prefs: { permissionLevel: 'org' } };
    this.boards.set(board.id, board);
    ['To Do', 'Doing', 'Done'].forEach((name, i) => {
      const list: List = { id: trelloId(), name, closed: false, idBoard: board.id, pos: 16384 * (i + 1) };
      this.lists.set(list.id, list);
    });
  }

  /**
   * Adds a board as Trello's POST /1/boards would (its `prefs_permissionLevel` defaults to
   * private: https://developer.atlassian.com/cloud/trello/rest/api-group-boards/#api-boards-post),
   * with the usual three lists. For tests and the console.
   */
  addBoard(name: string, permissionLevel: Board['prefs']['permissionLevel'] = 'private'): Board {
    const link = shortLink();
    const board: Board = { id: trelloId(), name, desc: '', closed: false, idOrganization: null, url: `https://trello.com/b/${link}/${slug(name)}`, shortUrl: `https://trello.com/b/${link}`, shortLink: link, prefs: { permissionLevel } };
    this.boards.set(board.id, board);
    ['To Do', 'Doing', 'Done'].forEach((name, i) => {
      const id = trelloId();
      this.lists.set(id, { id, name, closed: false, idBoard: board.id, pos: 16384 * (i + 1) });
    });
    return board;
  }

  /** Deletes a board and its webhooks, as Trello does when a board is deleted (webhooks on it stop). */
  deleteBoard(id: string): void {
    this.boards.delete(id);
    for (const [hookId, hook] of this.webhooks) if (hook.idModel === id) this.webhooks.delete(hookId);
  }

  /** Resolves when every webhook POST sent so far has been answered (tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  mount(server: Server, base: string): void {
    const api = `${base}/1`;
    const record = recordInto(this.log);
    const auth = (req: Request, res: Response, next: Next): void => {
      const q = requestQuery(req);
      if (q.get('key') !== SANDBOX_TRELLO_API_KEY) return this.plain(res, 401, 'invalid key', next);
      if (q.get('token') !== SANDBOX_TRELLO_TOKEN) return this.plain(res, 401, 'invalid token', next);
      next();
    };
    const route = (handler: (req: Request, res: Response, p: Record<string, string>) => Promise<void> | void) =>
      [record, auth, (req: Request, res: Response, next: Next) => {
        Promise.resolve(handler(req, res, this.paramsOf(req))).then(() => next(), next);
      }];

    // Trello takes a board's id or its short link (the 8 characters after /b/ in its URL).
    server.get(`${api}/boards/:id`, ...route((req, res) => {
      const ref = String(req.params.id);
      const board = this.boards.get(ref) ?? [...this.boards.values()].find((b) => b.shortLink === ref);
      if (!board) return this.plain(res, 404, 'The requested resource was not found.');
      res.send(200, board);
    }));
    server.get(`${api}/boards/:id/lists`, ...route((req, res) => {
      if (!this.boards.has(String(req.params.id))) return this.plain(res, 404, 'The requested resource was not found.');
      res.send(200, [...this.lists.values()].filter((l) => l.idBoard === req.params.id && !l.closed));
    }));
    server.post(`${api}/cards`, ...route((_req, res, p) => {
      const list = this.lists.get(p.idList ?? '');
      if (!list) return this.plain(res, 400, 'invalid value for idList');
      const board = this.boards.get(list.idBoard)!;
      const idShort = [...this.cards.values()].filter((c) => c.idBoard === board.id).length + 1;
      const link = shortLink();
      const card: Card = {
        id: trelloId(), name: p.name ?? '', desc: p.desc ?? '', idList: list.id, idBoard: board.id, idShort, shortLink: link,
        shortUrl: `https://trello.com/c/${link}`, url: `https://trello.com/c/${link}/${idShort}-${slug(p.name ?? '')}`,
        due: p.due ?? null, closed: false, idMembers: [], dateLastActivity: new Date().toISOString(),
      };
      this.cards.set(card.id, card);
      this.fire('createCard', board, { card: cardRef(card), list: { id: list.id, name: list.name } });
      res.send(200, card);
    }));
    server.put(`${api}/cards/:id`, ...route((req, res, p) => {
      const card = this.cards.get(String(req.params.id));
      if (!card) return this.plain(res, 404, 'The requested resource was not found.');
      const board = this.boards.get(card.idBoard)!;
      const old: Record<string, unknown> = {};
      const data: Record<string, unknown> = {};
      if (p.idList && p.idList !== card.idList) {
        const to = this.lists.get(p.idList);
        if (!to || to.idBoard !== board.id) return this.plain(res, 400, 'invalid value for idList');
        const from = this.lists.get(card.idList)!;
        old.idList = card.idList;
        card.idList = to.id;
        data.listBefore = { id: from.id, name: from.name };
        data.listAfter = { id: to.id, name: to.name };
      }
      if (p.name !== undefined && p.name !== card.name) [old.name, card.name] = [card.name, p.name];
      if (p.due !== undefined && (p.due || null) !== card.due) [old.due, card.due] = [card.due, p.due || null];
      if (p.closed !== undefined && (p.closed === 'true') !== card.closed) [old.closed, card.closed] = [card.closed, p.closed === 'true'];
      card.dateLastActivity = new Date().toISOString();
      if (Object.keys(old).length > 0) {
        const list = this.lists.get(card.idList)!;
        this.fire('updateCard', board, { card: { ...cardRef(card), idList: card.idList }, old, ...(data.listAfter ? data : { list: { id: list.id, name: list.name } }) });
      }
      res.send(200, card);
    }));
    server.post(`${api}/cards/:id/actions/comments`, ...route((req, res, p) => {
      // A card's id or the short link of its URL (trello.com/c/<shortLink>), as for boards above.
      const ref = String(req.params.id);
      const card = this.cards.get(ref) ?? [...this.cards.values()].find((c) => c.shortLink === ref);
      if (!card) return this.plain(res, 404, 'The requested resource was not found.');
      // "text: 1 to 16384 characters" (Trello REST, Add a new comment to a Card).
      if (!p.text || p.text.length > 16384) return this.plain(res, 400, 'invalid value for text');
      const list = this.lists.get(card.idList)!;
      const action = this.fire('commentCard', this.boards.get(card.idBoard)!, { card: cardRef(card), list: { id: list.id, name: list.name }, text: p.text });
      res.send(200, action);
    }));
    server.post(`${api}/cards/:id/idMembers`, ...route((req, res, p) => {
      const card = this.cards.get(String(req.params.id));
      const member = this.members.get(p.value ?? '');
      if (!card) return this.plain(res, 404, 'The requested resource was not found.');
      if (!member) return this.plain(res, 400, 'invalid value for value');
      if (!card.idMembers.includes(member.id)) card.idMembers.push(member.id);
      this.fire('addMemberToCard', this.boards.get(card.idBoard)!, { card: cardRef(card), idMember: member.id }, member);
      res.send(200, card.idMembers.map((id) => this.members.get(id)));
    }));
    server.post(`${api}/webhooks`, ...route(async (_req, res, p) => {
      const callbackURL = p.callbackURL ?? '';
      const idModel = p.idModel ?? '';
      if (!/^https?:\/\//.test(callbackURL)) return this.plain(res, 400, 'invalid value for callbackURL');
      if (!this.boards.has(idModel) && !this.cards.has(idModel)) return this.plain(res, 400, 'invalid value for idModel');
      const dup = [...this.webhooks.values()].find((w) => w.callbackURL === callbackURL && w.idModel === idModel);
      if (dup) return this.plain(res, 400, 'A webhook with that callback, model, and token already exists');
      // Trello HEADs the callbackURL and refuses the webhook unless it answers 200
      // (https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#creating-a-webhook);
      // the emulator only reaches this machine (sandbox/targets.ts), anything else "answers" 0.
      const head = isLocalTarget(callbackURL) ? await fetch(callbackURL, { method: 'HEAD', signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0) : 0;
      if (head !== 200) return this.plain(res, 400, `URL (${callbackURL}) did not return 200 status code, got ${head}`);
      const hook: Webhook = { id: trelloId(), description: p.description ?? '', idModel, callbackURL, active: true, consecutiveFailures: 0, firstConsecutiveFailDate: null };
      this.webhooks.set(hook.id, hook);
      res.send(200, hook);
    }));
    server.get(`${api}/webhooks/:id`, ...route((req, res) => {
      const hook = this.webhooks.get(String(req.params.id));
      if (!hook) return this.plain(res, 404, 'The requested resource was not found.');
      res.send(200, hook);
    }));
    server.del(`${api}/webhooks/:id`, ...route((req, res) => {
      if (!this.webhooks.delete(String(req.params.id))) return this.plain(res, 404, 'The requested resource was not found.');
      res.send(200, { _value: null });
    }));
    server.get(`${api}/tokens/:token/webhooks`, ...route((_req, res) => {
      res.send(200, [...this.webhooks.values()]);
    }));
  }

  /** Query parameters and a JSON or form body merged, as Trello accepts either. */
  private paramsOf(req: Request): Record<string, string> {
    const params: Record<string, string> = Object.fromEntries(requestQuery(req));
    const raw = rawBodyOf(req).toString('utf8');
    if (!raw) return params;
    const type = req.headers['content-type'] ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = type.includes('json') ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return params;
    }
    for (const [k, v] of Object.entries(body)) if (v !== undefined && v !== null) params[k] = String(v);
    return params;
  }

  private plain(res: Response, status: number, text: string, next?: Next): void {
    // Trello answers errors as text/plain, not JSON.
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.sendRaw(status, text);
    if (next) next(false);
  }

  /** Records an action and POSTs it, signed, to every webhook on its board or card. */
  private fire(type: string, board: Board, data: Record<string, unknown>, member?: Member): Record<string, unknown> {
    const action = {
      id: trelloId(),
      idMemberCreator: this.me.id,
      data: { ...data, board: { id: board.id, name: board.name, shortLink: board.shortLink } },
      appCreator: null,
      type,
      date: new Date().toISOString(),
      limits: {},
      display: { translationKey: `action_${type.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`, entities: {} },
      ...(member ? { member: { id: member.id, fullName: member.fullName, username: member.username } } : {}),
      memberCreator: { id: this.me.id, activityBlocked: false, avatarHash: null, avatarUrl: null, fullName: this.me.fullName, idMemberReferrer: null, initials: this.me.initials, nonPublic: {}, nonPublicAvailable: true, username: this.me.username },
    };
    const cardId = (data.card as { id?: string } | undefined)?.id;
    for (const hook of this.webhooks.values()) {
      if (!hook.active || (hook.idModel !== board.id && hook.idModel !== cardId)) continue;
      if (!isLocalTarget(hook.callbackURL)) continue;
      const body = JSON.stringify({ model: board, action });
      const sent = fetch(hook.callbackURL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trello-webhook': signTrelloBody(body, hook.callbackURL, this.secret) },
        body,
        signal: AbortSignal.timeout(10_000),
      }).then(
        (r) => {
          this.deliveries.push({ callbackURL: hook.callbackURL, status: r.status, actionType: type });
          if (r.status === 410) this.webhooks.delete(hook.id);
        },
        () => {
          this.deliveries.push({ callbackURL: hook.callbackURL, status: 'failed', actionType: type });
        },
      );
      this.pending.add(sent);
      void sent.finally(() => this.pending.delete(sent));
    }
    return action;
  }
}

function cardRef(card: Card) {
  return { id: card.id, name: card.name, idShort: card.idShort, shortLink: card.shortLink, due: card.due, closed: card.closed };
}

function slug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
}
