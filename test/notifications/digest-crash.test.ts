import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DigestScheduler,
  DigestSchedules,
  NotificationInbox,
  NotificationRouter,
  Outbox,
  OutboxWorker,
  SubscriptionRepository,
  WebexMessages,
  openStore,
  webexDeliverySender,
  type SourceEvent,
  type Store,
} from '../../core/internal';
import { createEmulators } from '../../app/emulators';
import { createHttpServer, type HttpServer } from '../../inbound';
import { mountEmulator } from '../../sandbox/emulator';
import { messagingOf } from '../../sandbox/webex-api/messaging-state';
import { SANDBOX_WEBEX_BOT_TOKEN, WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { assertBuilt } from '../helpers/built';
import { dropSchema, freshSchemaName, postgresUrl } from '../helpers/postgres';
import { repoRoot } from '../helpers/processes';
import { memoryLogger } from '../helpers/service';
import { dialects, type Dialect } from '../helpers/stores';
import { webexCall } from '../helpers/webex-sandbox';

/**
 * A process that claimed a due digest is killed (SIGKILL) before it sends, or after Webex took
 * the message but before the outcome was recorded. A second run must deliver that digest
 * exactly once: not lose it (the claim made a durable outbox delivery) and not send it twice
 * (its marker is looked for in the 1:1 space first). The killed process runs the built dist/.
 */
describe.each(dialects)('a crash after a scheduled digest was claimed, on %s', (dialect) => {
  let webexServer: HttpServer;
  let emulator: WebexEmulator;
  let webexApi: string;
  const T0 = new Date('2030-03-28T12:00:00Z');
  // Daily 09:00 in Amsterdam: the next is on the day clocks go forward, 07:00 UTC.
  const DUE = '2030-03-31T07:00:00.000Z';

  beforeAll(async () => {
    assertBuilt();
    emulator = createEmulators().find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    webexServer = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
    mountEmulator(webexServer.restify, emulator);
    const address = await webexServer.listen(0, '127.0.0.1');
    webexApi = `http://127.0.0.1:${address.port}/sandbox/webex/v1`;
  }, 60_000);
  afterAll(() => webexServer.close(100));

  const event = (n: number): SourceEvent => ({
    source: 'jira',
    deliveryKey: `digest-crash-${dialect}-${n}-${Math.random()}`,
    sourceKey: 'KAN',
    kind: 'issue.updated',
    occurredAt: T0.toISOString(),
    actor: 'Pieter Visser',
    subject: { key: `KAN-${n}`, title: `Issue ${n}`, url: `https://example.atlassian.net/browse/KAN-${n}`, type: 'Task', priority: 'Medium', status: 'Done', assignee: null },
    changes: [{ field: 'status', from: 'To Do', to: 'Done' }],
    comment: null,
  });

  it.each(['claimed', 'sent'] as const)('killed once %s: the digest reaches the space exactly once', async (stage) => {
    const where = await openDialect(dialect);
    try {
      // A 1:1 space: the bot may list it, so a send in doubt is looked for (webex-delivery.ts).
      const hello = await webexCall<{ roomId: string }>(webexApi.replace(/\/v1$/, ''), 'POST', '/messages', { toPersonEmail: `digest-${dialect}-${stage}@example.nl`, text: 'Hoi' });
      const room = hello.body.roomId;
      let store = where.open();
      await store.migrate();
      await new SubscriptionRepository(store.db).subscribe({ spaceId: room, source: 'jira', sourceKey: 'KAN', locale: 'en-GB' });
      const schedules = new DigestSchedules(store.db, { now: () => T0 });
      // Europe/Amsterdam by default; the due time is the local 09:00 after T0 (a Sunday, DST starts).
      await schedules.set(room, { kind: 'weekly', weekday: 7, at: '09:00' }, 'test');
      expect((await schedules.get(room)).nextDueAt).toBe(DUE);
      const inbox = new NotificationInbox(store.db, { now: () => T0 });
      const router = new NotificationRouter(store.db, store.dialect, memoryLogger().log, undefined, {}, { now: () => T0 });
      for (let n = 1; n <= 5; n++) expect(await inbox.accept(event(n))).toMatchObject({ status: 'accepted' });
      // The router collects them for the space's digest, as it does just after each webhook.
      await router.routeAll();
      await store.close();

      const child = spawn(process.execPath, [path.join(repoRoot, 'test/helpers/digest-crash.js'), JSON.stringify({ ...where.args, webexApi, at: DUE, stage })], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const mark = stage === 'sent' ? /^sent$/m : /^claimed \d+$/m;
      for (let i = 0; i < 600 && !mark.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(mark);
      child.kill('SIGKILL');
      await exited;
      const digests = () => messagingOf(emulator.context).messages.filter((m) => m.roomId === room && (m.markdown ?? '').startsWith('**Digest: 5 changes to 5 items**'));
      expect(digests()).toHaveLength(stage === 'sent' ? 1 : 0);

      // The restart: the lease the dead process held has run out.
      store = where.open();
      const later = { now: () => new Date(Date.parse(DUE) + 61_000) };
      // The schedule moved on in the claim: nothing is due again.
      expect(await new DigestScheduler(store.db, store.dialect, memoryLogger().log, {}, later).runOnce()).toEqual([]);
      const messages = new WebexMessages({ baseUrl: () => webexApi, token: () => SANDBOX_WEBEX_BOT_TOKEN });
      const worker = new OutboxWorker(new Outbox(store.db, store.dialect, later), webexDeliverySender(messages), memoryLogger().log, { sendPerSecond: 0 }, later);
      expect(await worker.runOnce()).toBe(1);
      expect(await worker.runOnce()).toBe(0);
      expect(digests()).toHaveLength(1);
      const text = digests()[0]!.markdown!;
      for (let n = 1; n <= 5; n++) expect(text.split(`[KAN-${n}]`)).toHaveLength(2);
      const counts = await new Outbox(store.db, store.dialect, later).counts();
      expect(counts).toEqual({ pending: 0, sending: 0, delivered: 1, dead: 0 });
      expect((await new DigestSchedules(store.db, later).get(room)).nextDueAt).toBe('2030-04-07T07:00:00.000Z');
      await store.close();
    } finally {
      await where.dispose();
    }
  }, 120_000);
});

/** A store a second process can open too: a SQLite file, or a PostgreSQL schema. */
async function openDialect(dialect: Dialect): Promise<{ open: () => Store; args: Record<string, string>; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-digest-crash-'));
    const file = path.join(dir, 'een-bridge.db');
    return { open: () => openStore({ kind: 'sqlite', file }), args: { dialect, file }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = freshSchemaName('digest');
  return {
    open: () => openStore({ kind: 'postgres', url: postgresUrl }, { schema }),
    args: { dialect, url: postgresUrl, schema },
    dispose: () => dropSchema(schema),
  };
}
