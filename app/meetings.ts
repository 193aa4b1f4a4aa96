import type { Server } from 'restify';
import {
  AuditLog,
  DEFAULT_WEBEX_API_URL,
  MeetingService,
  WebexAccounts,
  WebexMeetingsClient,
  type Config,
  type Logger,
  type People,
  type SecretStore,
  type Store,
} from '../core/internal';
import { WEBEX_OAUTH_CALLBACK_PATH, WEBEX_OAUTH_CONNECT_PATH, mountWebexOAuthCallback } from '../inbound';
import { SANDBOX_WEBEX_CLIENT_ID, SANDBOX_WEBEX_CLIENT_SECRET } from '../sandbox/webex-api/webex-emulator';
import type { Endpoints } from './endpoints';

/** The meetings capability, built once and shared by every surface that offers it (Slack, Teams). */
export interface MeetingsCapability {
  meetings: MeetingService;
  /** A person's Webex account link: one per core user, whichever surface connected it. */
  accounts: WebexAccounts;
}

/**
 * Wires Webex Meetings (real, or the emulator in sandbox mode) and mounts the Connect link and
 * the OAuth callback once (issue 14: meetings were wired inside the Slack adapter, so no other
 * surface could offer them). Undefined when Webex Meetings is off.
 */
export function createMeetingsCapability(server: Server, config: Config, store: Store, secrets: SecretStore, people: People, endpoints: Endpoints, log: Logger): MeetingsCapability | undefined {
  const webex = config.systems.webexMeetings;
  if (webex.mode === 'off') return undefined;
  const real = webex.mode === 'real';
  const apiUrl = () => (real ? (webex.settings.WEBEX_API_URL ?? DEFAULT_WEBEX_API_URL) : `${endpoints.sandbox('webex')}/v1`);
  const accounts = new WebexAccounts({
    db: store.db,
    secrets,
    apiUrl,
    clientId: real ? webex.settings.WEBEX_CLIENT_ID! : SANDBOX_WEBEX_CLIENT_ID,
    clientSecret: real ? webex.settings.WEBEX_CLIENT_SECRET! : SANDBOX_WEBEX_CLIENT_SECRET,
    redirectUri: () => `${config.publicUrl ?? endpoints.self()}${WEBEX_OAUTH_CALLBACK_PATH}`,
    connectUri: () => `${config.publicUrl ?? endpoints.self()}${WEBEX_OAUTH_CONNECT_PATH}`,
  });
  const meetings = new MeetingService({ meetings: new WebexMeetingsClient({ baseUrl: apiUrl }), accounts, db: store.db, audit: new AuditLog(store.db) });
  mountWebexOAuthCallback(server, accounts, people, log, { secureCookie: config.mode === 'real' });
  return { meetings, accounts };
}
