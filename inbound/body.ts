import type { Next, Request, RequestHandler, Response } from 'restify';
import { sendError } from './respond';

/**
 * Reads the body as raw bytes with a hard limit. Written here rather than restify's
 * bodyReader because that one counts compressed bytes, so a small gzip body could inflate
 * without bound; webhooks also need the exact bytes to check their signatures.
 */
export function readBody(limitBytes: number): RequestHandler {
  return function readBodyWithLimit(req: Request, res: Response, next: Next): void {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      sendError(res, 415, 'http.unsupportedEncoding', { encoding });
      req.resume();
      return next(false);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limitBytes) {
      // Tell the client we stop here, instead of draining a body we will not read.
      res.setHeader('Connection', 'close');
      sendError(res, 413, 'http.bodyTooLarge', { limit: limitBytes });
      req.resume();
      return next(false);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.once('error', (err) => next(err));
    req.once('end', () => {
      if (tooLarge) {
        sendError(res, 413, 'http.bodyTooLarge', { limit: limitBytes });
        return next(false);
      }
      req.rawBody = Buffer.concat(chunks, size);
      next();
    });
  };
}

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** For JSON routes: 415 unless the body is declared JSON, 400 unless it parses. */
export function jsonBody(): RequestHandler {
  return function parseJsonBody(req: Request, res: Response, next: Next): void {
    const type = mediaType(req);
    if (type !== 'application/json' && !type.endsWith('+json')) {
      sendError(res, 415, 'http.unsupportedMediaType', { expected: 'application/json', actual: type || 'none' });
      return next(false);
    }
    const raw = rawBodyOf(req);
    try {
      req.body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch (err) {
      sendError(res, 400, 'http.badJson', { detail: raw.length === 0 ? 'the body is empty' : (err as Error).message });
      return next(false);
    }
    next();
  };
}

/** For form-encoded routes (Slack slash commands and interactivity). */
export function formBody(): RequestHandler {
  return function parseFormBody(req: Request, res: Response, next: Next): void {
    const type = mediaType(req);
    if (type !== 'application/x-www-form-urlencoded') {
      sendError(res, 415, 'http.unsupportedMediaType', { expected: 'application/x-www-form-urlencoded', actual: type || 'none' });
      return next(false);
    }
    req.body = Object.fromEntries(new URLSearchParams(rawBodyOf(req).toString('utf8')));
    next();
  };
}

export function rawBodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
}
