import { retryingSdkCall } from '../../webex-bot/sdk-retry';

/** Failures shaped as the webex SDK's (@webex/http-core http-error.js: statusCode, headers). */
const httpError = (statusCode: number, headers: Record<string, string> = {}) => Object.assign(new Error(`HTTP ${statusCode}`), { statusCode, headers });

describe('retryingSdkCall', () => {
  function failingThen<T>(failures: unknown[], value: T) {
    let calls = 0;
    const call = async () => {
      calls += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return value;
    };
    return { call, calls: () => calls };
  }

  it("waits a 429's Retry-After, at most maxWaitMs, then tries again", async () => {
    const waits: number[] = [];
    const { call, calls } = failingThen([httpError(429, { 'retry-after': '2' }), httpError(429, { 'retry-after': '600' })], 'ok');
    await expect(retryingSdkCall(call, { attempts: 4, maxWaitMs: 30_000, sleep: async (ms) => void waits.push(ms) })).resolves.toBe('ok');
    expect(waits).toEqual([2_000, 30_000]);
    expect(calls()).toBe(3);
  });

  it('backs off 1 s, 2 s… after a 5xx or a network failure', async () => {
    const waits: number[] = [];
    const { call } = failingThen([httpError(503), Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })], 'ok');
    await expect(retryingSdkCall(call, { attempts: 4, maxWaitMs: 30_000, sleep: async (ms) => void waits.push(ms) })).resolves.toBe('ok');
    expect(waits).toEqual([1_000, 2_000]);
  });

  it('fails at once on another 4xx, and after the last attempt otherwise', async () => {
    const refused = failingThen([httpError(401)], 'never');
    await expect(retryingSdkCall(refused.call, { attempts: 4, maxWaitMs: 1, sleep: async () => undefined })).rejects.toMatchObject({ statusCode: 401 });
    expect(refused.calls()).toBe(1);
    const busy = failingThen([httpError(429), httpError(429), httpError(429)], 'never');
    await expect(retryingSdkCall(busy.call, { attempts: 3, maxWaitMs: 1, sleep: async () => undefined })).rejects.toMatchObject({ statusCode: 429 });
    expect(busy.calls()).toBe(3);
  });
});
