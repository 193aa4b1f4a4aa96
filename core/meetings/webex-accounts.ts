import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import { UpstreamError, UserError } from '../errors';
import { translate } from '../i18n';
import type { SecretStore } from '../identity/secrets';
import type { Database } from '../store/schema';
import type { WebexCredentials } from './meetings-port';

export interface WebexAccountsOptions {
  db: Kysely<Database>;
  secrets: SecretStore;
  clientId: string;
  clientSecret: string;
  /** Webex API base, e.g. https://webexapis.com/v1: `/authorize` and `/access_token` live under it. */
  apiUrl: () => string;
  /** Where Webex sends the browser back: <public url>/oauth/webex/callback. */
  redirectUri: () => string;
  /**
   * The Connect link shown in Slack: <public url>/oauth/webex/connect. It binds the flow to the
   * browser that opens it (a cookie) before sending that browser on to Webex.
   */
  connectUri: () => string;
  clock?: Clock;
  /** Refresh this long before the access token expires. */
  refreshMarginMs?: number;
  stateTtlMs?: number;
}

/** Scopes for meetings and the person's own details (developer.webex.com/docs/integrations, "Scopes"). */
export const WEBEX_MEETING_SCOPES = ['spark:people_read', 'meeting:schedules_read', 'meeting:schedules_write', 'meeting:preferences_read'];

const PURPOSE = 'webex-oauth';

// https://developer.webex.com/docs/login-with-webex#getting-an-access-token
const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1),
  refresh_token_expires_in: z.number().positive().optional(),
});

interface StoredTokens {
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string | undefined;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

// GET /people/me (https://developer.webex.com/docs/api/v1/people/get-my-own-details): `emails`.
const personMe = z.object({ emails: z.array(z.string()) });

/** Where a person asked for a Connect link; its pages and messages tell them how to ask again there. */
export type ConnectSurface = 'slack' | 'teams' | 'webex';

const SURFACES: readonly ConnectSurface[] = ['slack', 'teams', 'webex'];

/**
 * The `{connect}` (how to ask for a new Connect link) and `{platform}` of the meetings.* messages,
 * in the person's language and for the surface they are on (issue 14: a Teams or Webex user must
 * not be told "/webex connect", which only Slack knows). Without a surface (a link made before
 * surfaces were stored), every way is named.
 */
export function connectHint(locale: string | undefined, surface: ConnectSurface | undefined): { connect: string; platform: string } {
  return {
    connect: translate(locale, surface ? `meetings.connectHow.${surface}` : 'meetings.connectHow.any'),
    platform: translate(locale, surface ? `meetings.platform.${surface}` : 'meetings.platform.any'),
  };
}

/** An opened Connect link: where to send the browser, and the cookie that binds it. */
export interface OpenedConnect {
  authorizeUrl: string;
  /** The value of the browser's state cookie; only its hash is stored. */
  browserToken: string;
  userId: string;
}

/**
 * A person's Webex account, connected with the OAuth authorization-code grant. The `state`
 * is random, bound to the user, short-lived and deleted on first use; it is also bound to the
 * first browser that opens the Connect link (a cookie, RFC 6749 section 10.12 "Cross-Site
 * Request Forgery"), and the Webex account must have the user's e-mail address (GET
 * /people/me), so a link opened by someone else cannot tie their Webex account to the user
 * (login CSRF, issue 13). Tokens live sealed in the SecretStore and are refreshed before they
 * expire.
 */
export class WebexAccounts {
  private readonly clock: Clock;
  private readonly refreshMarginMs: number;
  private readonly stateTtlMs: number;
  /** One refresh per user at a time in this process; replicas may each refresh once, which Webex allows. */
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(private readonly options: WebexAccountsOptions) {
    this.clock = options.clock ?? systemClock;
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.stateTtlMs = options.stateTtlMs ?? 10 * 60_000;
  }

  /**
   * The Connect link to give the user; its state works once, for this user only. `surface` is
   * where they asked, so the pages after it say how to ask again there.
   */
  async beginConnect(userId: string, surface?: ConnectSurface): Promise<string> {
    const state = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    // Consents never finished would otherwise pile up.
    await this.options.db.deleteFrom('webex_oauth_states').where('expires_at', '<', now.toISOString()).execute();
    await this.options.db
      .insertInto('webex_oauth_states')
      .values({
        state_hash: hashState(state),
        user_id: userId,
        expires_at: new Date(now.getTime() + this.stateTtlMs).toISOString(),
        created_at: now.toISOString(),
        browser_hash: null,
        surface: surface ?? null,
      })
      .execute();
    return `${this.options.connectUri()}?${new URLSearchParams({ state })}`;
  }

  /** Whose Connect link this is (for the language of a page), while it is still valid. */
  async ownerOf(state: string): Promise<string | undefined> {
    return (await this.linkOf(state))?.userId;
  }

  /** Whose Connect link this is and where they asked for it (for the wording of a page), while it is still valid. */
  async linkOf(state: string): Promise<{ userId: string; surface: ConnectSurface | undefined } | undefined> {
    const row = await this.options.db.selectFrom('webex_oauth_states').select(['user_id', 'expires_at', 'surface']).where('state_hash', '=', hashState(state)).executeTakeFirst();
    if (!row || Date.parse(row.expires_at) < this.clock.now().getTime()) return undefined;
    return { userId: row.user_id, surface: SURFACES.find((s) => s === row.surface) };
  }

  /**
   * A browser opens the Connect link: the first one to do so is bound to it (the hash of a new
   * cookie value is stored); the same browser may open it again, any other is refused.
   */
  async openConnect(state: string, browserToken: string | undefined): Promise<OpenedConnect> {
    const stateHash = hashState(state);
    const row = await this.options.db.selectFrom('webex_oauth_states').select(['user_id', 'expires_at', 'browser_hash']).where('state_hash', '=', stateHash).executeTakeFirst();
    if (!row || Date.parse(row.expires_at) < this.clock.now().getTime()) throw new UserError('meetings.oauth.badState', {}, 400);
    let token = browserToken;
    if (row.browser_hash === null) {
      token = randomBytes(24).toString('base64url');
      // Only if still unbound: of two browsers opening it at once, one wins.
      const bound = await this.options.db
        .updateTable('webex_oauth_states')
        .set({ browser_hash: hashState(token) })
        .where('state_hash', '=', stateHash)
        .where('browser_hash', 'is', null)
        .executeTakeFirst();
      if (Number(bound.numUpdatedRows) !== 1) throw new UserError('meetings.oauth.otherBrowser', {}, 403);
    } else if (!token || !sameHash(row.browser_hash, hashState(token))) {
      throw new UserError('meetings.oauth.otherBrowser', {}, 403);
    }
    const query = new URLSearchParams({
      client_id: this.options.clientId,
      response_type: 'code',
      redirect_uri: this.options.redirectUri(),
      scope: WEBEX_MEETING_SCOPES.join(' '),
      state,
    });
    return { authorizeUrl: `${this.base()}/authorize?${query}`, browserToken: token!, userId: row.user_id };
  }

  /**
   * The callback: consumes the state, checks it comes back to the browser that opened the
   * link, trades the code for tokens, and keeps them only when the Webex account has the
   * user's e-mail address. Returns whose account it is.
   */
  async completeConnect(state: string, code: string, browserToken: string | undefined): Promise<string> {
    const row = await this.options.db
      .deleteFrom('webex_oauth_states')
      .where('state_hash', '=', hashState(state))
      .returning(['user_id', 'expires_at', 'browser_hash'])
      .executeTakeFirst();
    if (!row || Date.parse(row.expires_at) < this.clock.now().getTime()) throw new UserError('meetings.oauth.badState', {}, 400);
    if (!row.browser_hash || !browserToken || !sameHash(row.browser_hash, hashState(browserToken))) {
      throw new UserError('meetings.oauth.otherBrowser', {}, 403);
    }
    const user = await this.options.db.selectFrom('users').select('email').where('id', '=', row.user_id).executeTakeFirst();
    const email = user?.email?.trim().toLowerCase();
    if (!email) throw new UserError('meetings.oauth.noEmail', {}, 403);
    const tokens = await this.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: this.options.redirectUri() });
    const webexEmails = await this.emailsOf(tokens.access_token);
    if (!webexEmails.includes(email)) throw new UserError('meetings.oauth.wrongAccount', {}, 403);
    await this.save(row.user_id, tokens);
    return row.user_id;
  }

  /**
   * The e-mail addresses of the Webex account behind an access token, lower-cased. The code is
   * spent by now, so a 429 is waited out once (Retry-After, up to 10 s; Webex "Rate Limiting",
   * https://developer.webex.com/docs/basics#rate-limiting) rather than making the person start over.
   */
  private async emailsOf(accessToken: string, attempt = 1): Promise<string[]> {
    let res: Response;
    try {
      res = await fetch(`${this.base()}/people/me`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new UpstreamError('Webex', undefined, 'upstream.unavailable', undefined, (err as Error).message);
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? 1);
    if (res.status === 429 && attempt === 1 && retryAfter >= 0 && retryAfter <= 10) {
      await res.arrayBuffer().catch(() => undefined);
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      return this.emailsOf(accessToken, 2);
    }
    if (res.status === 429) throw new UpstreamError('Webex', 429, 'upstream.rateLimited', retryAfter);
    if (!res.ok) throw new UpstreamError('Webex', res.status, 'upstream.unavailable');
    const parsed = personMe.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new UpstreamError('Webex', res.status, 'upstream.unavailable', undefined, 'people/me has an unexpected shape');
    return parsed.data.emails.map((e) => e.trim().toLowerCase());
  }

  async isConnected(userId: string): Promise<boolean> {
    return (await this.options.secrets.get({ owner: userId, purpose: PURPOSE })) !== undefined;
  }

  /** Forgets the tokens; the next request asks the user to connect again. */
  async disconnect(userId: string): Promise<boolean> {
    return this.options.secrets.delete({ owner: userId, purpose: PURPOSE });
  }

  /** Credentials for the Meetings port; throws meetings.notConnected when there are none. */
  credentialsFor(userId: string): WebexCredentials {
    return {
      accessToken: async () => {
        const tokens = await this.load(userId);
        if (Date.parse(tokens.accessExpiresAt) - this.refreshMarginMs > this.clock.now().getTime()) return tokens.accessToken;
        return this.refresh(userId);
      },
      refresh: () => this.refresh(userId),
    };
  }

  private refresh(userId: string): Promise<string> {
    const running = this.refreshing.get(userId);
    if (running) return running;
    const job = (async () => {
      const current = await this.load(userId);
      if (current.refreshExpiresAt && Date.parse(current.refreshExpiresAt) <= this.clock.now().getTime()) {
        throw new UserError('meetings.reconnect', {}, 401);
      }
      let tokens: z.infer<typeof tokenResponse>;
      try {
        tokens = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: current.refreshToken });
      } catch (err) {
        if (err instanceof UserError) throw new UserError('meetings.reconnect', {}, 401);
        throw err;
      }
      await this.save(userId, tokens);
      return tokens.access_token;
    })().finally(() => this.refreshing.delete(userId));
    this.refreshing.set(userId, job);
    return job;
  }

  private async load(userId: string): Promise<StoredTokens> {
    const stored = await this.options.secrets.get({ owner: userId, purpose: PURPOSE });
    if (!stored) throw new UserError('meetings.notConnected', {}, 401);
    return JSON.parse(stored.value) as StoredTokens;
  }

  private async save(userId: string, t: z.infer<typeof tokenResponse>): Promise<void> {
    const now = this.clock.now().getTime();
    const value: StoredTokens = {
      accessToken: t.access_token,
      accessExpiresAt: new Date(now + t.expires_in * 1000).toISOString(),
      refreshToken: t.refresh_token,
      refreshExpiresAt: t.refresh_token_expires_in ? new Date(now + t.refresh_token_expires_in * 1000).toISOString() : undefined,
    };
    await this.options.secrets.put({ owner: userId, purpose: PURPOSE }, JSON.stringify(value), new Date(value.accessExpiresAt));
  }

  private async tokenRequest(grant: Record<string, string>): Promise<z.infer<typeof tokenResponse>> {
    let res: Response;
    try {
      res = await fetch(`${this.base()}/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ ...grant, client_id: this.options.clientId, client_secret: this.options.clientSecret }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new UpstreamError('Webex', undefined, 'upstream.unavailable', undefined, (err as Error).message);
    }
    // 400/401: the code or refresh token is bad or expired: the person must consent again.
    if (res.status === 400 || res.status === 401) throw new UserError('meetings.oauth.refused', {}, 400);
    if (!res.ok) throw new UpstreamError('Webex', res.status, 'upstream.unavailable');
    const parsed = tokenResponse.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new UpstreamError('Webex', res.status, 'upstream.unavailable', undefined, 'token response has an unexpected shape');
    return parsed.data;
  }

  private base(): string {
    return this.options.apiUrl().replace(/\/+$/, '');
  }
}
