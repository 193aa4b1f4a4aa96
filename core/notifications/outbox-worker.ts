import type { Logger } from '../log';
import { UpstreamError } from '../errors';
import { systemClock, type Clock } from '../clock';
import { backoffMs } from './backoff';
import type { ClaimedDelivery, Outbox } from './outbox';
import type { DeliverySender } from './webex-delivery';

export interface OutboxWorkerOptions {
  /** How long a claim holds before another worker may take the row over. */
  leaseMs: number;
  /** Deliveries claimed per round (at most one per space). */
  batchSize: number;
  /** Failed attempts (5xx, timeouts) before a delivery becomes a dead letter. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Sleep between empty rounds; `wake()` cuts it short. */
  pollMs: number;
  random: () => number;
  /** SQLite, one worker per store: take back the leases a crashed run left (see Outbox.releaseLeases). */
  releaseLeasesOnStart: boolean;
}

export const defaultOutboxWorkerOptions: OutboxWorkerOptions = {
  leaseMs: 60_000,
  batchSize: 20,
  maxAttempts: 8,
  backoffBaseMs: 1_000,
  backoffCapMs: 5 * 60_000,
  pollMs: 500,
  random: Math.random,
  releaseLeasesOnStart: false,
};

type Outcome = { kind: 'delivered' } | { kind: 'rateLimited'; seconds: number } | { kind: 'retry' } | { kind: 'dead' };

/**
 * Claims due deliveries and sends them. A 429 pauses the whole worker for Retry-After (Webex
 * limits per token, so the other spaces would be refused too) without counting as a failure;
 * 5xx, timeouts and network errors back off exponentially with jitter; other 4xx (no such
 * space, bot removed) cannot succeed later and go straight to the dead letters.
 */
export class OutboxWorker {
  private readonly options: OutboxWorkerOptions;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private pausedUntil = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly send: DeliverySender,
    private readonly log: Logger,
    options: Partial<OutboxWorkerOptions> = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.options = { ...defaultOutboxWorkerOptions, ...options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the current round finish (its sends complete and are recorded), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** New work was committed: skip the rest of the idle sleep. */
  wake(): void {
    this.wakeUp?.();
  }

  /** One round: claim, send, record. Answers how many deliveries it handled. */
  async runOnce(): Promise<number> {
    const wait = this.pausedUntil - this.clock.now().getTime();
    if (wait > 0) return 0;
    const claimed = await this.outbox.claimDue(this.options.leaseMs, this.options.batchSize);
    await Promise.all(claimed.map((d) => this.deliver(d)));
    return claimed.length;
  }

  private async run(): Promise<void> {
    if (this.options.releaseLeasesOnStart) {
      const released = await this.outbox.releaseLeases().catch((err: unknown) => {
        this.log.error({ err }, 'could not release leases left by an earlier run');
        return 0;
      });
      if (released > 0) this.log.warn({ released }, 'deliveries left mid-send by an earlier run; checking them first');
    }
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (err) {
        this.log.error({ err }, 'outbox round failed; trying again');
      }
      if (handled === 0 && this.running) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    const paused = Math.max(0, this.pausedUntil - this.clock.now().getTime());
    const ms = paused > 0 ? paused : this.options.pollMs;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.wakeUp = undefined;
        resolve();
      };
      this.timer = setTimeout(done, ms);
      // While paused for a 429, new work must wait its turn too.
      this.wakeUp = paused > 0 && this.running ? undefined : done;
    });
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const outcome = await this.attempt(delivery);
    if (outcome.kind !== 'rateLimited') return;
    const until = this.clock.now().getTime() + outcome.seconds * 1000;
    this.pausedUntil = Math.max(this.pausedUntil, until);
    await this.outbox.reschedule(delivery.id, new Date(until), `429: retry after ${outcome.seconds}s`, false);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<Outcome> {
    const log = this.log.child({ delivery: delivery.id, space: delivery.spaceId, event: delivery.eventId });
    let messageId: string;
    try {
      messageId = await this.send(delivery);
    } catch (err) {
      return this.failed(delivery, err, log);
    }
    await this.outbox.markDelivered(delivery.id, messageId);
    log.debug({ messageId }, 'notification delivered');
    return { kind: 'delivered' };
  }

  private async failed(delivery: ClaimedDelivery, err: unknown, log: Logger): Promise<Outcome> {
    const status = err instanceof UpstreamError ? err.status : undefined;
    if (err instanceof UpstreamError && status === 429) {
      return { kind: 'rateLimited', seconds: err.retryAfterSeconds ?? 60 };
    }
    const message = err instanceof Error ? err.message : String(err);
    const transient = !(err instanceof UpstreamError) || status === undefined || status >= 500 || status === 408;
    const failures = delivery.attempts + 1;
    if (!transient || failures >= this.options.maxAttempts) {
      await this.outbox.markDead(delivery.id, message, true);
      log.warn({ status, attempts: failures }, 'notification delivery is a dead letter');
      return { kind: 'dead' };
    }
    const delay = backoffMs(failures, this.options.backoffBaseMs, this.options.backoffCapMs, this.options.random);
    await this.outbox.reschedule(delivery.id, new Date(this.clock.now().getTime() + delay), message, true);
    log.info({ status, attempts: failures, retryInMs: delay }, 'notification delivery failed; will retry');
    return { kind: 'retry' };
  }
}
