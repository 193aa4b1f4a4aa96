import { SendPacer } from '../../core/internal';

/** A pacer on simulated time: sleeping moves the clock, nothing waits for real. */
function simulated(perSecond: number, burst: number) {
  let t = 1_000_000;
  const sleeps: number[] = [];
  const pacer = new SendPacer({
    perSecond,
    burst,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  });
  return { pacer, now: () => t, advance: (ms: number) => (t += ms), sleeps };
}

describe('SendPacer', () => {
  it('grants the burst at once, then one turn per 1/perSecond', async () => {
    const { pacer, now } = simulated(50, 5);
    const start = now();
    const at: number[] = [];
    for (let i = 0; i < 105; i++) {
      expect(await pacer.take()).toBe(true);
      at.push(now() - start);
    }
    expect(at.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // 100 turns beyond the burst at 50/s: two seconds, give or take the rounding of one sleep.
    expect(at[104]).toBeGreaterThanOrEqual(2000);
    expect(at[104]).toBeLessThanOrEqual(2020);
  });

  it('never lets more than perSecond × T + burst through in any window T', async () => {
    const { pacer, now, advance } = simulated(48, 12);
    const at: number[] = [];
    for (let i = 0; i < 500; i++) {
      if (i % 37 === 0) advance(300); // idle gaps let tokens build up, at most to the burst
      await pacer.take();
      at.push(now());
    }
    for (let i = 0; i < at.length; i++) {
      for (let j = i; j < at.length; j++) {
        const window = at[j]! - at[i]!;
        expect(j - i + 1).toBeLessThanOrEqual(Math.floor((window / 1000) * 48) + 12 + 1);
      }
    }
  });

  it('serves turns in the order they were asked for, concurrent callers included', async () => {
    const { pacer } = simulated(10, 1);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => pacer.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses turns while paused for a 429 and restarts without a saved-up burst', async () => {
    const { pacer, now, advance } = simulated(50, 10);
    pacer.pause(now() + 2000);
    expect(await pacer.take()).toBe(false);
    expect(pacer.resumeAt()).toBe(now() + 2000);
    advance(2000);
    const start = now();
    for (let i = 0; i < 5; i++) expect(await pacer.take()).toBe(true);
    // Evenly spaced from the end of the pause: the bucket was emptied, not refilled by the wait.
    expect(now() - start).toBeGreaterThanOrEqual(80);
  });

  it('grants every turn at once when pacing is off', async () => {
    const { pacer, now, sleeps } = simulated(0, 1);
    const start = now();
    for (let i = 0; i < 1000; i++) expect(await pacer.take()).toBe(true);
    expect(now()).toBe(start);
    expect(sleeps).toEqual([]);
  });
});
