import { isIP } from 'node:net';

/**
 * Where an emulator may send a request of its own (webhook deliveries, Trello's HEAD check,
 * Graph's validation handshake): this machine only. The sandbox stands in for public services
 * for a service on this same machine, so a target elsewhere can only be someone using the
 * emulator to reach into the network (blind SSRF, issue 13); it is refused before any request.
 */
export function isLocalTarget(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
