/**
 * One outgoing HTTP exchange as core's API clients need it: a request with a string body, and the
 * whole answer as text. Core declares the port and a fetch-based default; the composition root
 * may give a client another transport (app/keep-alive-transport.ts: node:http with kept
 * connections, about a third of fetch's CPU per request, issue 17), since core must not import
 * node:http itself (eslint.config.mjs).
 */
export interface HttpExchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange, answer included, must end within this; else it fails with a TimeoutError. */
  timeoutMs: number;
  /** An answer longer than this is refused rather than held in memory (default MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
}

export interface HttpAnswer {
  status: number;
  /** A header of the answer by name, any case; undefined when absent. */
  header(name: string): string | undefined;
  text: string;
}

export type HttpTransport = (exchange: HttpExchange) => Promise<HttpAnswer>;

/** Larger than any answer the APIs core calls are documented to give (Webex pages of 1,000 memberships are ~300 KB). */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** A transport's error when the exchange outlived its timeoutMs: the same name as fetch's (AbortSignal.timeout). */
export class HttpTimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** A transport's error when the answer outgrew maxAnswerBytes. */
export class HttpAnswerTooLargeError extends Error {
  constructor(limit: number) {
    super(`the answer was larger than ${limit} bytes`);
  }
}

/** Over the global fetch (undici), reading the body with the same limit and deadline. */
export const fetchTransport: HttpTransport = async ({ method, url, headers, body, timeoutMs, maxAnswerBytes = MAX_ANSWER_BYTES }) => {
  const protocol = new URL(url).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`${protocol} is not http or https`);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }), signal });
    const chunks: Uint8Array[] = [];
    let length = 0;
    if (res.body) {
      for await (const chunk of res.body) {
        length += chunk.byteLength;
        if (length > maxAnswerBytes) {
          await res.body.cancel().catch(() => undefined);
          throw new HttpAnswerTooLargeError(maxAnswerBytes);
        }
        chunks.push(chunk);
      }
    }
    return { status: res.status, header: (name) => res.headers.get(name) ?? undefined, text: Buffer.concat(chunks).toString('utf8') };
  } catch (err) {
    if (signal.aborted) throw new HttpTimeoutError(timeoutMs);
    // fetch wraps a network error (ECONNREFUSED, say) in a TypeError "fetch failed"; the cause is the error to report.
    const cause = (err as { cause?: unknown }).cause;
    // (Duck-typed: under Jest the cause comes from another realm, where instanceof Error fails.)
    throw typeof cause === 'object' && cause !== null && 'message' in cause ? cause : err;
  }
};
