import {
  AuditLog,
  Calling,
  DialGuard,
  DialPolicyStore,
  LineLinker,
  UpstreamError,
  UserDirectory,
  openStore,
  type CallDetail,
  type CallStart,
  type DirectoryEntry,
  type DirectoryQuery,
  type Store,
  type Telephony,
} from '../../core/internal';

/** A Telephony that remembers what it was asked, with a small directory. */
class FakeTelephony implements Telephony {
  placed: { userId: string; address: string }[] = [];
  hungUp: string[] = [];
  searches: { userId: string; query: DirectoryQuery }[] = [];
  calls = new Map<string, string>(); // callId -> owner
  directory: DirectoryEntry[] = [
    entry('anna@example.nl', 'Anna', 'de Vries', '1001'),
    entry('annelies@example.nl', 'Annelies', 'Jansen', '1002'),
    entry('pieter@example.nl', 'Pieter', 'Bakker', '1003'),
  ];

  async placeCall(userId: string, address: string): Promise<CallStart> {
    this.placed.push({ userId, address });
    const callId = `callhalf-${this.placed.length}:0`;
    this.calls.set(callId, userId);
    return { callId, externalTrackingId: undefined };
  }
  async activeCalls(userId: string): Promise<string[]> {
    return [...this.calls].filter(([, owner]) => owner === userId).map(([id]) => id);
  }
  async call(userId: string, callId: string): Promise<CallDetail | undefined> {
    if (this.calls.get(callId) !== userId) return undefined;
    return { callId, state: 'Alerting', remoteAddress: undefined, remoteName: undefined, startTime: undefined, answerTime: undefined };
  }
  async hangUp(userId: string, callId: string): Promise<void> {
    if (this.calls.get(callId) !== userId) throw new UpstreamError('KPN EEN', 404, 'calling.xsi.notFound');
    this.hungUp.push(callId);
    this.calls.delete(callId);
  }
  async callLogs(): Promise<never[]> {
    return [];
  }
  async searchDirectory(userId: string, query: DirectoryQuery): Promise<DirectoryEntry[]> {
    this.searches.push({ userId, query });
    return this.directory.filter((e) =>
      query.email ? e.email === query.email : query.name ? e.displayName.toLowerCase().includes(query.name.toLowerCase()) : query.extension ? e.extension === query.extension : false,
    );
  }
}

function entry(email: string, firstName: string, lastName: string, extension: string): DirectoryEntry {
  return { userId: `${extension}@kpneen.example`, firstName, lastName, displayName: `${firstName} ${lastName}`, number: `+3120123${extension}`, extension, mobile: undefined, email, groupId: 'g' };
}

describe('Calling use cases', () => {
  let store: Store;
  let telephony: FakeTelephony;
  let calling: Calling;
  let users: UserDirectory;
  let audit: AuditLog;

  beforeEach(async () => {
    store = openStore({ kind: 'sqlite', file: ':memory:' });
    await store.migrate();
    telephony = new FakeTelephony();
    users = new UserDirectory(store.db);
    audit = new AuditLog(store.db);
    const lines = new LineLinker(users, telephony, audit, async () => 'admin@kpneen.example');
    calling = new Calling({ telephony, lines, guard: new DialGuard(new DialPolicyStore(store.db), audit, store), audit });
  });
  afterEach(() => store.close());

  const actorFor = async (email: string | undefined, aad = 'aad-1') => {
    const user = await users.create({ teamsAadObjectId: aad, email, displayName: 'Test' });
    return { userId: user.id, tenantId: 'tenant-1' };
  };

  it('links a Teams user by e-mail on first use and dials from their own line', async () => {
    const actor = await actorFor('anna@example.nl');
    const placed = await calling.placeCall(actor, '06 1234 5678');
    expect(placed.target).toMatchObject({ kind: 'number', e164: '+31612345678' });
    expect(telephony.placed).toEqual([{ userId: '1001@kpneen.example', address: '+31612345678' }]);
    expect(telephony.searches[0]).toMatchObject({ userId: 'admin@kpneen.example', query: { email: 'anna@example.nl' } });
    expect((await users.byId(actor.userId))?.broadworksUserId).toBe('1001@kpneen.example');
    // Linked now: no second directory lookup.
    await calling.placeCall(actor, '020 123 4567');
    expect(telephony.searches.filter((s) => s.query.email)).toHaveLength(1);
  });

  it('tells an unlinked user so, and places no call', async () => {
    const actor = await actorFor('nobody@example.nl');
    await expect(calling.placeCall(actor, '0612345678')).rejects.toMatchObject({ key: 'calling.notLinked', httpStatus: 403 });
    const noEmail = await actorFor(undefined, 'aad-2');
    await expect(calling.placeCall(noEmail, '0612345678')).rejects.toMatchObject({ key: 'calling.notLinked' });
    expect(telephony.placed).toEqual([]);
  });

  it.each(['112', '0900 1234567', 'bel mij', '', '📞'])('never sends %j to KPN EEN', async (input) => {
    const actor = await actorFor('anna@example.nl');
    await expect(calling.placeCall(actor, input)).rejects.toHaveProperty('key');
    expect(telephony.placed).toEqual([]);
  });

  it('calls a name with exactly one match, and offers the choice when several match', async () => {
    const actor = await actorFor('anna@example.nl');
    const one = await calling.callNumberOrName(actor, 'pieter');
    expect(one).toMatchObject({ placed: { target: { kind: 'extension', extension: '1003' } } });
    const several = await calling.callNumberOrName(actor, 'ann');
    expect('choices' in several && several.choices.map((c) => c.displayName)).toEqual(['Anna de Vries', 'Annelies Jansen']);
    await expect(calling.callNumberOrName(actor, 'zzz')).rejects.toMatchObject({ key: 'calling.directory.noMatch' });
    expect(telephony.placed).toHaveLength(1);
  });

  it('hangs up only calls on the actor\'s own line', async () => {
    const anna = await actorFor('anna@example.nl');
    const pieter = await actorFor('pieter@example.nl', 'aad-3');
    const { callId } = await calling.placeCall(anna, '0612345678');
    await expect(calling.hangUp(pieter, callId)).rejects.toMatchObject({ key: 'calling.callNotFound' });
    await calling.hangUp(anna, callId);
    expect(telephony.hungUp).toEqual([callId]);
  });

  it('records placed calls and hang-ups in the audit log', async () => {
    const actor = await actorFor('anna@example.nl');
    const { callId } = await calling.placeCall(actor, '0612345678');
    await calling.hangUp(actor, callId);
    const actions = (await audit.recent(10, actor.userId)).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(['calling.hangUp:succeeded', 'calling.placeCall:succeeded', 'calling.link:succeeded', 'calling.dial:allowed']);
  });

  it('searches the directory by extension, number or name, refusing one-letter queries', async () => {
    const actor = await actorFor('anna@example.nl');
    await calling.searchDirectory(actor, '1002');
    await calling.searchDirectory(actor, '020 123 1002');
    await calling.searchDirectory(actor, 'Jansen');
    expect(telephony.searches.slice(-3).map((s) => s.query)).toEqual([
      { extension: '1002', limit: 10 },
      { number: '0201231002', limit: 10 },
      { name: 'Jansen', limit: 10 },
    ]);
    await expect(calling.searchDirectory(actor, ' a ')).rejects.toMatchObject({ key: 'calling.directory.queryTooShort' });
  });
});
