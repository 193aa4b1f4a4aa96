// The modules themselves, not the core barrel: `een-bridge doctor` should not load restify,
// the SDKs and the HTTP server to check settings (issue 16, CLI start time).
import type { Config } from '../../core/config';
import { DEFAULT_WEBEX_API_URL } from '../../core/meetings/webex-meetings';
import { GRAPH_SUBSCRIPTION_PERMISSION } from '../../core/notifications/graph-client';
import { resolveSecretKey } from '../../core/secret-key';
import { openStore } from '../../core/store/store';
import { systems, type SystemName } from '../../core/systems';

/** `warning` needs attention but does not fail the run (exit code stays 0). */
export type CheckStatus = 'ok' | 'warning' | 'failing' | 'skipped';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
}

export interface Check {
  name: string;
  run(signal: AbortSignal): Promise<Omit<CheckResult, 'check'>>;
}

const ok = (detail: string) => ({ status: 'ok' as const, detail });
const failing = (detail: string) => ({ status: 'failing' as const, detail });

/** Explains a failed HTTP call the way an operator needs it: status and what to look at. */
async function httpProblem(res: Response): Promise<string> {
  const hint = res.status === 401 || res.status === 403 ? ' (credentials refused)' : res.status >= 500 ? ' (the service is failing)' : '';
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 120);
  return `HTTP ${res.status}${hint}${text ? `: ${text}` : ''}`;
}

function reason(err: unknown): string {
  // Duck-typed: errors from fetch may come from another realm (test runners), failing instanceof.
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer within the time limit';
  if (e.cause?.code) return `${e.cause.code} (${e.cause.message ?? e.message})`;
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : (e.message ?? String(err));
}

async function expectOk(url: string, init: RequestInit, signal: AbortSignal, describe: (body: unknown) => string) {
  try {
    const res = await fetch(url, { ...init, signal });
    if (!res.ok) return failing(await httpProblem(res));
    const type = res.headers.get('content-type') ?? '';
    return ok(describe(type.includes('json') ? await res.json() : await res.text()));
  } catch (err) {
    return failing(reason(err));
  }
}

/** A Microsoft identity platform client-credentials token: proves tenant, client id and secret. */
async function entraToken(tenant: string, clientId: string, secret: string, scope: string, signal: AbortSignal) {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope });
  try {
    const res = await fetch(`https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, { method: 'POST', body, signal });
    if (!res.ok) return failing(await httpProblem(res));
    return ok(`token issued for ${scope}`);
  } catch (err) {
    return failing(reason(err));
  }
}

/** The application permissions an app-only token carries: its `roles` claim (Microsoft identity platform access token claims). */
function tokenRoles(accessToken: string): string[] | undefined {
  const payload = accessToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const roles = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown }).roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return undefined;
  }
}

/**
 * Microsoft Graph: the client-credentials token, then the permission a drive subscription needs
 * (Files.ReadWrite.All for OneDrive for Business, "Create subscription",
 * https://learn.microsoft.com/graph/api/subscription-post-subscriptions), then, with GRAPH_DRIVE_ID,
 * a delta read of that drive. Graph's own refusal says only "Access denied", so the permission is named here.
 */
async function graphCheck(s: Record<string, string | undefined>, signal: AbortSignal) {
  const missing = `the app lacks the Microsoft Graph application permission ${GRAPH_SUBSCRIPTION_PERMISSION}, which drive subscriptions need; add it to the app registration and grant admin consent`;
  let accessToken: string;
  try {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: s.GRAPH_CLIENT_ID!, client_secret: s.GRAPH_CLIENT_SECRET!, scope: 'https://graph.microsoft.com/.default' });
    const res = await fetch(`https://login.microsoftonline.com/${encodeURIComponent(s.GRAPH_TENANT_ID!)}/oauth2/v2.0/token`, { method: 'POST', body, signal });
    if (!res.ok) return failing(await httpProblem(res));
    accessToken = String(((await res.json()) as { access_token?: unknown }).access_token ?? '');
  } catch (err) {
    return failing(reason(err));
  }
  const roles = tokenRoles(accessToken);
  if (roles && !roles.includes(GRAPH_SUBSCRIPTION_PERMISSION)) return failing(`${missing} (granted: ${roles.join(', ') || 'none'})`);
  const driveId = s.GRAPH_DRIVE_ID;
  if (!driveId) return ok(`token issued with ${GRAPH_SUBSCRIPTION_PERMISSION}`);
  const url = `${(s.GRAPH_API_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '')}/drives/${encodeURIComponent(driveId)}/root/delta?token=latest`;
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` }, signal });
    if (res.status === 403) return failing(`Graph refused to read drive ${driveId} (${await httpProblem(res)}): ${missing}`);
    if (res.status === 404) return failing(`drive ${driveId} not found (GRAPH_DRIVE_ID): ${await httpProblem(res)}`);
    if (!res.ok) return failing(await httpProblem(res));
    return ok(`token issued with ${GRAPH_SUBSCRIPTION_PERMISSION}; drive ${driveId} readable`);
  } catch (err) {
    return failing(reason(err));
  }
}

function systemCheck(name: SystemName, config: Config): Check | undefined {
  const system = config.systems[name];
  const s = system.settings;
  const label = systems[name].label;
  if (system.mode !== 'real') {
    const detail = system.mode === 'sandbox' ? 'sandbox emulator' : `off (no settings; real mode: ${config.modeReason})`;
    return { name: label, run: async () => ({ status: 'skipped', detail }) };
  }
  switch (name) {
    case 'xsi':
      return {
        name: label,
        // One directory row as the administrator: Basic auth and the Xsi-Actions path in one call.
        run: (signal) =>
          expectOk(
            `${s.XSI_BASE_URL!.replace(/\/+$/, '')}/com.broadsoft.xsi-actions/v2.0/user/${encodeURIComponent(s.XSI_USERNAME!)}/directories/Enterprise?start=1&results=1`,
            { headers: { authorization: `Basic ${Buffer.from(`${s.XSI_USERNAME}:${s.XSI_PASSWORD}`).toString('base64')}` } },
            signal,
            () => `signed in as ${s.XSI_USERNAME}`,
          ),
      };
    case 'teams':
      return {
        name: label,
        run: (signal) =>
          entraToken(s.MICROSOFT_APP_TENANT_ID ?? 'botframework.com', s.MICROSOFT_APP_ID!, s.MICROSOFT_APP_PASSWORD!, 'https://api.botframework.com/.default', signal),
      };
    case 'slack':
      return {
        name: label,
        run: async (signal) => {
          const result = await expectOk('https://slack.com/api/auth.test', { method: 'POST', headers: { authorization: `Bearer ${s.SLACK_BOT_TOKEN}` } }, signal, (b) => JSON.stringify(b));
          if (result.status !== 'ok') return result;
          const body = JSON.parse(result.detail) as { ok?: boolean; error?: string; team?: string; user?: string };
          return body.ok ? ok(`bot ${body.user ?? '?'} in workspace ${body.team ?? '?'}`) : failing(`Slack says ${body.error ?? 'not ok'}`);
        },
      };
    case 'webexMeetings':
      return {
        name: label,
        // An integration's client secret is only used in the OAuth code exchange of a person.
        run: async () => ({ status: 'skipped', detail: 'client id and secret are checked when a person connects their Webex account' }),
      };
    case 'webexBot':
      return {
        name: label,
        run: (signal) =>
          expectOk(`${(s.WEBEX_API_URL ?? DEFAULT_WEBEX_API_URL).replace(/\/+$/, '')}/people/me`, { headers: { authorization: `Bearer ${s.WEBEX_BOT_TOKEN}` } }, signal, (b) =>
            `signed in as ${(b as { displayName?: string }).displayName ?? 'the bot'}`,
          ),
      };
    case 'jira':
      return { name: label, run: async () => ok('webhook secret set; checked on every webhook') };
    case 'jiraApi':
      return {
        name: label,
        // GET /rest/api/3/myself with the API token: site, e-mail and token in one call.
        run: (signal) =>
          expectOk(
            `${s.JIRA_BASE_URL!.replace(/\/+$/, '')}/rest/api/3/myself`,
            { headers: { authorization: `Basic ${Buffer.from(`${s.JIRA_EMAIL}:${s.JIRA_API_TOKEN}`).toString('base64')}`, accept: 'application/json' } },
            signal,
            (b) => `signed in as ${(b as { displayName?: string }).displayName ?? s.JIRA_EMAIL}`,
          ),
      };
    case 'trello':
      return {
        name: label,
        run: (signal) =>
          expectOk(
            `${(s.TRELLO_API_URL ?? 'https://api.trello.com/1').replace(/\/+$/, '')}/tokens/${encodeURIComponent(s.TRELLO_TOKEN!)}/webhooks?key=${encodeURIComponent(s.TRELLO_API_KEY!)}&token=${encodeURIComponent(s.TRELLO_TOKEN!)}`,
            {},
            signal,
            (b) => `key and token accepted (${Array.isArray(b) ? b.length : 0} webhooks)`,
          ),
      };
    case 'graph':
      return { name: label, run: (signal) => graphCheck(s, signal) };
    case 'console':
      // A client-credentials token proves tenant, client id and secret of the console's app registration.
      return { name: label, run: (signal) => entraToken(s.CONSOLE_TENANT_ID!, s.CONSOLE_CLIENT_ID!, s.CONSOLE_CLIENT_SECRET!, 'https://graph.microsoft.com/.default', signal) };
  }
}

/** Everything `een-bridge doctor` looks at, in the order it prints them. */
export function doctorChecks(config: Config, schema?: string): Check[] {
  const checks: Check[] = [
    {
      // Sandbox is all or nothing (issue 13): say which, and warn when the sandbox's fixed secrets face a network.
      name: 'mode',
      run: async () => {
        if (config.mode === 'real') return ok(`real (${config.modeReason}): no emulator, no sandbox secret; systems without settings are off`);
        const loopback = config.host === 'localhost' || config.host === '::1' || config.host.startsWith('127.');
        return loopback
          ? ok(`sandbox (${config.modeReason}): every system emulated, listening on ${config.host} only`)
          : { status: 'warning' as const, detail: `sandbox (${config.modeReason}) on ${config.host}: the emulators and their fixed secrets are reachable from the network` };
      },
    },
    {
      name: 'secret key',
      run: async () => {
        resolveSecretKey(config);
        return ok(config.secretKeyBase64 ? 'EEN_SECRET_KEY is 32 bytes' : 'sandbox key in the data dir');
      },
    },
    {
      name: `store (${config.database.kind})`,
      run: async () => {
        const store = openStore(config.database, schema ? { schema } : {});
        try {
          const { applied, pending } = await store.migrationStatus();
          if (pending.length > 0) return { status: 'warning' as const, detail: `reachable; ${pending.length} migrations pending, applied at the next start: ${pending.join(', ')}` };
          return ok(`reachable; ${applied.length} migrations applied`);
        } catch (err) {
          return failing(reason(err));
        } finally {
          await store.close();
        }
      },
    },
  ];
  for (const name of Object.keys(systems) as SystemName[]) {
    const check = systemCheck(name, config);
    if (check) checks.push(check);
  }
  return checks;
}

export async function runChecks(checks: Check[], timeoutMs: number): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (c) => {
      try {
        return { check: c.name, ...(await c.run(AbortSignal.timeout(timeoutMs))) };
      } catch (err) {
        return { check: c.name, status: 'failing' as const, detail: reason(err) };
      }
    }),
  );
}
