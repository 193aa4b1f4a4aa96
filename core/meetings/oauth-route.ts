import type { Next, Request, Response, Server } from 'restify';
import { UserError } from '../errors';
import { translate, type MessageKey } from '../i18n';
import type { UserDirectory } from '../identity/users';
import type { Logger } from '../log';
import { own } from '../untrusted';
import type { WebexAccounts } from './webex-accounts';

export const WEBEX_OAUTH_CALLBACK_PATH = '/oauth/webex/callback';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, locale: string | undefined, key: MessageKey): void {
  const text = escapeHtml(translate(locale, key));
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.sendRaw(status, `<!doctype html><html><head><meta charset="utf-8"><title>een-bridge</title></head><body><p>${text}</p></body></html>`);
}

/** Where Webex sends the browser back after consent (the integration's redirect URI). */
export function mountWebexOAuthCallback(server: Server, accounts: WebexAccounts, users: UserDirectory, log: Logger): void {
  server.get(WEBEX_OAUTH_CALLBACK_PATH, (req: Request, res: Response, next: Next) => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const param = (key: string): string => {
      const value = own(query, key);
      return typeof value === 'string' ? value : '';
    };
    const state = param('state');
    const code = param('code');
    if (!state || !code) {
      page(res, 400, undefined, own(query, 'error') ? 'meetings.oauth.denied' : 'meetings.oauth.badState');
      return next();
    }
    accounts.completeConnect(state, code).then(
      async (userId) => {
        const user = await users.byId(userId);
        log.info({ userId }, 'webex account connected');
        page(res, 200, user?.locale, 'meetings.oauth.connected');
        next();
      },
      (err: unknown) => {
        if (err instanceof UserError) page(res, err.httpStatus, undefined, err.key);
        else {
          log.warn({ err }, 'webex oauth callback failed');
          page(res, 502, undefined, 'meetings.oauth.refused');
        }
        next();
      },
    );
  });
}
