import { randomBytes } from 'node:crypto';
import { isoNow, systemClock, type Clock } from '../clock';
import { UpstreamError } from '../errors';
import type { Logger } from '../log';
import { GraphResyncRequired, type GraphApi, type GraphDriveItem } from './graph-client';
import type { GraphSubscriptionRow, GraphSubscriptionStore } from './graph-store';
import type { NotificationInbox } from './inbox';
import type { SourceEvent } from './source-event';
import { parseOwn, safeParseOwn } from '../untrusted';
import type { UpstreamHealthRepository } from './health/upstream-health';
import {
  clientStateHash,
  clientStateMatches,
  deltaItem,
  deltaItemToEvent,
  deltaPage,
  resyncNotice,
  type GraphChangeNotification,
  type WatchedFolder,
} from './sources/graph';

export interface GraphWatcherOptions {
  api: GraphApi;
  store: GraphSubscriptionStore;
  inbox: NotificationInbox;
  log: Logger;
  /** Where Graph posts notifications and lifecycle notifications: …/hooks/graph. */
  notificationUrl: () => string;
  /** The drive a folder path is looked up in (GRAPH_DRIVE_ID, or the sandbox's). */
  defaultDriveId: string | undefined;
  clock?: Clock;
  /** How long a subscription is asked for; a driveItem subscription may last at most 42,300 minutes. */
  lifetimeMs?: number;
  /** Renew a subscription once it has less than this left. */
  renewBeforeMs?: number;
  /** How often the renewal timer looks. */
  checkEveryMs?: number;
  /** Where renewal outcomes are recorded for the subscription health check (health/). */
  upstream?: UpstreamHealthRepository | undefined;
}

const DAY = 24 * 60 * 60 * 1000;
const MAX_DELTA_PAGES = 100;
/** A resync lists the whole drive and cannot be resumed half-way, so it may take many more pages. */
const MAX_RESYNC_PAGES = 10_000;
/** Graph's clock and ours may differ; a resync counts a little further back (a repeat is deduped, a loss is not). */
const RESYNC_MARGIN_MS = 5 * 60 * 1000;

/** OneDrive folders as following one needs them (issue 14: a port, not the watcher). */
export interface DriveFolders {
  findFolder(ref: string): Promise<(WatchedFolder & { name: string; webUrl: string | null }) | undefined>;
  /** Makes sure the drive has its Graph subscription. */
  watchDrive(driveId: string): Promise<void>;
}

/**
 * Keeps one Graph subscription per drive that a space follows a folder of, and turns its
 * notifications into SourceEvents: each notification (or a `missed` lifecycle event) runs the
 * drive's delta query from the stored delta link; the changed files in watched folders go
 * through the inbox (so dedupe, digests and delivery are the outbox's), and the delta link is
 * advanced only after they are committed, so a crash means a repeat (deduped), never a loss.
 */
export class GraphDriveWatcher implements DriveFolders {
  private readonly clock: Clock;
  private readonly running = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  constructor(private readonly options: GraphWatcherOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Finds a folder by a sharing link or a path in the default drive. Undefined when it is not a folder or not found. */
  async findFolder(ref: string): Promise<(WatchedFolder & { name: string; webUrl: string | null }) | undefined> {
    const { api } = this.options;
    let item: GraphDriveItem;
    try {
      if (/^https?:\/\//i.test(ref.trim())) item = await api.itemBySharingLink(ref.trim());
      else {
        if (!this.options.defaultDriveId) return undefined;
        item = await api.itemByPath(this.options.defaultDriveId, ref.trim());
        item.parentReference = { ...item.parentReference, driveId: item.parentReference?.driveId ?? this.options.defaultDriveId };
      }
    } catch (err) {
      if (err instanceof UpstreamError && (err.status === 404 || err.status === 400)) return undefined;
      throw err;
    }
    const driveId = item.parentReference?.driveId;
    if (!item.folder || !driveId) return undefined;
    return { driveId, folderId: item.id, name: item.name, webUrl: item.webUrl ?? null };
  }

  /** Makes sure Graph notifies us about this drive (creates the subscription once per drive). */
  async watchDrive(driveId: string): Promise<void> {
    const existing = await this.options.store.byDrive(driveId);
    if (existing && Date.parse(existing.expires_at) > this.clock.now().getTime()) return;
    await this.createSubscription(driveId, existing);
  }

  /**
   * What the hook calls after answering 202: keeps the notifications whose clientState matches
   * and acts on them. Never rejects (failures are logged); `idle()` waits for it.
   */
  receive(notifications: GraphChangeNotification[]): Promise<void> {
    const work: Promise<void> = this.verified(notifications)
      .then((valid) => this.handle(valid))
      .catch((err: unknown) => this.options.log.warn({ err }, 'Graph notifications could not be handled'))
      .finally(() => this.inflight.delete(work));
    this.inflight.add(work);
    return work;
  }

  /** Resolves when every notification received so far has been acted on. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0 || this.running.size > 0) await Promise.all([...this.inflight, ...this.running.values()]);
  }

  /**
   * Acts on notifications whose clientState was already checked (see `verified`). Resolves when
   * their delta queries and lifecycle actions are done; the hook does not wait for it.
   */
  async handle(notifications: { notification: GraphChangeNotification; row: GraphSubscriptionRow }[]): Promise<void> {
    const drives = new Map<string, GraphSubscriptionRow>();
    for (const { notification, row } of notifications) {
      try {
        if (notification.lifecycleEvent === 'reauthorizationRequired') await this.renew(row);
        else if (notification.lifecycleEvent === 'subscriptionRemoved') await this.createSubscription(row.drive_id, row);
        // `missed` and plain change notifications both mean: ask delta what changed.
        if (notification.lifecycleEvent !== 'reauthorizationRequired') drives.set(row.drive_id, row);
      } catch (err) {
        this.options.log.warn({ err, lifecycleEvent: notification.lifecycleEvent }, 'Graph lifecycle action failed');
      }
    }
    await Promise.all([...drives.keys()].map((driveId) => this.syncDrive(driveId)));
  }

  /** The notifications that carry the clientState of a subscription we hold; the rest are dropped. */
  async verified(notifications: GraphChangeNotification[]): Promise<{ notification: GraphChangeNotification; row: GraphSubscriptionRow }[]> {
    // One query and at most one warning per body, however many notifications it carries: the
    // hook is unauthenticated, so a body of bogus ones must not cost a look-up or a log line each.
    const rows = await this.options.store.byIds([...new Set(notifications.map((n) => n.subscriptionId))]);
    const out: { notification: GraphChangeNotification; row: GraphSubscriptionRow }[] = [];
    const ignored: string[] = [];
    for (const notification of notifications) {
      const row = rows.get(notification.subscriptionId);
      if (row && clientStateMatches(notification.clientState, row.client_state_hash)) out.push({ notification, row });
      else ignored.push(notification.subscriptionId);
    }
    if (ignored.length > 0) {
      this.options.log.warn(
        { ignored: ignored.length, subscriptionIds: [...new Set(ignored)].slice(0, 3).map((id) => id.slice(0, 80)) },
        'Graph notification(s) with an unknown subscription or wrong clientState ignored',
      );
    }
    return out;
  }

  /** Runs the drive's delta query; one run per drive at a time, a request during a run queues one more. */
  syncDrive(driveId: string): Promise<void> {
    const previous = this.running.get(driveId) ?? Promise.resolve();
    const next = previous.then(() => this.runDelta(driveId)).catch((err: unknown) => this.options.log.warn({ err, driveId }, 'Graph delta query failed'));
    this.running.set(driveId, next);
    void next.finally(() => {
      if (this.running.get(driveId) === next) this.running.delete(driveId);
    });
    return next;
  }

  private async runDelta(driveId: string): Promise<void> {
    const { api, store, inbox } = this.options;
    const row = await store.byDrive(driveId);
    if (!row) return;
    const watched = await store.watchedFolderIds(driveId);
    let link: { link: string } | { driveId: string } = row.delta_link ? { link: row.delta_link } : { driveId };
    // Set once Graph answers 410 Gone: what follows is a fresh enumeration of the whole drive.
    let resync: { since: number; folders: Map<string, { name: string | null; webUrl: string | null }> } | undefined;
    for (let page = 0; page < (resync ? MAX_RESYNC_PAGES : MAX_DELTA_PAGES); page++) {
      let body: unknown;
      try {
        body = await api.deltaPage(link);
      } catch (err) {
        if (!(err instanceof GraphResyncRequired) || resync || !row.delta_link) throw err;
        // "driveItem: delta" (https://learn.microsoft.com/graph/api/driveitem-delta): 410 with a
        // Location that starts a fresh enumeration. Files changed since our last sync are news;
        // the rest is what the space already knew. Without a Location, delta from scratch.
        resync = { since: Date.parse(row.synced_at ?? row.updated_at) - RESYNC_MARGIN_MS, folders: new Map() };
        this.options.log.warn({ driveId, location: err.location !== undefined }, 'Graph delta answered 410 Gone: enumerating the drive again');
        link = err.location ? { link: err.location } : { driveId };
        continue;
      }
      const parsed = parseOwn(deltaPage, body);
      const now = isoNow(this.clock);
      for (const raw of parsed.value) {
        const item = safeParseOwn(deltaItem, raw);
        if (!item.success) continue;
        if (resync && item.data.folder && watched.has(item.data.id)) resync.folders.set(item.data.id, { name: item.data.name ?? null, webUrl: item.data.webUrl ?? null });
        const event = deltaItemToEvent(driveId, item.data, now);
        // The first run without a delta link lists the whole drive: that is history, not news.
        if (!event || !row.delta_link || !watched.has(event.sourceKey.slice(driveId.length + 1))) continue;
        if (resync && !(Date.parse(item.data.lastModifiedDateTime ?? '') >= resync.since)) continue;
        await inbox.accept(item.data.deleted && item.data.name === undefined ? await this.named(driveId, item.data.id, event) : event);
      }
      const nextLink = parsed['@odata.nextLink'];
      if (nextLink) {
        link = { link: nextLink };
        continue;
      }
      const deltaLink = parsed['@odata.deltaLink'];
      if (resync && row.delta_link) {
        for (const folderId of watched) {
          const folder = resync.folders.get(folderId) ?? { name: null, webUrl: null };
          await inbox.accept(resyncNotice({ driveId, folderId, ...folder }, row.delta_link, now));
        }
      }
      if (deltaLink) await store.update(row.id, { delta_link: deltaLink, synced_at: now }, now);
      return;
    }
    this.options.log.warn({ driveId }, 'Graph delta query stopped after too many pages; it goes on at the next notification');
  }

  /** A new subscription for the drive; `previous` (the row it replaces) keeps our place in delta. */
  /**
   * OneDrive for Business leaves `name` out of a delta tombstone ("driveItem: delta", Remarks):
   * the deleted file is named after the last event we stored for that item, when there is one.
   */
  private async named(driveId: string, itemId: string, event: SourceEvent): Promise<SourceEvent> {
    const earlier = await this.options.inbox.latestWithKeyPrefix('graph', event.sourceKey, `${driveId}/${itemId}/`).catch(() => undefined);
    if (!earlier?.subject.title) return event;
    return { ...event, subject: { ...event.subject, key: earlier.subject.key, title: earlier.subject.title } };
  }

  private async createSubscription(driveId: string, previous: GraphSubscriptionRow | undefined): Promise<void> {
    const deltaLink = previous?.delta_link ?? null;
    const { api, store } = this.options;
    const clientState = randomBytes(32).toString('base64url');
    const now = isoNow(this.clock);
    // Start delta from now, so the first notification reports what changed after subscribing.
    const startLink = deltaLink ?? parseOwn(deltaPage, await api.latestDelta(driveId))['@odata.deltaLink'] ?? null;
    const subscription = await api.createSubscription({
      resource: `/drives/${driveId}/root`,
      notificationUrl: this.options.notificationUrl(),
      lifecycleNotificationUrl: this.options.notificationUrl(),
      clientState,
      expirationDateTime: new Date(this.clock.now().getTime() + (this.options.lifetimeMs ?? 3 * DAY)).toISOString(),
    });
    await store.save({
      id: subscription.id,
      drive_id: driveId,
      client_state_hash: clientStateHash(clientState),
      expires_at: new Date(subscription.expirationDateTime).toISOString(),
      delta_link: startLink,
      synced_at: deltaLink ? (previous?.synced_at ?? previous?.updated_at ?? now) : now,
      created_at: now,
      updated_at: now,
    });
  }

  private async renew(row: GraphSubscriptionRow): Promise<void> {
    const expiration = new Date(this.clock.now().getTime() + (this.options.lifetimeMs ?? 3 * DAY)).toISOString();
    try {
      const renewed = await this.options.api.renewSubscription(row.id, expiration);
      await this.options.store.update(row.id, { expires_at: new Date(renewed.expirationDateTime).toISOString() }, isoNow(this.clock));
    } catch (err) {
      // Graph forgot it (expired or removed): make a new one, keeping our place in delta.
      if (err instanceof UpstreamError && err.status === 404) return this.createSubscription(row.drive_id, row);
      throw err;
    }
  }

  /** Renews what expires soon and deletes subscriptions of drives no space follows any more. */
  async renewDue(): Promise<void> {
    const limit = this.clock.now().getTime() + (this.options.renewBeforeMs ?? DAY);
    for (const row of await this.options.store.all()) {
      try {
        if ((await this.options.store.watchedFolderIds(row.drive_id)).size === 0) {
          await this.options.api.deleteSubscription(row.id).catch((err: unknown) => {
            if (!(err instanceof UpstreamError && err.status === 404)) throw err;
          });
          await this.options.store.remove(row.id);
        } else if (Date.parse(row.expires_at) <= limit) {
          await this.renew(row);
          const renewed = await this.options.store.byDrive(row.drive_id);
          await this.options.upstream?.ok('graph', row.drive_id, renewed?.expires_at ?? null);
        }
      } catch (err) {
        this.options.log.warn({ err, driveId: row.drive_id }, 'could not renew the Graph subscription');
        // 404 even to a new subscription: the drive is gone or no longer ours to see.
        const gone = err instanceof UpstreamError && err.status === 404;
        await this.options.upstream?.failed('graph', row.drive_id, gone ? 'gone' : 'failing', err instanceof Error ? err.message : String(err)).catch(() => undefined);
      }
    }
  }

  /** Starts the renewal timer (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.renewing ??= this.renewDue().finally(() => (this.renewing = undefined));
    };
    this.timer = setInterval(tick, this.options.checkEveryMs ?? 60 * 60 * 1000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.renewing;
    await this.idle();
  }
}
