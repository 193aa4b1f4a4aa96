import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import { UpstreamError, UserError } from '../errors';
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

/**
 * A person's Webex account, connected with the OAuth authorization-code grant. The `state`
 * is random, bound to the user, short-lived and deleted on first use; tokens live sealed in
 * the SecretStore and are refreshed before they expire.
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

  /** The consent URL to send the user to; its state works once, for this user only. */
  async beginConnect(userId: string): Promise<string> {
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
      })
      .execute();
    const query = new URLSearchParams({
      client_id: this.options.clientId,
      response_type: 'code',
      redirect_uri: this.options.redirectUri(),
      scope: WEBEX_MEETING_SCOPES.join(' '),
      state,
    });
    return `${this.base()}/authorize?${query}`;
  }

  /** The callback: consumes the state, trades the code for tokens, returns whose account it is. */
  async completeConnect(state: string, code: string): Promise<string> {
    const row = await this.options.db
      .deleteFrom('webex_oauth_states')
      .where('state_hash', '=', hashState(state))
      .returning(['user_id', 'expires_at'])
      .executeTakeFirst();
    if (!row || Date.parse(row.expires_at) < this.clock.now().getTime()) throw new UserError('meetings.oauth.badState', {}, 400);
    const tokens = await this.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: this.options.redirectUri() });
    await this.save(row.user_id, tokens);
    return row.user_id;
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
