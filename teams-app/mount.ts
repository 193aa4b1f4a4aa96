import type { Server } from 'restify';
import { CallWatcher, type Calling, type Identity, type Logger, type MeetingService, type People, type SystemConfig, type WebexAccounts } from '../core';
import { jsonBody, lazyRoute } from '../inbound';

import { TeamsCallingBot } from './handler';
import { SANDBOX_TAB_AUDIENCE, TabTokenVerifier, entraSso, sandboxIssuer } from './tab/sso';
import { mountTab } from './tab/tab-routes';

export interface TeamsAppDeps {
  teams: SystemConfig;
  calling: Calling;
  /** Webex meetings, shared with Slack; undefined when Webex Meetings is off. */
  meetings: { meetings: MeetingService; accounts: WebexAccounts } | undefined;
  /** The people served: the tab shows a person their own name and address. */
  people: Pick<People, 'person'>;
  /** Links a Teams identity (tenant + object id) to the person een-bridge knows. */
  identity: Identity;
  log: Logger;
  /** Base URL of the sandbox Teams emulator (its local key signs tab tokens). */
  sandboxUrl: () => string;
  /** EEN_PUBLIC_URL: the tab's SSO audience is api://<its host>/<app id>. */
  publicUrl?: string | undefined;
  /** Call status polling; tests shorten it. */
  pollMs?: number;
}

export interface TeamsApp {
  close(): void;
}

/** Mounts the Teams bot at POST /api/messages. Real mode when MICROSOFT_APP_ID is set. */
export function mountTeamsApp(server: Server, deps: TeamsAppDeps): TeamsApp {
  const log = deps.log.child({ adapter: 'teams' });
  const watcher = new CallWatcher({ pollMs: deps.pollMs ?? 1000, maxMs: 10 * 60_000, log });
  const s = deps.teams.settings;
  const bot = new TeamsCallingBot({ calling: deps.calling, meetings: deps.meetings, identity: deps.identity, watcher, log });
  const settings = { appId: s.MICROSOFT_APP_ID, appPassword: s.MICROSOFT_APP_PASSWORD, tenantId: s.MICROSOFT_APP_TENANT_ID, appType: s.MICROSOFT_APP_TYPE };
  // botbuilder (about 700 modules, 25 MB) is loaded at the first activity, not before /readyz (issue 17).
  server.post('/api/messages', jsonBody(), lazyRoute(async () => (await import('./bot-framework')).botFrameworkRoute(settings, bot, log), log, 'teams'));
  const verifier = new TabTokenVerifier(
    s.MICROSOFT_APP_ID
      ? entraSso(s.MICROSOFT_APP_ID, deps.publicUrl, s.TEAMS_TAB_AUDIENCE, s.MICROSOFT_APP_TENANT_ID)
      : { jwksUrl: () => `${deps.sandboxUrl()}/tab/jwks`, audiences: [SANDBOX_TAB_AUDIENCE], issuers: (tid) => [sandboxIssuer(tid)], tenantId: undefined },
  );
  mountTab(server, { calling: deps.calling, people: deps.people, identity: deps.identity, verifier, log });
  return { close: () => watcher.close() };
}
