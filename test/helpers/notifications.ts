import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotificationInbox, NotificationRouter, openStore, parseJiraWebhook, type AcceptResult, type RouterOptions, type SourceEvent, type Store } from '../../core/internal';
import { memoryLogger } from './service';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { Client } from 'pg';
import { dropSchema, freshSchemaName, postgresUrl } from './postgres';

/**
 * The outbox suite runs in a database of its own on the test PostgreSQL. Kysely's Migrator looks
 * for its tables in every schema of a database, so another run's half-made (or orphaned) schema
 * in the shared database makes it skip creating ours ("relation kysely_migration_lock does not exist").
 */
const outboxDatabase = 'een_notifications_test';
let databaseReady: Promise<string> | undefined;

function outboxDatabaseUrl(): Promise<string> {
  databaseReady ??= (async () => {
    const client = new Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(`create database ${outboxDatabase}`);
    } catch (err) {
      // 42P04: it exists already; 23505: another worker created it at the same moment.
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
    } finally {
      await client.end();
    }
    const url = new URL(postgresUrl);
    url.pathname = `/${outboxDatabase}`;
    return url.toString();
  })();
  return databaseReady;
}

export type StoreKind = 'sqlite' | 'postgres';

/** A migrated store of either kind, and how to open a second connection pool to it (a "replica"). */
export async function testStore(kind: StoreKind): Promise<{ store: Store; another: () => Promise<Store>; dispose: () => Promise<void> }> {
  const opened: Store[] = [];
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-outbox-'));
    const open = async () => {
      const s = openStore({ kind: 'sqlite', file: path.join(dir, 'test.db') });
      await s.migrate();
      opened.push(s);
      return s;
    };
    const store = await open();
    return {
      store,
      another: open,
      dispose: async () => {
        for (const s of opened) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = freshSchemaName('ob');
  const url = await outboxDatabaseUrl();
  const open = async () => {
    const s = openStore({ kind: 'postgres', url }, { schema });
    opened.push(s);
    await s.migrate();
    return s;
  };
  const dispose = async () => {
    for (const s of opened.splice(0)) await s.close();
    await dropSchema(schema, url);
  };
  try {
    return { store: await open(), another: open, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** A Jira issue update as a SourceEvent, with its own delivery key and subject key. */
export function jiraEvent(deliveryKey: string, issueKey = 'KAN-22'): SourceEvent {
  const body = { ...jiraIssueUpdated, issue: { ...jiraIssueUpdated.issue, key: issueKey } };
  const result = parseJiraWebhook(body, deliveryKey);
  if (result.outcome !== 'event') throw new Error('fixture did not parse');
  return result.event;
}

/**
 * An inbox whose accepted events are routed straight after, as the service's router does just
 * after a webhook is answered (core/notifications/router.ts): for tests about what happens to
 * deliveries, not about when routing runs.
 */
export function routedInbox(store: Store, options: Partial<RouterOptions> = {}, onRouted?: () => void): { inbox: NotificationInbox; router: NotificationRouter; accept: (event: SourceEvent) => Promise<AcceptResult> } {
  const inbox = new NotificationInbox(store.db);
  const router = new NotificationRouter(store.db, store.dialect, memoryLogger().log, onRouted, options);
  return {
    inbox,
    router,
    accept: async (event) => {
      const result = await inbox.accept(event);
      await router.routeAll();
      return result;
    },
  };
}

/** True when the router has fanned out every accepted event (tests wait for this and an empty outbox). */
export async function allRouted(store: Store): Promise<boolean> {
  return (await store.db.selectFrom('notification_unrouted').select('seq').limit(1).execute()).length === 0;
}
