import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../app/cli';
import { AuditLog, DialPolicyStore, UserDirectory, openStore } from '../../core/internal';

function tempDataDir() {
  return mkdtempSync(path.join(os.tmpdir(), 'een-admin-'));
}

async function cli(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env: { EEN_DATA_DIR: dataDir }, cwd: dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('een-bridge policy', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDataDir();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shows the default policy with premium numbers blocked', async () => {
    const { code, out } = await cli(dataDir, 'policy', 'show');
    expect(code).toBe(0);
    expect(out).toMatch(/^TENANT\s+BLOCKED PREFIXES\s+EXTENSIONS\s+PREMIUM RATE\s+INTERNATIONAL\s+CALLS PER MINUTE\s+SOURCE$/m);
    expect(out).toMatch(/0900,0906,0909/);
  });

  it('changes one tenant\'s policy, stores it, and audits the change', async () => {
    const set = await cli(dataDir, 'policy', 'set', '--tenant', 'tenant-1', '--block', '0800', '--unblock', '+870', '--international', 'off', '--calls-per-minute', '5');
    expect(set.code).toBe(0);
    const shown = await cli(dataDir, 'policy', 'show', '--tenant', 'tenant-1', '--json');
    const [policy] = JSON.parse(shown.out) as { blockedPrefixes: string[]; international: string; callsPerMinute: number; source: string }[];
    expect(policy).toMatchObject({ international: 'off', callsPerMinute: 5, source: 'stored' });
    expect(policy?.blockedPrefixes).toContain('0800');
    expect(policy?.blockedPrefixes).not.toContain('+870');

    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    try {
      expect((await new DialPolicyStore(store.db).forTenant('tenant-1')).internationalAllowed).toBe(false);
      expect((await new DialPolicyStore(store.db).forTenant('tenant-2')).internationalAllowed).toBe(true);
      const [entry] = await new AuditLog(store.db).recent(1);
      expect(entry).toMatchObject({ actor: 'cli', action: 'calling.policy.set', outcome: 'succeeded' });
    } finally {
      await store.close();
    }
  });

  it('the README example adds to the blocked prefixes and never silently unblocks the satellite ranges', async () => {
    const set = await cli(dataDir, 'policy', 'set', '--tenant', 'tenant-1', '--block', '0900,0906,0909,+979,0800', '--unblock', '+870');
    expect(set.code).toBe(0);
    const [policy] = JSON.parse((await cli(dataDir, 'policy', 'show', '--tenant', 'tenant-1', '--json')).out) as { blockedPrefixes: string[] }[];
    expect(policy?.blockedPrefixes).toEqual(['0900', '0906', '0909', '+979', '+881', '+882', '+883', '16', '18', '0800']);
    // What changed, before -> after, and nothing about what stayed.
    expect(set.out).toMatch(/^blocked prefixes: 0900,0906,0909,\+979,\+881,\+882,\+883,\+870,16,18 → 0900,0906,0909,\+979,\+881,\+882,\+883,16,18,0800 \(blocked 0800; unblocked \+870\)$/m);
    expect(set.out).toMatch(/^already blocked: 0900,0906,0909,\+979$/m);
    expect(set.out).not.toMatch(/international|calls per minute/i);
  });

  it('prints each changed setting before -> after, and says so when nothing changed', async () => {
    const set = await cli(dataDir, 'policy', 'set', '--tenant', 't', '--international', 'off', '--calls-per-minute', '5', '--premium-rate', 'block');
    expect(set.out).toMatch(/^international: on → off$/m);
    expect(set.out).toMatch(/^calls per minute: 10 → 5$/m);
    expect(set.out).not.toMatch(/premium/);
    const again = await cli(dataDir, 'policy', 'set', '--tenant', 't', '--international', 'off', '--unblock', '0800');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^not blocked: 0800$/m);
    expect(again.out).toMatch(/^No change to the policy of t\.$/m);
  });

  it('replaces the whole list only when asked to with --replace-blocked, and shows what that unblocked', async () => {
    const set = await cli(dataDir, 'policy', 'set', '--tenant', 't', '--replace-blocked', '0900,0906,0909,+979');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/^blocked prefixes: .* → 0900,0906,0909,\+979 \(unblocked \+881,\+882,\+883,\+870,16,18\)$/m);
  });

  it.each([
    [['policy'], /expected "show" or "set"/],
    [['policy', 'set', '--tenant', 't', '--blocked-prefixes', '0900,0906'], /--blocked-prefixes replaced the whole list.*--block.*--unblock.*--replace-blocked/s],
    [['policy', 'set', '--tenant', 't', '--block', '0900', '--unblock', '0900'], /both blocked and unblocked: 0900/],
    [['policy', 'set', '--tenant', 't', '--replace-blocked', '0900', '--block', '0906'], /--replace-blocked cannot be combined with --block or --unblock/],
    [['policy', 'delete'], /unknown action "delete"/],
    [['policy', 'set', '--block', '0800'], /needs --tenant/],
    [['policy', 'set', '--tenant', 't'], /nothing to change/],
    [['policy', 'set', '--tenant', 't', '--block', '09OO'], /not a prefix/],
    [['policy', 'set', '--tenant', 't', '--international', 'maybe'], /must be on or off/],
    [['policy', 'set', '--tenant', 't', '--calls-per-minute', '0'], /from 1 to 120/],
    [['policy', 'show', '--colour'], /Unknown option '--colour'/],
  ])('refuses %p with usage and exit code 2, changing nothing', async (argv, message) => {
    const { code, err } = await cli(dataDir, ...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toMatch(/Usage: een-bridge policy/);
    const shown = await cli(dataDir, 'policy', 'show', '--json');
    expect((JSON.parse(shown.out) as unknown[]).length).toBe(1);
  });
});

describe('een-bridge users list and set-licence', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDataDir();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function seed() {
    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    try {
      await store.migrate();
      const users = new UserDirectory(store.db);
      await users.create({ email: 'anna@example.nl', eenNumber: '+31201234567', broadworksUserId: '0201234567@kpneen.nl', teamsAadObjectId: 'aad-1' });
      await users.create({ email: 'bram@example.nl', licenceTier: 'Premium', slack: { teamId: 'T1', userId: 'U1' } });
    } finally {
      await store.close();
    }
  }

  it('lists people with their licence and linked apps, numbers masked', async () => {
    await seed();
    const table = await cli(dataDir, 'users', 'list');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^EMAIL\s+LICENCE\s+BROADWORKS USER ID\s+NUMBER\s+TEAMS\s+SLACK\s+WEBEX\s+LOCALE$/m);
    expect(table.out).toMatch(/anna@example\.nl\s+Basis\s+0201234567@kpneen\.nl\s+\*\*\*567\s+linked/);
    expect(table.out).not.toContain('1234567 ');
    const json = JSON.parse((await cli(dataDir, 'users', 'list', '--json')).out) as { email: string; licence: string; slack: string }[];
    expect(json).toEqual([
      expect.objectContaining({ email: 'anna@example.nl', licence: 'Basis' }),
      expect.objectContaining({ email: 'bram@example.nl', licence: 'Premium', slack: 'linked' }),
    ]);
  });

  it('changes one person\'s licence and audits it', async () => {
    await seed();
    const result = await cli(dataDir, 'users', 'set-licence', 'ANNA@example.nl', 'standaard');
    expect(result).toMatchObject({ code: 0, out: 'ANNA@example.nl: licence Basis -> Standaard' });
    const json = JSON.parse((await cli(dataDir, 'users', 'list', '--json')).out) as { email: string; licence: string }[];
    expect(json.find((u) => u.email === 'anna@example.nl')?.licence).toBe('Standaard');
    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    try {
      expect((await new AuditLog(store.db).recent(1))[0]).toMatchObject({ action: 'identity.licence.set', detail: { from: 'Basis', to: 'Standaard' } });
    } finally {
      await store.close();
    }
  });

  it('gives a licence before first use: the person is kept by e-mail, audited', async () => {
    await seed();
    expect(await cli(dataDir, 'users', 'set-licence', 'Carla@Example.nl', 'premium')).toMatchObject({ code: 0, out: 'Carla@Example.nl: not seen yet; licence Premium from their first use (matched by e-mail)' });
    const json = JSON.parse((await cli(dataDir, 'users', 'list', '--json')).out) as { email: string; licence: string; broadworksUserId: string }[];
    expect(json.find((u) => u.email === 'carla@example.nl')).toMatchObject({ licence: 'Premium', broadworksUserId: '' });
    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    try {
      expect((await new AuditLog(store.db).recent(1))[0]).toMatchObject({ action: 'identity.person.add', detail: { email: 'carla@example.nl', to: 'Premium' } });
    } finally {
      await store.close();
    }
  });

  it('refuses what is not an e-mail address and an unknown licence (exit 2), changing nothing', async () => {
    await seed();
    expect(await cli(dataDir, 'users', 'set-licence', 'nobody', 'Premium')).toMatchObject({ code: 2, err: expect.stringMatching(/"nobody" is not an e-mail address/) });
    expect(await cli(dataDir, 'users', 'set-licence', 'anna@example.nl', 'Gold')).toMatchObject({ code: 2, err: expect.stringMatching(/choose Basis, Standaard, Premium/) });
    expect(await cli(dataDir, 'users', 'list', 'extra')).toMatchObject({ code: 2 });
    const json = JSON.parse((await cli(dataDir, 'users', 'list', '--json')).out) as { email: string; licence: string }[];
    expect(json.map((u) => u.licence)).toEqual(['Basis', 'Premium']);
  });
});
