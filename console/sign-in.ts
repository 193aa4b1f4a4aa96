import { createHash, randomBytes } from 'node:crypto';
import type { ConfidentialClientApplication, INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Config } from '../core';
import {
  SANDBOX_CONSOLE_ADMIN_GROUP,
  SANDBOX_CONSOLE_CLIENT_ID,
  SANDBOX_CONSOLE_CLIENT_SECRET,
  SANDBOX_CONSOLE_TENANT_ID,
  SANDBOX_ENTRA_HOST,
} from '../sandbox/entra-id/entra-emulator';

export interface SignInSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** An Entra group object id (the `groups` claim) or app role value (the `roles` claim). */
  adminGroup: string;
  sandbox: boolean;
}

/** The console's app registration: CONSOLE_* when set, the sandbox issuer's in sandbox mode, none when off. */
export function signInSettings(config: Config): SignInSettings | undefined {
  const c = config.systems.console;
  if (c.mode === 'real') {
    const s = c.settings;
    return { tenantId: s.CONSOLE_TENANT_ID!, clientId: s.CONSOLE_CLIENT_ID!, clientSecret: s.CONSOLE_CLIENT_SECRET!, adminGroup: s.CONSOLE_ADMIN_GROUP!, sandbox: false };
  }
  if (c.mode === 'sandbox') {
    return { tenantId: SANDBOX_CONSOLE_TENANT_ID, clientId: SANDBOX_CONSOLE_CLIENT_ID, clientSecret: SANDBOX_CONSOLE_CLIENT_SECRET, adminGroup: SANDBOX_CONSOLE_ADMIN_GROUP, sandbox: true };
  }
  return undefined;
}

export interface SignedIn {
  oid: string;
  tid: string;
  name: string;
  username: string;
  admin: boolean;
}

/**
 * Sign-in with Microsoft Entra ID: the authorization code flow with PKCE (RFC 7636, S256) through
 * msal-node's ConfidentialClientApplication (getAuthCodeUrl / acquireTokenByCode, AzureAD/
 * microsoft-authentication-library-for-js lib/msal-node/docs/request.md). An administrator is
 * someone whose ID token lists the admin group in `groups` or the app role in `roles`
 * (learn.microsoft.com, "Configure group claims" and "Add app roles").
 *
 * In sandbox mode the authority is https://login.sandbox.invalid/<tenant>, a host that never
 * resolves: msal-node's network calls go, through its `networkClient` option, to the Entra
 * emulator on this process, and the browser is sent to that emulator's authorize page.
 */
export class ConsoleSignIn {
  private client: Promise<{ msal: ConfidentialClientApplication; responseModeQuery: 'query' }> | undefined;

  constructor(
    private readonly settings: SignInSettings,
    private readonly self: () => string,
    /** Told when a group-overage lookup fails (the person is then not an administrator). */
    private readonly onLookupFailure: (err: unknown) => void = () => undefined,
  ) {}

  /** msal-node is loaded at the first sign-in, not with the service (issue 17: footprint). */
  private msal(): Promise<{ msal: ConfidentialClientApplication; responseModeQuery: 'query' }> {
    this.client ??= import('@azure/msal-node').then(({ ConfidentialClientApplication, ResponseMode }) => ({
      msal: this.create(ConfidentialClientApplication),
      responseModeQuery: ResponseMode.QUERY,
    }));
    return this.client;
  }

  private create(Client: typeof ConfidentialClientApplication): ConfidentialClientApplication {
    const settings = this.settings;
    const host = settings.sandbox ? SANDBOX_ENTRA_HOST : 'login.microsoftonline.com';
    return new Client({
      auth: {
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        authority: `https://${host}/${settings.tenantId}`,
        ...(settings.sandbox ? { knownAuthorities: [SANDBOX_ENTRA_HOST] } : {}),
      },
      ...(settings.sandbox ? { system: { networkClient: loopbackNetwork(() => this.sandboxBase()) } } : {}),
    });
  }

  /** Where the browser goes to sign in, and what the callback must check. */
  async start(redirectUri: string, browserOrigin: string): Promise<{ url: string; state: string; nonce: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const { msal, responseModeQuery } = await this.msal();
    const url = await msal.getAuthCodeUrl({
      scopes: ['openid', 'profile', 'email'],
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      nonce,
      responseMode: responseModeQuery,
      prompt: 'select_account',
    });
    return { url: this.settings.sandbox ? url.replace(`https://${SANDBOX_ENTRA_HOST}`, `${browserOrigin}/sandbox/entra`) : url, state, nonce, verifier };
  }

  /** Redeems the code; the ID token's nonce must be the one this sign-in sent. */
  async finish(code: string, redirectUri: string, verifier: string, nonce: string): Promise<SignedIn> {
    const { msal } = await this.msal();
    const result = await msal.acquireTokenByCode({ code, redirectUri, codeVerifier: verifier, scopes: ['openid', 'profile', 'email'] });
    const claims = (result.idTokenClaims ?? {}) as Record<string, unknown>;
    if (claims.nonce !== nonce) throw new Error('the ID token does not carry this sign-in\'s nonce');
    if (claims.aud !== this.settings.clientId) throw new Error('the ID token is for another application');
    if (claims.tid !== this.settings.tenantId) throw new Error('the ID token is from another tenant');
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    const oid = String(claims.oid ?? '');
    const admin =
      list(claims.groups).includes(this.settings.adminGroup) ||
      list(claims.roles).includes(this.settings.adminGroup) ||
      (groupsOverage(claims) && (await this.memberOfAdminGroup(oid)));
    return {
      oid,
      tid: String(claims.tid ?? ''),
      name: String(claims.name ?? claims.preferred_username ?? ''),
      username: String(claims.preferred_username ?? ''),
      admin,
    };
  }

  /**
   * Group overage: someone in more than 200 groups gets an ID token without `groups`, carrying
   * `_claim_names.groups` (or `hasgroups`) instead (learn.microsoft.com, "Configure group claims for
   * applications", Group overage claim; "ID token claims reference"). Then the membership is asked of
   * Microsoft Graph, `POST /users/{id}/checkMemberGroups` (learn.microsoft.com/graph/api/
   * user-checkmembergroups; application permissions User.Read.All and GroupMember.Read.All), with an
   * app-only token from the client-credentials grant. Any failure there refuses: never admin by
   * default.
   */
  private async memberOfAdminGroup(oid: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(oid)) return false;
    try {
      const { msal } = await this.msal();
      const token = await msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
      if (!token?.accessToken) return false;
      const graph = this.settings.sandbox ? `${this.sandboxBase()}/graph/v1.0` : 'https://graph.microsoft.com/v1.0';
      const res = await fetch(`${graph}/users/${encodeURIComponent(oid)}/checkMemberGroups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ groupIds: [this.settings.adminGroup] }),
        signal: AbortSignal.timeout(10_000),
        redirect: 'error',
      });
      if (!res.ok) throw new GroupLookupError(res.status);
      const body = (await res.json()) as { value?: unknown };
      return Array.isArray(body.value) && body.value.map(String).includes(this.settings.adminGroup);
    } catch (err) {
      this.onLookupFailure(err);
      return false;
    }
  }

  private sandboxBase(): string {
    return `${this.self()}/sandbox/entra`;
  }
}

/** msal-node's HTTP calls to https://login.sandbox.invalid/… go to the Entra emulator over loopback. */
function loopbackNetwork(base: () => string): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const target = url.replace(`https://${SANDBOX_ENTRA_HOST}`, base());
    const res = await fetch(target, { method, headers: options?.headers ?? {}, ...(method === 'POST' ? { body: options?.body ?? '' } : {}), signal: AbortSignal.timeout(10_000) });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: (await res.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** True when the ID token says the groups did not fit (Entra's overage indication). */
export function groupsOverage(claims: Record<string, unknown>): boolean {
  const names = claims._claim_names;
  const named = typeof names === 'object' && names !== null && Object.prototype.hasOwnProperty.call(names, 'groups');
  return named || claims.hasgroups === true || claims.hasgroups === 'true';
}

/** Microsoft Graph refused the membership question (status kept for the log). */
export class GroupLookupError extends Error {
  constructor(readonly status: number) {
    super(`Microsoft Graph checkMemberGroups answered ${status}`);
    this.name = 'GroupLookupError';
  }
}
