import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { hmacHex, jsonBody, rawBodyOf, safeEqual, sendError, type Logger, type WebexMessages } from '../core';
import type { SpaceCommands } from './space-commands';

/** The secret of the bot's webhook in sandbox mode, where WEBEX_WEBHOOK_SECRET is not set. */
export const SANDBOX_WEBEX_WEBHOOK_SECRET = 'sandbox-webex-webhook-secret';

/** Webex: `X-Spark-Signature` is the hex HMAC-SHA1 of the body under the webhook's secret. */
export function verifySparkSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !/^[0-9a-fA-F]{40}$/.test(header.trim())) return false;
  return safeEqual(header.trim().toLowerCase(), hmacHex('sha1', secret, rawBody));
}

// https://developer.webex.com/docs/api/guides/webhooks: the envelope and, for messages, only ids.
const webhookEvent = z.object({
  id: z.string(),
  resource: z.string(),
  event: z.string(),
  data: z.object({
    id: z.string(),
    roomId: z.string().optional(),
    personId: z.string().optional(),
    personEmail: z.string().optional(),
  }),
});

export interface WebexEventsOptions {
  secret: () => string;
  webex: WebexMessages;
  commands: SpaceCommands;
  log: Logger;
}

/**
 * POST /webex/events. The signature is checked on the raw bytes (401) before anything else;
 * webex-node-bot-framework would check re-serialised JSON, which fails on any reordering. The
 * request is answered 200 at once (Webex wants a quick answer and does not retry), then the
 * message is fetched, its command run, and the answer posted to the space.
 */
export function mountWebexEvents(server: Server, options: WebexEventsOptions): void {
  const { log } = options;
  // Who the bot is, asked once (and again after a failure).
  let bot: Promise<{ id: string; displayName: string }> | undefined;
  const me = () =>
    (bot ??= options.webex.me().catch((err: unknown) => {
      bot = undefined;
      throw err;
    }));

  const verify = (req: Request, res: Response, next: Next): void => {
    const header = req.headers['x-spark-signature'];
    if (!verifySparkSignature(rawBodyOf(req), Array.isArray(header) ? header[0] : header, options.secret())) {
      sendError(res, 401, 'notify.badSignature');
      return next(false);
    }
    next();
  };

  server.post('/webex/events', verify, jsonBody(), (req: Request, res: Response, next: Next) => {
    const parsed = webhookEvent.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      sendError(res, 400, 'notify.badPayload', { source: 'Webex', problem: `${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}` });
      return next(false);
    }
    res.send(200, { status: 'received' });
    next();
    const event = parsed.data;
    if (event.resource !== 'messages' || event.event !== 'created') return;
    void answer(event.data.id, event.data.personId).catch((err: unknown) => log.warn({ err, message: event.data.id }, 'could not answer a message in a space'));
  });

  async function answer(messageId: string, personId: string | undefined): Promise<void> {
    const self = await me();
    if (personId === self.id) return; // our own answers and notifications come back as events too
    const message = await options.webex.get(messageId);
    if (message.personId === self.id) return;
    const text = withoutMention(message.text ?? '', self.displayName);
    const reply = await options.commands.handle({ roomId: message.roomId, personId: message.personId ?? '', personEmail: message.personEmail ?? '', text });
    await options.webex.create({ roomId: message.roomId, markdown: reply, text: reply });
  }
}

/** In a group space the text starts with the bot's display name (its mention); drop it. */
export function withoutMention(text: string, botName: string): string {
  const trimmed = text.trim();
  return trimmed.toLowerCase().startsWith(botName.toLowerCase()) ? trimmed.slice(botName.length).trim() : trimmed;
}
