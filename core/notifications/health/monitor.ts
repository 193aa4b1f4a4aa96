import type { Kysely } from 'kysely';
import type { Counter } from 'prom-client';
import { systemClock, type Clock } from '../../clock';
import { UpstreamError } from '../../errors';
import type { Logger } from '../../log';
import type { Database } from '../../store/schema';
import type { SubscriptionRepository } from '../subscriptions';
import { assessHealth, defaultHealthPolicy, type HealthPolicy, type SubscriptionHealth } from './assess';
import { healthFacts } from './facts';
import { Lease } from './lease';
import { healthNoticeText } from './notice-text';
import { HealthNotices } from './notices';
import { UpstreamHealthRepository } from './upstream-health';

/** The Trello calls the check needs (TrelloApi). */
export interface TrelloHealthPort {
  board(idOrShortLink: string): Promise<{ id: string }>;
  webhooks(): Promise<{ idModel: string; active: boolean }[]>;
}

/** Posts a notice to a space (Webex POST /v1/messages). */
export type SpaceNotifier = (spaceId: string, message: { markdown: string; text: string }) => Promise<void>;

export interface HealthMonitorOptions {
  db: Kysely<Database>;
  subscriptions: SubscriptionRepository;
  log: Logger;
  /** Absent when Trello is off: its boards are then not checked. */
  trello?: TrelloHealthPort | undefined;
  /** Absent when Webex is off: nobody can be told, so notices wait (nothing is marked told). */
  notify?: SpaceNotifier | undefined;
  broken: Counter<'source' | 'problem'>;
  policy?: HealthPolicy;
  /** How often the check runs (EEN_HEALTH_CHECK_SECONDS). */
  everyMs: number;
  clock?: Clock;
}

/** Subscription health as the surfaces read it (the bot's `subscriptions`; issue 14: a port, not the monitor). */
export interface HealthReadings {
  readonly healthPolicy: HealthPolicy;
  health(spaceId?: string): Promise<SubscriptionHealth[]>;
}

/**
 * The periodic health check (issue 15, "Failing loudly"): looks at each followed Trello board
 * and its webhook, then at every subscription's facts, and tells a space once when its
 * subscription broke — board or drive gone, webhook removed, Graph renewal failing, dead
 * letters, or silent for longer than is usual for its source — counting it in /metrics. The
 * flag is cleared once the subscription is healthy again. One replica per store runs a round
 * (a lease row); the timer is unref'd.
 */
export class HealthMonitor implements HealthReadings {
  readonly upstream: UpstreamHealthRepository;
  private readonly notices: HealthNotices;
  private readonly lease: Lease;
  private readonly clock: Clock;
  private readonly policy: HealthPolicy;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly options: HealthMonitorOptions) {
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? defaultHealthPolicy;
    this.upstream = new UpstreamHealthRepository(options.db, this.clock);
    this.notices = new HealthNotices(options.db, this.clock);
    this.lease = new Lease(options.db, 'notification-health', this.clock);
  }

  get healthPolicy(): HealthPolicy {
    return this.policy;
  }

  /** Every subscription's health (or one space's), as the store knows it now; checks nothing upstream. */
  async health(spaceId?: string): Promise<SubscriptionHealth[]> {
    return currentHealth(this.options.db, this.options.subscriptions, this.upstream, this.policy, this.clock, spaceId);
  }

  /** One round, if this process holds the lease. Answers how many spaces were told. */
  async runOnce(): Promise<number> {
    if (!(await this.lease.take(this.options.everyMs))) return 0;
    await this.checkTrello();
    const told = await this.notices.all();
    let sent = 0;
    const all = await this.health();
    for (const h of all) {
      if (h.status === 'ok') {
        if (told.has(h.subscriptionId)) await this.notices.clear(h.subscriptionId);
        continue;
      }
      if (told.has(h.subscriptionId) || !this.options.notify) continue;
      if (await this.tell(h, all)) sent += 1;
    }
    return sent;
  }

  private async tell(h: SubscriptionHealth, all: SubscriptionHealth[]): Promise<boolean> {
    if (!(await this.notices.claim(h.subscriptionId, h.problem!))) return false;
    const subscription = (await this.options.subscriptions.forSpace(h.spaceId)).find((s) => s.id === h.subscriptionId);
    // The number the space's `subscriptions` list shows it under, for `unsubscribe <n>`.
    const n = all.filter((x) => x.spaceId === h.spaceId).findIndex((x) => x.subscriptionId === h.subscriptionId) + 1;
    try {
      await this.options.notify!(h.spaceId, healthNoticeText(h, n, subscription?.locale ?? 'nl-NL', this.policy));
    } catch (err) {
      // Not told: unmark, so the next round tries again. Loudly in the log meanwhile.
      await this.notices.clear(h.subscriptionId);
      this.options.log.error({ err, subscription: h.subscriptionId, space: h.spaceId, problem: h.problem }, 'could not tell a space its subscription broke');
      return false;
    }
    this.options.broken.inc({ source: h.source, problem: h.problem! });
    this.options.log.warn({ subscription: h.subscriptionId, space: h.spaceId, source: h.source, key: h.sourceKey, problem: h.problem }, 'subscription broken; its space was told');
    return true;
  }

  /**
   * Each followed board: 404 (deleted, or our token lost access) or 410 is gone; otherwise the
   * board must still have an active webhook of ours (Trello deletes webhooks on its own: a
   * removed model, 30 days of failing callbacks). Other errors count as failing checks.
   */
  private async checkTrello(): Promise<void> {
    const { trello } = this.options;
    if (!trello) return;
    const keys = [...new Set((await this.options.subscriptions.all()).filter((s) => s.source === 'trello').map((s) => s.sourceKey))];
    if (keys.length === 0) return;
    let hooks: { idModel: string; active: boolean }[];
    try {
      hooks = await trello.webhooks();
    } catch (err) {
      for (const key of keys) await this.upstream.failed('trello', key, 'failing', errorText(err));
      return;
    }
    for (const key of keys) {
      try {
        const board = await trello.board(key);
        if (hooks.some((h) => h.idModel === board.id && h.active)) await this.upstream.ok('trello', key);
        else await this.upstream.failed('trello', key, 'missing', 'no active webhook on the board');
      } catch (err) {
        const gone = err instanceof UpstreamError && (err.status === 404 || err.status === 410);
        await this.upstream.failed('trello', key, gone ? 'gone' : 'failing', errorText(err));
      }
    }
  }

  /** Something broke just now (a dead letter): check soon rather than at the next interval. */
  wake(): void {
    if (!this.timer || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.tick();
    }, 1_000);
    this.soon.unref();
  }

  private tick(): void {
    this.round ??= this.runOnce()
      .then(() => undefined)
      .catch((err: unknown) => this.options.log.error({ err }, 'subscription health check failed'))
      .finally(() => (this.round = undefined));
  }

  start(): void {
    if (this.timer) return;
    const tick = () => this.tick();
    this.timer = setInterval(tick, this.options.everyMs);
    // A health check alone must not keep a process (tests, CLI) alive.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = undefined;
    this.soon = undefined;
    await this.round;
  }
}

/** The health of every subscription (or one space's) from the store alone: `subscriptions list` uses it without a running service. */
export async function currentHealth(
  db: Kysely<Database>,
  subscriptions: SubscriptionRepository,
  upstream: UpstreamHealthRepository,
  policy: HealthPolicy,
  clock: Clock,
  spaceId?: string,
): Promise<SubscriptionHealth[]> {
  const list = spaceId === undefined ? await subscriptions.all() : await subscriptions.forSpace(spaceId);
  const facts = await healthFacts(db, list, await upstream.all());
  const now = clock.now().getTime();
  return facts.map((f) => assessHealth(f, policy, now));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
