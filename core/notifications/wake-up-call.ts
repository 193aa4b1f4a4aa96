/**
 * The idle sleep of a background loop (the outbox worker, the router, the digest scheduler):
 * sleeps up to a given time, and `wake()` ends the sleep at once, or, when it comes while the
 * loop is busy, keeps the next sleep from starting (a change committed during a round must not
 * wait a whole poll). The timer is unref'd: the HTTP server keeps a service alive, an idle loop
 * alone must not (tests, the CLI).
 */
export class WakeUpCall {
  private timer: NodeJS.Timeout | undefined;
  private ring: (() => void) | undefined;
  /** Ends the sleep in progress, interruptible or not (a stop). */
  private finish: (() => void) | undefined;
  private woken = false;
  private stopped = false;

  /**
   * The loop is stopping: ends the sleep in progress and every later one at once, interruptible
   * or not. A stop that lands while the round awaits something after its last look at `running`
   * would otherwise be answered only when that round's sleep ran out (30 s for the digest
   * scheduler's poll).
   */
  stop(): void {
    this.stopped = true;
    this.woken = true;
    this.finish?.();
  }

  /** The loop starts (again): sleeps last their time again. */
  restart(): void {
    this.stopped = false;
  }

  /** New work: end the sleep now, or skip the next one. */
  wake(): void {
    this.woken = true;
    this.ring?.();
  }

  /** Whether a wake came since the last `beginRound()`. */
  get wasWoken(): boolean {
    return this.woken;
  }

  /** A round starts: wakes from before it are answered by it. */
  beginRound(): void {
    this.woken = false;
  }

  /**
   * Sleeps `ms`; a `wake()` ends it early, a `stop()` at once. `interruptible` false: only the time or a stop ends it (a 429
   * pause that new work must wait out too). Callers that skip sleeping after a wake during the
   * round check `wasWoken` first.
   */
  sleep(ms: number, interruptible = true): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.ring = undefined;
        this.finish = undefined;
        resolve();
      };
      this.timer = setTimeout(done, ms);
      this.timer.unref();
      this.ring = interruptible ? done : undefined;
      this.finish = done;
    });
  }
}
