import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { own, safeParseOwn, translate, type Logger, type MessageKey, type MessageParams, type WorkspaceInstallations } from '../core';

export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';
/** The bot scopes of manifests/slack/manifest.yaml. */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email'];

export interface SlackInstallOptions {
  /** Installations (bot tokens sealed) and the install states already used, kept by the core. */
  installations: WorkspaceInstallations;
  log: Logger;
  clientId: string;
  clientSecret: string;
  /** https://slack.com/oauth/v2/authorize (the Slack emulator's in sandbox mode). */
  authorizeUrl: () => string;
  /** The Web API base ending in /api/, for oauth.v2.access. */
  apiUrl: () => string;
  redirectUri: () => string;
  stateTtlMs?: number;
  /** Whether een-bridge's administrator allowed the workspace: the installer is told when not yet. */
  served?: (teamId: string) => Promise<boolean>;
}

// https://api.slack.com/methods/oauth.v2.access, "Example response".
const accessResponse = z.object({
  ok: z.literal(true),
  access_token: z.string().min(1),
  token_type: z.literal('bot'),
  bot_user_id: z.string().min(1),
  team: z.object({ id: z.string().min(1), name: z.string().optional() }),
  enterprise: z.object({ id: z.string(), name: z.string().optional() }).nullable().optional(),
});

/**
 * The install state is signed, not stored: `v1.<expiry, epoch seconds in base 36>.<nonce>.<HMAC>`,
 * HMAC-SHA256 over the first three parts. Like @slack/oauth's ClearStateStore
 * (slackapi/node-slack-sdk packages/oauth/src/state-stores/clear-state-store.ts: a signed state
 * with a 600 s expiry) it needs no row per visit, so GET /slack/install writes nothing however
 * often it is hit; every replica that shares the Slack client secret can check it.
 */
export function signInstallState(key: string, nowMs: number, ttlMs: number): string {
  const body = `v1.${Math.floor((nowMs + ttlMs) / 1000).toString(36)}.${randomBytes(16).toString('base64url')}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

export function verifyInstallState(key: string, state: string, nowMs: number): boolean {
  const m = /^(v1\.([0-9a-z]{1,10})\.[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(state);
  if (!m) return false;
  const expected = createHmac('sha256', key).update(m[1]!).digest();
  const given = Buffer.from(m[3]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return parseInt(m[2]!, 36) * 1000 >= nowMs;
}

/**
 * The browser that started the install carries its state in this cookie, and the redirect is
 * accepted only with both (the state-in-browser-session check of @slack/oauth's InstallProvider,
 * packages/oauth/src/install-provider.ts, cookie `slack-app-oauth-state`): a link started by
 * one person cannot be finished in another person's browser.
 */
export const INSTALL_STATE_COOKIE = 'een-slack-install-state';

function stateCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${INSTALL_STATE_COOKIE}=${value}; Max-Age=${maxAgeSeconds}; Path=${SLACK_OAUTH_REDIRECT_PATH}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function page(res: Response, status: number, key: MessageKey, params: MessageParams = {}): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  const text = (locale: string) => translate(locale, key, params).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.sendRaw(status, `<!doctype html><html><head><meta charset="utf-8"><title>een-bridge</title></head><body><p>${text('nl')}</p><p>${text('en')}</p></body></html>`);
}

/**
 * Multi-workspace install with Slack OAuth v2 (api.slack.com/authentication/oauth-v2):
 * /slack/install sends the installer to Slack with a single-use state; Slack comes back to
 * /slack/oauth_redirect with a code, traded for the workspace's bot token, which is kept
 * sealed in the store and found by Bolt's `authorize` from then on.
 */
export function mountSlackInstall(server: Server, options: SlackInstallOptions): void {
  const { installations, log } = options;
  const ttl = options.stateTtlMs ?? 10 * 60_000;

  // The state key: derived from the client secret, which only een-bridge and Slack hold.
  const stateKey = createHmac('sha256', options.clientSecret).update('een-bridge slack install state v1').digest('base64url');
  const secure = () => options.redirectUri().startsWith('https:');

  server.get(SLACK_INSTALL_PATH, (_req: Request, res: Response, next: Next) => {
    const state = signInstallState(stateKey, Date.now(), ttl);
    res.setHeader('Set-Cookie', stateCookie(state, Math.floor(ttl / 1000), secure()));
    const query = new URLSearchParams({ client_id: options.clientId, scope: SLACK_BOT_SCOPES.join(','), redirect_uri: options.redirectUri(), state });
    res.redirect(302, `${options.authorizeUrl()}?${query}`, next);
  });

  server.get(SLACK_OAUTH_REDIRECT_PATH, (req: Request, res: Response, next: Next) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const state = typeof own(q, 'state') === 'string' ? (q.state as string) : '';
    const code = typeof own(q, 'code') === 'string' ? (q.code as string) : '';
    (async () => {
      // Signed and unexpired, the same as this browser's cookie, and not used for an install yet.
      if (!state || !verifyInstallState(stateKey, state, Date.now()) || cookieValue(req, INSTALL_STATE_COOKIE) !== state) {
        return page(res, 400, 'slack.install.badState');
      }
      res.setHeader('Set-Cookie', stateCookie('', 0, secure()));
      if (await installations.stateUsed(state)) return page(res, 400, 'slack.install.badState');
      if (!code) return page(res, 400, 'slack.install.denied');
      const answer = await fetch(`${options.apiUrl().replace(/\/?$/, '/')}oauth.v2.access`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: options.clientId, client_secret: options.clientSecret, code, redirect_uri: options.redirectUri() }),
        signal: AbortSignal.timeout(10_000),
      }).then((r) => r.json() as Promise<unknown>);
      const parsed = safeParseOwn(accessResponse, answer);
      if (!parsed.success) {
        log.warn({ error: own(answer, 'error') }, 'slack install refused');
        return page(res, 502, 'slack.install.failed');
      }
      const i = parsed.data;
      await installations.save({
        teamId: i.team.id,
        teamName: i.team.name,
        enterpriseId: i.enterprise?.id,
        botUserId: i.bot_user_id,
        botId: undefined,
        botToken: i.access_token,
      });
      // Only now is a row written, one per installation Slack granted (not per visit): it refuses
      // this state a second time until it expires, and expired ones are cleared on the way.
      await installations.useState(state, ttl);
      log.info({ teamId: i.team.id }, 'slack workspace installed');
      // Installed is not served (docs/security.md): say so now, not at the first refused /webex.
      if (options.served && !(await options.served(i.team.id))) return page(res, 200, 'slack.install.notServed', { teamId: i.team.id });
      page(res, 200, 'slack.install.done');
    })().then(
      () => next(),
      (err: unknown) => {
        log.error({ err }, 'slack install failed');
        page(res, 502, 'slack.install.failed');
        next();
      },
    );
  });
}
