import {
  AuditLog,
  DialGuard,
  DialPolicyStore,
  UserError,
  changeDialPolicy,
  checkTarget,
  defaultDialPolicy,
  openStore,
  parseDialTarget,
  toE164Prefix,
  type Clock,
  type DialPolicy,
  type Store,
} from '../../core/internal';
import { openTestStore, type TestStore } from '../helpers/stores';

const policy = (overrides: Partial<DialPolicy> = {}): DialPolicy => ({ ...defaultDialPolicy('t1'), ...overrides });
const keyOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof UserError) return err.key;
    throw err;
  }
};

describe('checkTarget with the default policy', () => {
  it.each([
    ['06 1234 5678', undefined],
    ['020-1234567', undefined],
    ['1001', undefined],
    ['+44 20 7946 0000', undefined],
    ['112', 'calling.policy.emergency'],
    ['+31 112', 'calling.policy.emergency'],
    ['0900 1234567', 'calling.policy.blockedPrefix'],
    ['0906 123456', 'calling.policy.blockedPrefix'],
    ['0909 1234567', 'calling.policy.blockedPrefix'],
    ['0031 900 1234567', 'calling.policy.blockedPrefix'],
    ['+979 123456789', 'calling.policy.blockedPrefix'],
    ['+44 909 8790000', 'calling.policy.premiumRate'],
  ])('%j -> %s', (input, key) => {
    expect(keyOf(() => checkTarget(policy(), parseDialTarget(input)))).toBe(key);
  });

  it('tells the user to dial 112 directly', () => {
    try {
      checkTarget(policy(), parseDialTarget('112'));
      throw new Error('not refused');
    } catch (err) {
      expect(err).toMatchObject({ key: 'calling.policy.emergency', params: { number: '112' } });
    }
  });
});

describe('checkTarget with a tenant policy', () => {
  it('refuses international numbers when the tenant does not allow them, but not Dutch ones', () => {
    const p = policy({ internationalAllowed: false });
    expect(keyOf(() => checkTarget(p, parseDialTarget('+44 20 7946 0000')))).toBe('calling.policy.international');
    expect(keyOf(() => checkTarget(p, parseDialTarget('0612345678')))).toBeUndefined();
  });

  it('refuses an extra blocked prefix in national form', () => {
    const p = policy({ blockedPrefixes: ['088'] });
    expect(keyOf(() => checkTarget(p, parseDialTarget('088 123 4567')))).toBe('calling.policy.blockedPrefix');
  });

  it('still refuses 112 when nothing else is blocked', () => {
    const p = policy({ blockedPrefixes: [], blockPremiumRate: false });
    expect(keyOf(() => checkTarget(p, parseDialTarget('112')))).toBe('calling.policy.emergency');
    expect(keyOf(() => checkTarget(p, parseDialTarget('0900 1234567')))).toBeUndefined();
  });

  it.each([
    ['0900', '+31900'],
    ['0031900', '+31900'],
    ['+979', '+979'],
    ['0044 909', '+44909'],
  ])('normalises the prefix %j to %s', (prefix, e164) => expect(toE164Prefix(prefix)).toBe(e164));
});

describe('DialGuard', () => {
  let store: Store;
  let now = new Date('2026-11-27T10:00:00Z');
  const clock: Clock = { now: () => now };
  let guard: DialGuard;
  let policies: DialPolicyStore;
  let audit: AuditLog;

  beforeEach(async () => {
    store = openStore({ kind: 'sqlite', file: ':memory:' });
    await store.migrate();
    audit = new AuditLog(store.db, clock);
    policies = new DialPolicyStore(store.db, clock);
    guard = new DialGuard(policies, audit, store, clock);
    now = new Date('2026-11-27T10:00:00Z');
  });
  afterEach(() => store.close());

  const actor = { userId: 'u1', tenantId: 't1' };

  it('records allowed and denied decisions in the audit log', async () => {
    await guard.authorise(actor, parseDialTarget('0612345678'));
    await expect(guard.authorise(actor, parseDialTarget('0900 1234567'))).rejects.toMatchObject({ key: 'calling.policy.blockedPrefix' });
    const entries = await audit.recent(10, 'u1');
    expect(entries.map((e) => [e.action, e.outcome, e.detail.reason])).toEqual([
      ['calling.dial', 'denied', 'calling.policy.blockedPrefix'],
      ['calling.dial', 'allowed', undefined],
    ]);
    expect(entries[1]!.detail).toMatchObject({ target: '+31612345678', tenantId: 't1' });
  });

  it('allows 10 calls a minute per user by default, then refuses with 429 until the minute has passed', async () => {
    for (let i = 0; i < 10; i += 1) await guard.authorise(actor, parseDialTarget('0612345678'));
    await expect(guard.authorise(actor, parseDialTarget('0612345678'))).rejects.toMatchObject({
      key: 'calling.policy.rateLimited',
      httpStatus: 429,
      params: { limit: 10 },
    });
    // Another user is not affected.
    await guard.authorise({ userId: 'u2', tenantId: 't1' }, parseDialTarget('0612345678'));
    now = new Date(now.getTime() + 61_000);
    await guard.authorise(actor, parseDialTarget('0612345678'));
  });

  it('holds the limit when one user clicks many times at once', async () => {
    await policies.save({ ...defaultDialPolicy('t1'), callsPerMinute: 3 });
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => guard.authorise(actor, parseDialTarget('0612345678'))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) expect(o.reason).toMatchObject({ key: 'calling.policy.rateLimited' });
    const entries = await audit.recent(20, 'u1');
    expect(entries.filter((e) => e.outcome === 'allowed')).toHaveLength(3);
    expect(entries.filter((e) => e.outcome === 'denied')).toHaveLength(5);
  });

  it("does not make a user's next click wait for a slow call of theirs, only for its decision", async () => {
    let release!: () => void;
    const slow = guard.authoriseThen(actor, parseDialTarget('0612345678'), () => new Promise<string>((r) => (release = () => r('slow'))));
    // The second decision only needs the first one's record, not its call.
    await expect(guard.authoriseThen(actor, parseDialTarget('0612345678'), async () => 'quick')).resolves.toBe('quick');
    release();
    await expect(slow).resolves.toBe('slow');
  });

  it('uses the stored policy of the tenant', async () => {
    await policies.save({ ...defaultDialPolicy('t1'), internationalAllowed: false, callsPerMinute: 2 });
    expect(await policies.forTenant('t1')).toMatchObject({ internationalAllowed: false, callsPerMinute: 2 });
    expect(await policies.forTenant('other')).toEqual(defaultDialPolicy('other'));
    await expect(guard.authorise(actor, parseDialTarget('+44 20 7946 0000'))).rejects.toMatchObject({ key: 'calling.policy.international' });
    await guard.authorise(actor, parseDialTarget('0612345678'));
    await guard.authorise(actor, parseDialTarget('0612345678'));
    await expect(guard.authorise(actor, parseDialTarget('0612345678'))).rejects.toMatchObject({ key: 'calling.policy.rateLimited' });
  });
});

describe('DialGuard: replicas on one PostgreSQL', () => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await openTestStore('postgres');
  });
  afterAll(() => testStore.dispose());

  it("holds the limit when one user's clicks reach four replicas at once", async () => {
    const { store } = testStore;
    await new DialPolicyStore(store.db).save({ ...defaultDialPolicy('t1'), callsPerMinute: 3 });
    // Each replica has its own guard, audit log and per-user queue; only the database is shared.
    const replicas = [0, 1, 2, 3].map(() => new DialGuard(new DialPolicyStore(store.db), new AuditLog(store.db), store));
    const clicks = Array.from({ length: 24 }, (_, i) => replicas[i % 4]!.authorise({ userId: 'u1', tenantId: 't1' }, parseDialTarget('0612345678')));
    const outcomes = await Promise.allSettled(clicks);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const entries = await new AuditLog(store.db).recent(50, 'u1');
    expect(entries.filter((e) => e.outcome === 'allowed')).toHaveLength(3);
  });
});

describe('changing a dial policy', () => {
  it('adds and removes prefixes one by one and keeps the others, in their order', () => {
    const { next, differences, alreadyBlocked, notBlocked } = changeDialPolicy(policy(), { block: ['0800', '0900'], unblock: ['+870', '0123'] });
    expect(next.blockedPrefixes).toEqual(['0900', '0906', '0909', '+979', '+881', '+882', '+883', '16', '18', '0800']);
    expect(differences).toEqual([{ setting: 'blockedPrefixes', before: policy().blockedPrefixes, after: next.blockedPrefixes, added: ['0800'], removed: ['+870'] }]);
    expect(alreadyBlocked).toEqual(['0900']);
    expect(notBlocked).toEqual(['0123']);
  });

  it('replaces the list only when told to, naming everything it unblocked', () => {
    const { next, differences } = changeDialPolicy(policy(), { replaceBlocked: ['0900', '0906', '0909', '+979'] });
    expect(next.blockedPrefixes).toEqual(['0900', '0906', '0909', '+979']);
    expect(differences[0]).toMatchObject({ setting: 'blockedPrefixes', added: [], removed: ['+881', '+882', '+883', '+870', '16', '18'] });
  });

  it('reports only the settings whose value changes', () => {
    expect(changeDialPolicy(policy(), { internationalAllowed: true, callsPerMinute: 10, blockPremiumRate: true }).differences).toEqual([]);
    expect(changeDialPolicy(policy(), { internationalAllowed: false, callsPerMinute: 5 }).differences).toEqual([
      { setting: 'internationalAllowed', before: true, after: false },
      { setting: 'callsPerMinute', before: 10, after: 5 },
    ]);
  });
});
