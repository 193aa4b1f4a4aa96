import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares two strings in time independent of where they differ (and of the expected value). */
export function safeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual needs equal lengths; compare b with itself so the work is the same.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export function hmacHex(algorithm: 'sha1' | 'sha256', secret: string, data: Buffer | string): string {
  return createHmac(algorithm, secret).update(data).digest('hex');
}

export function hmacBase64(algorithm: 'sha1' | 'sha256', secret: string, data: Buffer | string): string {
  return createHmac(algorithm, secret).update(data).digest('base64');
}
