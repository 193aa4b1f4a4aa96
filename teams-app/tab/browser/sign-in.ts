import { app, authentication } from '@microsoft/teams-js';

/** What the page takes from the Teams context (app.getContext; teams-js dts/public/app/app.d.ts). */
export interface TeamsContext { theme: string; locale: string; timeZone: string | undefined }

/** How long to wait for a Teams host to answer before deciding the page is not in Teams. */
const TEAMS_HOST_TIMEOUT_MS = 5000;

let host: Promise<TeamsContext> | undefined;

/**
 * The Teams host's context, or a rejection when the page is not in Teams. teams-js is initialised
 * once, here, for both the context and the SSO token.
 */
export function teamsContext(): Promise<TeamsContext> {
  host ??= (async () => {
    // Top-level and without a native host, teams-js rejects at once ("No Parent window found").
    // Framed by something that is not Teams, it would wait forever: hence the timeout.
    await withTimeout(app.initialize(), TEAMS_HOST_TIMEOUT_MS);
    const context = await app.getContext();
    return { theme: context.app.theme, locale: context.app.locale, timeZone: context.app.osLocaleInfo?.timezone };
  })();
  return host;
}

/** Teams calls this when the person switches theme (app.registerOnThemeChangeHandler). */
export function onTeamsThemeChange(handler: (theme: string) => void): void {
  app.registerOnThemeChangeHandler(handler);
}

/**
 * The person's SSO token. Inside Teams, teams-js asks the host for it (Teams docs, "Enable SSO
 * for tab app": app.initialize, then authentication.getAuthToken). Outside Teams, in sandbox
 * mode, the sandbox Teams emulator signs one, which the server verifies with the sandbox's key.
 */
export function signIn(): () => Promise<string> {
  let token: Promise<string> | undefined;
  return () => {
    token ??= fromTeams().catch(fromSandbox);
    // A failed sign-in is not cached: the next request tries again.
    token.catch(() => { token = undefined; });
    return token;
  };
}

async function fromTeams(): Promise<string> {
  await teamsContext();
  return authentication.getAuthToken();
}

async function fromSandbox(): Promise<string> {
  const res = await fetch('/sandbox/teams/tab/token', { method: 'POST' });
  if (!res.ok) throw new Error(`no Teams sign-in (${res.status})`);
  const body = (await res.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('no Teams sign-in');
  return body.token;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no Teams host answered')), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (err: unknown) => { clearTimeout(timer); reject(err instanceof Error ? err : new Error(String(err))); },
    );
  });
}
