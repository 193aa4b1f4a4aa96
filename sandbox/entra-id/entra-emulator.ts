import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { JWK, KeyLike } from 'jose';
import type { Next, Request, Response, Server } from 'restify';
import type { SystemName } from '../../core';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';

/**
 * The sandbox's local token issuer for the console's sign-in: the Microsoft identity platform's
 * OpenID Connect authorization code flow with PKCE (learn.microsoft.com, "Microsoft identity
 * platform and OAuth 2.0 authorization code flow", and "OpenID Connect on the Microsoft identity
 * platform"), under https://login.sandbox.invalid/{tenant}/… — a host that never resolves; the
 * console's msal-node client reaches it on this process (console/sign-in.ts).
 *
 * As strict as Entra where the console could get it wrong: response_type must be `code`,
 * client_id and redirect_uri must match the app registration (else an error page, AADSTS700016 /
 * AADSTS50011, and no redirect), PKCE is required with S256 (AADSTS9002325 without it), a code
 * is good once and for ten minutes, and the token request must repeat the redirect_uri and carry
 * the client secret and the code_verifier (AADSTS50148 on a mismatch). Error bodies have Entra's
 * shape: `{ error, error_description, error_codes, timestamp, trace_id, correlation_id }`.
 */
export const SANDBOX_CONSOLE_TENANT_ID = '72f988bf-0000-4000-8000-00000000e1e1';
export const SANDBOX_CONSOLE_CLIENT_ID = '5e0c0a5b-0000-4000-8000-00000000c0de';
export const SANDBOX_CONSOLE_CLIENT_SECRET = 'sandbox-console-client-secret';
/** The group whose members may use the console's administration in sandbox mode. */
export const SANDBOX_CONSOLE_ADMIN_GROUP = 'a11ce000-0000-4000-8000-00000000ad01';
export const SANDBOX_ENTRA_HOST = 'login.sandbox.invalid';

export interface SandboxEntraUser {
  oid: string;
  name: string;
  preferredUsername: string;
  groups: string[];
}

export const SANDBOX_ENTRA_USERS: readonly SandboxEntraUser[] = [
  { oid: '6d3f1f5e-0000-4000-8000-00000000ad01', name: 'Fatima el Amrani', preferredUsername: 'fatima.elamrani@sandbox.kpneen.nl', groups: [SANDBOX_CONSOLE_ADMIN_GROUP] },
  { oid: '6d3f1f5e-0000-4000-8000-00000000a003', name: 'Pieter Bakker', preferredUsername: 'pieter.bakker@sandbox.kpneen.nl', groups: [] },
  // An administrator in more groups than fit in a token: the ID token carries the overage claim.
  {
    oid: '6d3f1f5e-0000-4000-8000-00000000ad02',
    name: 'Daan de Groot',
    preferredUsername: 'daan.degroot@sandbox.kpneen.nl',
    groups: [...Array.from({ length: 240 }, (_, i) => `0000${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`), SANDBOX_CONSOLE_ADMIN_GROUP],
  },
];

/** Entra puts at most 200 groups in a JWT; beyond that it sends the overage claim instead. */
const GROUPS_IN_TOKEN = 200;
/** Microsoft Graph's application id: the `aud` of tokens for graph.microsoft.com. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  scope: string;
  user: SandboxEntraUser;
  tenant: string;
  expires: number;
}

const CODE_LIFETIME_MS = 10 * 60_000;

export class EntraEmulator implements Emulator {
  readonly name = 'entra';
  readonly serves: readonly SystemName[] = ['console'];
  readonly log = new RequestLog();
  private readonly codes = new Map<string, Grant>();
  private keys: Promise<{ privateKey: KeyLike; jwk: JWK }> | undefined;

  /** The app registration's one redirect URI: the console on this same process. */
  private registeredRedirect(req: Request): string {
    const host = req.headers.host ?? '127.0.0.1';
    return `http://${host}/console/callback`;
  }

  mount(server: Server, base: string): void {
    const record = recordInto(this.log);
    const issuer = (tenant: string) => `https://${SANDBOX_ENTRA_HOST}/${tenant}/v2.0`;

    server.get(`${base}/:tenant/v2.0/.well-known/openid-configuration`, record, (req: Request, res: Response, next: Next) => {
      const t = String(req.params.tenant);
      const root = `https://${SANDBOX_ENTRA_HOST}/${t}`;
      res.send(200, {
        issuer: issuer(t),
        authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
        token_endpoint: `${root}/oauth2/v2.0/token`,
        end_session_endpoint: `${root}/oauth2/v2.0/logout`,
        jwks_uri: `https://${SANDBOX_ENTRA_HOST}/${t}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        code_challenge_methods_supported: ['plain', 'S256'],
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'name', 'preferred_username', 'oid', 'tid', 'groups', 'roles'],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'sandbox.invalid',
      });
      next();
    });
    server.get(`${base}/:tenant/discovery/v2.0/keys`, record, (_req: Request, res: Response, next: Next) => {
      this.signingKeys().then(({ jwk }) => {
        res.send(200, { keys: [jwk] });
        next();
      }, next);
    });

    // The sign-in page: the person picks a sandbox account (Entra would ask for a password).
    server.get(`${base}/:tenant/oauth2/v2.0/authorize`, record, (req: Request, res: Response, next: Next) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const problem = this.authorizeProblem(req, q);
      if (problem?.page) return this.errorPage(res, next, problem.message);
      if (problem) return this.redirectError(res, next, q, problem.code, problem.message);
      const fields = [...q].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      const buttons = SANDBOX_ENTRA_USERS.map((u) => `<button name="login_hint" value="${escapeHtml(u.preferredUsername)}">${escapeHtml(u.name)} (${escapeHtml(u.preferredUsername)})</button>`).join('<br>');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
      res.sendRaw(200, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (sandbox)</title></head><body>
<main><h1>Sign in to your account (sandbox)</h1><p>Pick an account of the sandbox tenant. / Kies een account van de sandboxtenant.</p>
<form method="post" action="${escapeHtml(`${base}/${String(req.params.tenant)}/oauth2/v2.0/authorize`)}">${fields}${buttons}</form></main></body></html>`);
      next();
    });
    server.post(`${base}/:tenant/oauth2/v2.0/authorize`, record, (req: Request, res: Response, next: Next) => {
      const form = new URLSearchParams(Buffer.isBuffer(req.rawBody) ? req.rawBody.toString('utf8') : '');
      const problem = this.authorizeProblem(req, form);
      if (problem?.page) return this.errorPage(res, next, problem.message);
      if (problem) return this.redirectError(res, next, form, problem.code, problem.message);
      const user = SANDBOX_ENTRA_USERS.find((u) => u.preferredUsername === form.get('login_hint'));
      if (!user) return this.redirectError(res, next, form, 'access_denied', 'AADSTS50034: The user account does not exist in the directory.');
      const code = randomBytes(32).toString('base64url');
      this.codes.set(code, {
        clientId: form.get('client_id')!,
        redirectUri: form.get('redirect_uri')!,
        challenge: form.get('code_challenge')!,
        nonce: form.get('nonce') ?? undefined,
        scope: form.get('scope') ?? 'openid',
        user,
        tenant: String(req.params.tenant),
        expires: Date.now() + CODE_LIFETIME_MS,
      });
      const back = new URL(form.get('redirect_uri')!);
      back.searchParams.set('code', code);
      if (form.get('state')) back.searchParams.set('state', form.get('state')!);
      back.searchParams.set('session_state', randomUUID());
      res.redirect(302, back.toString(), next);
    });

    server.post(`${base}/:tenant/oauth2/v2.0/token`, record, (req: Request, res: Response, next: Next) => {
      const form = new URLSearchParams(Buffer.isBuffer(req.rawBody) ? req.rawBody.toString('utf8') : '');
      const fail = (status: number, error: string, description: string, code: number) => {
        res.send(status, { error, error_description: description, error_codes: [code], timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z', trace_id: randomUUID(), correlation_id: randomUUID() });
        next();
      };
      const grantType = form.get('grant_type');
      if (grantType !== 'authorization_code' && grantType !== 'client_credentials') return fail(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.', 70003);
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent) : [];
      const clientId = form.get('client_id') ?? basicId;
      const secret = form.get('client_secret') ?? basicSecret;
      if (clientId !== SANDBOX_CONSOLE_CLIENT_ID) return fail(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId ?? ''}' was not found in the directory.`, 700016);
      if (!secret || !safeEqual(secret, SANDBOX_CONSOLE_CLIENT_SECRET)) return fail(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.', 7000215);
      if (grantType === 'client_credentials') {
        // App-only tokens ("OAuth 2.0 client credentials flow"): scope must be {resource}/.default (AADSTS1002012 otherwise).
        const scope = form.get('scope') ?? '';
        if (scope.split(' ').filter(Boolean).length !== 1 || !scope.endsWith('/.default')) return fail(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`, 1002012);
        if (scope !== 'https://graph.microsoft.com/.default') return fail(400, 'invalid_resource', `AADSTS500011: The resource principal named ${scope.replace(/\/\.default$/, '')} was not found in the tenant.`, 500011);
        this.appToken(String(req.params.tenant), clientId).then((body) => {
          res.setHeader('Cache-Control', 'no-store');
          res.send(200, body);
          next();
        }, next);
        return;
      }
      const code = form.get('code') ?? '';
      const grant = this.codes.get(code);
      this.codes.delete(code);
      if (!grant || grant.expires < Date.now() || grant.clientId !== clientId) return fail(400, 'invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired or was already redeemed.', 70008);
      if (form.get('redirect_uri') !== grant.redirectUri) return fail(400, 'invalid_grant', 'AADSTS50011: The redirect URI specified in the request does not match the redirect URI the authorization code was issued for.', 50011);
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return fail(400, 'invalid_grant', 'AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.', 50148);
      }
      this.tokens(grant).then((body) => {
        res.setHeader('Cache-Control', 'no-store');
        res.send(200, body);
        next();
      }, next);
    });

    // Microsoft Graph's checkMemberGroups for the sandbox directory (learn.microsoft.com/graph/api/
    // user-checkmembergroups): an app-only token with GroupMember.Read.All, at most 20 ids, and
    // Graph's error shape ({ error: { code, message, innerError } }) when refused.
    server.post(`${base}/graph/v1.0/users/:id/checkMemberGroups`, record, (req: Request, res: Response, next: Next) => {
      const graphError = (status: number, code: string, message: string) => {
        res.send(status, { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } });
        next();
      };
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
      this.verifyAppToken(bearer).then(
        (roles) => {
          if (!roles) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
          if (!roles.includes('GroupMember.Read.All') && !roles.includes('Directory.Read.All')) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
          let body: unknown;
          try {
            body = JSON.parse(Buffer.isBuffer(req.rawBody) ? req.rawBody.toString('utf8') : '');
          } catch {
            return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
          }
          const ids = (body as { groupIds?: unknown } | null)?.groupIds;
          if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20 || !ids.every((i) => typeof i === 'string')) return graphError(400, 'Request_BadRequest', 'Invalid value specified for property \'groupIds\' of resource \'DirectoryObject\'.');
          const user = SANDBOX_ENTRA_USERS.find((u) => u.oid === String(req.params.id));
          if (!user) return graphError(404, 'Request_ResourceNotFound', `Resource '${String(req.params.id)}' does not exist or one of its queried reference-property objects are not present.`);
          res.send(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)', value: (ids as string[]).filter((i) => user.groups.includes(i)) });
          next();
        },
        next,
      );
    });
  }

  /** An app-only token for Microsoft Graph with the console registration's application permissions. */
  private async appToken(tenant: string, clientId: string): Promise<Record<string, unknown>> {
    const { privateKey, jwk } = await this.signingKeys();
    const { SignJWT } = await import('jose');
    const accessToken = await new SignJWT({ tid: tenant, appid: clientId, roles: ['User.Read.All', 'GroupMember.Read.All'] })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ: 'JWT' })
      .setIssuer(`https://sts.${SANDBOX_ENTRA_HOST}/${tenant}/`)
      .setAudience(GRAPH_APP_ID)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    return { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken };
  }

  /** The roles of a valid app-only Graph token from this issuer, or undefined. */
  private async verifyAppToken(token: string): Promise<string[] | undefined> {
    const { jwk } = await this.signingKeys();
    const { importJWK, jwtVerify } = await import('jose');
    try {
      const { payload } = await jwtVerify(token, await importJWK(jwk, 'RS256'), { audience: GRAPH_APP_ID });
      return Array.isArray(payload.roles) ? payload.roles.map(String) : [];
    } catch {
      return undefined;
    }
  }

  /** What Entra refuses at the authorize endpoint; `page` when it cannot trust redirect_uri. */
  private authorizeProblem(req: Request, q: URLSearchParams): { page?: true; code: string; message: string } | undefined {
    if (q.get('client_id') !== SANDBOX_CONSOLE_CLIENT_ID) return { page: true, code: 'unauthorized_client', message: `AADSTS700016: Application with identifier '${q.get('client_id') ?? ''}' was not found in the directory.` };
    if (q.get('redirect_uri') !== this.registeredRedirect(req)) return { page: true, code: 'invalid_request', message: `AADSTS50011: The redirect URI '${q.get('redirect_uri') ?? ''}' specified in the request does not match the redirect URIs configured for the application.` };
    if (q.get('response_type') !== 'code') return { code: 'unsupported_response_type', message: 'AADSTS700054: response_type must be code for this application.' };
    if (!(q.get('scope') ?? '').split(' ').includes('openid')) return { code: 'invalid_request', message: 'AADSTS900144: The request body must contain the following parameter: scope (openid).' };
    if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256') return { code: 'invalid_request', message: 'AADSTS9002325: Proof Key for Code Exchange is required, with code_challenge_method S256.' };
    return undefined;
  }

  private errorPage(res: Response, next: Next, message: string): void {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.sendRaw(400, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in error</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p>${escapeHtml(message)}</p></body></html>`);
    next();
  }

  private redirectError(res: Response, next: Next, q: URLSearchParams, code: string, message: string): void {
    const back = new URL(q.get('redirect_uri')!);
    back.searchParams.set('error', code);
    back.searchParams.set('error_description', message);
    if (q.get('state')) back.searchParams.set('state', q.get('state')!);
    res.redirect(302, back.toString(), next);
  }

  /** The token response (learn.microsoft.com, "Successful response" of the code redemption). */
  private async tokens(grant: Grant): Promise<Record<string, unknown>> {
    const { privateKey, jwk } = await this.signingKeys();
    const { SignJWT } = await import('jose');
    const iss = `https://${SANDBOX_ENTRA_HOST}/${grant.tenant}/v2.0`;
    const idToken = await new SignJWT({
      ver: '2.0',
      tid: grant.tenant,
      oid: grant.user.oid,
      name: grant.user.name,
      preferred_username: grant.user.preferredUsername,
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      // Over the limit, Entra names a source instead of listing the groups.
      ...(grant.user.groups.length > GROUPS_IN_TOKEN
        ? { _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: `https://graph.windows.net/${grant.tenant}/users/${grant.user.oid}/getMemberObjects` } } }
        : { groups: grant.user.groups }),
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ: 'JWT' })
      .setIssuer(iss)
      .setAudience(grant.clientId)
      .setSubject(`sub-${grant.user.oid}`)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('1h')
      .sign(privateKey);
    const accessToken = await new SignJWT({ tid: grant.tenant, oid: grant.user.oid, scp: 'openid profile email User.Read' })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ: 'JWT' })
      .setIssuer(`https://sts.${SANDBOX_ENTRA_HOST}/${grant.tenant}/`)
      .setAudience('00000003-0000-0000-c000-000000000000')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    return {
      token_type: 'Bearer',
      scope: 'openid profile email User.Read',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      id_token: idToken,
      // client_info: base64url JSON of uid and utid, which MSAL asks for (client_info=1).
      client_info: Buffer.from(JSON.stringify({ uid: grant.user.oid, utid: grant.tenant })).toString('base64url'),
    };
  }

  private signingKeys(): Promise<{ privateKey: KeyLike; jwk: JWK }> {
    // jose (about 80 modules) is loaded with the first key, not when the sandbox starts (issue 17).
    this.keys ??= import('jose').then(async ({ exportJWK, generateKeyPair }) => {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: `sandbox-${randomUUID().slice(0, 8)}`, alg: 'RS256', use: 'sig' } };
    });
    return this.keys;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
