import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { runCli } from '../../app/cli';
import {
  AuditLog,
  Calling,
  DialGuard,
  DialPolicyStore,
  LineLinker,
  UserDirectory,
  defaultDialPolicy,
  openStore,
  type CallDetail,
  type CallStart,
  type DialTarget,
  type DirectoryEntry,
  type DirectoryQuery,
  type Store,
  type Telephony,
} from '../../core/internal';

// Issue 13, must-fix 6: a 2-6 digit number is an internal extension only when the enterprise
// directory or the administrator's extension plan says so; any other short number goes through
// the dial policy, which blocks the Dutch 18xy subscriber information numbers (1888, 1850: ACM,
// "18xy abonnee-informatiediensten") and 16xy carrier selection codes by default.

class DirectoryTelephony implements Telephony {
  placed: string[] = [];
  extensionLookups: string[] = [];
  constructor(private readonly extensions: string[]) {}
  async placeCall(_userId: string, address: string): Promise<CallStart> {
    this.placed.push(address);
    return { callId: `callhalf-${this.placed.length}:0`, externalTrackingId: undefined };
  }
  async activeCalls(): Promise<string[]> {
    return [];
  }
  async call(): Promise<CallDetail | undefined> {
    return undefined;
  }
  async hangUp(): Promise<void> {}
  async callLogs(): Promise<never[]> {
    return [];
  }
  async searchDirectory(_userId: string, query: DirectoryQuery): Promise<DirectoryEntry[]> {
    if (query.extension) this.extensionLookups.push(query.extension);
    // Answers loosely (contains), so the tests show een-bridge compares the extension itself:
    // Xsi matches a term exactly unless it carries `*` (sandbox/broadworks-xsi/directory-query.ts).
    return this.extensions
      .filter((x) => query.extension !== undefined && x.includes(query.extension))
      .map((x) => ({ userId: `${x}@kpneen.example`, firstName: 'X', lastName: x, displayName: `X ${x}`, number: undefined, extension: x, mobile: undefined, email: undefined, groupId: 'g' }));
  }
}

describe('short numbers', () => {
  let store: Store;
  let telephony: DirectoryTelephony;
  let calling: Calling;
  let policies: DialPolicyStore;
  let actor: { userId: string; tenantId: string };

  beforeEach(async () => {
    store = openStore({ kind: 'sqlite', file: ':memory:' });
    await store.migrate();
    telephony = new DirectoryTelephony(['1003', '4003']);
    const users = new UserDirectory(store.db);
    const audit = new AuditLog(store.db);
    policies = new DialPolicyStore(store.db);
    calling = new Calling({ telephony, lines: new LineLinker(users, telephony, audit, async () => 'admin'), guard: new DialGuard(policies, audit, store), audit });
    const user = await users.create({ email: 'anna@example.nl', broadworksUserId: 'anna@kpneen.example' });
    actor = { userId: user.id, tenantId: 'tenant-1' };
  });
  afterEach(() => store.close());

  it.each(['1888', '1850', '18 44', '1601'])('refuses %s, a short code that is no extension, by the default policy', async (input) => {
    await expect(calling.placeCall(actor, input)).rejects.toMatchObject({ key: 'calling.policy.blockedShortNumber', httpStatus: 403 });
    expect(telephony.placed).toEqual([]);
  });

  it('refuses a short code even when an adapter hands it over as an extension', async () => {
    const forged: DialTarget = { kind: 'extension', extension: '1888', display: '1888' };
    await expect(calling.placeCall(actor, forged)).rejects.toMatchObject({ key: 'calling.policy.blockedShortNumber' });
    expect(telephony.placed).toEqual([]);
  });

  it('dials an extension the enterprise directory has, exactly', async () => {
    const placed = await calling.placeCall(actor, '1003');
    expect(placed.target).toMatchObject({ kind: 'extension', extension: '1003' });
    expect(telephony.placed).toEqual(['1003']);
    // "100" is contained in 1003 but is not an extension of its own.
    await expect(calling.placeCall(actor, '100')).resolves.toMatchObject({ target: { kind: 'short' } });
  });

  it('takes the administrator\'s extension plan as the word on extensions, also inside a blocked range', async () => {
    await policies.save({ ...defaultDialPolicy('tenant-1'), extensionPlan: ['1800-1899'] });
    const placed = await calling.placeCall(actor, '1850');
    expect(placed.target).toMatchObject({ kind: 'extension', extension: '1850' });
    expect(telephony.placed).toEqual(['1850']);
    await expect(calling.placeCall(actor, '1900')).resolves.toMatchObject({ target: { kind: 'short' } });
  });

  it('lets an administrator block any short code, and every refusal is audited', async () => {
    await policies.save({ ...defaultDialPolicy('tenant-1'), blockedPrefixes: [...defaultDialPolicy('tenant-1').blockedPrefixes, '14'] });
    await expect(calling.placeCall(actor, '14020')).rejects.toMatchObject({ key: 'calling.policy.blockedShortNumber', params: { prefix: '14', number: '14020' } });
    const denied = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'calling.dial').where('outcome', '=', 'denied').execute();
    expect(denied.map((d) => JSON.parse(d.detail) as { kind: string; target: string })).toEqual([expect.objectContaining({ kind: 'short', target: '14020' })]);
    expect(telephony.placed).toEqual([]);
  });

  it('never applies a short-code block to a full number', async () => {
    // +1 617 (Boston) begins with the digits 16, and 0186 with 18 after the trunk 0: neither is a short code.
    await calling.placeCall(actor, '+1 617 253 1000');
    await calling.placeCall(actor, '0186 123 456');
    expect(telephony.placed).toEqual(['+16172531000', '+31186123456']);
  });
});

describe('migration 0102', () => {
  it('adds the 16xy and 18xy blocks to a policy stored before short numbers went through the policy', async () => {
    const store = openStore({ kind: 'sqlite', file: ':memory:' });
    try {
      await store.migrate();
      // Back to the table as 0101 made it, with a policy an administrator saved then.
      await sql`delete from kysely_migration where name = '0102_calling_short_numbers'`.execute(store.db);
      await sql`alter table calling_dial_policies drop column extension_plan`.execute(store.db);
      await sql`insert into calling_dial_policies (tenant_id, blocked_prefixes, updated_at) values ('t', '["0900","+979"]', '2026-01-01T00:00:00Z')`.execute(store.db);
      expect(await store.migrate()).toEqual(['0102_calling_short_numbers']);
      const policy = await new DialPolicyStore(store.db).forTenant('t');
      expect(policy.blockedPrefixes).toEqual(['0900', '+979', '16', '18']);
      expect(policy.extensionPlan).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('the extension plan and short-code blocks from the CLI', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-short-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env: { EEN_DATA_DIR: dataDir }, cwd: dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('stores an extension plan and a short-code block, and shows them', async () => {
    expect((await cli('policy', 'set', '--tenant', 't', '--extensions', '1800-1899,200', '--block', '14')).code).toBe(0);
    const [policy] = JSON.parse((await cli('policy', 'show', '--tenant', 't', '--json')).out) as { blockedPrefixes: string[]; extensions: string[] }[];
    expect(policy?.extensions).toEqual(['1800-1899', '200']);
    expect(policy?.blockedPrefixes).toEqual(expect.arrayContaining(['18', '16', '14', '0900']));
  });

  it.each([['18-1899'], ['1899-1800'], ['0200'], ['1234567']])('refuses the extension range %j with usage', async (range) => {
    const { code, err } = await cli('policy', 'set', '--tenant', 't', '--extensions', range);
    expect(code).toBe(2);
    expect(err).toMatch(/is not an extension or range/);
  });
});
