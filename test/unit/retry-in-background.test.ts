import { RetryInBackground } from '../../core/internal';

describe('RetryInBackground', () => {
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  };

  it('tries again after base, 2×base… (at most max) until the task works', async () => {
    let calls = 0;
    const failures: [number, number][] = [];
    const retry = new RetryInBackground(
      async () => {
        calls += 1;
        if (calls < 4) throw new Error(`down ${calls}`);
      },
      { baseMs: 10, maxMs: 25, onFailure: (_err, n, wait) => failures.push([n, wait]) },
    );
    expect(await retry.start()).toBe(false);
    await until(() => calls >= 4);
    expect(calls).toBe(4);
    expect(failures).toEqual([
      [1, 10],
      [2, 20],
      [3, 25],
    ]);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(4);
  });

  it('answers true and schedules nothing when the first try works', async () => {
    let calls = 0;
    const retry = new RetryInBackground(async () => void (calls += 1), { baseMs: 1, maxMs: 1, onFailure: () => undefined });
    expect(await retry.start()).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
  });

  it('stops trying once stopped', async () => {
    let calls = 0;
    const retry = new RetryInBackground(
      async () => {
        calls += 1;
        throw new Error('down');
      },
      { baseMs: 10, maxMs: 10, onFailure: () => undefined },
    );
    await retry.start();
    retry.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toBe(1);
  });
});
