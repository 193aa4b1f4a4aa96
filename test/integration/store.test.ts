import { randomBytes } from 'node:crypto';
import { AuditLog, SecretStore, TokenVault, UserDirectory, VaultError } from '../../core/internal';
import { dialects, openTestStore, type TestStore } from '../helpers/stores';

describe.each(dialects)('the store on %s', (dialect) => {
  let t: TestStore;
  let users: UserDirectory;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    users = new UserDirectory(t.store.db);
  });
  afterEach(() => t.dispose());

  it('runs migrations once and is ready', async () => {
    expect(await t.store.migrate()).toEqual([]);
    expect(await t.store.isReady()).toBe(true);
  });

  it('creates a user with the defaults of a Dutch Basis user', async () => {
    const user = await users.create({ email: 'Anne.de.Vries@Example.NL', displayName: 'Anne de Vries' });
    expect(user).toMatchObject({ email: 'anne.de.vries@example.nl', licenceTier: 'Basis', locale: 'nl-NL', timeZone: 'Europe/Amsterdam' });
    expect(await users.byEmail('ANNE.DE.VRIES@example.nl')).toEqual(user);
  });

  it('links one person across Teams, Slack, Webex and BroadWorks', async () => {
    const user = await users.create({ email: 'jan@example.nl' });
    await users.update(user.id, {
      teamsAadObjectId: 'aad-1',
      slack: { teamId: 'T1', userId: 'U1' },
      webexPersonId: 'webex-1',
      broadworksUserId: 'jan@kpn-een.example',
      eenNumber: '+31201234567',
      licenceTier: 'Premium',
    });
    expect((await users.byTeamsAadObjectId('aad-1'))?.id).toBe(user.id);
    expect((await users.bySlackUser('T1', 'U1'))?.id).toBe(user.id);
    expect((await users.byWebexPersonId('webex-1'))?.licenceTier).toBe('Premium');
    expect(await users.bySlackUser('T1', 'U2')).toBeUndefined();
  });

  // better-sqlite3's native side builds its errors with the class of the first Jest realm that
  // loaded it, so `toThrow` (an instanceof Error check) is unreliable here: match the message.
  const constraintViolation = { message: expect.stringMatching(/unique|constraint/i) as unknown };

  it('refuses a second user with the same e-mail or Teams id', async () => {
    await users.create({ email: 'a@example.nl', teamsAadObjectId: 'aad-x' });
    await expect(users.create({ email: 'a@example.nl' })).rejects.toMatchObject(constraintViolation);
    await expect(users.create({ email: 'b@example.nl', teamsAadObjectId: 'aad-x' })).rejects.toMatchObject(constraintViolation);
    expect(await users.list()).toHaveLength(1);
  });

  it('refuses a licence tier the seed does not have', async () => {
    const user = await users.create({ email: 'c@example.nl' });
    await expect(users.update(user.id, { licenceTier: 'Gold' as 'Premium' })).rejects.toMatchObject(constraintViolation);
    expect((await users.byId(user.id))?.licenceTier).toBe('Basis');
  });

  it('keeps secrets sealed at rest and opens them for their owner only', async () => {
    const key = randomBytes(32);
    const secrets = new SecretStore(t.store.db, new TokenVault(key));
    const binding = { owner: 'user-1', purpose: 'webex.oauth' };
    await secrets.put(binding, 'access-token-xyz', new Date('2030-01-01T00:00:00Z'));
    const raw = await t.store.db.selectFrom('secrets').selectAll().execute();
    expect(JSON.stringify(raw)).not.toContain('access-token-xyz');
    expect(await secrets.get(binding)).toEqual({ value: 'access-token-xyz', expiresAt: new Date('2030-01-01T00:00:00Z') });

    await secrets.put(binding, 'rotated');
    expect((await secrets.get(binding))?.value).toBe('rotated');
    expect(await secrets.get({ ...binding, owner: 'user-2' })).toBeUndefined();

    await expect(new SecretStore(t.store.db, new TokenVault(randomBytes(32))).get(binding)).rejects.toThrow(VaultError);
    expect(await secrets.delete(binding)).toBe(true);
    expect(await secrets.get(binding)).toBeUndefined();
  });

  it('keeps an audit log, newest first', async () => {
    const audit = new AuditLog(t.store.db);
    await audit.record({ actor: 'u1', action: 'call.place', outcome: 'denied', detail: { reason: 'premium' } });
    await audit.record({ actor: 'u2', action: 'call.place', outcome: 'allowed' });
    const entries = await audit.recent(10);
    expect(entries.map((e) => e.actor)).toEqual(['u2', 'u1']);
    expect(entries[1]?.detail).toEqual({ reason: 'premium' });
    expect(await audit.recent(10, 'u1')).toHaveLength(1);
  });
});
