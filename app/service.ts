import type { AddressInfo } from 'node:net';
import {
  AuditLog,
  SecretStore,
  TokenVault,
  UserDirectory,
  createHttpServer,
  createNotifications,
  openStore,
  resolveSecretKey,
  systemNames,
  systems,
  type Config,
  type HttpServer,
  type Logger,
  type Notifications,
  type Store,
  type SystemName,
} from '../core';
import { mountEmulator, type Emulator } from '../sandbox/emulator';
import { createEmulators, emulatorsFor } from './emulators';
import { notificationSettings, startWebexBot } from './notifications';
import { Endpoints } from './endpoints';

export interface ServiceOptions {
  config: Config;
  log: Logger;
  /** PostgreSQL schema override (tests use one per run). */
  schema?: string;
  /** Replaces the shipped emulators (tests of the sandbox base). */
  emulators?: Emulator[];
}

export interface Service {
  readonly config: Config;
  readonly store: Store;
  readonly http: HttpServer;
  readonly users: UserDirectory;
  readonly secrets: SecretStore;
  readonly audit: AuditLog;
  readonly emulators: readonly Emulator[];
  readonly endpoints: Endpoints;
  readonly notifications: Notifications;
  /** Where this process listens, for links to itself (sandbox endpoints). */
  readonly url: string;
  stop(): Promise<void>;
}

/** The composition root: store, vault, HTTP server, emulators and adapters, in that order. */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, log } = options;
  const vault = new TokenVault(resolveSecretKey(config));
  const store = openStore(config.database, options.schema ? { schema: options.schema } : {});
  try {
    const applied = await store.migrate();
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (err) {
    await store.close();
    throw err;
  }

  const endpoints = new Endpoints();
  const http = createHttpServer({ bodyLimitBytes: config.bodyLimitBytes, log, isReady: () => store.isReady() });
  const sandboxed = new Set<SystemName>(systemNames.filter((s) => config.systems[s].mode === 'sandbox'));
  const emulators = config.sandbox === 'off' ? [] : emulatorsFor(options.emulators ?? createEmulators(), sandboxed);
  for (const emulator of emulators) mountEmulator(http.restify, emulator);

  // Notifications: /hooks/jira, and the outbox worker delivering to Webex (started after listen).
  const notifications = createNotifications({ server: http.restify, store, log, ...notificationSettings(config, endpoints) });
  const webexBot = startWebexBot(config, endpoints, http.restify, notifications.subscriptions, log);

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
  notifications.start();
  await webexBot?.afterListen();

  log.info(
    {
      url,
      store: store.dialect,
      systems: Object.fromEntries(systemNames.map((s) => [s, config.systems[s].mode])),
      emulators: emulators.map((e) => e.name),
    },
    `een-bridge listening on ${url}`,
  );
  for (const s of systemNames) log.info(`${systems[s].label}: ${config.systems[s].mode}`);

  return {
    config,
    store,
    http,
    users: new UserDirectory(store.db),
    secrets: new SecretStore(store.db, vault),
    audit: new AuditLog(store.db),
    emulators,
    endpoints,
    notifications,
    url,
    async stop() {
      await notifications.stop();
      await http.close();
      for (const e of emulators) e.close?.();
      await store.close();
    },
  };
}
