import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'restify';
import { sealerFor, type Sealer } from '../core';
import { cookiesOf } from './cookies';

/** An administrator's (or refused person's) console session, kept in the cookie itself. */
export interface ConsoleSession {
  /** Entra object id and tenant, name and sign-in name from the ID token. */
  oid: string;
  tid: string;
  name: string;
  username: string;
  admin: boolean;
  /** Sent back in X-CSRF-Token on every change (synchroniser token in the session, OWASP CSRF cheat sheet). */
  csrf: string;
  /** Seconds since the epoch. */
  exp: number;
  /** The server's name for this session (ConsoleSessionLedger), so it can be ended for good. */
  sid: string;
}

/** The sign-in in progress: state, nonce and PKCE verifier, for ten minutes. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  exp: number;
}

const SESSION_HOURS = 8;
const PENDING_MINUTES = 10;

/**
 * Cookies sealed with AES-256-GCM (core's sealerFor) under a key derived from EEN_SECRET_KEY with HKDF
 * (RFC 5869), so they can be neither read nor forged nor moved between purposes. HttpOnly,
 * SameSite=Lax, Path=/, and Secure whenever the console is reached over https.
 */
export class ConsoleCookies {
  private readonly vault: Sealer;

  constructor(secretKey: Buffer, private readonly now: () => number = () => Date.now()) {
    this.vault = sealerFor(secretKey, 'een-bridge console cookies v1');
  }

  session(req: Request): ConsoleSession | undefined {
    const s = this.read<ConsoleSession>(req, sessionCookie(req), 'session');
    return s && s.exp * 1000 > this.now() ? s : undefined;
  }

  startSession(req: Request, res: Response, who: Omit<ConsoleSession, 'csrf' | 'exp' | 'sid'>): ConsoleSession {
    const session: ConsoleSession = { ...who, csrf: randomBytes(24).toString('base64url'), exp: Math.floor(this.now() / 1000) + SESSION_HOURS * 3600, sid: randomBytes(24).toString('base64url') };
    this.write(req, res, sessionCookie(req), 'session', session, SESSION_HOURS * 3600);
    return session;
  }

  endSession(req: Request, res: Response): void {
    appendCookie(res, `${sessionCookie(req)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${https(req) ? '; Secure' : ''}`);
  }

  pending(req: Request): PendingSignIn | undefined {
    const p = this.read<PendingSignIn>(req, pendingCookie(req), 'sign-in');
    return p && p.exp * 1000 > this.now() ? p : undefined;
  }

  startPending(req: Request, res: Response, pending: Omit<PendingSignIn, 'exp'>): void {
    this.write(req, res, pendingCookie(req), 'sign-in', { ...pending, exp: Math.floor(this.now() / 1000) + PENDING_MINUTES * 60 }, PENDING_MINUTES * 60);
  }

  endPending(req: Request, res: Response): void {
    appendCookie(res, `${pendingCookie(req)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${https(req) ? '; Secure' : ''}`);
  }

  private read<T>(req: Request, name: string, purpose: string): T | undefined {
    const raw = cookiesOf(req)[name];
    if (!raw) return undefined;
    try {
      return JSON.parse(this.vault.open(raw, { owner: 'console', purpose })) as T;
    } catch {
      return undefined;
    }
  }

  private write(req: Request, res: Response, name: string, purpose: string, value: unknown, maxAge: number): void {
    const sealed = this.vault.seal(JSON.stringify(value), { owner: 'console', purpose });
    appendCookie(res, `${name}=${sealed}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${https(req) ? '; Secure' : ''}`);
  }
}

/** https as the browser sees it: directly, or behind a proxy that says so (X-Forwarded-Proto). */
export function https(req: Request): boolean {
  return req.isSecure() || String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https';
}

// Over https the __Host- prefix also pins the cookie to this host and path (RFC 6265bis §4.1.3.2).
const sessionCookie = (req: Request) => (https(req) ? '__Host-een_console' : 'een_console');
const pendingCookie = (req: Request) => (https(req) ? '__Host-een_console_signin' : 'een_console_signin');

function appendCookie(res: Response, cookie: string): void {
  const current = res.getHeader('Set-Cookie');
  const list = current === undefined ? [] : Array.isArray(current) ? current.map(String) : [String(current)];
  res.setHeader('Set-Cookie', [...list, cookie]);
}
