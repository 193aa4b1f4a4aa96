import type { Next, Request, RequestHandler, Response } from 'restify';
import { readFormBody, readJsonBody, type RawDelivery } from '../core';
import { sendError } from './respond';
import { requestQuery } from './target';

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

/** For JSON routes: 415 unless the body is declared JSON, 400 unless it parses (core's readJsonBody). */
export function jsonBody(): RequestHandler {
  return function parseJsonBody(req: Request, res: Response, next: Next): void {
    const read = readJsonBody(rawBodyOf(req), req.headers['content-type']);
    if (read.outcome === 'refused') {
      sendError(res, read.refusal.status, read.refusal.key, read.refusal.params);
      return next(false);
    }
    req.body = read.value;
    next();
  };
}

/** For form-encoded routes (Slack slash commands and interactivity). */
export function formBody(): RequestHandler {
  return function parseFormBody(req: Request, res: Response, next: Next): void {
    const read = readFormBody(rawBodyOf(req), req.headers['content-type']);
    if (read.outcome === 'refused') {
      sendError(res, read.refusal.status, read.refusal.key, read.refusal.params);
      return next(false);
    }
    req.body = read.value;
    next();
  };
}

export function rawBodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
}

/** The request as the core's webhook intake reads it: exact bytes, headers and query. */
export function rawDeliveryOf(req: Request): RawDelivery {
  return { body: rawBodyOf(req), headers: req.headers, query: requestQuery(req) };
}
