import type { Logger } from '../log';
import { UpstreamError } from '../errors';
import { systemClock, type Clock } from '../clock';
import { backoffMs } from './backoff';
import { SendPacer } from './send-pacer';
import { BackgroundLoop } from './background-loop';
import type { ClaimedDelivery, DeliveryOutcome, Outbox } from './outbox';
import type { DeliverySender, FurtherRequests } from './webex-delivery';

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
  /**
   * A burst to one space goes out as one digest of at most this many changes (1: never fold).
   * Ten lines stay well under Webex's 7439-byte message limit.
   */
  digestMax: number;
  /**
   * Changes already queued together (a backlog after Webex was down, a retry) are folded when
   * accepted within this long of the first, or within the space's digest window if longer (the
   * inbox holds each change for that window, so a burst arriving one by one queues up too).
   */
  digestSpanMs: number;
  /**
   * Webex sends per second across rounds (0: unpaced). Webex publishes no fixed limit for
   * bots, answers 429 with Retry-After above it, and issue 7 models 50/s; just under that
   * avoids losing whole seconds to 429 pauses. Half a second's sends are saved up while the
   * worker is between rounds (claiming, recording, 100-300 ms with a 10,000-row backlog), so
   * those gaps do not lower the rate; more would leave Webex's own bucket little slack when
   * requests bunch up on the way.
   */
  sendPerSecond: number;
  /** Called after a round that made dead letters, so the health check can tell the space soon (health/monitor.ts). */
  onDeadLetter?: (() => void) | undefined;
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
  digestMax: 10,
  digestSpanMs: 60_000,
  sendPerSecond: 48,
};

/**
 * Claims due deliveries and sends them. A 429 pauses the whole worker for Retry-After (Webex
 * limits per token, so the other spaces would be refused too) without counting as a failure;
 * 5xx, timeouts and network errors back off exponentially with jitter; other 4xx (no such
 * space, bot removed) cannot succeed later and go straight to the dead letters.
 */
export class OutboxWorker extends BackgroundLoop {
  private readonly options: OutboxWorkerOptions;
  /** Until when a 429 paused every send (Retry-After). */
  private pausedUntil = 0;
  /** Shared by every round, so sends stay evenly spaced from one round to the next. */
  private readonly pacer: SendPacer;
  /** A delivery's requests beyond its message (a reply's summary) are paced and obey 429s too. */
  private readonly further: FurtherRequests = {
    turn: () => this.pacer.take(),
    refused: (err) => {
      if (err instanceof UpstreamError && err.status === 429) this.pauseFor(err);
    },
  };

  constructor(
    private readonly outbox: Outbox,
    private readonly send: DeliverySender,
    private readonly log: Logger,
    options: Partial<OutboxWorkerOptions> = {},
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.options = { ...defaultOutboxWorkerOptions, ...options };
    const perSecond = this.options.sendPerSecond;
    this.pacer = new SendPacer({ perSecond, burst: Math.ceil(perSecond / 2), now: () => this.clock.now().getTime() });
  }

  /** One round: claim, send, record. Answers how many deliveries it handled. */
  async runOnce(): Promise<number> {
    const wait = this.pausedUntil - this.clock.now().getTime();
    if (wait > 0) return 0;
    const claimed = await this.outbox.claimDue(this.options.leaseMs, this.options.batchSize, { max: this.options.digestMax, spanMs: this.options.digestSpanMs });
    // A digest's deliveries share the outcome of the one message that carries them.
    const claimedAt = this.clock.now().getTime();
    const outcomes = await Promise.all(claimed.map((d) => this.attempt(d)));
    await this.recordUntilStored(
      claimed.flatMap((d, i) => [outcomes[i]!, ...d.folded.map((f) => ({ ...outcomes[i]!, id: f.id }))]),
      claimedAt + this.options.leaseMs - 1_000,
    );
    if (outcomes.some((o) => o.kind === 'dead')) this.options.onDeadLetter?.();
    return claimed.length;
  }

  /**
   * The messages are out; what is lost if their outcomes are not recorded is the knowledge of
   * it, and a group space cannot be asked afterwards, so an outage of the store (PostgreSQL
   * restarting) would mean duplicates. Keep trying while the lease is ours; after that another
   * worker may take the rows over, and the in-doubt check is all that is left.
   */
  private async recordUntilStored(outcomes: DeliveryOutcome[], until: number): Promise<void> {
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        await this.outbox.record(outcomes);
        return;
      } catch (err) {
        if (this.clock.now().getTime() + wait >= until) throw err;
        this.log.warn({ err, deliveries: outcomes.length }, 'could not record sent deliveries; trying again');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  protected async run(): Promise<void> {
    if (this.options.releaseLeasesOnStart) {
      const released = await this.outbox.releaseLeases().catch((err: unknown) => {
        this.log.error({ err }, 'could not release leases left by an earlier run');
        return 0;
      });
      if (released > 0) this.log.warn({ released }, 'deliveries left mid-send by an earlier run; checking them first');
    }
    while (this.running) {
      let handled = 0;
      this.alarm.beginRound();
      try {
        handled = await this.runOnce();
      } catch (err) {
        this.log.error({ err }, 'outbox round failed; trying again');
      }
      if (handled === 0 && this.running) await this.sleep(await this.untilNextDue());
    }
  }

  /**
   * How long until the earliest delivery falls due, at most a poll: a change held for its digest
   * window goes out when the window closes, not up to a poll later.
   */
  private async untilNextDue(): Promise<number> {
    const due = await this.outbox.nextDueAt().catch(() => undefined);
    if (due === undefined) return this.options.pollMs;
    return Math.min(this.options.pollMs, Math.max(0, due - this.clock.now().getTime()));
  }

  private sleep(idleMs: number): Promise<void> {
    const paused = Math.max(0, this.pausedUntil - this.clock.now().getTime());
    // Woken during the round: the new work is claimed at once.
    if (paused === 0 && this.alarm.wasWoken) return Promise.resolve();
    // While paused for a 429, new work must wait its turn too.
    return paused > 0 ? this.alarm.sleep(paused, false) : this.alarm.sleep(idleMs);
  }

  /** Sends one delivery and decides what to record; never throws. */
  private async attempt(delivery: ClaimedDelivery): Promise<DeliveryOutcome> {
    const log = this.log.child({ delivery: delivery.id, space: delivery.spaceId, event: delivery.eventId });
    try {
      // A 429 to another send of this round paused the worker: this one waits for the next round.
      if (!(await this.pacer.take())) {
        const at = new Date(Math.max(this.pacer.resumeAt(), this.clock.now().getTime()));
        return { id: delivery.id, kind: 'retry', at, error: '429: paused before sending', failed: false };
      }
      // null: nothing was left to send (skip-own); the delivery is done all the same.
      const webexMessageId = await this.send(delivery, this.further);
      log.debug({ messageId: webexMessageId }, webexMessageId === null ? 'notification skipped' : 'notification delivered');
      return { id: delivery.id, kind: 'delivered', webexMessageId };
    } catch (err) {
      return this.failed(delivery, err, log);
    }
  }

  /** A 429: no sends until its Retry-After has passed. Answers the seconds paused. */
  private pauseFor(err: UpstreamError): number {
    // Retry-After comes from the upstream: a missing, negative, NaN or huge value (which would
    // make an Invalid Date and throw at toISOString) waits the default minute or at most a day.
    const given = err.retryAfterSeconds ?? 60;
    const seconds = Number.isFinite(given) && given >= 0 ? Math.min(given, 86_400) : 60;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + seconds * 1000);
    this.pacer.pause(this.pausedUntil);
    return seconds;
  }

  private failed(delivery: ClaimedDelivery, err: unknown, log: Logger): DeliveryOutcome {
    const now = this.clock.now().getTime();
    const status = err instanceof UpstreamError ? err.status : undefined;
    if (err instanceof UpstreamError && status === 429) {
      const seconds = this.pauseFor(err);
      return { id: delivery.id, kind: 'retry', at: new Date(now + seconds * 1000), error: `429: retry after ${seconds}s`, failed: false };
    }
    const message = err instanceof Error ? err.message : String(err);
    const transient = !(err instanceof UpstreamError) || status === undefined || status >= 500 || status === 408;
    const failures = delivery.attempts + 1;
    if (!transient || failures >= this.options.maxAttempts) {
      log.warn({ status, error: message, attempts: failures }, 'notification delivery is a dead letter');
      return { id: delivery.id, kind: 'dead', error: message, failed: true };
    }
    const delay = backoffMs(failures, this.options.backoffBaseMs, this.options.backoffCapMs, this.options.random);
    log.info({ status, error: message, attempts: failures, retryInMs: delay }, 'notification delivery failed; will retry');
    return { id: delivery.id, kind: 'retry', at: new Date(now + delay), error: message, failed: true };
  }
}
