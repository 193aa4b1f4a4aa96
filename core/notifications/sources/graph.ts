import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EventKind, SourceEvent } from '../source-event';
import { safeEqual } from './signature';
import { safeParseOwn } from '../../untrusted';

/**
 * Microsoft Graph change notifications for a drive (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks,
 * https://learn.microsoft.com/graph/api/resources/changenotification). Graph signs nothing: it
 * echoes the `clientState` we chose when creating the subscription, and a driveItem
 * notification only says "something under this root changed" (changeType `updated`, no
 * resourceData), so what changed is learnt afterwards with a delta query
 * (https://learn.microsoft.com/graph/api/driveitem-delta). Lifecycle notifications
 * (https://learn.microsoft.com/graph/change-notifications-lifecycle-events) have the same
 * envelope with `lifecycleEvent` instead of `changeType`.
 */
export const lifecycleEvents = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] as const;
export type LifecycleEvent = (typeof lifecycleEvents)[number];

const changeNotification = z.object({
  subscriptionId: z.string().min(1).max(200),
  // Graph echoes what we chose, at most 128 characters (https://learn.microsoft.com/graph/api/resources/subscription).
  clientState: z.string().max(128).nullish(),
  changeType: z.string().optional(),
  resource: z.string().optional(),
  subscriptionExpirationDateTime: z.string().optional(),
  tenantId: z.string().optional(),
  lifecycleEvent: z.enum(lifecycleEvents).optional(),
});
export type GraphChangeNotification = z.infer<typeof changeNotification>;

/**
 * The most notifications one POST to /hooks/graph may carry; more is a 400 before any work.
 * Microsoft documents no maximum (change-notifications-delivery-webhooks: a payload "can contain
 * a collection of change notifications", for several subscriptions on the same URL), so the cap
 * is generous against a real burst, and the watcher bounds the work per body (one store query,
 * one warning), which is what an unauthenticated sender could otherwise multiply.
 */
export const GRAPH_MAX_NOTIFICATIONS_PER_POST = 1000;

const collection = z.object({ value: z.array(changeNotification).min(1).max(GRAPH_MAX_NOTIFICATIONS_PER_POST) });

export type GraphNotificationsParse = { outcome: 'notifications'; notifications: GraphChangeNotification[] } | { outcome: 'invalid'; problem: string };

/** The raw POST body of /hooks/graph as a changeNotificationCollection. */
export function parseGraphNotifications(raw: Buffer): GraphNotificationsParse {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { outcome: 'invalid', problem: 'body: not JSON' };
  }
  const parsed = safeParseOwn(collection, json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { outcome: 'invalid', problem: issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not a Graph notification' };
  }
  return { outcome: 'notifications', notifications: parsed.data.value };
}

/** The clientState is stored only as its SHA-256, so a store dump does not let anyone forge notifications. */
export function clientStateHash(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('hex');
}

export function clientStateMatches(received: string | null | undefined, storedHash: string): boolean {
  return safeEqual(clientStateHash(received ?? ''), storedHash);
}

const identity = z.object({ displayName: z.string().optional(), id: z.string().optional() }).passthrough();
const identitySet = z.object({ user: identity.optional(), application: identity.optional(), group: identity.optional() }).partial();

/** A driveItem as delta returns it (https://learn.microsoft.com/graph/api/resources/driveitem). */
export const deltaItem = z.object({
  id: z.string(),
  name: z.string().optional(),
  eTag: z.string().optional(),
  cTag: z.string().optional(),
  webUrl: z.string().optional(),
  createdDateTime: z.string().optional(),
  lastModifiedDateTime: z.string().optional(),
  createdBy: identitySet.optional(),
  lastModifiedBy: identitySet.optional(),
  parentReference: z.object({ driveId: z.string().optional(), id: z.string().optional(), path: z.string().optional() }).partial().optional(),
  file: z.object({ mimeType: z.string().optional() }).passthrough().optional(),
  folder: z.object({ childCount: z.number().optional() }).passthrough().optional(),
  root: z.object({}).passthrough().optional(),
  deleted: z.object({ state: z.string().optional() }).passthrough().optional(),
});
export type DeltaItem = z.infer<typeof deltaItem>;

export const deltaPage = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

/** A watched folder: the drive, the folder's item id, and how it is shown. */
export interface WatchedFolder {
  driveId: string;
  folderId: string;
}

/** The subscription key of a drive folder: `<driveId>/<folderItemId>`, both as Graph gives them. */
export function graphFolderKey(folder: WatchedFolder): string {
  return `${folder.driveId}/${folder.folderId}`;
}

export function parseGraphFolderKey(key: string): WatchedFolder | undefined {
  const at = key.lastIndexOf('/');
  return at > 0 ? { driveId: key.slice(0, at), folderId: key.slice(at + 1) } : undefined;
}

/**
 * `lastModifiedBy.user.email`, which OneDrive for Business and SharePoint put on the user identity
 * (kept by the identity schema's passthrough); only a user's, never an application's.
 */
function emailOf(set: z.infer<typeof identitySet> | undefined): { actorEmail?: string } {
  const email = (set?.user as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.includes('@') ? { actorEmail: email.trim().toLowerCase() } : {};
}

function who(set: z.infer<typeof identitySet> | undefined): string | null {
  return set?.user?.displayName ?? set?.application?.displayName ?? set?.group?.displayName ?? null;
}

/**
 * One file change from a delta page as a SourceEvent for the folder it is directly in. Delta says
 * what an item is now, not what happened: a file whose creation and last change coincide is new,
 * one with a `deleted` facet is gone, anything else was modified. Folders only matter when deleted
 * (their eTag changes with every child). The dedupe key is the item and its content tag, so the
 * same change seen through two overlapping delta runs is delivered once.
 */
export function deltaItemToEvent(driveId: string, item: DeltaItem, now: string): SourceEvent | undefined {
  const folderId = item.parentReference?.id;
  if (!folderId || item.root) return undefined;
  let kind: EventKind;
  if (item.deleted) kind = 'issue.deleted';
  else if (!item.file) return undefined;
  else kind = item.createdDateTime !== undefined && item.createdDateTime === item.lastModifiedDateTime ? 'issue.created' : 'issue.updated';
  const version = kind === 'issue.deleted' ? 'deleted' : (item.cTag ?? item.eTag ?? item.lastModifiedDateTime ?? now);
  const name = item.name ?? item.id;
  return {
    source: 'graph',
    deliveryKey: `${driveId}/${item.id}/${version}`.slice(0, 400),
    sourceKey: graphFolderKey({ driveId, folderId }),
    kind,
    occurredAt: item.lastModifiedDateTime && !Number.isNaN(Date.parse(item.lastModifiedDateTime)) ? new Date(item.lastModifiedDateTime).toISOString() : now,
    actor: who(kind === 'issue.created' ? (item.createdBy ?? item.lastModifiedBy) : item.lastModifiedBy),
    ...emailOf(kind === 'issue.created' ? (item.createdBy ?? item.lastModifiedBy) : item.lastModifiedBy),
    subject: {
      key: name.slice(0, 40),
      title: name,
      url: kind === 'issue.deleted' ? null : (item.webUrl ?? null),
      type: item.file?.mimeType ?? null,
      priority: null,
      status: null,
      assignee: null,
      // driveItem.name (https://learn.microsoft.com/en-us/graph/api/resources/driveitem): what `name=*.docx` matches.
      ...(item.name !== undefined ? { fileName: item.name } : {}),
    },
    changes: [],
    comment: null,
  };
}

/**
 * The notice for a watched folder after Graph answered delta with 410 Gone and we enumerated the
 * drive again: deletions in the gap are not in a fresh enumeration, so the space is told that
 * changes may have been missed. Keyed by the dead delta link, so a retried resync tells it once.
 */
export function resyncNotice(folder: WatchedFolder & { name: string | null; webUrl: string | null }, deadLink: string, now: string): SourceEvent {
  const gap = createHash('sha256').update(deadLink, 'utf8').digest('hex').slice(0, 32);
  const name = folder.name ?? folder.folderId;
  return {
    source: 'graph',
    deliveryKey: `${graphFolderKey(folder)}/resync/${gap}`.slice(0, 400),
    sourceKey: graphFolderKey(folder),
    kind: 'source.resync',
    occurredAt: now,
    actor: null,
    subject: { key: name.slice(0, 40), title: name, url: folder.webUrl, type: null, priority: null, status: null, assignee: null },
    changes: [],
    comment: null,
  };
}
