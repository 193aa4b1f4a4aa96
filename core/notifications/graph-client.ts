import type { ConfidentialClientApplication } from '@azure/msal-node';
import { UpstreamError } from '../errors';

export interface GraphApiOptions {
  /** https://graph.microsoft.com/v1.0, GRAPH_API_URL, or the sandbox emulator; asked per request. */
  baseUrl: () => string;
  /** An app-only access token (client credentials), fresh enough to use. */
  token: () => Promise<string>;
  timeoutMs?: number;
}

/** The part of a driveItem the bot and the watcher use. */
export interface GraphDriveItem {
  id: string;
  name: string;
  webUrl?: string;
  folder?: object;
  parentReference?: { driveId?: string; id?: string };
}

export interface GraphSubscription {
  id: string;
  resource: string;
  expirationDateTime: string;
}

export interface NewGraphSubscription {
  resource: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
  expirationDateTime: string;
}

const SYSTEM = 'Microsoft Graph';

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function sameOrigin(url: string, base: string): boolean {
  const origin = originOf(url);
  return origin !== undefined && origin === originOf(base);
}

/** subscription.clientState: "The maximum length is 128 characters" (https://learn.microsoft.com/graph/api/resources/subscription). */
export const GRAPH_CLIENT_STATE_MAX = 128;

/**
 * The application permission Graph wants for a driveItem subscription on OneDrive for Business,
 * the least privileged it accepts ("Create subscription", Permissions table,
 * https://learn.microsoft.com/graph/api/subscription-post-subscriptions). It also covers delta reads.
 */
export const GRAPH_SUBSCRIPTION_PERMISSION = 'Files.ReadWrite.All';

/**
 * A delta link Graph can no longer serve: "410 Gone … and a Location header containing a new
 * nextLink that starts a fresh delta enumeration from scratch" (driveItem: delta,
 * https://learn.microsoft.com/graph/api/driveitem-delta; codes resyncChangesApplyDifferences /
 * resyncChangesUploadDifferences). Normal after a long gap; `location` is absent only if Graph
 * leaves the header out, and then a delta without a token starts over just the same.
 */
export class GraphResyncRequired extends UpstreamError {
  constructor(
    readonly location: string | undefined,
    detail: string,
  ) {
    super(SYSTEM, 410, 'upstream.unavailable', undefined, detail);
    this.name = 'GraphResyncRequired';
  }
}

/**
 * The Graph calls a drive watcher needs: subscriptions
 * (https://learn.microsoft.com/graph/api/subscription-post-subscriptions, …-update, …-delete),
 * driveItems by path or sharing link (https://learn.microsoft.com/graph/api/shares-get), and
 * delta (https://learn.microsoft.com/graph/api/driveitem-delta). Errors come as
 * `{ error: { code, message } }`; 429 and 503 carry Retry-After.
 */
export class GraphApi {
  constructor(private readonly options: GraphApiOptions) {}

  /** Graph calls the notificationUrl (and lifecycleNotificationUrl) with ?validationToken before it answers. */
  async createSubscription(input: NewGraphSubscription): Promise<GraphSubscription> {
    // Ours are 43 characters; a longer one would be refused by Graph, so it is a bug here.
    if (input.clientState.length > GRAPH_CLIENT_STATE_MAX) throw new RangeError(`clientState is ${input.clientState.length} characters; Graph allows ${GRAPH_CLIENT_STATE_MAX}`);
    try {
      return await this.request<GraphSubscription>('POST', '/subscriptions', { changeType: 'updated', ...input });
    } catch (err) {
      // Graph's 403 says only "Access denied"; the operator needs to know which permission to grant.
      if (err instanceof UpstreamError && err.status === 403) {
        throw new UpstreamError(SYSTEM, 403, 'upstream.permissionMissing', undefined, `${err.message}; drive subscriptions need the application permission ${GRAPH_SUBSCRIPTION_PERMISSION} (admin consent)`);
      }
      throw err;
    }
  }

  renewSubscription(id: string, expirationDateTime: string): Promise<GraphSubscription> {
    return this.request('PATCH', `/subscriptions/${encodeURIComponent(id)}`, { expirationDateTime });
  }

  async deleteSubscription(id: string): Promise<void> {
    await this.request('DELETE', `/subscriptions/${encodeURIComponent(id)}`);
  }

  /** `/drives/{id}/root:/{path}` (path-based addressing); `path` relative to the drive's root. */
  itemByPath(driveId: string, path: string): Promise<GraphDriveItem> {
    const clean = path.split('/').filter(Boolean).map(encodeURIComponent).join('/');
    return this.request('GET', clean ? `/drives/${encodeURIComponent(driveId)}/root:/${clean}` : `/drives/${encodeURIComponent(driveId)}/root`);
  }

  /** A sharing link as `u!` + unpadded base64url of the URL (https://learn.microsoft.com/graph/api/shares-get#encoding-sharing-urls). */
  itemBySharingLink(url: string): Promise<GraphDriveItem> {
    return this.request('GET', `/shares/${encodeSharingUrl(url)}/driveItem`);
  }

  /** An empty delta page whose deltaLink starts from now (`token=latest`). */
  latestDelta(driveId: string): Promise<unknown> {
    return this.request('GET', `/drives/${encodeURIComponent(driveId)}/root/delta?token=latest`);
  }

  /** Follows an @odata.nextLink / @odata.deltaLink as Graph gave it, or starts one at the drive's root. */
  deltaPage(linkOrDriveId: { link: string } | { driveId: string }): Promise<unknown> {
    return this.request('GET', 'link' in linkOrDriveId ? linkOrDriveId.link : `/drives/${encodeURIComponent(linkOrDriveId.driveId)}/root/delta`);
  }

  private async request<T>(method: string, pathOrUrl: string, body?: unknown): Promise<T> {
    const base = this.options.baseUrl().replace(/\/+$/, '');
    const url = /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`;
    // A link Graph gave (@odata.nextLink / @odata.deltaLink, https://learn.microsoft.com/graph/delta-query-overview)
    // is on the Graph host we were configured with; the app token goes to no other origin
    // (issue 13): a link elsewhere is refused before any request is made.
    if (!sameOrigin(url, base)) {
      throw new UpstreamError(SYSTEM, undefined, 'upstream.unavailable', undefined, `refused to follow a link off the Graph host (${originOf(url) ?? 'not a URL'})`);
    }
    const token = await this.options.token();
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new UpstreamError(SYSTEM, undefined, 'upstream.unavailable', undefined, (err as Error).message);
    }
    if (res.status === 204) return undefined as T;
    if (res.ok) return (await res.json()) as T;
    const text = await res.text().catch(() => '');
    let detail = text.slice(0, 200);
    try {
      const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      if (error) detail = `${error.code ?? ''}: ${error.message ?? ''}`.slice(0, 200);
    } catch {
      // Not Graph's JSON error shape; keep the text.
    }
    if (res.status === 410) {
      // Our bearer token goes wherever Location points, so only to the host that answered.
      throw new GraphResyncRequired(resyncLocation(res.headers.get('location'), url), detail);
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? 10);
    if (res.status === 429) throw new UpstreamError(SYSTEM, 429, 'upstream.rateLimited', retryAfter, detail);
    throw new UpstreamError(SYSTEM, res.status, res.status === 401 || res.status === 403 ? 'upstream.unauthorized' : 'upstream.unavailable', undefined, detail);
  }
}

/** A 410's Location, resolved against the request, when it stays on the same Graph host. */
function resyncLocation(location: string | null, requested: string): string | undefined {
  if (!location) return undefined;
  try {
    const target = new URL(location, requested);
    return target.origin === new URL(requested).origin ? target.href : undefined;
  } catch {
    return undefined;
  }
}

export function encodeSharingUrl(url: string): string {
  return `u!${Buffer.from(url, 'utf8').toString('base64url')}`;
}

/**
 * App-only tokens through the client-credentials grant; msal caches and refreshes them. msal-node
 * is loaded with the first token, so a deployment with Graph off never loads it (issue 17).
 */
export function msalGraphToken(tenantId: string, clientId: string, clientSecret: string): () => Promise<string> {
  let client: Promise<ConfidentialClientApplication> | undefined;
  return async () => {
    client ??= import('@azure/msal-node').then(
      ({ ConfidentialClientApplication }) =>
        new ConfidentialClientApplication({
          auth: { clientId, clientSecret, authority: `https://login.microsoftonline.com/${encodeURIComponent(tenantId)}` },
        }),
    );
    const app = await client;
    const result = await app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }).catch((err: unknown) => {
      throw new UpstreamError(SYSTEM, 401, 'upstream.unauthorized', undefined, (err as Error).message?.slice(0, 200));
    });
    if (!result?.accessToken) throw new UpstreamError(SYSTEM, 401, 'upstream.unauthorized', undefined, 'no access token');
    return result.accessToken;
  };
}
