import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { own, presentFailure, type Logger, type SeenSignatures } from '../core';
import { rawBodyOf, sendError, sendFailure } from '../inbound';
import { verifySlackSignature } from './signature';

export interface RestifyReceiverOptions {
  signingSecret: string;
  /** Signatures seen before (core's ReplayGuard, kept in the store for every replica). */
  replay: SeenSignatures;
  log: Logger;
  /** Acknowledge on our own after this long if no listener did: Slack gives up at 3 s. */
  ackDeadlineMs?: number;
  now?: () => Date;
  /** Refuse a request whose response_url(s) fail this (real mode: hooks.slack.com only). */
  responseUrlAllowed?: (url: string) => boolean;
}

/** Every response_url in a payload: commands and block actions carry one, view submissions a list. */
function responseUrls(body: Record<string, unknown>): string[] {
  const urls: string[] = [];
  if (body.response_url !== undefined) urls.push(String(body.response_url));
  if (Array.isArray(body.response_urls)) {
    for (const r of body.response_urls as unknown[]) {
      if (r && typeof r === 'object' && 'response_url' in r) urls.push(String((r as { response_url: unknown }).response_url));
    }
  }
  return urls;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Slash commands and interactivity come form-encoded (interactivity as a JSON `payload`); events as JSON. */
function parseSlackBody(req: Request, raw: Buffer): Record<string, unknown> | undefined {
  const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  try {
    if (type === 'application/json') return JSON.parse(text) as Record<string, unknown>;
    if (type === 'application/x-www-form-urlencoded') {
      const form = Object.fromEntries(new URLSearchParams(text));
      const payload = own(form, 'payload');
      return typeof payload === 'string' ? (JSON.parse(payload) as Record<string, unknown>) : form;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * A Bolt receiver on the shared restify server (like bolt-js's HTTPReceiver, but on our
 * server): it checks the v0 signature on the raw bytes, refuses stale and replayed
 * requests with 401, and hands the event to Bolt with an `ack` that answers the HTTP
 * request once. Listeners ack first and answer later through response_url.
 */
export class RestifyReceiver implements Receiver {
  private app: App | undefined;
  private readonly ackDeadlineMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: RestifyReceiverOptions) {
    this.ackDeadlineMs = options.ackDeadlineMs ?? 2500;
    this.now = options.now ?? (() => new Date());
  }

  init(app: App): void {
    this.app = app;
  }

  // The shared server is started and stopped by the composition root.
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  handler(): RequestHandler {
    return (req: Request, res: Response, next: Next) => {
      this.handle(req, res).then(
        () => next(),
        (err: unknown) => {
          // Logged once, by the presenter, with the reference the answer carries.
          if (!res.headersSent) sendFailure(res, err, this.options.log, 'slack');
          else presentFailure(err, this.options.log, 'slack');
          next();
        },
      );
    };
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const { log, signingSecret, replay } = this.options;
    const raw = rawBodyOf(req);
    const now = this.now();
    const check = verifySlackSignature(
      signingSecret,
      { timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature') },
      raw,
      Math.floor(now.getTime() / 1000),
    );
    if (!check.ok) {
      log.warn({ reason: check.reason }, 'slack request refused: bad signature');
      return sendError(res, 401, 'slack.badSignature');
    }
    if (!(await replay.firstSight(check.signature, now))) {
      log.warn('slack request refused: replayed');
      return sendError(res, 401, 'slack.replayed');
    }
    const body = parseSlackBody(req, raw);
    if (!body) return sendError(res, 400, 'slack.badBody');
    const allowed = this.options.responseUrlAllowed;
    if (allowed && !responseUrls(body).every(allowed)) {
      log.warn('slack request refused: response_url is not on Slack');
      return sendError(res, 400, 'slack.badResponseUrl');
    }
    // Slack's periodic certificate check on slash-command URLs expects a plain 200.
    if (body.ssl_check === '1') {
      res.send(200);
      return;
    }
    if (body.type === 'url_verification') {
      res.send(200, { challenge: String(body.challenge ?? '') });
      return;
    }
    if (!this.app) throw new Error('the Slack receiver has no app');

    let acked = false;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const answer = (response: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      if (response === undefined || response === '') res.send(200);
      else res.send(200, typeof response === 'string' ? { text: response } : response);
      finished();
    };
    const deadline = setTimeout(() => {
      log.warn({ type: body.type ?? 'command' }, 'no listener acknowledged in time; acknowledging for it');
      answer(undefined);
    }, this.ackDeadlineMs);

    const retryNum = Number(header(req, 'x-slack-retry-num'));
    const retryReason = header(req, 'x-slack-retry-reason');
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => answer(response),
      ...(Number.isFinite(retryNum) ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
    };
    this.app.processEvent(event).catch((err: unknown) => {
      log.error({ err }, 'slack listener failed');
      answer(undefined);
    });
    await done;
  }
}
