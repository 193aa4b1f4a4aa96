import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotificationInbox, Outbox, SubscriptionRepository, openStore, type Store } from '../../core';
import { runCli } from '../../app/cli';
import { jiraEvent } from '../helpers/notifications';

describe('een-bridge outbox', () => {
  let dataDir: string;
  let store: Store;
  let outbox: Outbox;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-outbox-cli-'));
    store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    await store.migrate();
    await new SubscriptionRepository(store.db).subscribe({ spaceId: 'space-a', source: 'jira', sourceKey: 'KAN' });
    const inbox = new NotificationInbox(store.db);
    outbox = new Outbox(store.db, store.dialect);
    for (const n of [1, 2, 3]) await inbox.accept(jiraEvent(`d-${n}`, `KAN-${n}`));
    const [first, second] = await outbox.claimDue(60_000, 1).then(async (a) => [...a, ...(await outbox.claimDue(60_000, 1))]);
    await outbox.markDead(first!.id, 'Webex 404: Could not find a room with provided ID.', true);
    expect(second).toBeUndefined();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env: { EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'silent' }, cwd: dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('lists deliveries with their status counts and last error', async () => {
    const { code, out } = await cli('outbox', 'list');
    expect(code).toBe(0);
    expect(out).toContain('pending 2, sending 0, delivered 0, dead 1');
    expect(out).toMatch(/^1\s+dead\s+1\s+jira\s+issue\.updated\s+KAN-1\s+space-a\s+Webex 404/m);
    expect((await cli('outbox', 'list', '--status', 'dead')).out.split('\n')).toHaveLength(3);
  });

  it('puts a dead letter back in the queue', async () => {
    expect(await cli('outbox', 'retry', '1')).toMatchObject({ code: 0, out: '1 dead letter queued again.' });
    expect(await outbox.counts()).toMatchObject({ pending: 3, dead: 0 });
    expect((await outbox.list()).find((d) => d.id === 1)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('says so (exit 1) when an id to retry is not a dead letter', async () => {
    expect((await cli('outbox', 'retry', '1', '2')).code).toBe(1);
  });

  it('purges dead letters', async () => {
    expect(await cli('outbox', 'purge-dead', '--all')).toMatchObject({ code: 0, out: '1 dead letter deleted.' });
    expect(await outbox.counts()).toMatchObject({ pending: 2, dead: 0 });
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await cli('outbox')).code).toBe(2);
    expect((await cli('outbox', 'retry')).code).toBe(2);
    expect((await cli('outbox', 'retry', 'x')).code).toBe(2);
    expect((await cli('outbox', 'list', '--status', 'lost')).code).toBe(2);
    expect((await cli('outbox', 'list', '--limit', '0')).code).toBe(2);
  });
});

describe('een-bridge subscriptions', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-subs-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const code = await runCli(argv, { env: { EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'silent' }, cwd: dataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, out: out.join('\n') };
  }

  it('adds, lists and removes a subscription', async () => {
    expect(await cli('subscriptions', 'add', 'room-1', 'jira', 'kan', '--filter', '{"minPriority":"High"}', '--locale', 'en-GB')).toEqual({ code: 0, out: 'Subscription 1: room-1 follows jira KAN.' });
    expect((await cli('subscriptions', 'list')).out).toBe('1  room-1  jira KAN  en-GB  {"minPriority":"High"}  format=full skip-own=off important=created,deleted,status');
    expect(await cli('subscriptions', 'remove', 'room-1', '1')).toEqual({ code: 0, out: 'Subscription 1 removed.' });
    expect((await cli('subscriptions', 'list', '--space', 'room-1')).out).toBe('No subscriptions.');
  });

  it('sets the format, skip-own and the important changes of one subscription, and refuses bad values with exit 2', async () => {
    await cli('subscriptions', 'add', 'room-1', 'jira', 'KAN');
    expect(await cli('subscriptions', 'set', 'room-1', '1', '--format', 'compact', '--skip-own', 'on')).toEqual({
      code: 0,
      out: 'Subscription 1: format=compact skip-own=on important=created,deleted,status.',
    });
    expect(await cli('subscriptions', 'set', 'room-1', '1', '--important', 'status,assignee')).toEqual({ code: 0, out: 'Subscription 1: format=compact skip-own=on important=status,assignee.' });
    expect((await cli('subscriptions', 'list')).out).toBe('1  room-1  jira KAN  nl-NL  {}  format=compact skip-own=on important=status,assignee');
    expect((await cli('subscriptions', 'set', 'room-1', '1', '--format', 'short')).code).toBe(2);
    expect((await cli('subscriptions', 'set', 'room-1', '1', '--skip-own', 'yes')).code).toBe(2);
    expect((await cli('subscriptions', 'set', 'room-1', '1', '--important', 'status,weather')).code).toBe(2);
    expect((await cli('subscriptions', 'set', 'room-1', '1')).code).toBe(2);
    expect(await cli('subscriptions', 'set', 'room-2', '1', '--format', 'full')).toEqual({ code: 1, out: 'No subscription 1 in that space.' });
  });

  it('sets, shows and resets how long a space waits to fold a burst into one digest; the inbox holds changes that long', async () => {
    expect(await cli('subscriptions', 'digest', 'room-1')).toEqual({ code: 0, out: 'room-1: a change waits 3 s (the service default) for others to go out with it as one digest.' });
    expect(await cli('subscriptions', 'digest', 'room-1', '10')).toEqual({ code: 0, out: 'room-1: a change waits 3 s → 10 s for others to go out with it as one digest.' });
    expect(await cli('subscriptions', 'digest', 'room-1', '0.5')).toEqual({ code: 0, out: 'room-1: a change waits 10 s → 0.5 s for others to go out with it as one digest.' });
    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    try {
      await new SubscriptionRepository(store.db).subscribe({ spaceId: 'room-1', source: 'jira', sourceKey: 'KAN' });
      await new NotificationInbox(store.db, undefined, undefined, { digestWindowMs: 3_000 }).accept(jiraEvent('d-1', 'KAN-1'));
      const row = await store.db.selectFrom('notification_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(Date.parse(row.next_attempt_at) - Date.parse(row.created_at)).toBe(500);
    } finally {
      await store.close();
    }
    expect(await cli('subscriptions', 'digest', 'room-1', 'default')).toEqual({ code: 0, out: 'room-1: a change waits 0.5 s → 3 s for others to go out with it as one digest.' });
    expect((await cli('subscriptions', 'digest', 'room-1', '301')).code).toBe(2);
    expect((await cli('subscriptions', 'digest', 'room-1', 'soon')).code).toBe(2);
  });

  it('refuses a bad source or filter with exit 2', async () => {
    expect((await cli('subscriptions', 'add', 'room-1', 'gitlab', 'x')).code).toBe(2);
    expect((await cli('subscriptions', 'add', 'room-1', 'jira', 'KAN', '--filter', '{"minPriority":"Urgent"}')).code).toBe(2);
    expect((await cli('subscriptions', 'add', 'room-1', 'jira', 'KAN', '--filter', 'nope')).code).toBe(2);
  });
});
