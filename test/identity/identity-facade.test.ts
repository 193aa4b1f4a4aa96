import { AuditLog } from '../../core/audit-log';
import { Identity } from '../../core/identity/identity';
import { ServedOrganisations } from '../../core/identity/organisations';
import { UserDirectory } from '../../core/identity/users';
import { dialects, openTestStore, type TestStore } from '../helpers/stores';

const TENANT = '0c1d2e3f-0000-4000-8000-000000000001';
const TEAM = 'T0SERVED';
const WEBEX_ORG = '9a1b2c3d-0000-4000-8000-000000000002';
const ANNA = 'anna.jansen@example.nl';

describe.each(dialects)('the Identity façade (%s)', (dialect) => {
  let t: TestStore;
  let users: UserDirectory;
  let identity: Identity;

  beforeEach(async () => {
    t = await openTestStore(dialect);
    const audit = new AuditLog(t.store.db);
    users = new UserDirectory(t.store.db);
    const organisations = new ServedOrganisations(t.store.db, audit, { 'teams-tenant': [TENANT], 'slack-team': [TEAM], 'webex-org': [WEBEX_ORG], 'email-domain': ['example.nl'] });
    identity = new Identity({ users, organisations, audit });
  });
  afterEach(() => t.dispose());

  const teams = { system: 'teams', tenantId: TENANT, aadObjectId: 'aad-anna' } as const;
  const slack = { system: 'slack', teamId: TEAM, userId: 'U0ANNA' } as const;
  const webex = { system: 'webex', orgId: WEBEX_ORG, personId: 'webex-anna' } as const;

  it('makes one core user when a person\'s first requests from Teams and Slack arrive at once', async () => {
    const claims = [
      identity.resolve(teams, async () => ({ email: ANNA, emailVerified: true, locale: 'nl-NL' })),
      identity.resolve(slack, async () => ({ email: ANNA, emailVerified: true, locale: 'en-GB' })),
      identity.resolve(teams, async () => ({ email: ANNA, emailVerified: true, locale: 'nl-NL' })),
      identity.resolve(slack, async () => ({ email: ANNA, emailVerified: true, locale: 'en-GB' })),
    ];
    const linked = await Promise.all(claims);
    expect(new Set(linked.map((u) => u?.id)).size).toBe(1);
    const all = await users.list();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ email: ANNA, teamsAadObjectId: 'aad-anna', slack: { teamId: TEAM, userId: 'U0ANNA' } });
  });

  it('makes one core user when two replicas race (no shared in-process queue)', async () => {
    const audit = new AuditLog(t.store.db);
    const organisations = new ServedOrganisations(t.store.db, audit, { 'teams-tenant': [TENANT], 'slack-team': [TEAM], 'email-domain': ['example.nl'] });
    const other = new Identity({ users: new UserDirectory(t.store.db), organisations, audit });
    const linked = await Promise.all([
      identity.resolve(teams, async () => ({ email: ANNA, emailVerified: true })),
      other.resolve(slack, async () => ({ email: ANNA, emailVerified: true })),
    ]);
    expect(linked[0]!.id).toBe(linked[1]!.id);
    expect(await users.list()).toHaveLength(1);
  });

  it('links a Webex person of a served organisation to the person known from Teams', async () => {
    const fromTeams = await identity.resolve(teams, async () => ({ email: ANNA, emailVerified: true }));
    const fromWebex = await identity.resolve(webex, async () => ({ email: ANNA, emailVerified: true }));
    expect(fromWebex?.id).toBe(fromTeams?.id);
    expect((await users.byId(fromTeams!.id))?.webexPersonId).toBe('webex-anna');
  });

  it('makes nobody for a Webex person outside the served organisations', async () => {
    const stranger = await identity.resolve({ system: 'webex', orgId: undefined, personId: 'webex-x' }, async () => ({ email: 'x@elsewhere.com', emailVerified: true }));
    expect(stranger).toBeUndefined();
    expect(await users.list()).toHaveLength(0);
  });

  it('asks the platform only on first contact', async () => {
    let asked = 0;
    const claim = async () => {
      asked += 1;
      return { email: ANNA, emailVerified: true };
    };
    const first = await identity.resolve(slack, claim);
    const again = await identity.resolve(slack, claim);
    expect(again?.id).toBe(first?.id);
    expect(asked).toBe(1);
  });

  it('builds the Actor from the user, the platform identity and the language rule', async () => {
    const user = (await identity.resolve(teams, async () => ({ email: ANNA, emailVerified: true, locale: 'en-US', timeZone: 'Europe/Amsterdam' })))!;
    const actor = identity.actor(user, teams, { platformLocale: 'en-US' });
    expect(actor).toEqual({
      who: { userId: user.id, platform: teams, email: ANNA },
      organisation: TENANT,
      locale: 'en-US',
      language: 'en',
      timeZone: 'Europe/Amsterdam',
    });
  });
});
