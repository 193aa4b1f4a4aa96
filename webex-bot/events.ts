import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { hmacHex, safeEqual, safeParseOwn, type Logger, type SeenEvents } from '../core';
import { jsonBody, rawBodyOf, sendError } from '../inbound';

/** The secret of the bot's webhook in sandbox mode, where WEBEX_WEBHOOK_SECRET is not set. */
export const SANDBOX_WEBEX_WEBHOOK_SECRET = 'sandbox-webex-webhook-secret';

/** Webex: `X-Spark-Signature` is the hex HMAC-SHA1 of the body under the webhook's secret. */
export function verifySparkSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !/^[0-9a-fA-F]{40}$/.test(header.trim())) return false;
  return safeEqual(header.trim().toLowerCase(), hmacHex('sha1', secret, rawBody));
}

// https://developer.webex.com/docs/api/guides/webhooks: the envelope; data carries ids only.
const webhookEvent = z.object({
  id: z.string(),
  name: z.string().optional(),
  resource: z.string(),
  event: z.string(),
  data: z.object({ id: z.string(), created: z.string().optional() }).loose(),
});

export interface WebexEventsOptions {
  secret: () => string;
  /** Hands a verified, well-formed event to the bot framework (nothing while it is not started). */
  deliver: (event: Record<string, unknown>) => void;
  /** Events already handled (replay): a second sighting, or a stale command, is not delivered. */
  seen: SeenEvents;
  log: Logger;
}

/**
 * POST /webex/events. The signature is checked on the raw bytes (401) before anything else:
 * webex-node-bot-framework would check it over JSON.stringify of the parsed body, which fails
 * on any re-ordering or escaping difference. Then the envelope (400), then 200 at once (Webex
 * wants a quick answer and does not retry), and only then does the framework see the event,
 * once: a captured event posted again still carries a valid signature (Webex signs the body
 * alone), so events already seen, and commands older than the replay window, are dropped.
 */
export function mountWebexEvents(server: Server, options: WebexEventsOptions): void {
  const verify = (req: Request, res: Response, next: Next): void => {
    const header = req.headers['x-spark-signature'];
    if (!verifySparkSignature(rawBodyOf(req), Array.isArray(header) ? header[0] : header, options.secret())) {
      sendError(res, 401, 'notify.badSignature');
      return next(false);
    }
    next();
  };

  server.post('/webex/events', verify, jsonBody(), (req: Request, res: Response, next: Next) => {
    const parsed = safeParseOwn(webhookEvent, req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      sendError(res, 400, 'notify.badPayload', { source: 'Webex', problem: `${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}` });
      return next(false);
    }
    res.send(200, { status: 'received' });
    next();
    const { id, resource, event, data } = parsed.data;
    void options.seen
      .sight({ webhookId: id, resource, event, dataId: data.id, created: data.created })
      .then((sighting) => {
        if (sighting !== 'first') return options.log.warn({ webhook: id, resource, event, data: data.id, sighting }, 'a Webex event seen before (or too old) was dropped: a replay');
        options.deliver(req.body as Record<string, unknown>);
      })
      .catch((err: unknown) => options.log.warn({ err, event: id }, 'a Webex event could not be checked against those seen, or the bot framework could not take it'));
  });
}

/** In a group space the text starts with the bot's display name (its mention); drop it. */
export function withoutMention(text: string, botName: string): string {
  const trimmed = text.trim();
  return trimmed.toLowerCase().startsWith(botName.toLowerCase()) ? trimmed.slice(botName.length).trim() : trimmed;
}
