import http from 'node:http';
import https from 'node:https';
import { HttpAnswerTooLargeError, HttpTimeoutError, MAX_ANSWER_BYTES, type HttpAnswer, type HttpTransport } from '../core';

/**
 * Core's HttpTransport over node:http and node:https with kept connections. Measured for issue 17
 * on the benchmark machine (client and a loopback server in one process, 500 POSTs of a 3 KB
 * message): fetch 2.1-4.1 ms of CPU per request, node:http 0.55-1.9 ms. The outbox sends every
 * Webex message on the event loop that also answers webhooks, so fetch's extra cost (its WHATWG
 * streams and its own HTTP stack, undici) was paid out of the ingest rate.
 */
const agentOptions = {
  keepAlive: true,
  // Webex answers one space's messages in order, so a few connections carry the outbox; more
  // would only be opened under a burst and closed again when idle.
  maxSockets: 16,
  // An idle kept connection is closed before a server's usual keep-alive timeout (5 s for
  // node:http and many proxies), so a request rarely goes out on a socket the server is closing.
  timeout: 4_000,
  scheduling: 'lifo' as const,
};
const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

export const keepAliveTransport: HttpTransport = ({ method, url, headers, body, timeoutMs, maxAnswerBytes = MAX_ANSWER_BYTES }) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (err) {
      return reject(err instanceof Error ? err : new Error(String(err)));
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(new Error(`${target.protocol} is not http or https`));
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const send = target.protocol === 'https:' ? https.request : http.request;
    const request = send(target, {
      method,
      agent: agents[target.protocol],
      headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
    });
    let settled = false;
    // The deadline covers the whole exchange, a slowly dribbled answer included (as fetch's AbortSignal.timeout does).
    const deadline = setTimeout(() => fail(new HttpTimeoutError(timeoutMs)), timeoutMs);
    function fail(err: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      // The connection is not reused after a failure: its state is unknown. Errors it raises while closing are this one's.
      request.on('error', () => undefined);
      request.destroy();
      reject(err);
    }
    request.on('error', fail);
    request.once('response', (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('error', fail);
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > maxAnswerBytes) return fail(new HttpAnswerTooLargeError(maxAnswerBytes));
        chunks.push(chunk);
      });
      res.once('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          header: (name) => {
            const value = res.headers[name.toLowerCase()];
            return Array.isArray(value) ? value.join(', ') : value;
          },
          text,
        });
      });
    });
    request.end(payload);
  });
