import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { own, safeParseOwn, translate, type Database, type Logger, type MessageKey } from '../core';
import type { SlackInstallations } from './installations';

export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';
/** The bot scopes of manifests/slack/manifest.yaml. */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email'];

export interface SlackInstallOptions {
  db: Kysely<Database>;
  installations: SlackInstallations;
  log: Logger;
  clientId: string;
  clientSecret: string;
  /** https://slack.com/oauth/v2/authorize (the Slack emulator's in sandbox mode). */
  authorizeUrl: () => string;
  /** The Web API base ending in /api/, for oauth.v2.access. */
  apiUrl: () => string;
  redirectUri: () => string;
  stateTtlMs?: number;
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

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

function page(res: Response, status: number, key: MessageKey): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  const text = (locale: string) => translate(locale, key).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.sendRaw(status, `<!doctype html><html><head><meta charset="utf-8"><title>een-bridge</title></head><body><p>${text('nl')}</p><p>${text('en')}</p></body></html>`);
}

/**
 * Multi-workspace install with Slack OAuth v2 (api.slack.com/authentication/oauth-v2):
 * /slack/install sends the installer to Slack with a single-use state; Slack comes back to
 * /slack/oauth_redirect with a code, traded for the workspace's bot token, which is kept
 * sealed in the store and found by Bolt's `authorize` from then on.
 */
export function mountSlackInstall(server: Server, options: SlackInstallOptions): void {
  const { db, log } = options;
  const ttl = options.stateTtlMs ?? 10 * 60_000;

  server.get(SLACK_INSTALL_PATH, (_req: Request, res: Response, next: Next) => {
    const state = randomBytes(24).toString('base64url');
    const now = new Date();
    db.deleteFrom('slack_oauth_states')
      .where('expires_at', '<', now.toISOString())
      .execute()
      .then(() =>
        db.insertInto('slack_oauth_states').values({ state_hash: hash(state), expires_at: new Date(now.getTime() + ttl).toISOString(), created_at: now.toISOString() }).execute(),
      )
      .then(() => {
        const query = new URLSearchParams({ client_id: options.clientId, scope: SLACK_BOT_SCOPES.join(','), redirect_uri: options.redirectUri(), state });
        res.redirect(302, `${options.authorizeUrl()}?${query}`, next);
      }, next);
  });

  server.get(SLACK_OAUTH_REDIRECT_PATH, (req: Request, res: Response, next: Next) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const state = typeof own(q, 'state') === 'string' ? (q.state as string) : '';
    const code = typeof own(q, 'code') === 'string' ? (q.code as string) : '';
    (async () => {
      if (!state) return page(res, 400, 'slack.install.badState');
      const row = await db.deleteFrom('slack_oauth_states').where('state_hash', '=', hash(state)).returning('expires_at').executeTakeFirst();
      if (!row || Date.parse(row.expires_at) < Date.now()) return page(res, 400, 'slack.install.badState');
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
      await options.installations.save({
        teamId: i.team.id,
        teamName: i.team.name,
        enterpriseId: i.enterprise?.id,
        botUserId: i.bot_user_id,
        botId: undefined,
        botToken: i.access_token,
      });
      log.info({ teamId: i.team.id }, 'slack workspace installed');
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
