import { randomBytes, randomUUID } from 'node:crypto';
import { isLocalTarget } from '../targets';
import type { Next, Request, Response, Server } from 'restify';
import { type SystemName } from '../../core';
import { requestPath, requestQuery } from '../../inbound';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';

/** The app token the sandbox hands out instead of msal's, and the drive every sandbox starts with. */
export const SANDBOX_GRAPH_TOKEN = 'sandbox-graph-app-token';
export const SANDBOX_GRAPH_DRIVE_ID = 'b!sAnDbOxDrIvE0kpnEenBridgeDemoDrive000000000000000000';
export const SANDBOX_GRAPH_TENANT_ID = '2c5d1a3e-7b8f-4e6a-9d0c-1f2e3d4c5b6a';
const SITE = 'https://kpnsandbox.sharepoint.com/sites/een-bridge/Gedeelde documenten';
/**
 * subscription.clientState: "The maximum length is 128 characters"
 * (https://learn.microsoft.com/graph/api/resources/subscription).
 */
const MAX_CLIENT_STATE = 128;
/**
 * Application permissions ("Create subscription", https://learn.microsoft.com/graph/api/subscription-post-subscriptions):
 * a driveItem subscription on OneDrive for Business needs Files.ReadWrite.All, the least privileged;
 * reading items and delta needs any of these ("driveItem: delta", https://learn.microsoft.com/graph/api/driveitem-delta).
 */
const SUBSCRIBE_ROLES = ['Files.ReadWrite.All'];
const READ_ROLES = ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All'];
/** driveItem subscriptions may last at most 42,300 minutes (https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime). */
const MAX_LIFETIME_MS = 42_300 * 60 * 1000;

interface Identity { user: { displayName: string; email: string; id: string } }
interface Item {
  id: string; name: string; parentId: string | null; folder: boolean; content: string; mimeType: string;
  version: number; seq: number; deleted: boolean; guid: string;
  createdDateTime: string; lastModifiedDateTime: string; createdBy: Identity; lastModifiedBy: Identity;
}
interface Subscription {
  id: string; resource: string; changeType: string; notificationUrl: string; lifecycleNotificationUrl: string | null;
  clientState: string | null; expirationDateTime: string; applicationId: string; creatorId: string;
}

const itemId = () => `01${randomBytes(20).toString('base64').replace(/[^A-Z0-9]/gi, '').toUpperCase().padEnd(32, 'Q').slice(0, 32)}`;
const person = (displayName: string, email: string): Identity => ({ user: { displayName, email, id: randomUUID() } });
const SANDBOX_USER = person('Sanne de Vries', 'sanne@kpnsandbox.onmicrosoft.com');

/**
 * Microsoft Graph under /sandbox/graph/v1.0/…, for one SharePoint document library: driveItems by
 * path and by sharing link, `root/delta` with @odata.nextLink / @odata.deltaLink and
 * `token=latest` (https://learn.microsoft.com/graph/api/driveitem-delta), and subscriptions
 * (https://learn.microsoft.com/graph/api/subscription-post-subscriptions) with the validation
 * handshake to notificationUrl and lifecycleNotificationUrl. The sandbox-only routes
 * `/sandbox/graph/_drive/items` change files the way a person in SharePoint would, and each
 * change POSTs a changeNotificationCollection (changeType `updated`, no resourceData, as for
 * driveItems) with the subscription's clientState.
 */
export class GraphEmulator implements Emulator {
  readonly name = 'graph';
  readonly serves: readonly SystemName[] = ['graph'];
  readonly log = new RequestLog();
  readonly items = new Map<string, Item>();
  readonly subscriptions = new Map<string, Subscription>();
  /** The notification POSTs sent, newest last, with the status they got. */
  readonly deliveries: { url: string; status: number | 'failed'; lifecycleEvent?: string }[] = [];
  /** Drops change notifications, as when Graph fails to deliver; a `missed` lifecycle event tells the subscriber later. */
  muted = false;
  /** Delta page size; small in tests to exercise @odata.nextLink. */
  pageSize = 50;
  /**
   * The application permissions (the token's `roles` claim) consented for the sandbox app; a test
   * can take some away to see Graph refuse as it does for a real app registration.
   */
  appRoles: string[] = ['Files.ReadWrite.All'];
  /** How many delta requests were answered 410 Gone (tests). */
  goneAnswers = 0;
  private seq = 0;
  /** Delta tokens carry the generation they were issued in; expireDeltaTokens() makes all earlier ones stale. */
  private tokenGeneration = 1;
  private readonly rootId: string;
  private readonly pending = new Set<Promise<void>>();

  constructor() {
    const root = this.addItem(null, 'root', true, SANDBOX_USER);
    this.rootId = root.id;
    this.addItem(root.id, 'Documenten', true, SANDBOX_USER);
    this.addItem(root.id, 'Projecten', true, SANDBOX_USER);
  }

  /** Resolves when every notification POST sent so far has been answered (tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * Makes every delta token handed out so far stale, as Graph does after a long gap or a change
   * on its side ("driveItem: delta", https://learn.microsoft.com/graph/api/driveitem-delta):
   * the next request with one gets 410 Gone and a Location that starts a fresh enumeration.
   */
  expireDeltaTokens(): void {
    this.tokenGeneration++;
  }

  /** A folder's item id by its path from the root, e.g. "Documenten". */
  folderId(path: string): string | undefined {
    return this.byPath(path)?.id;
  }

  mount(server: Server, base: string): void {
    const api = `${base}/v1.0`;
    const record = recordInto(this.log);
    const auth = (req: Request, res: Response, next: Next): void => {
      if (req.headers.authorization !== `Bearer ${SANDBOX_GRAPH_TOKEN}`) return this.fail(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.', next);
      next();
    };
    // Graph answers 403 accessDenied when the app may not read files at all.
    const canRead = (req: Request, res: Response, next: Next): void => {
      if (req.method === 'GET' && !this.appRoles.some((r) => READ_ROLES.includes(r))) return this.fail(res, 403, 'accessDenied', 'Access denied', next);
      next();
    };
    const route = (handler: (req: Request, res: Response) => Promise<void> | void) =>
      [record, auth, canRead, (req: Request, res: Response, next: Next) => {
        Promise.resolve(handler(req, res)).then(() => next(), next);
      }];
    const sandboxRoute = (handler: (req: Request, res: Response) => Promise<void> | void) =>
      [record, (req: Request, res: Response, next: Next) => {
        Promise.resolve(handler(req, res)).then(() => next(), next);
      }];

    // /drives/{id}/root, /drives/{id}/root/delta and /drives/{id}/root:/{path}(:) share one route:
    // a colon in the path is Graph's path-based addressing, not a route parameter.
    server.get(`${api}/drives/:driveId/*`, ...route((req, res) => {
      if (req.params.driveId !== SANDBOX_GRAPH_DRIVE_ID) return this.fail(res, 404, 'itemNotFound', 'The resource could not be found.');
      let rest: string;
      try {
        rest = decodeURIComponent(requestPath(req).slice(`${api}/drives/${SANDBOX_GRAPH_DRIVE_ID}/`.length));
      } catch {
        // A broken %-escape: Graph answers 400 invalidRequest with its error body.
        return this.fail(res, 400, 'invalidRequest', 'The request URL is not valid.');
      }
      if (rest === 'root') return void res.send(200, this.view(this.items.get(this.rootId)!));
      if (rest === 'root/delta') return this.delta(req, res, requestQuery(req), `${api}/drives/${SANDBOX_GRAPH_DRIVE_ID}/root/delta`);
      const path = /^root:\/(.*?):?$/.exec(rest);
      const item = path ? this.byPath(path[1]!) : undefined;
      if (!item) return this.fail(res, 404, 'itemNotFound', 'The resource could not be found.');
      res.send(200, this.view(item));
    }));

    // A wildcard, not `:shareId`: encoded sharing URLs are longer than restify's 100-character parameter limit.
    server.get(`${api}/shares/*`, ...route((req, res) => {
      const match = /^([^/]+)\/driveItem$/.exec(requestPath(req).slice(`${api}/shares/`.length));
      const share = match?.[1] ?? '';
      const url = share.startsWith('u!') ? Buffer.from(share.slice(2), 'base64url').toString('utf8') : '';
      const item = [...this.items.values()].find((i) => !i.deleted && (this.webUrl(i) === url || this.shareUrl(i) === url));
      if (!item) return this.fail(res, 404, 'itemNotFound', 'The sharing link no longer exists, or you do not have permission to access it.');
      res.send(200, this.view(item));
    }));

    server.post(`${api}/subscriptions`, ...route((req, res) => this.createSubscription(req, res)));
    server.patch(`${api}/subscriptions/:id`, ...route((req, res) => {
      const sub = this.subscriptions.get(String(req.params.id));
      if (!sub) return this.fail(res, 404, 'ResourceNotFound', 'The object was not found.');
      const body = this.json(req) as { expirationDateTime?: unknown };
      const expires = this.expiration(body.expirationDateTime);
      if (typeof expires === 'string') return this.fail(res, 400, 'ExtensionError', expires);
      sub.expirationDateTime = expires.toISOString();
      res.send(200, this.subscriptionView(sub));
    }));
    server.del(`${api}/subscriptions/:id`, ...route((req, res) => {
      if (!this.subscriptions.delete(String(req.params.id))) return this.fail(res, 404, 'ResourceNotFound', 'The object was not found.');
      res.send(204);
    }));

    // Sandbox only: what a person does in SharePoint, which then notifies subscribers.
    server.post(`${base}/_drive/items`, ...sandboxRoute((req, res) => {
      const body = this.json(req) as { parentPath?: unknown; name?: unknown; content?: unknown; by?: unknown };
      const parent = this.byPath(typeof body.parentPath === 'string' ? body.parentPath : '');
      if (!parent?.folder || typeof body.name !== 'string' || !body.name.trim()) return this.fail(res, 400, 'invalidRequest', 'parentPath (a folder) and name are required.');
      const who = typeof body.by === 'string' ? person(body.by, `${body.by.toLowerCase().replace(/\W+/g, '.')}@kpnsandbox.onmicrosoft.com`) : SANDBOX_USER;
      const item = this.addItem(parent.id, body.name.trim(), false, who, typeof body.content === 'string' ? body.content : '');
      this.notifyChange();
      res.send(201, this.view(item));
    }));
    server.patch(`${base}/_drive/items/:id`, ...sandboxRoute((req, res) => {
      const item = this.items.get(String(req.params.id));
      if (!item || item.deleted) return this.fail(res, 404, 'itemNotFound', 'The resource could not be found.');
      const body = this.json(req) as { name?: unknown; content?: unknown; by?: unknown };
      if (typeof body.name === 'string' && body.name.trim()) item.name = body.name.trim();
      if (typeof body.content === 'string') item.content = body.content;
      if (typeof body.by === 'string') item.lastModifiedBy = person(body.by, `${body.by.toLowerCase().replace(/\W+/g, '.')}@kpnsandbox.onmicrosoft.com`);
      this.touch(item);
      this.notifyChange();
      res.send(200, this.view(item));
    }));
    server.del(`${base}/_drive/items/:id`, ...sandboxRoute((req, res) => {
      const item = this.items.get(String(req.params.id));
      if (!item || item.deleted || item.id === this.rootId) return this.fail(res, 404, 'itemNotFound', 'The resource could not be found.');
      item.deleted = true;
      this.touch(item);
      this.notifyChange();
      res.send(204);
    }));
    // Sandbox only: makes Graph send a lifecycle notification (subscriptionRemoved also removes it).
    server.post(`${base}/_subscriptions/:id/lifecycle`, ...sandboxRoute((req, res) => {
      const sub = this.subscriptions.get(String(req.params.id));
      const event = (this.json(req) as { lifecycleEvent?: unknown }).lifecycleEvent;
      if (!sub) return this.fail(res, 404, 'ResourceNotFound', 'The object was not found.');
      if (event !== 'reauthorizationRequired' && event !== 'subscriptionRemoved' && event !== 'missed') return this.fail(res, 400, 'invalidRequest', 'lifecycleEvent is reauthorizationRequired, subscriptionRemoved or missed.');
      if (event === 'subscriptionRemoved') this.subscriptions.delete(sub.id);
      this.send(sub.lifecycleNotificationUrl ?? sub.notificationUrl, sub, event);
      res.send(202);
    }));
  }

  private async createSubscription(req: Request, res: Response): Promise<void> {
    const body = this.json(req) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const resource = str('resource')?.replace(/^\//, '');
    if (!str('changeType') || !str('notificationUrl') || !resource) return this.fail(res, 400, 'InvalidRequest', 'changeType, notificationUrl and resource are required.');
    if (str('changeType') !== 'updated') return this.fail(res, 400, 'InvalidRequest', 'driveItem subscriptions support only changeType "updated".');
    if (resource !== `drives/${SANDBOX_GRAPH_DRIVE_ID}/root` && resource !== 'me/drive/root') return this.fail(res, 404, 'ResourceNotFound', `Resource '${resource}' is not supported or does not exist.`);
    if ((str('clientState')?.length ?? 0) > MAX_CLIENT_STATE) return this.fail(res, 400, 'InvalidRequest', `clientState: the maximum length is ${MAX_CLIENT_STATE} characters.`);
    // The shape Graph gives an app without the permission (OneDrive/onedrive-api-docs#1398, microsoftgraph/msgraph-sdk-java#1209).
    if (!this.appRoles.some((r) => SUBSCRIBE_ROLES.includes(r))) return this.fail(res, 403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access denied]');
    const expires = this.expiration(body.expirationDateTime);
    if (typeof expires === 'string') return this.fail(res, 400, 'InvalidRequest', expires);
    // The handshake: each URL must echo a fresh validationToken as text/plain within 10 seconds.
    for (const url of new Set([str('notificationUrl')!, ...(str('lifecycleNotificationUrl') ? [str('lifecycleNotificationUrl')!] : [])])) {
      const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
      // Only this machine is called (sandbox/targets.ts); elsewhere fails validation as an unreachable endpoint would.
      if (!isLocalTarget(url)) return this.fail(res, 400, 'ValidationError', `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${url})`);
      const target = new URL(url);
      target.searchParams.set('validationToken', token);
      const echoed = await fetch(target, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(10_000) })
        .then(async (r) => (r.status === 200 && (r.headers.get('content-type') ?? '').startsWith('text/plain') ? await r.text() : undefined), () => undefined);
      if (echoed !== token) return this.fail(res, 400, 'ValidationError', `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${url})`);
    }
    const sub: Subscription = {
      id: randomUUID(), resource, changeType: 'updated', notificationUrl: str('notificationUrl')!,
      lifecycleNotificationUrl: str('lifecycleNotificationUrl') ?? null, clientState: str('clientState') ?? null,
      expirationDateTime: expires.toISOString(), applicationId: randomUUID(), creatorId: randomUUID(),
    };
    this.subscriptions.set(sub.id, sub);
    res.send(201, this.subscriptionView(sub));
  }

  private expiration(value: unknown): Date | string {
    const at = typeof value === 'string' ? new Date(value) : undefined;
    if (!at || Number.isNaN(at.getTime())) return 'expirationDateTime is required.';
    if (at.getTime() <= Date.now()) return 'Subscription expiration can only be in the future.';
    if (at.getTime() > Date.now() + MAX_LIFETIME_MS) return 'Subscription expiration can only be 42300 minutes in the future.';
    return at;
  }

  /**
   * Delta tokens here are `<generation>.<seq>` (changes after that point); a nextLink's
   * $skiptoken is `<generation>.<from>.<offset>.<upto>`. Without a token: every item that exists.
   * `token=latest`: nothing, and a deltaLink from now. A token from an earlier generation, or one
   * that does not parse, is answered as Graph documents it (driveItem: delta, microsoftgraph/
   * microsoft-graph-docs-contrib api-reference/v1.0/api/driveitem-delta.md): 410 Gone, error code
   * `resyncChangesApplyDifferences`, and a `Location` header with "a new nextLink that starts a
   * fresh delta enumeration from scratch".
   */
  private delta(req: Request, res: Response, q: URLSearchParams, self: string): void {
    const host = `http://${req.headers.host ?? 'localhost'}`;
    const token = q.get('token');
    const skip = q.get('$skiptoken');
    const deltaLink = (upto: number) => `${host}${self}?token=${this.encode(`${this.tokenGeneration}.${upto}`)}`;
    const nextLink = (from: number, offset: number, upto: number) => `${host}${self}?$skiptoken=${this.encode(`${this.tokenGeneration}.${from}.${offset}.${upto}`)}`;
    if (token === 'latest') return void res.send(200, { '@odata.context': `${host}${self}`, value: [], '@odata.deltaLink': deltaLink(this.seq) });
    let from = 0;
    let offset = 0;
    let upto = this.seq;
    let generation = this.tokenGeneration;
    if (skip) [generation, from, offset, upto] = this.decode(skip, 4) as [number, number, number, number];
    else if (token) [generation, from] = this.decode(token, 2) as [number, number];
    if (![generation, from, offset, upto].every(Number.isInteger) || generation !== this.tokenGeneration) {
      this.goneAnswers++;
      res.header('Location', nextLink(0, 0, this.seq));
      return this.fail(res, 410, 'resyncChangesApplyDifferences', 'Resync required. Replace any local items with the server\'s version (including deletes) if you\'re sure that the service was up to date with your local changes when you last sync\'d. Upload any local changes that the server doesn\'t know about.');
    }
    const changed = [...this.items.values()].filter((i) => i.seq > from && i.seq <= upto && (from > 0 || !i.deleted)).sort((a, b) => a.seq - b.seq);
    const page = changed.slice(offset, offset + this.pageSize);
    const more = offset + this.pageSize < changed.length;
    res.send(200, {
      '@odata.context': `${host}${self}`,
      value: page.map((i) => this.view(i)),
      ...(more ? { '@odata.nextLink': nextLink(from, offset + this.pageSize, upto) } : { '@odata.deltaLink': deltaLink(upto) }),
    });
  }

  private encode(token: string): string {
    return Buffer.from(token).toString('base64url');
  }

  private decode(token: string, parts: number): number[] {
    const numbers = Buffer.from(token, 'base64url').toString('utf8').split('.').map(Number);
    return numbers.length === parts ? numbers : [NaN];
  }

  private notifyChange(): void {
    if (this.muted) return;
    for (const sub of this.subscriptions.values()) {
      if (Date.parse(sub.expirationDateTime) > Date.now()) this.send(sub.notificationUrl, sub);
    }
  }

  /** One changeNotificationCollection, as https://learn.microsoft.com/graph/api/resources/changenotification shows it. */
  private send(url: string, sub: Subscription, lifecycleEvent?: string): void {
    const notification = {
      subscriptionId: sub.id,
      subscriptionExpirationDateTime: sub.expirationDateTime,
      clientState: sub.clientState,
      ...(lifecycleEvent ? { lifecycleEvent } : { changeType: 'updated', resource: sub.resource }),
      tenantId: SANDBOX_GRAPH_TENANT_ID,
    };
    const done = (isLocalTarget(url) ? fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: [notification] }), signal: AbortSignal.timeout(10_000) }) : Promise.reject(new Error('not this machine')))
      .then((r) => {
        this.deliveries.push({ url, status: r.status, ...(lifecycleEvent ? { lifecycleEvent } : {}) });
      }, () => {
        this.deliveries.push({ url, status: 'failed', ...(lifecycleEvent ? { lifecycleEvent } : {}) });
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private addItem(parentId: string | null, name: string, folder: boolean, by: Identity, content = ''): Item {
    const now = new Date().toISOString();
    const item: Item = {
      id: itemId(), name, parentId, folder, content, mimeType: mimeTypeOf(name), version: 1, seq: ++this.seq, deleted: false,
      guid: randomUUID().toUpperCase(), createdDateTime: now, lastModifiedDateTime: now, createdBy: by, lastModifiedBy: by,
    };
    this.items.set(item.id, item);
    return item;
  }

  private touch(item: Item): void {
    item.version++;
    item.seq = ++this.seq;
    // Graph's timestamps have whole-millisecond precision; make sure a change is never "at creation".
    const now = Math.max(Date.now(), Date.parse(item.lastModifiedDateTime) + 1);
    item.lastModifiedDateTime = new Date(now).toISOString();
  }

  private byPath(path: string): Item | undefined {
    let current = this.items.get(this.rootId);
    for (const part of path.split('/').filter(Boolean)) {
      current = [...this.items.values()].find((i) => !i.deleted && i.parentId === current?.id && i.name.toLowerCase() === part.toLowerCase());
      if (!current) return undefined;
    }
    return current;
  }

  private pathOf(item: Item): string {
    const parts: string[] = [];
    for (let i: Item | undefined = item; i && i.parentId; i = i.parentId ? this.items.get(i.parentId) : undefined) parts.unshift(i.name);
    return parts.join('/');
  }

  private webUrl(item: Item): string {
    return item.id === this.rootId ? SITE : `${SITE}/${this.pathOf(item)}`;
  }

  /** What "Copy link" gives for an item; the shares API accepts it as well as the webUrl. */
  shareUrl(item: Pick<Item, 'id'>): string {
    return `https://kpnsandbox.sharepoint.com/:f:/s/een-bridge/${item.id}`;
  }

  /**
   * A driveItem (https://learn.microsoft.com/graph/api/resources/driveitem). A tombstone in delta
   * keeps only what OneDrive for Business keeps: "driveItem: delta", Remarks, lists `ctag` and
   * `name` as omitted for a delete there (https://learn.microsoft.com/graph/api/driveitem-delta).
   */
  private view(i: Item): Record<string, unknown> {
    const parentReference = { driveType: 'documentLibrary', driveId: SANDBOX_GRAPH_DRIVE_ID, ...(i.parentId ? { id: i.parentId } : {}) };
    if (i.deleted) return { id: i.id, parentReference, deleted: { state: 'deleted' } };
    return {
      '@odata.etag': `"{${i.guid}},${i.version}"`,
      id: i.id,
      name: i.name,
      eTag: `"{${i.guid}},${i.version}"`,
      cTag: `"c:{${i.guid}},${i.version}"`,
      createdDateTime: i.createdDateTime,
      lastModifiedDateTime: i.lastModifiedDateTime,
      webUrl: this.webUrl(i),
      size: Buffer.byteLength(i.content),
      createdBy: i.createdBy,
      lastModifiedBy: i.lastModifiedBy,
      parentReference,
      ...(i.id === this.rootId ? { root: {} } : {}),
      ...(i.folder ? { folder: { childCount: [...this.items.values()].filter((c) => c.parentId === i.id && !c.deleted).length } } : { file: { mimeType: i.mimeType } }),
    };
  }

  private subscriptionView(s: Subscription): Record<string, unknown> {
    return {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
      id: s.id, resource: s.resource, applicationId: s.applicationId, changeType: s.changeType, clientState: s.clientState,
      notificationUrl: s.notificationUrl, lifecycleNotificationUrl: s.lifecycleNotificationUrl, expirationDateTime: s.expirationDateTime,
      creatorId: s.creatorId, latestSupportedTlsVersion: 'v1_2', notificationUrlAppId: null, includeResourceData: false,
    };
  }

  private json(req: Request): unknown {
    const raw = Buffer.isBuffer(req.rawBody) ? req.rawBody.toString('utf8') : '';
    try {
      // Only an object is a request body here; null, arrays and scalars read as an empty one,
      // so the route's own checks refuse the missing fields (the emulator crashed on `null`).
      const value: unknown = raw ? JSON.parse(raw) : {};
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
    } catch {
      return {};
    }
  }

  /** Graph's error shape: `{ error: { code, message, innerError } }`. */
  private fail(res: Response, status: number, code: string, message: string, next?: Next): void {
    res.send(status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } });
    if (next) next(false);
  }
}

function mimeTypeOf(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase();
  const types: Record<string, string> = {
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    pdf: 'application/pdf',
    txt: 'text/plain',
  };
  return types[ext ?? ''] ?? 'application/octet-stream';
}
