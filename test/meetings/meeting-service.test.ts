import { randomBytes } from 'node:crypto';
import {
  AuditLog,
  MeetingService,
  SecretStore,
  TokenVault,
  UserDirectory,
  WebexAccounts,
  openStore,
  type Clock,
  type Meeting,
  type Meetings,
  type NewMeeting,
  type Store,
  type Actor,
  type User,
} from '../../core/internal';

/** The Actor a surface builds at its edge (core/actor.ts), for a core user in their own language. */
function actorOf(user: User, overrides: Partial<Pick<Actor, 'locale' | 'language' | 'timeZone'>> = {}): Actor {
  return {
    who: { userId: user.id, platform: { system: 'slack', teamId: 'T1', userId: 'U1' }, email: user.email },
    organisation: 'T1',
    locale: user.locale,
    language: user.locale.startsWith('nl') ? 'nl' : 'en',
    timeZone: user.timeZone,
    ...overrides,
  };
}

/** An in-memory Meetings port: enough to watch what the use cases ask of Webex. */
class FakeMeetings implements Meetings {
  readonly created: NewMeeting[] = [];
  readonly deleted: string[] = [];
  private readonly all = new Map<string, Meeting>();

  async create(_c: unknown, m: NewMeeting): Promise<Meeting> {
    this.created.push(m);
    const id = `m${this.created.length}`;
    const meeting: Meeting = {
      id, title: m.title, start: m.start.toISOString(), end: m.end.toISOString(), timeZone: m.timeZone,
      webLink: `https://example.webex.com/j.php?MTID=${id}`, meetingNumber: '123', password: m.password, state: 'active', hostEmail: undefined, sipAddress: undefined,
    };
    this.all.set(id, meeting);
    return meeting;
  }
  async listUpcoming(): Promise<Meeting[]> {
    return [...this.all.values()].sort((a, b) => a.start.localeCompare(b.start));
  }
  async get(_c: unknown, id: string): Promise<Meeting> {
    return this.all.get(id)!;
  }
  async delete(_c: unknown, id: string): Promise<void> {
    this.deleted.push(id);
    this.all.delete(id);
  }
  async personalRoom() {
    return { link: 'https://example.webex.com/meet/anna', topic: undefined, sipAddress: undefined };
  }
  async me() {
    return { id: 'p', emails: ['anna@example.com'], displayName: 'Anna' };
  }
}

describe('MeetingService', () => {
  let store: Store;
  let users: UserDirectory;
  let port: FakeMeetings;
  let service: MeetingService;
  let serviceOptions: () => ConstructorParameters<typeof MeetingService>[0];
  const clock: Clock = { now: () => new Date('2026-11-28T07:00:00Z') };

  beforeEach(async () => {
    store = openStore({ kind: 'sqlite', file: ':memory:' });
    await store.migrate();
    users = new UserDirectory(store.db, clock);
    port = new FakeMeetings();
    const secrets = new SecretStore(store.db, new TokenVault(randomBytes(32)), clock);
    const accounts = new WebexAccounts({ db: store.db, secrets, clientId: 'c', clientSecret: 's', apiUrl: () => 'http://unused', redirectUri: () => 'http://unused', connectUri: () => 'http://unused', clock });
    serviceOptions = () => ({ meetings: port, accounts, db: store.db, audit: new AuditLog(store.db, clock), clock });
    service = new MeetingService(serviceOptions());
  });
  afterEach(() => store.close());

  const user = async (tier: User['licenceTier'], locale = 'en-GB') => actorOf(await users.create({ email: `${tier}-${locale}@example.com`, displayName: 'Anna', licenceTier: tier, locale }));

  it('takes the language and the zone from the Actor, the licence and the name from the core user behind it', async () => {
    const anna = await users.create({ email: 'anna@example.com', displayName: 'Anna', licenceTier: 'Basis', locale: 'en-GB', timeZone: 'Europe/Amsterdam' });
    // The surface chose Dutch (what she typed) and her platform's zone.
    const meeting = await service.startMeeting(actorOf(anna, { locale: 'nl', language: 'nl', timeZone: 'America/New_York' }));
    expect(meeting.title).toBe('Webex-vergadering van Anna');
    expect(port.created[0]!.timeZone).toBe('America/New_York');
    // Basis cannot schedule, whatever the surface says about the person.
    await expect(service.scheduleMeeting(actorOf(anna), { when: { text: 'tomorrow 14:00 30m Review' } })).rejects.toMatchObject({ key: 'meetings.licence.scheduling' });
  });

  it('refuses an actor een-bridge has no core user for, before calling Webex', async () => {
    const stranger: Actor = { who: { userId: undefined, platform: { system: 'webex', orgId: 'o', personId: 'p' } }, organisation: 'o', locale: 'en', language: 'en', timeZone: 'Europe/Amsterdam' };
    await expect(service.startMeeting(stranger)).rejects.toMatchObject({ key: 'meetings.notLinked' });
    await expect(service.listMeetings({ ...stranger, who: { ...stranger.who, userId: 'no-such-user' } })).rejects.toMatchObject({ key: 'meetings.notLinked' });
    expect(port.created).toHaveLength(0);
  });

  it('books an instant meeting from now for an hour, titled in the user language', async () => {
    const meeting = await service.startMeeting(await user('Basis', 'nl-NL'));
    // The next whole minute: Webex refuses a start before the current minute (Create a Meeting).
    expect(port.created[0]).toMatchObject({ start: new Date('2026-11-28T07:01:00Z'), end: new Date('2026-11-28T08:01:00Z'), timeZone: 'Europe/Amsterdam', autoRecord: false });
    expect(meeting.title).toBe('Webex-vergadering van Anna');
  });

  it('starts an instant meeting at the next whole minute, never in a minute that may have passed when Webex reads it', async () => {
    const late = new MeetingService({ ...serviceOptions(), clock: { now: () => new Date('2026-11-28T07:00:59.900Z') } });
    await late.startMeeting(await user('Basis'));
    expect(port.created[0]!.start).toEqual(new Date('2026-11-28T07:01:00Z'));
    expect(port.created[0]!.end.getTime() - port.created[0]!.start.getTime()).toBe(60 * 60_000);
  });

  it('refuses a 26th participant under Basis before calling Webex', async () => {
    const invitees = Array.from({ length: 25 }, (_, i) => ({ email: `p${i}@example.com` }));
    await expect(service.startMeeting(await user('Basis'), { invitees })).rejects.toMatchObject({ key: 'meetings.licence.participants' });
    expect(port.created).toHaveLength(0);
  });

  it('passes a password and auto-recording to Webex for Premium, refuses recording for Standaard', async () => {
    await service.scheduleMeeting(await user('Premium'), { when: { text: 'tomorrow 14:00 30m Review' }, password: 'Geheim123!', record: true });
    expect(port.created[0]).toMatchObject({ title: 'Review', password: 'Geheim123!', autoRecord: true, start: new Date('2026-11-29T13:00:00Z') });
    await expect(service.scheduleMeeting(await user('Standaard'), { when: { text: 'tomorrow 14:00 30m Review' }, record: true })).rejects.toMatchObject({ key: 'meetings.licence.recording', params: { required: 'Premium' } });
  });

  it('reads the modal fields with the same rules as free text', async () => {
    await service.scheduleMeeting(await user('Standaard'), { when: { date: '2026-12-03', time: '15:00', lengthMinutes: 120 }, title: 'Kwartaalcijfers' });
    expect(port.created[0]).toMatchObject({ start: new Date('2026-12-03T14:00:00Z'), end: new Date('2026-12-03T16:00:00Z') });
    await expect(service.scheduleMeeting(await user('Standaard', 'nl'), { when: { date: 'gisteren', time: '15:00', lengthMinutes: 30 } })).rejects.toMatchObject({ key: 'meetings.schedule.noTime' });
  });

  it('keeps the numbers of the last list stable while cancelling', async () => {
    const anna = await user('Standaard');
    await service.scheduleMeeting(anna, { when: { text: 'tomorrow 9:00 Alpha' } });
    await service.scheduleMeeting(anna, { when: { text: 'tomorrow 10:00 Beta' } });
    await service.scheduleMeeting(anna, { when: { text: 'tomorrow 11:00 Gamma' } });
    expect((await service.listMeetings(anna)).map((m) => m.title)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect((await service.cancelMeeting(anna, 2)).title).toBe('Beta');
    expect((await service.cancelMeeting(anna, 3)).title).toBe('Gamma');
    await expect(service.cancelMeeting(anna, 2)).rejects.toMatchObject({ key: 'meetings.cancel.unknownNumber', params: { count: 1 } });
    await expect(service.cancelMeeting(anna, 0)).rejects.toMatchObject({ key: 'meetings.cancel.unknownNumber' });
    expect(port.deleted).toEqual(['m2', 'm3']);
  });

  it('opens the personal room from Standaard up only', async () => {
    await expect(service.personalRoom(await user('Basis'))).rejects.toMatchObject({ key: 'meetings.licence.personalRoom', params: { required: 'Standaard' } });
    expect((await service.personalRoom(await user('Standaard'))).link).toBe('https://example.webex.com/meet/anna');
  });
});
