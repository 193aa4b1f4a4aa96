import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SubscriptionRepository, openStore } from '../../core/internal';
import { runCli } from '../../app/cli';

/** `een-bridge subscriptions digest <room> daily|weekly|off|timezone`, and the schedule in `subscriptions list`. */
describe('een-bridge subscriptions digest on a schedule', () => {
  let dataDir: string;
  const ROOM = Buffer.from('ciscospark://us/ROOM/5e1f0a2b-0000-4000-8000-0000000000d1').toString('base64url');

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-digest-cli-'));
    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    await store.migrate();
    await new SubscriptionRepository(store.db).subscribe({ spaceId: ROOM, source: 'jira', sourceKey: 'KAN' });
    await store.close();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env: { EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'silent', WEBEX_BOT: 'off' }, cwd: dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('schedules a daily and a weekly digest, in English or Dutch words, and shows it', async () => {
    const daily = await cli('subscriptions', 'digest', ROOM, 'daily', '09:00');
    expect(daily.code).toBe(0);
    expect(daily.out).toMatch(new RegExp(`^${ROOM}: scheduled digest daily 09:00 Europe/Amsterdam, next \\d{4}-\\d\\d-\\d\\dT0[78]:00:00\\.000Z, 0 collected\\.$`));
    const weekly = await cli('subscriptions', 'digest', ROOM, 'wekelijks', 'maandag', '9.30', '--json');
    expect(weekly.code).toBe(0);
    const parsed = JSON.parse(weekly.out) as { cadence: unknown; timeZone: string; nextDueAt: string; waiting: number };
    expect(parsed).toMatchObject({ cadence: { kind: 'weekly', weekday: 1, at: '09:30' }, timeZone: 'Europe/Amsterdam', waiting: 0 });
    // A Monday, 09:30 in Amsterdam.
    expect(new Date(parsed.nextDueAt).toLocaleString('en-GB', { timeZone: 'Europe/Amsterdam', weekday: 'long', hour: '2-digit', minute: '2-digit' })).toBe('Monday 09:30');

    const zone = await cli('subscriptions', 'digest', ROOM, 'timezone', 'Europe/London');
    expect(zone.out).toMatch(/scheduled digest weekly monday 09:30 Europe\/London, next /);
    const list = await cli('subscriptions', 'list', '--json');
    expect((JSON.parse(list.out) as { digest: { cadence: unknown; timeZone: string } }[])[0]!.digest).toMatchObject({ cadence: { kind: 'weekly', weekday: 1, at: '09:30' }, timeZone: 'Europe/London' });
    expect((await cli('subscriptions', 'list')).out).toMatch(/weekly monday 09:30 Europe\/London, next \S+, 0 collected/);
    expect((await cli('subscriptions', 'digest', ROOM)).out).toContain('scheduled digest weekly monday 09:30 Europe/London');

    expect((await cli('subscriptions', 'digest', ROOM, 'off')).out).toBe(`${ROOM}: scheduled digest off (Europe/London).`);
  });

  it('refuses a bad schedule or zone with what is wrong, and changes nothing', async () => {
    await cli('subscriptions', 'digest', ROOM, 'daily', '08:00');
    for (const [args, says] of [
      [['daily', '24:00'], '“24:00” is not a time of day'],
      [['weekly', 'funday', '09:00'], '“funday” is not a day of the week'],
      [['daily'], 'Say digest daily 09:00'],
      [['timezone', 'Mars/Olympus'], '“Mars/Olympus” is not a time zone'],
    ] as const) {
      const result = await cli('subscriptions', 'digest', ROOM, ...args);
      expect(result.code).toBe(2);
      expect(result.err).toContain(says);
    }
    expect((await cli('subscriptions', 'digest', ROOM, '--json')).out).toContain('"at": "08:00"');
  });
});
