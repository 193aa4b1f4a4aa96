import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import {
  UserError,
  safeParseOwn,
  type Actor,
  type Calling,
  type Identity,
  type Logger,
  type People,
} from '../../core';
import { acceptedLanguage, jsonBody, sendFailure } from '../../inbound';
import { teamsActor } from '../actor';
import { packageRoot, tabBundleFile } from './bundle-paths';
import type { TabTokenVerifier } from './sso';

export interface TabDeps {
  calling: Calling;
  /** The person's own name and address, for the tab's header. */
  people: Pick<People, 'person'>;
  identity: Identity;
  verifier: TabTokenVerifier;
  log: Logger;
}

const placeBody = z.object({ target: z.string().max(64) });
const CALL_ID = /^[\w:.@-]{1,128}$/;

/** The tab may be framed by Teams only (Teams docs, "Tab requirements": CSP frame-ancestors). */
const FRAME_ANCESTORS = "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.office.com https://*.cloud.microsoft";

/**
 * On load, teams-js fetches its list of valid Teams host origins from Microsoft's CDN
 * (@microsoft/teams-js internal/validOrigins.js, validOriginsCdnEndpoint); without it, it falls
 * back to the list it carries.
 */
const CONNECT_SRC = "'self' https://res.cdn.office.net";

/**
 * The personal tab: a static page at /tab/ and its JSON API at /api/tab/*, where every
 * request carries the Teams SSO token of the person using it.
 */
export function mountTab(server: Server, deps: TabDeps): void {
  const page = readFileSync(path.join(staticDir(), 'index.html'));
  serveFile(server, '/tab/', 'text/html; charset=utf-8', () => page);
  // The esbuild bundle of teams-app/tab/browser/ (with @microsoft/teams-js), written by the build.
  const bundleFile = tabBundleFile();
  const bundle = existsSync(bundleFile) ? readFileSync(bundleFile) : undefined;
  if (!bundle) deps.log.warn({ bundleFile }, 'the Teams tab bundle is missing: run `npm run build`');
  serveFile(server, '/tab/tab.js', 'text/javascript; charset=utf-8', () => bundle);

  const api = (handler: (req: Request, actor: Actor) => Promise<unknown>) => (req: Request, res: Response, next: Next) => {
    deps.verifier
      .verify(req.headers.authorization)
      .then(async (who) => {
        const { actor } = await teamsActor(deps.identity, { tenantId: who.tenantId, aadObjectId: who.aadObjectId }, async () => ({ email: who.email, emailVerified: who.emailVerified, displayName: who.name }));
        return handler(req, actor);
      })
      .then(
        (body) => {
          res.send(body === undefined ? 204 : 200, body);
          next();
        },
        (err: unknown) => {
          fail(req, res, err, deps.log);
          next(false);
        },
      );
  };

  server.get('/api/tab/me', api(async (_req, actor) => {
    // The same lookup /recent and /calls use (it links by e-mail on first use): reading only the
    // stored link said "not linked" on a first visit while /recent listed the person's calls.
    const line = await deps.calling.ownLine(actor);
    const user = actor.who.userId ? await deps.people.person(actor.who.userId) : undefined;
    return { displayName: user?.displayName ?? null, email: user?.email ?? null, linked: line !== undefined, number: line?.number ?? null };
  }));
  server.post('/api/tab/calls', jsonBody(), api(async (req, actor) => {
    const { target } = parse(placeBody, req.body);
    const placed = await deps.calling.placeCall(actor, target);
    return { callId: placed.callId, target: placed.target.display, state: 'Alerting' };
  }));
  server.get('/api/tab/calls/:callId', api(async (req, actor) => {
    const detail = await deps.calling.callStatus(actor, callIdOf(req));
    return { callId: callIdOf(req), state: detail?.state ?? 'Released' };
  }));
  server.del('/api/tab/calls/:callId', api(async (req, actor) => {
    await deps.calling.hangUp(actor, callIdOf(req));
    return undefined;
  }));
  server.get('/api/tab/directory', api(async (req, actor) => {
    const q = String((req.query as Record<string, unknown> | undefined)?.q ?? '');
    return { entries: await deps.calling.searchDirectory(actor, q) };
  }));
  server.get('/api/tab/recent', api(async (_req, actor) => ({ calls: await deps.calling.recentCalls(actor) })));
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = safeParseOwn(schema, body);
  if (!result.success) throw new UserError('calling.number.empty');
  return result.data;
}

function callIdOf(req: Request): string {
  const id = String(req.params.callId ?? '');
  if (!CALL_ID.test(id)) throw new UserError('calling.callNotFound', {}, 404);
  return id;
}

/** The one presenter's answer (core/failure.ts) as JSON, in the language the browser asks for. */
function fail(req: Request, res: Response, err: unknown, log: Logger): void {
  sendFailure(res, err, log, 'teams-tab', acceptedLanguage(req));
}

/** The page's files sit beside this module in the source tree, also when running from dist/. */
function staticDir(): string {
  const here = path.join(__dirname, 'static');
  return existsSync(here) ? here : path.join(packageRoot(), 'teams-app/tab/static');
}

function serveFile(server: Server, route: string, type: string, content: () => Buffer | undefined): void {
  server.get(route, (_req: Request, res: Response, next: Next) => {
    const body = content();
    if (!body) {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.sendRaw(503, 'The tab is not built yet: run `npm run build`. / De tab is nog niet gebouwd: voer `npm run build` uit.');
      return next();
    }
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Security-Policy', `${FRAME_ANCESTORS}; default-src 'self'; script-src 'self'; connect-src ${CONNECT_SRC}; style-src 'self' 'unsafe-inline'`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendRaw(200, body);
    next();
  });
}
