import type { Logger } from '../log';
import type { CallDetail, CallState } from './telephony';

export interface CallWatcherOptions {
  /** How often the call's state is read from KPN EEN. */
  pollMs: number;
  /** A card is no longer updated after this long (a long call keeps its last state). */
  maxMs: number;
  log: Logger;
}

/**
 * Keeps a call status card in step with the call: polls the call's state and calls
 * `changed` on every change, until the call is released or `maxMs` has passed. Polling
 * (rather than Xsi-Events) needs no public callback URL, which the sandbox does not have.
 */
export class CallWatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: CallWatcherOptions) {}

  watch(initial: CallState, read: () => Promise<CallDetail | undefined>, changed: (state: CallState) => Promise<void>): void {
    const started = Date.now();
    let last = initial;
    const tick = async (): Promise<void> => {
      try {
        const state = (await read())?.state ?? 'Released';
        if (state !== last) {
          last = state;
          await changed(state);
        }
      } catch (err) {
        this.options.log.warn({ err }, 'call status could not be updated');
      }
      if (last !== 'Released' && Date.now() - started < this.options.maxMs) schedule();
    };
    const schedule = (): void => {
      if (this.closed) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void tick();
      }, this.options.pollMs);
      timer.unref();
      this.timers.add(timer);
    };
    schedule();
  }

  /** Number of calls being watched (tests, metrics). */
  get watching(): number {
    return this.timers.size;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
