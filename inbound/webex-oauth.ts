import type { Next, Request, Response, Server } from 'restify';
import { UserError, connectHint, own, translate, type Logger, type MessageKey, type MessageParams, type People, type WebexAccounts } from '../core';

export const WEBEX_OAUTH_CALLBACK_PATH = '/oauth/webex/callback';
/** The Connect link: binds the browser (cookie), then sends it to Webex's consent page. */
export const WEBEX_OAUTH_CONNECT_PATH = '/oauth/webex/connect';
/** The state cookie; scoped to /oauth/webex so no other route ever sees it. */
export const WEBEX_OAUTH_COOKIE = 'een_webex_oauth';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page's language, and how its person asks for a new link on the surface they came from. */
interface PageContext {
  locale: string | undefined;
  params: MessageParams;
}

function page(res: Response, status: number, context: PageContext, key: MessageKey): void {
  const text = escapeHtml(translate(context.locale, key, context.params));
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.sendRaw(status, `<!doctype html><html><head><meta charset="utf-8"><title>een-bridge</title></head><body><p>${text}</p></body></html>`);
}

function cookieOf(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** The browser's first language (Accept-Language), for a page whose user is not known. */
function browserLocale(req: Request): string | undefined {
  const header = req.headers['accept-language'];
  return typeof header === 'string' ? header.split(',')[0]?.split(';')[0]?.trim() : undefined;
}

export interface WebexOAuthRouteOptions {
  /** Secure cookie (real mode: the public URL is https); a sandbox on http://127.0.0.1 cannot use one. */
  secureCookie: boolean;
}

/**
 * The Connect link and the integration's redirect URI. The link sets a state cookie
 * (HttpOnly, SameSite=Lax so it comes back on Webex's top-level redirect, Secure in real mode;
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie) before sending the
 * browser to Webex; the callback is taken only with that cookie (login CSRF, issue 13).
 * Pages are in the language of the user the link was made for, else the browser's.
 */
export function mountWebexOAuthCallback(server: Server, accounts: WebexAccounts, people: Pick<People, 'localeOf'>, log: Logger, options: WebexOAuthRouteOptions): void {
  // Pages are worded for where the link was asked for (issue 14): a Teams or Webex user is told
  // their own way to ask again, not Slack's "/webex connect"; a link nobody knows names every way.
  const contextOf = async (req: Request, state: string): Promise<PageContext> => {
    const link = state ? await accounts.linkOf(state).catch(() => undefined) : undefined;
    const locale = (link ? await people.localeOf(link.userId) : undefined) ?? browserLocale(req);
    return { locale, params: connectHint(locale, link?.surface) };
  };
  const unknownContext = (req: Request): PageContext => ({ locale: browserLocale(req), params: connectHint(browserLocale(req), undefined) });
  const cookie = (value: string, maxAgeSeconds: number) =>
    `${WEBEX_OAUTH_COOKIE}=${value}; Path=/oauth/webex; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${options.secureCookie ? '; Secure' : ''}`;

  server.get(WEBEX_OAUTH_CONNECT_PATH, (req: Request, res: Response, next: Next) => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const state = typeof query.state === 'string' ? query.state : '';
    const work = async () => {
      const context = await contextOf(req, state);
      if (!state) return page(res, 400, context, 'meetings.oauth.badState');
      try {
        const opened = await accounts.openConnect(state, cookieOf(req, WEBEX_OAUTH_COOKIE));
        res.setHeader('Set-Cookie', cookie(opened.browserToken, 600));
        res.setHeader('Cache-Control', 'no-store');
        res.redirect(302, opened.authorizeUrl, () => undefined);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        log.warn({ key: err.key }, 'webex connect link refused');
        page(res, err.httpStatus, context, err.key);
      }
    };
    work().then(
      () => next(),
      (err: unknown) => {
        log.warn({ err }, 'webex connect link failed');
        page(res, 502, unknownContext(req), 'meetings.oauth.refused');
        next();
      },
    );
  });

  server.get(WEBEX_OAUTH_CALLBACK_PATH, (req: Request, res: Response, next: Next) => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const param = (key: string): string => {
      const value = own(query, key);
      return typeof value === 'string' ? value : '';
    };
    const state = param('state');
    const code = param('code');
    const work = async () => {
      const context = await contextOf(req, state);
      // The cookie has done its job whatever happens next.
      res.setHeader('Set-Cookie', cookie('', 0));
      if (!state || !code) return page(res, 400, context, own(query, 'error') ? 'meetings.oauth.denied' : 'meetings.oauth.badState');
      try {
        const userId = await accounts.completeConnect(state, code, cookieOf(req, WEBEX_OAUTH_COOKIE));
        log.info({ userId }, 'webex account connected');
        page(res, 200, context, 'meetings.oauth.connected');
      } catch (err) {
        if (err instanceof UserError) {
          log.warn({ key: err.key }, 'webex account not connected');
          page(res, err.httpStatus, context, err.key);
        } else {
          log.warn({ err }, 'webex oauth callback failed');
          page(res, 502, context, 'meetings.oauth.refused');
        }
      }
    };
    work().then(
      () => next(),
      (err: unknown) => {
        log.warn({ err }, 'webex oauth callback failed');
        page(res, 502, unknownContext(req), 'meetings.oauth.refused');
        next();
      },
    );
  });
}
