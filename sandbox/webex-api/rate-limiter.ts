/**
 * A token bucket of `perSecond` requests refilled continuously. `take()` answers undefined
 * when the request may pass, or the whole seconds to wait (what Webex puts in Retry-After).
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  /** Requests refused so far, for benchmarks. */
  refused = 0;

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  take(now = Date.now()): number | undefined {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    this.refused += 1;
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }
}
