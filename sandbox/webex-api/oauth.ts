/**
 * Webex OAuth for integrations (https://developer.webex.com/docs/integrations and
 * /docs/login-with-webex): GET /v1/authorize sends the browser back to redirect_uri with a
 * one-time `code` and the `state`; POST /v1/access_token (form-encoded) trades a code or a
 * refresh token for `{ access_token, expires_in, refresh_token, refresh_token_expires_in,
 * token_type }`. The sandbox consents at once, as the person named by `email` (or a new one).
 */
import { randomBytes } from 'node:crypto';
import type { Next, Request, Response, Server } from 'restify';
import { formBody } from '../../inbound';
import { recordInto } from '../emulator';
import type { WebexContext, WebexPerson } from './webex-emulator';

/** Lifetimes Webex documents: 14 days for access tokens, 90 days for refresh tokens. */
export const ACCESS_TOKEN_SECONDS = 1_209_600;
export const REFRESH_TOKEN_SECONDS = 7_776_000;

interface Grant {
  personId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  expiresAt: number;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sandbox's stand-in for Webex's sign-in page: one labelled field, the request carried along. */
function signInPage(res: Response, query: Record<string, string | undefined>): void {
  const hidden = Object.entries(query)
    .filter(([k, v]) => k !== 'email' && typeof v === 'string')
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join('');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.sendRaw(
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to Webex (sandbox)</title></head><body><main><h1>Sign in to Webex (sandbox)</h1><form method="get">${hidden}<label for="email">E-mail address</label> <input id="email" name="email" type="email" required autocomplete="email"> <button type="submit">Sign in and allow</button></form></main></body></html>`,
  );
}

export function oauthFeature(server: Server, base: string, ctx: WebexContext): void {
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const record = recordInto(ctx.log);

  function personFor(email: string | undefined): WebexPerson {
    const existing = email ? [...ctx.people.values()].find((p) => p.emails.includes(email)) : undefined;
    if (existing) return existing;
    const n = ctx.people.size;
    const address = email ?? `sandbox.user${n}@example.com`;
    const name = address.split('@')[0]!;
    const person: WebexPerson = {
      id: ctx.newId('PEOPLE'),
      emails: [address],
      displayName: name,
      firstName: name,
      lastName: '',
      type: 'person',
      orgId: ctx.orgId,
    };
    ctx.people.set(person.id, person);
    return person;
  }

  server.get(`${base}/authorize`, record, (req: Request, res: Response, next: Next) => {
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    if (q.response_type !== 'code' || !q.client_id || !q.redirect_uri) {
      ctx.fail(res, 400, 'client_id, redirect_uri and response_type=code are required.');
      return next();
    }
    // RFC 6749 section 4.1.2.1: with an unknown client or a redirect URI that is not registered,
    // the server tells the person and MUST NOT redirect (no open redirect).
    if (!ctx.integrations.get(q.client_id)?.has(q.redirect_uri)) {
      ctx.fail(res, 400, 'The client_id is unknown or the redirect_uri is not registered for this integration.');
      return next();
    }
    // Webex asks the person to sign in before it sends the browser back; the sandbox asks for the
    // e-mail address to sign in as (tests may pass it as `email` to skip the page).
    if (!q.email) {
      signInPage(res, q);
      return next();
    }
    const redirect = new URL(q.redirect_uri);
    const person = personFor(q.email);
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { personId: person.id, clientId: q.client_id, redirectUri: q.redirect_uri, scope: q.scope ?? '', expiresAt: Date.now() + 5 * 60_000 });
    redirect.searchParams.set('code', code);
    if (q.state !== undefined) redirect.searchParams.set('state', q.state);
    res.redirect(302, redirect.toString(), next);
  });

  server.post(`${base}/access_token`, record, formBody(), (req: Request, res: Response, next: Next) => {
    const b = (req.body ?? {}) as Record<string, string | undefined>;
    let grant: Grant | undefined;
    if (b.grant_type === 'authorization_code') {
      grant = b.code ? codes.get(b.code) : undefined;
      if (b.code) codes.delete(b.code); // one use, whatever happens next
      if (!grant || grant.expiresAt < Date.now() || grant.clientId !== b.client_id || grant.redirectUri !== b.redirect_uri) grant = undefined;
    } else if (b.grant_type === 'refresh_token') {
      grant = b.refresh_token ? refreshTokens.get(b.refresh_token) : undefined;
      if (grant && (grant.clientId !== b.client_id || grant.expiresAt < Date.now())) grant = undefined;
    }
    if (!grant || !b.client_secret) {
      ctx.fail(res, 400, 'The code or refresh token is invalid or expired.');
      return next();
    }
    const accessToken = `sandbox-at-${randomBytes(24).toString('base64url')}`;
    ctx.tokens.set(accessToken, grant.personId);
    let refreshToken = b.refresh_token;
    if (b.grant_type === 'authorization_code' || !refreshToken) {
      refreshToken = `sandbox-rt-${randomBytes(24).toString('base64url')}`;
      refreshTokens.set(refreshToken, { ...grant, expiresAt: Date.now() + REFRESH_TOKEN_SECONDS * 1000 });
    }
    res.send(200, {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_SECONDS,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
      token_type: 'Bearer',
      scope: grant.scope,
    });
    next();
  });
}
