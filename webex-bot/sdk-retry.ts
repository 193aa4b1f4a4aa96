/** What the webex SDK's HTTP errors carry (@webex/http-core, http-error.js); absent on network failures. */
interface SdkHttpError {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
}

export interface SdkRetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** No single wait is longer, whatever Retry-After says. */
  maxWaitMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs an SDK call again after a 429 (after its Retry-After), a 5xx or a network failure
 * (after 1 s, 2 s, 4 s…), up to `attempts` tries; anything else fails at once. The SDK retries
 * 429s only for its identity service (@webex/webex-core, interceptors/rate-limit.js).
 */
export async function retryingSdkCall<T>(call: () => Promise<T>, policy: SdkRetryPolicy): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      const wait = waitBefore(err as SdkHttpError, attempt, policy.maxWaitMs);
      if (wait === undefined || attempt >= policy.attempts) throw err;
      await sleep(wait);
    }
  }
}

function waitBefore(err: SdkHttpError, attempt: number, maxWaitMs: number): number | undefined {
  const status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
  if (status === 429) {
    const seconds = Number(err.headers?.['retry-after']);
    return Math.min(maxWaitMs, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000);
  }
  if (status === undefined || status === 0 || status >= 500) return Math.min(maxWaitMs, 1000 * 2 ** (attempt - 1));
  return undefined;
}
