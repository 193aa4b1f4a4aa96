import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562, section 5.7: https://www.rfc-editor.org/rfc/rfc9562#section-5.7):
 * the first 48 bits are the Unix time in milliseconds, the rest random. Stored events are keyed
 * by it, so each new row lands at the end of the primary-key index instead of on a random page
 * of it: a commit of a group of webhooks dirties (and syncs) a page or two of that index rather
 * than one per event (issue 17). Made from Node's random UUID (version 4, its random bytes drawn
 * from a cached pool): its first 48 bits become the time and its version digit a 7; the variant
 * bits and the 74 random bits that remain are kept.
 */
export function timeOrderedId(now: number = Date.now()): string {
  const time = Math.max(0, Math.min(Math.floor(now), 0xffff_ffff_ffff)).toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
