import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Outbox, SubscriptionRepository, openStore, type Store } from '../../core/internal';
import { runCli } from '../../app/cli';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { jiraEvent, routedInbox } from '../helpers/notifications';

describe('een-bridge outbox', () => {
  let dataDir: string;
  let store: Store;
  let outbox: Outbox;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-outbox-cli-'));
    store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    await store.migrate();
    await new SubscriptionRepository(store.db).subscribe({ spaceId: 'space-a', source: 'jira', sourceKey: 'KAN' });
    const inbox = routedInbox(store);
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

  it('lists dead letters first, as its help says, under a header', async () => {
    const lines = (await cli('outbox', 'list')).out.split('\n');
    expect(lines[1]).toMatch(/^ID\s+STATUS\s+ATTEMPTS\s+SOURCE\s+KIND\s+SUBJECT\s+SPACE\s+NEXT ATTEMPT OR DELIVERED\s+LAST ERROR$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['1 dead', '3 pending', '2 pending']);
  });

  it('lists as JSON with --json: the counts and every delivery in full', async () => {
    const { code, out } = await cli('outbox', 'list', '--json');
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { counts: Record<string, number>; deliveries: { id: number; status: string; spaceId: string; lastError: string | null }[] };
    expect(parsed.counts).toEqual({ pending: 2, sending: 0, delivered: 0, dead: 1 });
    expect(parsed.deliveries.map((d) => [d.id, d.status, d.spaceId])).toEqual([[1, 'dead', 'space-a'], [3, 'pending', 'space-a'], [2, 'pending', 'space-a']]);
    expect(parsed.deliveries[0]!.lastError).toBe('Webex 404: Could not find a room with provided ID.');
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

  const ROOM = Buffer.from('ciscospark://us/ROOM/5e1f0a2b-0000-4000-8000-000000000001').toString('base64url');
  const SHORT = 'room 5e1f0a2b';

  async function cli(...argv: (string | { env: Record<string, string> })[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const extra = argv.find((a): a is { env: Record<string, string> } => typeof a !== 'string');
    const args = argv.filter((a): a is string => typeof a === 'string');
    // EEN_PORT 1: in sandbox mode no running service (and so no emulator) answers the room look-up.
    const env = { EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'silent', EEN_HOST: '127.0.0.1', EEN_PORT: '1', ...extra?.env };
    const code = await runCli(args, { env, cwd: dataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, out: out.join('\n') };
  }

  it('adds, lists and removes a subscription', async () => {
    expect(await cli('subscriptions', 'add', ROOM, 'jira', 'kan', '--filter', '{"minPriority":"High"}', '--locale', 'en-GB')).toEqual({ code: 0, out: `Subscription 1: ${SHORT} follows jira KAN.` });
    expect((await cli('subscriptions', 'list')).out.split('\n')).toEqual([
      'ID  SPACE          SOURCE  KEY  LOCALE  HEALTH                                 RESTRICTED  FILTER                  SETTINGS',
      `1   ${SHORT}  jira    KAN  en-GB   working; event never, delivered never  withheld    {"minPriority":"High"}  format=full skip-own=off important=created,deleted,status`,
    ]);
    expect(JSON.parse((await cli('subscriptions', 'list', '--json')).out)).toEqual([
      expect.objectContaining({ id: 1, spaceId: ROOM, spaceTitle: SHORT, source: 'jira', sourceKey: 'KAN', locale: 'en-GB', filter: { minPriority: 'High' } }),
    ]);
    expect(await cli('subscriptions', 'remove', ROOM, '1')).toEqual({ code: 0, out: 'Subscription 1 removed.' });
    expect((await cli('subscriptions', 'list', '--space', ROOM)).out).toBe('(none)');
  });

  it('says what adding an existing subscription replaces', async () => {
    await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', '--filter', '{"minPriority":"High"}', '--locale', 'en-GB');
    expect(await cli('subscriptions', 'add', ROOM, 'jira', 'kan', '--filter', '{"kinds":["issue.created"]}')).toEqual({
      code: 0,
      out: `Subscription 1: ${SHORT} already followed jira KAN; replaced filter {"minPriority":"High"} → {"kinds":["issue.created"]}.`,
    });
    expect(await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', '--locale', 'nl-NL')).toEqual({
      code: 0,
      out: `Subscription 1: ${SHORT} already followed jira KAN; replaced filter {"kinds":["issue.created"]} → {}, locale en-GB → nl-NL.`,
    });
  });

  it('refuses an unknown filter key and a space that is not a Webex room, changing nothing', async () => {
    expect(await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', '--filter', '{"minPrio":"High"}')).toEqual({
      code: 2,
      out: 'een-bridge subscriptions: --filter: unknown key "minPrio"; known: kinds, issueTypes, minPriority, lists\nUsage: een-bridge subscriptions list [--space <roomId>] [--json]',
    });
    const notARoom = await cli('subscriptions', 'add', 'room-1', 'jira', 'KAN');
    expect(notARoom.code).toBe(2);
    expect(notARoom.out).toMatch(/"room-1" is not a Webex room id/);
    expect((await cli('subscriptions', 'list')).out).toBe('(none)');
  });

  it('shows spaces by their title and refuses a space the bot is not in, asking the bot (GET /rooms/{id})', async () => {
    const other = Buffer.from('ciscospark://us/ROOM/0badc0de-0000-4000-8000-000000000002').toString('base64url');
    const asked: string[] = [];
    const webex = createServer((req, res) => {
      asked.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      const id = decodeURIComponent((req.url ?? '').replace('/v1/rooms/', ''));
      res.setHeader('content-type', 'application/json');
      if (id === ROOM) res.end(JSON.stringify({ id, title: 'Klantportaal', type: 'group' }));
      else {
        // The shape Webex answers for a room the caller cannot see (developer.webex.com, Get Room Details).
        res.statusCode = 404;
        res.end(JSON.stringify({ message: 'Could not find a room with provided ID.', errors: [{ description: 'Could not find a room with provided ID.' }], trackingId: 'ROUTER_1' }));
      }
    });
    await new Promise<void>((resolve) => webex.listen(0, '127.0.0.1', resolve));
    const bot = { WEBEX_BOT_TOKEN: 'bot-token', WEBEX_WEBHOOK_SECRET: 'whsec', WEBEX_API_URL: `http://127.0.0.1:${(webex.address() as AddressInfo).port}/v1` };
    try {
      expect(await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', { env: bot })).toEqual({ code: 0, out: 'Subscription 1: Klantportaal follows jira KAN.' });
      expect((await cli('subscriptions', 'list', { env: bot })).out).toMatch(/^1\s+Klantportaal\s+jira\s+KAN/m);
      const refused = await cli('subscriptions', 'add', other, 'jira', 'KAN', { env: bot });
      expect(refused).toMatchObject({ code: 2, out: expect.stringContaining(`the bot is not in space ${other} (Webex answers 404): add the bot to the space first`) });
      expect(asked).toContain(`GET /v1/rooms/${ROOM} Bearer bot-token`);
    } finally {
      webex.close();
    }
  });

  it('knows the sandbox bot token the emulator accepts', () => {
    expect(SANDBOX_WEBEX_BOT_TOKEN).toBe('sandbox-webex-bot-token');
  });

  it('sets the format, skip-own and the important changes of one subscription, and refuses bad values with exit 2', async () => {
    await cli('subscriptions', 'add', ROOM, 'jira', 'KAN');
    expect(await cli('subscriptions', 'set', ROOM, '1', '--format', 'compact', '--skip-own', 'on')).toEqual({
      code: 0,
      out: 'Subscription 1: format=compact skip-own=on important=created,deleted,status.',
    });
    expect(await cli('subscriptions', 'set', ROOM, '1', '--important', 'status,assignee')).toEqual({ code: 0, out: 'Subscription 1: format=compact skip-own=on important=status,assignee.' });
    expect(JSON.parse((await cli('subscriptions', 'list', '--json')).out)).toEqual([expect.objectContaining({ id: 1, format: 'compact', skipOwn: true, important: ['status', 'assignee'] })]);
    expect((await cli('subscriptions', 'set', ROOM, '1', '--format', 'short')).code).toBe(2);
    expect((await cli('subscriptions', 'set', ROOM, '1', '--skip-own', 'yes')).code).toBe(2);
    expect((await cli('subscriptions', 'set', ROOM, '1', '--important', 'status,weather')).code).toBe(2);
    expect((await cli('subscriptions', 'set', ROOM, '1')).code).toBe(2);
    expect(await cli('subscriptions', 'set', 'room-2', '1', '--format', 'full')).toEqual({ code: 1, out: 'No subscription 1 in that space.' });
  });

  it('sets, shows and resets how long a space waits to fold a burst into one digest; the inbox holds changes that long', async () => {
    expect(await cli('subscriptions', 'digest', ROOM)).toEqual({ code: 0, out: `${ROOM}: a change waits 3 s (the service default) for others to go out with it as one digest.` });
    expect(await cli('subscriptions', 'digest', ROOM, '10')).toEqual({ code: 0, out: `${ROOM}: a change waits 3 s → 10 s for others to go out with it as one digest.` });
    expect(await cli('subscriptions', 'digest', ROOM, '0.5')).toEqual({ code: 0, out: `${ROOM}: a change waits 10 s → 0.5 s for others to go out with it as one digest.` });
    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    try {
      await new SubscriptionRepository(store.db).subscribe({ spaceId: ROOM, source: 'jira', sourceKey: 'KAN' });
      await routedInbox(store, { digestWindowMs: 3_000 }).accept(jiraEvent('d-1', 'KAN-1'));
      const row = await store.db.selectFrom('notification_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(Date.parse(row.next_attempt_at) - Date.parse(row.created_at)).toBe(500);
    } finally {
      await store.close();
    }
    expect(await cli('subscriptions', 'digest', ROOM, 'default')).toEqual({ code: 0, out: `${ROOM}: a change waits 0.5 s → 3 s for others to go out with it as one digest.` });
    expect((await cli('subscriptions', 'digest', ROOM, '301')).code).toBe(2);
    expect((await cli('subscriptions', 'digest', ROOM, 'soon')).code).toBe(2);
  });

  it('refuses a bad source or filter with exit 2', async () => {
    expect((await cli('subscriptions', 'add', ROOM, 'gitlab', 'x')).code).toBe(2);
    expect((await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', '--filter', '{"minPriority":"Urgent"}')).code).toBe(2);
    expect((await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', '--filter', 'nope')).code).toBe(2);
  });
});
