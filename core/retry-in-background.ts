export interface RetryInBackgroundOptions {
  /** The wait after the first failure; it doubles after each further one. */
  baseMs: number;
  maxMs: number;
  /** Told of each failure, with how many so far and how long until the next try. */
  onFailure(err: unknown, failures: number, retryInMs: number): void;
}

/**
 * Tries `task` until it succeeds, waiting longer after each failure, in the background. For a
 * start-up step that needs a remote system (the Webex bot's webhooks): an outage during a
 * deploy then heals by itself instead of lasting until someone restarts the service.
 */
export class RetryInBackground {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly options: RetryInBackgroundOptions,
  ) {}

  /** The first try, now; answers whether it worked (later tries run on their own). */
  start(): Promise<boolean> {
    return this.attempt(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async attempt(failuresSoFar: number): Promise<boolean> {
    try {
      await this.task();
      return true;
    } catch (err) {
      const wait = Math.min(this.options.maxMs, this.options.baseMs * 2 ** failuresSoFar);
      this.options.onFailure(err, failuresSoFar + 1, wait);
      if (!this.stopped) this.timer = setTimeout(() => void this.attempt(failuresSoFar + 1), wait);
      return false;
    }
  }
}
