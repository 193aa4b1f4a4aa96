import type { JWTPayload, createRemoteJWKSet } from 'jose';
import { UserError, own } from '../../core';

/** Who a verified Teams SSO token says the caller is. */
export interface TabIdentity {
  aadObjectId: string;
  tenantId: string;
  email: string | undefined;
  /** Whether the token's tenant vouches for `email` (see verify). */
  emailVerified: boolean;
  name: string | undefined;
}

export interface SsoSettings {
  /** Where the signing keys are: Microsoft's JWKS, or the sandbox's local key. */
  jwksUrl: () => string;
  audiences: string[];
  /** Accepted issuers for a tenant id (v1 and v2 Azure AD forms). */
  issuers: (tenantId: string) => string[];
  /** When set, only this tenant's tokens are accepted. */
  tenantId: string | undefined;
}

/** Azure AD (Entra ID) tokens, as Teams SSO issues them (Teams docs, "Enable SSO for tab app"). */
export function entraSso(appId: string, publicUrl: string | undefined, extraAudience: string | undefined, tenantId: string | undefined): SsoSettings {
  // The app manifest's webApplicationInfo.resource is api://<public host>/<app id>.
  const resource = publicUrl ? [`api://${new URL(publicUrl).host}/${appId}`] : [];
  return {
    jwksUrl: () => 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
    audiences: [appId, `api://${appId}`, ...resource, ...(extraAudience ? [extraAudience] : [])],
    issuers: (tid) => [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`],
    tenantId,
  };
}

export const SANDBOX_TAB_AUDIENCE = 'een-bridge-sandbox-tab';
export const sandboxIssuer = (tid: string) => `https://login.sandbox.invalid/${tid}/v2.0`;

/** Verifies the bearer token of every /api/tab request (signature, audience, issuer, expiry). */
export class TabTokenVerifier {
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(private readonly settings: SsoSettings) {}

  async verify(authorization: string | undefined): Promise<TabIdentity> {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new UserError('teams.tab.unauthorized', {}, 401);
    // jose (about 80 modules) is loaded at the first token, not when the service starts (issue 17).
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    // The JWKS URL of the sandbox is known only once the service listens.
    this.jwks ??= createRemoteJWKSet(new URL(this.settings.jwksUrl()), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, { audience: this.settings.audiences, algorithms: ['RS256', 'ES256'], clockTolerance: 60 }));
    } catch {
      throw new UserError('teams.tab.unauthorized', {}, 401);
    }
    const str = (key: string): string | undefined => {
      const value = own(payload, key);
      return typeof value === 'string' ? value : undefined;
    };
    const tid = str('tid') ?? '';
    const oid = str('oid') ?? '';
    if (!tid || !oid || !this.settings.issuers(tid).includes(String(payload.iss))) throw new UserError('teams.tab.unauthorized', {}, 401);
    if (this.settings.tenantId && tid !== this.settings.tenantId) throw new UserError('teams.tab.unauthorized', {}, 401);
    const email = [str('preferred_username'), str('upn'), str('email')].find((v): v is string => v !== undefined && v.includes('@'));
    // The address is the tenant's own user name (upn / preferred_username, on a domain the
    // tenant verified) only for its members: a guest's token carries `idp`, the issuer of the
    // guest's home account ("idp ... is the same as the issuer unless the user account isn't in
    // the same tenant as the issuer - guests", learn.microsoft.com, "Access token claims
    // reference"). The optional `email` claim is never vouched for.
    const userName = [str('upn'), str('preferred_username')].find((v): v is string => v !== undefined && v.includes('@'));
    const idp = own(payload, 'idp');
    const guest = idp !== undefined && idp !== payload.iss;
    return {
      aadObjectId: oid,
      tenantId: tid,
      email,
      emailVerified: userName !== undefined && userName === email && !guest,
      name: str('name'),
    };
  }
}
