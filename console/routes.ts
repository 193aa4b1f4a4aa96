import { existsSync, readFileSync } from 'node:fs';
import type { Next, Request, Response, Server } from 'restify';
import { resolveSecretKey, type AuditLog, type Config, type ConsoleSessions, type DeliveryFacts, type DialPolicies, type FollowRequestQueue, type Logger, type Notifications, type People } from '../core';
import type { Emulator } from '../sandbox/emulator';
import { SANDBOX_TEAMS_MEMBERS } from '../sandbox/teams-connector/connector-emulator';
import { consoleBundleFile } from './bundle-paths';
import { CONSOLE_CSS, renderConsolePage } from './page';
import { infoPages, renderInfoPage } from './info-pages';
import { mountPlayground, playgroundSurfaces } from './playground';
import { languageFromHeader, type ConsoleLanguage } from './texts';
import { cookiesOf } from './cookies';
import { mountAdmin } from './admin';
import { EventStreams } from './event-stream';
import { ConsoleCookies, https } from './session';
import { ConsoleSignIn, signInSettings } from './sign-in';

export interface ConsoleDeps {
  config: Config;
  log: Logger;
  /** The administration façades (app/administration.ts), the same the CLI uses. */
  people: People;
  policies: DialPolicies;
  followRequests: FollowRequestQueue;
  sessions: ConsoleSessions;
  deliveries: { read(): Promise<DeliveryFacts> };
  audit: AuditLog;
  notifications: Notifications;
  /** The emulators this process runs; empty outside sandbox mode. */
  emulators: readonly Emulator[];
  /** This process's own base URL, known after listen. */
  self: () => string;
  /** The Webex bot, when it runs: approving a follow request in the console applies it at once. */
  webexBot?: { applyDecidedRequests(): Promise<number> } | undefined;
  /** `een-bridge doctor`'s checks (app/doctor), shown in the administrator's view. */
  doctor?: (() => Promise<{ check: string; status: string; detail: string }[]>) | undefined;
}

const LANGUAGE_COOKIE = 'een_console_lang';

/**
 * The web console at `/`: the sandbox playground (only when emulators run) and the
 * administrator's view. One call from the composition root mounts all of it.
 */
export function mountConsole(server: Server, deps: ConsoleDeps): { close(): void } {
  const events = new EventStreams(deps.log);
  const sandbox = deps.emulators.length > 0;
  const surfaces = playgroundSurfaces(deps.config, deps.emulators);

  server.get('/', (req: Request, res: Response, next: Next) => {
    const lang = chosenLanguage(req);
    const asked = String((req.query as Record<string, unknown> | undefined)?.lang ?? '');
    if (asked === 'nl' || asked === 'en') {
      res.setHeader('Set-Cookie', `${LANGUAGE_COOKIE}=${asked}; Path=/; Max-Age=31536000; SameSite=Lax${https(req) ? '; Secure' : ''}`);
    }
    const html = renderConsolePage({
      lang,
      sandbox,
      surfaces,
      teamsMembers: surfaces.teams ? SANDBOX_TEAMS_MEMBERS.map((m) => ({ id: m.id, name: m.name })) : [],
    });
    pageHeaders(res, 'text/html; charset=utf-8');
    res.setHeader('Vary', 'Accept-Language, Cookie');
    res.setHeader('Content-Language', lang);
    res.sendRaw(200, html);
    next();
  });
  // The pages the Teams manifest links to (developer.websiteUrl, privacyUrl, termsOfUseUrl).
  for (const page of infoPages) {
    server.get(`/${page}`, (req: Request, res: Response, next: Next) => {
      const lang = chosenLanguage(req);
      pageHeaders(res, 'text/html; charset=utf-8');
      res.setHeader('Vary', 'Accept-Language, Cookie');
      res.setHeader('Content-Language', lang);
      res.sendRaw(200, renderInfoPage(page, lang));
      next();
    });
  }
  const css = Buffer.from(CONSOLE_CSS);
  server.get('/console/console.css', (_req: Request, res: Response, next: Next) => {
    pageHeaders(res, 'text/css; charset=utf-8');
    res.sendRaw(200, css);
    next();
  });
  const bundleFile = consoleBundleFile();
  const bundle = existsSync(bundleFile) ? readFileSync(bundleFile) : undefined;
  if (!bundle) deps.log.warn({ bundleFile }, 'the console bundle is missing: run `npm run build`');
  server.get('/console/console.js', (_req: Request, res: Response, next: Next) => {
    if (!bundle) {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.sendRaw(503, 'The console is not built yet: run `npm run build`. / De console is nog niet gebouwd: voer `npm run build` uit.');
      return next();
    }
    pageHeaders(res, 'text/javascript; charset=utf-8');
    res.sendRaw(200, bundle);
    next();
  });

  const settings = signInSettings(deps.config);
  mountAdmin(server, {
    log: deps.log,
    people: deps.people,
    policies: deps.policies,
    followRequests: deps.followRequests,
    deliveries: deps.deliveries,
    audit: deps.audit,
    notifications: deps.notifications,
    cookies: new ConsoleCookies(resolveSecretKey(deps.config)),
    sessions: deps.sessions,
    signIn: settings ? { settings, client: new ConsoleSignIn(settings, deps.self, (err) => deps.log.warn({ err }, 'console sign-in: the admin group membership could not be checked (group overage); not an administrator')) } : undefined,
    publicUrl: deps.config.publicUrl,
    webexBot: deps.webexBot,
    doctor: deps.doctor,
    events,
  });

  // Nothing of the playground exists outside sandbox mode: its routes are never registered.
  if (sandbox) mountPlayground(server, { config: deps.config, log: deps.log, audit: deps.audit, notifications: deps.notifications, emulators: deps.emulators, self: deps.self, events });
  // The service ends the live streams before it stops listening (they never end by themselves).
  return { close: () => events.close() };
}

/** ?lang= wins (and is remembered in a cookie), then the cookie, then Accept-Language. */
function chosenLanguage(req: Request): ConsoleLanguage {
  const asked = String((req.query as Record<string, unknown> | undefined)?.lang ?? '');
  if (asked === 'nl' || asked === 'en') return asked;
  const remembered = cookiesOf(req)[LANGUAGE_COOKIE];
  if (remembered === 'nl' || remembered === 'en') return remembered;
  return languageFromHeader(req.headers['accept-language']);
}

/**
 * The page is its own origin's only script and style (CSP, no inline script), may not be framed
 * (it holds an administrator's session), and its content types are not sniffed.
 */
function pageHeaders(res: Response, type: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-cache');
}
