/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): a random wait in [0, min(cap, base·2^(n-1))], so retries from many deliveries
 * spread out instead of hitting Webex together. A floor of base/2 keeps a retry from being instant.
 */
export function backoffMs(failedAttempts: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.max(baseMs / 2, Math.round(random() * ceiling));
}
