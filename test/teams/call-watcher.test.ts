import { createLogger, type CallDetail, type CallState } from '../../core';
import { CallWatcher } from '../../core';

const log = createLogger({ level: 'silent', pretty: false });
const detail = (state: CallState): CallDetail => ({ callId: 'c', state, remoteAddress: undefined, remoteName: undefined, startTime: undefined, answerTime: undefined });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits until the watcher has nothing scheduled (or 3 s, on a loaded machine). */
async function settled(watcher: CallWatcher): Promise<void> {
  for (const end = Date.now() + 3000; watcher.watching > 0 && Date.now() < end; ) await sleep(10);
  await sleep(30);
}

describe('CallWatcher', () => {
  it('reports each state change once and stops when the call is released', async () => {
    const states: (CallState | undefined)[] = ['Alerting', 'Active', 'Active', undefined];
    let reads = 0;
    const seen: CallState[] = [];
    const watcher = new CallWatcher({ pollMs: 10, maxMs: 10_000, log });
    watcher.watch('Alerting', async () => {
      const s = states[Math.min(reads++, states.length - 1)];
      return s ? detail(s) : undefined;
    }, async (state) => {
      seen.push(state);
    });
    await settled(watcher);
    expect(seen).toEqual(['Active', 'Released']);
    expect(reads).toBe(4);
    expect(watcher.watching).toBe(0);
  });

  it('keeps polling through a failed read and gives up after maxMs', async () => {
    let reads = 0;
    // Wide enough for a second read on a busy machine, short enough to see it give up.
    const watcher = new CallWatcher({ pollMs: 20, maxMs: 400, log });
    watcher.watch('Alerting', async () => {
      reads += 1;
      if (reads === 1) throw new Error('Xsi down');
      return detail('Alerting');
    }, async () => undefined);
    await settled(watcher);
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(reads).toBeLessThan(25);
    const after = reads;
    await sleep(50);
    expect(reads).toBe(after);
    expect(watcher.watching).toBe(0);
  });

  it('stops every timer on close', async () => {
    let reads = 0;
    const watcher = new CallWatcher({ pollMs: 10, maxMs: 10_000, log });
    for (let i = 0; i < 3; i += 1) watcher.watch('Alerting', async () => { reads += 1; return detail('Alerting'); }, async () => undefined);
    expect(watcher.watching).toBe(3);
    watcher.close();
    await sleep(50);
    expect(reads).toBe(0);
    expect(watcher.watching).toBe(0);
  });
});
