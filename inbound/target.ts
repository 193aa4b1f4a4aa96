import type { Request } from 'restify';

/**
 * The request target, read without a URL parser. `new URL(req.url, base)` throws on an
 * absolute-form target with a bad port and reads `//host/...` as a host; the server refuses both
 * before routing (guard.ts), and these helpers never throw whatever the target is, so a handler
 * that reads its query cannot be the one that stops the process.
 */
export function requestQuery(req: Pick<Request, 'url'>): URLSearchParams {
  const target = req.url ?? '';
  const at = target.indexOf('?');
  // URLSearchParams decodes leniently (a bad %-escape stays as written) and never throws.
  return new URLSearchParams(at < 0 ? '' : target.slice(at + 1).split('#')[0]);
}

/** The path part of the target, undecoded (`/a%2Fb` stays as sent). */
export function requestPath(req: Pick<Request, 'url'>): string {
  const target = req.url ?? '/';
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}
