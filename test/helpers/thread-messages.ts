import { Worker } from 'node:worker_threads';

/**
 * Counts messages posted to any worker thread (on SQLite, the store's: core/store/sqlite-thread.ts)
 * until restored: how many hops a transaction costs.
 */
export function countThreadMessages(): { readonly count: number; restore(): void } {
  const original = Worker.prototype.postMessage;
  const counter = { count: 0, restore: () => void (Worker.prototype.postMessage = original) };
  Worker.prototype.postMessage = function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
    counter.count += 1;
    return original.apply(this, args);
  };
  return counter;
}
