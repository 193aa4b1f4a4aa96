import { randomUUID } from 'node:crypto';
import type { Next, Request, RequestHandler, Response, Server } from 'restify';
import type { SystemName } from '../../core';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';
import { RateLimiter } from './rate-limiter';

/** A person the emulator knows, with the bearer token that acts as them. */
/** The sandbox's Webex integration (WEBEX_CLIENT_ID in sandbox mode). */
export const SANDBOX_WEBEX_CLIENT_ID = 'sandbox-client-id';
export const SANDBOX_WEBEX_CLIENT_SECRET = 'sandbox-client-secret';

export interface WebexPerson {
  id: string;
  emails: string[];
  displayName: string;
  firstName: string;
  lastName: string;
  type: 'person' | 'bot';
  orgId: string;
}

/** Shared by every feature of the emulator (meetings, people, messaging, OAuth). */
export interface WebexContext {
  readonly log: RequestLog;
  readonly orgId: string;
  readonly people: Map<string, WebexPerson>;
  /** Bearer token -> person id. */
  readonly tokens: Map<string, string>;
  /** Integrations (client id) and the redirect URIs registered for each, as on developer.webex.com. */
  readonly integrations: Map<string, Set<string>>;
  /** Adds `Authorization: Bearer` checking and the rate limit in front of a handler. */
  authenticated(handler: (req: Request, res: Response, person: WebexPerson) => void): RequestHandler[];
  /** Webex's error body: `{ message, errors: [{ description }], trackingId }`. */
  fail(res: Response, status: number, message: string): void;
  /** Webex ids are base64url of a `ciscospark://us/<TYPE>/<uuid>` URI. */
  newId(type: string): string;
}

/** A feature mounts its routes under the emulator's base path (e.g. /sandbox/webex/v1/meetings). */
export type WebexFeature = (server: Server, base: string, ctx: WebexContext) => void;

import { SANDBOX_WEBEX_ORG_ID } from '../organisation-ids';
export { SANDBOX_WEBEX_ORG_ID };
/** The bot's token in sandbox mode, where WEBEX_BOT_TOKEN is not set. */
export const SANDBOX_WEBEX_BOT_TOKEN = 'sandbox-webex-bot-token';

export interface WebexEmulatorOptions {
  /** Requests per second across all tokens before 429; unlimited when absent. */
  rateLimitPerSecond?: number;
  /** Extra latency per API request, in ms (benchmarks of Slack acks). */
  latencyMs?: number;
  features: WebexFeature[];
}

/**
 * The Webex REST API under /sandbox/webex/v1/…, the same JSON shapes as
 * https://developer.webex.com/docs/api/basics (bearer auth, errors with trackingId,
 * 429 with Retry-After in seconds).
 */
export class WebexEmulator implements Emulator {
  readonly name = 'webex';
  readonly serves: readonly SystemName[] = ['webexMeetings', 'webexBot'];
  readonly log = new RequestLog();
  readonly context: WebexContext;
  /** Replaceable, so a test can connect an account first and then make Webex busy. */
  limiter: RateLimiter | undefined;

  constructor(private readonly options: WebexEmulatorOptions) {
    this.limiter = options.rateLimitPerSecond ? new RateLimiter(options.rateLimitPerSecond) : undefined;
    const people = new Map<string, WebexPerson>();
    const tokens = new Map<string, string>();
    const newId = (type: string) => Buffer.from(`ciscospark://us/${type}/${randomUUID()}`).toString('base64url');
    const fail = (res: Response, status: number, message: string) => {
      res.send(status, { message, errors: [{ description: message }], trackingId: `SANDBOX_${randomUUID()}` });
    };
    const bot: WebexPerson = {
      id: newId('PEOPLE'),
      emails: ['een-bridge@webex.bot'],
      displayName: 'een-bridge',
      firstName: 'een-bridge',
      lastName: '',
      type: 'bot',
      orgId: SANDBOX_WEBEX_ORG_ID,
    };
    people.set(bot.id, bot);
    tokens.set(SANDBOX_WEBEX_BOT_TOKEN, bot.id);
    const record = recordInto(this.log);
    const latencyMs = options.latencyMs ?? 0;
    const limiter = () => this.limiter;
    this.context = {
      log: this.log,
      orgId: SANDBOX_WEBEX_ORG_ID,
      people,
      tokens,
      integrations: new Map([[SANDBOX_WEBEX_CLIENT_ID, new Set<string>()]]),
      newId,
      fail,
      authenticated(handler) {
        return [
          record,
          (req: Request, res: Response, next: Next) => {
            const retryAfter = limiter()?.take();
            if (retryAfter !== undefined) {
              res.setHeader('Retry-After', String(retryAfter));
              fail(res, 429, 'Too many requests have been made.');
              return next(false);
            }
            const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
            const person = token ? people.get(tokens.get(token) ?? '') : undefined;
            if (!person) {
              fail(res, 401, 'The request requires a valid access token set in the Authorization request header.');
              return next(false);
            }
            const run = () => {
              handler(req, res, person);
              next();
            };
            if (latencyMs > 0) setTimeout(run, latencyMs);
            else run();
          },
        ];
      },
    };
  }

  /**
   * Registers a redirect URI for an integration (made if new), as its owner does on
   * developer.webex.com; the authorize endpoint sends a browser nowhere else.
   */
  registerRedirectUri(clientId: string, uri: string): void {
    const uris = this.context.integrations.get(clientId) ?? new Set<string>();
    uris.add(uri);
    this.context.integrations.set(clientId, uris);
  }

  mount(server: Server, base: string): void {
    for (const feature of this.options.features) feature(server, `${base}/v1`, this.context);
  }
}
