/**
 * Client-side pacing of Webex sends: a token bucket of `perSecond` sends refilled
 * continuously, holding at most `burst` tokens. Webex answers 429 above its limit and each 429
 * costs a whole Retry-After (at least a second) of sending, so staying just under the limit
 * delivers more per second than running into it. Turns are served in the order they were
 * asked for, so a round's sends go out evenly spaced.
 */
export interface SendPacerOptions {
  /** Sends per second; 0 turns pacing off (every turn is granted at once). */
  perSecond: number;
  /** Tokens saved up while idle, so short gaps between rounds are not lost; at least 1. */
  burst: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class SendPacer {
  private readonly perSecond: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: SendPacerOptions) {
    this.perSecond = options.perSecond;
    this.burst = Math.max(1, options.burst);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.tokens = this.burst;
    this.last = this.now();
  }

  /**
   * Waits for this send's turn. Answers false when Webex asked to pause (a 429) before the
   * turn came: the caller then does not send and retries after `resumeAt()`.
   */
  take(): Promise<boolean> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** A 429 said "not before `untilMs`": no turns until then, and no saved-up burst after it. */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    this.tokens = 0;
    this.last = Math.max(this.last, this.pausedUntil);
  }

  /** When sending may resume (epoch ms); in the past when not paused. */
  resumeAt(): number {
    return this.pausedUntil;
  }

  private async waitForToken(): Promise<boolean> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) return false;
      if (this.perSecond <= 0) return true;
      this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.perSecond);
      this.last = Math.max(this.last, now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return true;
      }
      await this.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}
