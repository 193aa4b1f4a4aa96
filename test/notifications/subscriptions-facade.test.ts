import type { Actor } from '../../core/actor';
import { operatorActor } from '../../core/actor';
import { AuditLog } from '../../core/audit-log';
import { Identity } from '../../core/identity/identity';
import { ServedOrganisations } from '../../core/identity/organisations';
import { UserDirectory } from '../../core/identity/users';
import { FollowRequests } from '../../core/notifications/follow-requests';
import { SourceAllowList } from '../../core/notifications/source-allow-list';
import { SpaceAccess, type SourceToFollow } from '../../core/notifications/space-access';
import { SpaceWriters } from '../../core/notifications/space-writers';
import { Subscriptions, type SpacesPort } from '../../core/notifications/subscriptions-facade';
import { SubscriptionRepository } from '../../core/notifications/subscriptions';
import { dialects, openTestStore, type TestStore } from '../helpers/stores';

const ORG = '9a1b2c3d-0000-4000-8000-000000000002';
const SPACE = 'space-open';
const MODERATED = 'space-moderated';

describe.each(dialects)('the Subscriptions façade (%s)', (dialect) => {
  let t: TestStore;
  let repository: SubscriptionRepository;
  let allowList: SourceAllowList;
  let writers: SpaceWriters;
  let identity: Identity;
  let subscriptions: Subscriptions;
  const botIn = new Set([SPACE, MODERATED]);

  beforeEach(async () => {
    t = await openTestStore(dialect);
    const audit = new AuditLog(t.store.db);
    const organisations = new ServedOrganisations(t.store.db, audit, { 'webex-org': [ORG] });
    repository = new SubscriptionRepository(t.store.db);
    allowList = new SourceAllowList(t.store.db, audit);
    writers = new SpaceWriters(t.store.db, audit);
    identity = new Identity({ users: new UserDirectory(t.store.db), organisations, audit });
    const spaces: SpacesPort = {
      botIsIn: async (spaceId) => botIn.has(spaceId),
      // The moderator rule: in the moderated space only "mod" manages.
      mayManage: async (spaceId, personId) => spaceId !== MODERATED || personId === 'mod',
    };
    const access = new SpaceAccess({ organisations, allowList, requests: new FollowRequests(t.store.db, audit), writers, audit });
    subscriptions = new Subscriptions({ repository, access, spaces });
  });
  afterEach(() => t.dispose());

  const person = async (personId: string, orgId: string | undefined = ORG): Promise<Actor> => {
    const home = { system: 'webex', orgId, personId } as const;
    const user = await identity.resolve(home, async () => ({ email: `${personId}@example.nl`, emailVerified: true }));
    return identity.actor(user, home, { typed: { language: 'en' } }, `${personId}@example.nl`);
  };
  const jira = (key: string, extra: Partial<SourceToFollow> = {}) => async () => ({ wanted: { source: 'jira' as const, sourceKey: key, label: key, filter: {}, locale: 'en-GB', ...extra } });

  it('refuses a person outside the served organisations', async () => {
    expect(await subscriptions.serves(await person('stranger', 'ffffffff-0000-4000-8000-00000000000f'), SPACE, 'subscribe')).toBe(false);
    expect(await subscriptions.serves(await person('anna'), SPACE, 'subscribe')).toBe(true);
  });

  it('turns a source not on the allow-list into one request, and follows a listed one', async () => {
    const anna = await person('anna');
    const first = await subscriptions.subscribe(anna, SPACE, jira('kan'));
    expect(first).toMatchObject({ outcome: 'requested', isNew: true });
    expect(await subscriptions.subscribe(anna, SPACE, jira('KAN'))).toMatchObject({ outcome: 'requested', isNew: false });
    await allowList.allow('jira', 'KAN', undefined, 'admin');
    const made = await subscriptions.subscribe(anna, SPACE, jira('kan'));
    expect(made).toMatchObject({ outcome: 'subscribed', replaced: undefined, subscription: { spaceId: SPACE, source: 'jira', sourceKey: 'KAN', createdBy: 'anna@example.nl' } });
    expect(await subscriptions.list(anna, SPACE)).toHaveLength(1);
  });

  it('keeps a moderated space to its moderators, and asks them before looking the source up', async () => {
    await allowList.allow('jira', 'KAN', undefined, 'admin');
    let looked = 0;
    const find = async () => {
      looked += 1;
      return jira('KAN')();
    };
    expect(await subscriptions.subscribe(await person('anna'), MODERATED, find)).toEqual({ outcome: 'moderatorsOnly' });
    expect(looked).toBe(0);
    const made = await subscriptions.subscribe(await person('mod'), MODERATED, find);
    expect(made.outcome).toBe('subscribed');
    expect(await subscriptions.unsubscribe(await person('anna'), MODERATED, { number: 1 })).toEqual({ outcome: 'moderatorsOnly' });
    expect(await subscriptions.configure(await person('anna'), MODERATED, { number: 1 }, { format: 'compact' })).toEqual({ outcome: 'moderatorsOnly' });
    expect(await subscriptions.configure(await person('mod'), MODERATED, { number: 1 }, { format: 'compact' })).toMatchObject({ outcome: 'done', subscription: { format: 'compact' } });
    expect(await subscriptions.unsubscribe(await person('mod'), MODERATED, { number: 1 })).toMatchObject({ outcome: 'done', subscription: { sourceKey: 'KAN' } });
    expect(await subscriptions.unsubscribe(await person('mod'), MODERATED, { number: 1 })).toEqual({ outcome: 'noSuch' });
  });

  it('lets the operator manage any space the bot is in, refuses one it is not in, and says what an add replaces', async () => {
    const operator = operatorActor('cli');
    expect(await subscriptions.subscribe(operator, 'elsewhere', jira('KAN'))).toEqual({ outcome: 'unknownSpace' });
    const first = await subscriptions.subscribe(operator, SPACE, jira('kan', { filter: { minPriority: 'High' }, locale: 'en-GB' }));
    expect(first).toMatchObject({ outcome: 'subscribed', replaced: undefined, subscription: { createdBy: 'cli', locale: 'en-GB' } });
    // No locale given: the space keeps its language; the filter is replaced.
    const again = await subscriptions.subscribe(operator, SPACE, jira('KAN', { filter: { kinds: ['issue.created'] }, locale: '' }));
    expect(again).toMatchObject({ outcome: 'subscribed', replaced: { filter: { minPriority: 'High' } }, subscription: { filter: { kinds: ['issue.created'] }, locale: 'en-GB' } });
    expect(await subscriptions.list(operator, undefined)).toHaveLength(1);
    await expect(subscriptions.list(await person('anna'), undefined)).rejects.toThrow(RangeError);
    expect(await subscriptions.botLeft(SPACE)).toBe(1);
    expect(await subscriptions.list(operator, SPACE)).toEqual([]);
  });

  it('lets nobody write from a space without a grant', async () => {
    const anna = await person('anna');
    expect(await subscriptions.mayWrite(anna, SPACE, 'trello.card')).toBe(false);
    await writers.grant(SPACE, 'anna@example.nl', 'admin');
    expect(await subscriptions.mayWrite(anna, SPACE, 'trello.card')).toBe(true);
  });

  it('refuses an Actor from a platform that has no spaces', async () => {
    const home = { system: 'slack', teamId: 'T0X', userId: 'U1' } as const;
    const slack = identity.actor(undefined, home, {});
    await expect(subscriptions.subscribe(slack, SPACE, jira('KAN'))).rejects.toThrow(RangeError);
  });
});
