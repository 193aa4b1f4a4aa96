import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import {
  UserError,
  showFilter,
  parseExtensionRange,
  ImportError,
  licenceTiers,
  parseDialTarget,
  translate,
  normaliseLocale,
  type AuditLog,
  type ConsoleSessions,
  type DeliveryFacts,
  type DialPolicies,
  type FollowRequestQueue,
  type Logger,
  type Notifications,
  type People,
} from '../core';
import { jsonBody } from '../inbound';
import type { EventStreams } from './event-stream';
import { sendConsoleFailure } from './failure';
import { ConsoleCookies, type ConsoleSession } from './session';
import { ConsoleSignIn, type SignInSettings } from './sign-in';

export interface AdminDeps {
  log: Logger;
  /** The people served, their licences, lines and the CSV import (the CLI's `users` too). */
  people: People;
  /** The dial policies (the CLI's `policy` too). */
  policies: DialPolicies;
  /** When changes last came in and how deliveries went, for the subscriptions view. */
  deliveries: { read(): Promise<DeliveryFacts> };
  /** Webex spaces asking to follow a source (the CLI's `sources approve|deny` too). */
  followRequests: FollowRequestQueue;
  audit: AuditLog;
  notifications: Notifications;
  cookies: ConsoleCookies;
  /** Which sessions are still live on the server side (signed out or ended ones are refused). */
  sessions: ConsoleSessions;
  /** Undefined when sign-in is off (EEN_SANDBOX=off without CONSOLE_*): the admin API then refuses everyone. */
  signIn: { settings: SignInSettings; client: ConsoleSignIn } | undefined;
  publicUrl: string | undefined;
  /** The Webex bot, which carries out approved follow requests (also every 15 s by itself). */
  webexBot: { applyDecidedRequests(): Promise<number> } | undefined;
  /** The live streams, ended when the service stops. */
  events: EventStreams;
  /** `een-bridge doctor`'s checks, run on demand (the same rules as the CLI). */
  doctor?: (() => Promise<{ check: string; status: string; detail: string }[]>) | undefined;
}

/** Who a console change is recorded as: the person's name and sign-in name from their ID token. */
export function consoleActor(s: ConsoleSession): string {
  return `console:${s.name} <${s.username}>`;
}

const licenceBody = z.object({ licence: z.enum(licenceTiers) });
const personBody = z.object({ email: z.email().max(254), licence: z.enum(licenceTiers) });
const idsBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) });
const lineBody = z.object({ broadworksUserId: z.string().trim().min(3).max(128).regex(/^[^\s<>&"']*$/), number: z.string().trim().max(32).optional() });
const csvBody = z.object({ csv: z.string().min(1).max(500_000) });
// The CLI's prefix rule (app/commands/policy.ts): national 0900, international +979, or a short code 18.
const prefix = z.string().trim().regex(/^(\+[1-9]\d{0,6}|0\d{1,6}|[1-9]\d{0,5})$/, 'is not a prefix (national like 0900, international like +979, or a short code like 18)');
const policyChange = z.object({
  block: z.array(prefix).max(50).optional(),
  unblock: z.array(prefix).max(50).optional(),
  extensionPlan: z.array(z.string().trim().refine((r) => parseExtensionRange(r) !== undefined, 'is not an extension range like 2000-2999 or 100')).max(50).optional(),
  blockPremiumRate: z.boolean().optional(),
  internationalAllowed: z.boolean().optional(),
  callsPerMinute: z.number().int().min(1).max(120).optional(),
});
const policyTest = z.object({ tenant: z.string().trim().min(1).max(128), number: z.string().trim().min(1).max(64) });

/**
 * The administrator's view: sign-in at /console/sign-in and /console/callback, the session at
 * /api/console/session, and the admin API at /api/console/admin/*. Every admin call needs a
 * session of a member of the admin group (401 without a session, 403 for others); every change
 * also needs the session's CSRF token in X-CSRF-Token, and is audited with the person's name.
 */
export function mountAdmin(server: Server, deps: AdminDeps): void {
  const fail = (req: Request, res: Response, err: unknown) => sendConsoleFailure(req, res, err, deps.log);
  /** The cookie's session, if the server still knows it as live. */
  const liveSession = async (req: Request): Promise<ConsoleSession | undefined> => {
    const s = deps.cookies.session(req);
    return s && typeof s.sid === 'string' && (await deps.sessions.isLive(s.sid)) ? s : undefined;
  };

  // ---- sign-in
  const redirectUri = (req: Request) => `${deps.signIn?.settings.sandbox || !deps.publicUrl ? origin(req) : deps.publicUrl}/console/callback`;
  server.get('/console/sign-in', (req: Request, res: Response, next: Next) => {
    if (!deps.signIn) {
      fail(req, res, new UserError('console.signInFailed', { detail: 'sign-in is not configured (CONSOLE_*)' }, 404));
      return next(false);
    }
    const uri = redirectUri(req);
    deps.signIn.client.start(uri, origin(req)).then(
      (started) => {
        deps.cookies.startPending(req, res, { state: started.state, nonce: started.nonce, verifier: started.verifier, redirectUri: uri });
        res.setHeader('Cache-Control', 'no-store');
        res.redirect(302, started.url, next);
      },
      (err: unknown) => {
        deps.log.warn({ err }, 'console sign-in could not start');
        fail(req, res, new UserError('console.signInFailed', { detail: 'the identity provider did not answer' }, 502));
        next(false);
      },
    );
  });
  server.get('/console/callback', (req: Request, res: Response, next: Next) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const pending = deps.cookies.pending(req);
    deps.cookies.endPending(req, res);
    const back = () => {
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, '/#admin', next);
    };
    if (!deps.signIn || !pending || typeof q.state !== 'string' || q.state !== pending.state) {
      fail(req, res, new UserError('console.signInFailed', { detail: 'this sign-in was not started here, or took too long' }, 400));
      return next(false);
    }
    if (typeof q.error === 'string' || typeof q.code !== 'string') {
      fail(req, res, new UserError('console.signInFailed', { detail: String(q.error_description ?? q.error ?? 'no code') }, 400));
      return next(false);
    }
    deps.signIn.client.finish(q.code, pending.redirectUri, pending.verifier, pending.nonce).then(
      async (who) => {
        const session = deps.cookies.startSession(req, res, who);
        await deps.sessions.start(session);
        await deps.audit.record({ actor: `console:${who.name} <${who.username}>`, action: 'console.signIn', outcome: who.admin ? 'allowed' : 'denied', detail: { oid: who.oid, tid: who.tid } });
        back();
      },
      (err: unknown) => {
        deps.log.warn({ err }, 'console sign-in failed at the code redemption');
        fail(req, res, new UserError('console.signInFailed', { detail: 'the code could not be redeemed' }, 400));
        next(false);
      },
    );
  });
  // Signing out ends the person's sessions on the server, in every browser (a copied cookie too).
  server.post('/console/sign-out', (req: Request, res: Response, next: Next) => {
    const session = deps.cookies.session(req);
    if (session && req.headers['x-csrf-token'] !== session.csrf) {
      fail(req, res, new UserError('console.csrf', {}, 403));
      return next(false);
    }
    (session ? deps.sessions.endAllOf(session.oid) : Promise.resolve(0)).then(
      () => {
        deps.cookies.endSession(req, res);
        res.send(204);
        next();
      },
      (err: unknown) => {
        fail(req, res, err);
        next(false);
      },
    );
  });
  server.get('/api/console/session', (req: Request, res: Response, next: Next) => {
    liveSession(req).then(
      (s) => {
        res.setHeader('Cache-Control', 'no-store');
        res.send(200, s ? { signedIn: true, name: s.name, username: s.username, admin: s.admin, csrf: s.csrf, signInAvailable: true } : { signedIn: false, signInAvailable: Boolean(deps.signIn) });
        next();
      },
      (err: unknown) => {
        fail(req, res, err);
        next(false);
      },
    );
  });

  // ---- the admin API
  type Handler = (req: Request, session: ConsoleSession) => Promise<unknown>;
  const guarded = (change: boolean, handler: Handler) => (req: Request, res: Response, next: Next) => {
    res.setHeader('Cache-Control', 'no-store');
    const allowed = async (): Promise<ConsoleSession> => {
      const session = await liveSession(req);
      if (!session) throw new UserError('console.notSignedIn', {}, 401);
      if (!session.admin) throw new UserError('console.notAdmin', { name: session.name }, 403);
      if (change && req.headers['x-csrf-token'] !== session.csrf) throw new UserError('console.csrf', {}, 403);
      return session;
    };
    allowed().then((session) => handler(req, session)).then(
      (body) => {
        res.send(body === undefined ? 204 : 200, body);
        next();
      },
      (err: unknown) => {
        fail(req, res, err);
        next(false);
      },
    );
  };
  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw new UserError('console.badRequest', { detail: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    return r.data;
  };
  const base = '/api/console/admin';

  server.get(`${base}/people`, guarded(false, async () => ({
    licences: licenceTiers,
    people: (await deps.people.list()).map((u) => ({
      id: u.id,
      name: u.displayName ?? null,
      email: u.email ?? null,
      licence: u.licenceTier,
      line: u.broadworksUserId ? { broadworksUserId: u.broadworksUserId, number: u.eenNumber ?? null } : null,
      apps: [u.teamsAadObjectId ? 'Teams' : '', u.slack ? 'Slack' : '', u.webexPersonId ? 'Webex' : ''].filter(Boolean),
      locale: u.locale,
    })),
  })));
  server.put(`${base}/people/:id/licence`, jsonBody(), guarded(true, async (req, session) => {
    const { licence } = parse(licenceBody, req.body);
    return deps.people.setLicence(String(req.params.id ?? ''), licence, consoleActor(session));
  }));

  // A licence before the person's first use: they are matched by e-mail when they first come
  // from Teams or Slack (userForTeams, SlackActors), so they arrive with it.
  server.post(`${base}/people`, jsonBody(), guarded(true, async (req, session) => {
    const { email, licence } = parse(personBody, req.body);
    const { id, added } = await deps.people.licenceByEmail(email, licence, consoleActor(session));
    return { id, email, licence, added };
  }));

  server.get(`${base}/policies`, guarded(false, async () => ({ default: deps.policies.byDefault('*'), policies: await deps.policies.stored() })));
  // The CLI's `policy set`, from the console: block/unblock prefixes one by one, the extension
  // plan, international and premium-rate calls, calls per minute; audited with before and after.
  server.put(`${base}/policies/:tenant`, jsonBody(), guarded(true, async (req, session) => {
    const tenant = String(req.params.tenant ?? '').trim();
    if (tenant === '' || tenant.length > 128) throw new UserError('console.badRequest', { detail: 'tenant: give the Teams tenant id or Slack team id' });
    const change = parse(policyChange, req.body);
    const both = (change.block ?? []).filter((p) => (change.unblock ?? []).includes(p));
    if (both.length > 0) throw new UserError('console.badRequest', { detail: `both blocked and unblocked: ${both.join(',')}` });
    return deps.policies.change(tenant, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)), consoleActor(session));
  }));
  // "Would this number be allowed?": the policy's verdict alone (no call, no rate limit, not audited: nothing changes).
  server.post(`${base}/policies/test`, jsonBody(), guarded(false, async (req) => {
    const { tenant, number } = parse(policyTest, req.body);
    const verdict = await deps.policies.verdict(tenant, number);
    return verdict.allowed ? verdict : { allowed: false, reason: translate(readerLocale(req), verdict.reason.key, verdict.reason.params), policy: verdict.policy };
  }));

  // A KPN EEN line linked or unlinked by an administrator. A line already linked to someone else
  // is never moved (the LineLinker rule, core/calling/line-linking.ts): unlink it there first.
  server.put(`${base}/people/:id/line`, jsonBody(), guarded(true, async (req, session) => {
    const { broadworksUserId, number } = parse(lineBody, req.body);
    const id = String(req.params.id ?? '');
    let een: string | undefined;
    if (number) {
      try {
        const target = parseDialTarget(number);
        een = target.kind === 'number' ? target.e164 : target.kind === 'short' ? target.digits : target.kind === 'extension' ? target.extension : undefined;
      } catch {
        een = undefined;
      }
      if (!een) throw new UserError('console.badRequest', { detail: `number: "${number}" is not a phone number or extension` });
    }
    await deps.people.linkLine(id, { broadworksUserId, number: een }, consoleActor(session));
    return { id, line: { broadworksUserId, number: een ?? null } };
  }));
  server.del(`${base}/people/:id/line`, guarded(true, async (req, session) => {
    const id = String(req.params.id ?? '');
    await deps.people.unlinkLine(id, consoleActor(session));
    return { id, line: null };
  }));

  // The CLI's `users import`, in two steps: a preview with every row's problems (nothing changes),
  // then the import itself, which checks the file again and refuses it whole if anything is wrong.
  server.post(`${base}/people/import/preview`, jsonBody(), guarded(false, async (req) => {
    const { csv } = parse(csvBody, req.body);
    return deps.people.previewImport(csv, readerLocale(req));
  }));
  server.post(`${base}/people/import`, jsonBody(), guarded(true, async (req, session) => {
    const { csv } = parse(csvBody, req.body);
    try {
      const { created, updated } = await deps.people.importCsv(csv, consoleActor(session), readerLocale(req));
      return { created, updated };
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      await deps.audit.record({ actor: consoleActor(session), action: 'calling.usersImport', outcome: 'failed', detail: { problems: err.problems.slice(0, 20) } });
      throw new UserError('console.importRefused', { count: err.problems.length, problems: err.problems.slice(0, 5).join('; ') });
    }
  }));

  server.get(`${base}/subscriptions`, guarded(false, async () => {
    const all = await deps.notifications.subscriptions.all();
    const spaces = new Map<string, typeof all>();
    for (const s of all) spaces.set(s.spaceId, [...(spaces.get(s.spaceId) ?? []), s]);
    // Health from the outbox tables: when a change last came in per subscription, and per space
    // the last delivery and how many are waiting or dead.
    const facts = await deps.deliveries.read();
    return {
      spaces: [...spaces].map(([spaceId, subscriptions]) => ({
        spaceId,
        health: facts.spaces(spaceId),
        // The filter expression in both languages, canonical (core/notifications/filter/): the page shows the one it speaks.
        subscriptions: subscriptions.map((x) => ({
          ...x,
          filterShown: x.filterExpression ? { en: showFilter(x.filterExpression, 'en'), nl: showFilter(x.filterExpression, 'nl') } : null,
          lastEvent: facts.lastEvent(x.source, x.sourceKey),
        })),
      })),
    };
  }));

  server.get(`${base}/outbox`, guarded(false, async () => ({
    counts: await deps.notifications.outbox.counts(),
    dead: await deps.notifications.outbox.list({ status: 'dead', limit: 200 }),
  })));
  server.post(`${base}/outbox/retry`, jsonBody(), guarded(true, async (req, session) => {
    const { ids } = parse(idsBody, req.body);
    const retried = await deps.notifications.outbox.retryDead(ids);
    await deps.audit.record({ actor: consoleActor(session), action: 'notifications.outbox.retry', outcome: 'succeeded', detail: { ids, retried } });
    return { retried };
  }));
  server.post(`${base}/outbox/purge`, jsonBody(), guarded(true, async (req, session) => {
    const { ids } = parse(idsBody, req.body);
    const purged = await deps.notifications.outbox.purgeDead(ids);
    await deps.audit.record({ actor: consoleActor(session), action: 'notifications.outbox.purge', outcome: 'succeeded', detail: { ids, purged } });
    return { purged };
  }));

  // Webex spaces asking to follow a source (docs/security.md, "Webex spaces: who may follow what"):
  // the same decision as `een-bridge sources approve|deny`, then the bot subscribes and tells the space.
  const requests = deps.followRequests;
  server.get(`${base}/follow-requests`, guarded(false, async () => ({ requests: await requests.list('pending') })));
  server.post(`${base}/follow-requests/:id/:decision`, guarded(true, async (req, session) => {
    const id = Number(req.params.id);
    const decision = String(req.params.decision);
    if (!Number.isInteger(id) || id <= 0 || (decision !== 'approve' && decision !== 'deny')) throw new UserError('console.badRequest', { detail: 'approve or deny a request by its number' });
    const decided = decision === 'approve' ? await requests.approve(id, consoleActor(session)) : await requests.deny(id, consoleActor(session));
    if (!decided) throw new UserError('console.badRequest', { detail: `request ${id} is not pending` }, 404);
    await deps.webexBot?.applyDecidedRequests();
    return { request: decided };
  }));

  // `een-bridge doctor`'s checks, as the CLI runs them (configuration, store, every real system's credentials).
  server.get(`${base}/doctor`, guarded(false, async () => ({ at: new Date().toISOString(), checks: deps.doctor ? await deps.doctor() : [] })));

  // Live updates by Server-Sent Events (WHATWG HTML, "Server-sent events"): the page is told when
  // the audit log, the outbox or the follow requests changed, and reloads what it shows. The
  // browser falls back to polling when EventSource is missing or the stream cannot be opened.
  server.get(`${base}/events`, (req: Request, res: Response, next: Next) => {
    void liveSession(req).then((session) => {
      if (!session || !session.admin) {
        fail(req, res, session ? new UserError('console.notAdmin', { name: session.name }, 403) : new UserError('console.notSignedIn', {}, 401));
        return next(false);
      }
      serveEvents(req, res, next);
    }, (err: unknown) => {
      fail(req, res, err);
      next(false);
    });
  });
  const serveEvents = (req: Request, res: Response, next: Next) => {
    deps.events.serve(req, res, async () => {
      const [latest, counts, pending] = await Promise.all([deps.audit.recent(1), deps.notifications.outbox.counts(), requests.list('pending')]);
      return JSON.stringify({ audit: latest[0]?.id ?? 0, outbox: counts, requests: pending.length });
    }, 1000);
    next();
  };

  // Live sessions, and ending all of one person's (someone who left the admin group keeps a
  // sealed cookie for up to eight hours otherwise).
  server.get(`${base}/sessions`, guarded(false, async () => ({ sessions: await deps.sessions.live() })));
  server.del(`${base}/sessions/:oid`, guarded(true, async (req, session) => {
    const oid = String(req.params.oid ?? '');
    if (!/^[\w-]{1,64}$/.test(oid)) throw new UserError('console.badRequest', { detail: 'oid: give the person\'s Entra object id' });
    const ended = await deps.sessions.endAllOf(oid);
    await deps.audit.record({ actor: consoleActor(session), action: 'console.endSessions', outcome: 'succeeded', detail: { oid, ended } });
    return { ended };
  }));

  server.get(`${base}/audit`, guarded(false, async (req) => {
    const q = String((req.query as Record<string, unknown> | undefined)?.q ?? '').trim().toLowerCase().slice(0, 100);
    const recent = await deps.audit.recent(q ? 2000 : 200);
    const hits = q ? recent.filter((e) => `${e.actor} ${e.action} ${e.outcome} ${JSON.stringify(e.detail)}`.toLowerCase().includes(q)) : recent;
    return { entries: hits.slice(0, 200) };
  }));
}

/** The origin the browser used (cookies are per host, so the callback must come back to it). */
function origin(req: Request): string {
  const proto = req.isSecure() || String(req.headers['x-forwarded-proto'] ?? '').startsWith('https') ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? '127.0.0.1'}`;
}

/** The administrator's language: the browser's first Accept-Language tag (the page sends its own `lang`). */
function readerLocale(req: Request): string | undefined {
  return normaliseLocale(String(req.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0]);
}
