import type { AddressInfo } from 'node:net';
import {
  AuditLog,
  ReplayGuard,
  SecretStore,
  SlackInstallations,
  TokenVault,
  UpstreamError,
  UserDirectory,
  Identity,
  type ServedOrganisations,
  createCallingService,
  createNotifications,
  openStore,
  resolveSecretKey,
  systemNames,
  systems,
  type CallingService,
  type Config,
  type Logger,
  type Notifications,
  type Store,
  type SystemName,
} from '../core/internal';
import type { HttpServer } from '../inbound';
import type { Emulator } from '../sandbox/emulator';
import type { SlackMeetings } from '../slack-app/mount';
import type { Endpoints } from './endpoints';
import type { SqliteThread } from '../core/store/sqlite-thread';

export interface ServiceOptions {
  config: Config;
  log: Logger;
  /** PostgreSQL schema override (tests use one per run). */
  schema?: string;
  /** Replaces the shipped emulators (tests of the sandbox base). */
  emulators?: Emulator[];
  /** Sandbox mode only: reach these emulators elsewhere (tests' fault proxies); see Endpoints. */
  sandboxUpstreams?: Readonly<Record<string, string>>;
  /** SQLite only: the store's thread, started for config.database before this module was loaded (`serve`; OpenStoreOptions.sqliteThread). */
  sqliteThread?: SqliteThread;
}

export interface Service {
  readonly config: Config;
  readonly store: Store;
  readonly http: HttpServer;
  readonly users: UserDirectory;
  /** The workspaces, tenants, Webex organisations and mail domains served (`een-bridge orgs`). */
  readonly organisations: ServedOrganisations;
  readonly secrets: SecretStore;
  readonly audit: AuditLog;
  readonly calling: CallingService;
  readonly emulators: readonly Emulator[];
  readonly endpoints: Endpoints;
  /** Webex meetings and the /webex Slack app; undefined when Slack or Webex Meetings is off. */
  readonly slackMeetings: SlackMeetings | undefined;
  readonly notifications: Notifications;
  /** The Webex bot, when it is not off: carries out follow requests decided with the CLI (also every 15 s by itself). */
  readonly webexBot: { applyDecidedRequests(): Promise<number> } | undefined;
  /** Where this process listens, for links to itself (sandbox endpoints). */
  readonly url: string;
  stop(): Promise<void>;
}

/** One turn of the event loop: what the store's thread answered is taken in before the next import. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The service's parts past the core, imported while the store opens (see startService). Each
 * import is a stretch of synchronous work on this thread (restify alone is 400 modules); between
 * two of them the event loop takes in the store's answers, so its migration moves on meanwhile.
 */
async function serviceParts(sandbox: boolean) {
  await turn();
  const inbound = await import('../inbound');
  await turn();
  // The emulators only in sandbox mode: real mode mounts none (issue 13), yet loaded their
  // 70 modules on every start (issue 17).
  const emulation = sandbox ? await emulationParts() : undefined;
  await turn();
  const appParts = {
    ...(await import('./slack-settings')),
    ...(await import('./notifications')),
    ...(await import('./organisations')),
    ...(await import('./endpoints')),
    ...(await import('./meetings')),
    ...(await import('./administration')),
  };
  await turn();
  const { mountConsole } = await import('../console/routes');
  return { ...inbound, emulation, ...appParts, mountConsole };
}

async function emulationParts() {
  return {
    ...(await import('./emulators')),
    ...(await import('../sandbox/emulator')),
    ...(await import('../sandbox/broadworks-xsi/directory-seed')),
    ...(await import('../sandbox/slack-api/slack-emulator')),
    ...(await import('../sandbox/webex-api/webex-emulator')),
  };
}

/** The composition root: store, vault, HTTP server, emulators and adapters, in that order. */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, log } = options;
  const vault = new TokenVault(resolveSecretKey(config));
  const store = openStore(config.database, { ...(options.schema ? { schema: options.schema } : {}), ...(options.sqliteThread ? { sqliteThread: options.sqliteThread } : {}) });
  // The store opens and migrates (on SQLite: its own thread starts, loads the driver, opens the
  // file) while this thread loads the rest of the service: they used to take turns, this thread
  // idle for the 0.3 to 0.6 s the SQLite thread took to start and migrate a new store (issue 17).
  const migrated = store.migrate();
  // Awaited below; until then a failure must not count as unhandled.
  migrated.catch(() => undefined);
  let parts: Awaited<ReturnType<typeof serviceParts>>;
  try {
    parts = await serviceParts(config.mode === 'sandbox');
    const applied = await migrated;
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (err) {
    await migrated.catch(() => undefined);
    await store.close();
    throw err;
  }
  const {
    WEBEX_OAUTH_CALLBACK_PATH, createHttpServer, mountNotificationHooks, emulation,
    realSlack, sandboxSlack, notificationSettings, startWebexBot, webexBotAccess, servedOrganisations, Endpoints, createMeetingsCapability,
    mountConsole, administration,
  } = parts;

  const endpoints = new Endpoints(config.mode === 'sandbox' ? options.sandboxUpstreams : {});
  const http = createHttpServer({ bodyLimitBytes: config.bodyLimitBytes, log, isReady: () => store.isReady(), metricsAddress: config.metricsAddress });
  // Sandbox is all or nothing (issue 13): in real mode no emulator is mounted at all.
  const sandboxed = new Set<SystemName>(systemNames.filter((s) => config.systems[s].mode === 'sandbox'));
  const emulators = emulation ? emulation.emulatorsFor(options.emulators ?? emulation.createEmulators(), sandboxed) : [];
  for (const emulator of emulators) emulation?.mountEmulator(http.restify, emulator);

  const users = new UserDirectory(store.db);
  const secrets = new SecretStore(store.db, vault);
  const audit = new AuditLog(store.db, undefined, (err, entry) => log.error({ err, action: entry.action, outcome: entry.outcome }, 'an audit entry could not be written'));
  // Who een-bridge serves, and the one place a Slack or Teams identity is linked to a person (issue 13).
  const organisations = servedOrganisations(store, audit, config);
  const identity = new Identity({ users, organisations, audit });
  // The administration façades (people, dial policies, follow requests, console sessions), the CLI's too.
  const admin = administration(store, audit, users, organisations);

  // Calling (KPN EEN click-to-dial): the Xsi emulator in sandbox mode, XSI_* when real.
  const xsi = config.systems.xsi;
  const calling = await createCallingService({
    db: store.db,
    dialect: store.dialect,
    users,
    audit,
    secrets,
    xsiBaseUrl: () => {
      if (xsi.mode === 'real') return xsi.settings.XSI_BASE_URL!;
      if (xsi.mode === 'sandbox') return endpoints.sandbox('xsi');
      throw new UpstreamError('KPN EEN', undefined, 'calling.xsi.unavailable', undefined, `Xsi is off (XSI_* unset, real mode: ${config.modeReason})`);
    },
    // The sandbox's credentials only in sandbox mode; with Xsi off nothing is ever sent.
    credentials: xsi.mode === 'real'
      ? { username: xsi.settings.XSI_USERNAME!, password: xsi.settings.XSI_PASSWORD! }
      : xsi.mode === 'sandbox' && emulation ? emulation.SANDBOX_XSI_CREDENTIALS : { username: '', password: '' },
    directoryUserId: xsi.settings.XSI_DIRECTORY_USER,
  });
  // Meetings: Webex Meetings (real or emulated), its Connect link and OAuth callback, wired once
  // and offered by the /webex Slack app and the Teams bot alike.
  const meetingsCapability = createMeetingsCapability(http.restify, config, store, secrets, admin.people, endpoints, log);
  // Teams bot on /api/messages: Bot Framework auth when MICROSOFT_APP_ID is set, off in sandbox.
  // Each system's SDK (botbuilder here, @slack/bolt below) is loaded only when that system is on (issue 17).
  const teamsApp = config.systems.teams.mode === 'off'
    ? undefined
    : (await import('../teams-app/mount')).mountTeamsApp(http.restify, { teams: config.systems.teams, calling: calling.calling, meetings: meetingsCapability, people: admin.people, identity, log, publicUrl: config.publicUrl, sandboxUrl: () => endpoints.sandbox('teams') });
  // The /webex Slack app on the shared meetings capability.
  const slack = config.systems.slack;
  let slackMeetings: SlackMeetings | undefined;
  if (meetingsCapability && slack.mode !== 'off') {
    let slackSettings;
    try {
      slackSettings = slack.mode === 'real' ? realSlack(slack.settings, config.publicUrl ?? '') : sandboxSlack(endpoints);
    } catch (err) {
      await store.close();
      throw err;
    }
    const { mountSlackMeetings } = await import('../slack-app/mount');
    slackMeetings = mountSlackMeetings({
      server: http.restify,
      installations: new SlackInstallations(store.db, secrets),
      seenSignatures: (windowSeconds) => new ReplayGuard(store.db, windowSeconds),
      identity,
      log,
      ...meetingsCapability,
      calling: xsi.mode === 'off' ? undefined : calling.calling,
      slack: slackSettings,
    });
  }
  // Notifications: /hooks/jira, and the outbox worker delivering to Webex (started after listen).
  const notifySettings = notificationSettings(config, endpoints);
  // Broken subscriptions are counted on the same /metrics as HTTP.
  const notifications = createNotifications({ store, log, ...notifySettings, health: { everyMs: config.healthCheckMs, ...notifySettings.health, registry: http.metrics.registry } });
  mountNotificationHooks(http.restify, notifications.hooks);
  const webexBot = startWebexBot(config, endpoints, http.restify, notifications.subscriptions, log, { ...webexBotAccess(store, audit, config), digests: notifications.digestSchedules }, identity, notifications.graph, notifications.health, {
    // Calling and meetings from Webex (issue 14): the same façades as Teams and Slack.
    calling: xsi.mode === 'off' ? undefined : calling.calling,
    meetings: meetingsCapability,
  });

  const consoleStreams = mountConsole(http.restify, {
    config, log, ...admin, audit, notifications, emulators, webexBot, self: () => endpoints.self(),
    // Loaded when asked: the checks are only needed when an administrator opens them.
    doctor: async () => {
      const { doctorChecks, runChecks } = await import('./doctor/checks');
      return [{ check: 'configuration', status: 'ok', detail: 'every setting valid' }, ...(await runChecks(doctorChecks(config), 5000))];
    },
  });

  let address: AddressInfo;
  try {
    address = await http.listen(config.port, config.host);
  } catch (err) {
    await store.close();
    throw err;
  }
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  endpoints.setSelf(url);
  // The sandbox's Webex integration and Slack app know only this service's own redirect URIs.
  for (const emulator of emulators) {
    if (!emulation) break;
    if (emulator instanceof emulation.WebexEmulator) emulator.registerRedirectUri(emulation.SANDBOX_WEBEX_CLIENT_ID, `${config.publicUrl ?? url}${WEBEX_OAUTH_CALLBACK_PATH}`);
    if (emulator instanceof emulation.SlackEmulator) emulator.registerRedirectUri(`${url}/slack/oauth_redirect`);
  }
  notifications.start();
  await webexBot?.afterListen();

  log.info(
    {
      url,
      mode: config.mode,
      modeReason: config.modeReason,
      store: store.dialect,
      systems: Object.fromEntries(systemNames.map((s) => [s, config.systems[s].mode])),
      emulators: emulators.map((e) => e.name),
    },
    `een-bridge listening on ${url}`,
  );
  log.info(
    { mode: config.mode, host: config.host },
    config.mode === 'sandbox'
      ? `sandbox mode (${config.modeReason}): every system is emulated on this process with the sandbox's fixed secrets; listening on ${config.host}`
      : `real mode (${config.modeReason}): no emulator is mounted and no sandbox secret is accepted; systems without settings are off`,
  );
  for (const s of systemNames) {
    const mode = config.systems[s].mode;
    log.info(mode === 'off' ? `${systems[s].label}: off (no settings)` : `${systems[s].label}: ${mode}`);
  }

  return {
    config,
    store,
    http,
    users,
    organisations,
    secrets,
    audit,
    calling,
    emulators,
    endpoints,
    slackMeetings,
    notifications,
    webexBot: webexBot ? { applyDecidedRequests: () => webexBot.applyDecidedRequests() } : undefined,
    url,
    async stop() {
      webexBot?.stop();
      await notifications.stop();
      consoleStreams.close();
      await http.close();
      teamsApp?.close();
      for (const e of emulators) e.close?.();
      await store.close();
    },
  };
}
