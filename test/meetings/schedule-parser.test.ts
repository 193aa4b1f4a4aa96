import fc from 'fast-check';
import { parseSchedule, UserError, MAX_TITLE_LENGTH, type ScheduleParseOptions } from '../../core';

// Saturday 28 November 2026, 08:00 in Amsterdam (UTC+1).
const now = new Date('2026-11-28T07:00:00Z');
const amsterdam: ScheduleParseOptions = { now, timeZone: 'Europe/Amsterdam', locale: 'en', maxLengthMinutes: 24 * 60 };
const dutch: ScheduleParseOptions = { ...amsterdam, locale: 'nl-NL' };

describe('parseSchedule reads English', () => {
  it.each([
    ['tomorrow 14:00 30m Sprint review', '2026-11-29T13:00:00.000Z', 30, 'Sprint review'],
    ['fri 10am for 45 minutes Demo', '2026-12-04T09:00:00.000Z', 45, 'Demo'],
    ['2026-12-03 15:00 2h Kwartaalcijfers', '2026-12-03T14:00:00.000Z', 120, 'Kwartaalcijfers'],
    ['next monday at 3pm 1h30 Planning', '2026-11-30T14:00:00.000Z', 90, 'Planning'],
    ['Retro tomorrow at 16:15 for 1 hour', '2026-11-29T15:15:00.000Z', 60, 'Retro'],
    ['tomorrow 9:00 Standup', '2026-11-29T08:00:00.000Z', 30, 'Standup'],
    ['tomorrow 11:00', '2026-11-29T10:00:00.000Z', 30, undefined],
  ])('%s', (text, start, length, title) => {
    const parsed = parseSchedule(text, amsterdam);
    expect(parsed.start.toISOString()).toBe(start);
    expect(parsed.lengthMinutes).toBe(length);
    expect(parsed.end.getTime() - parsed.start.getTime()).toBe(length * 60_000);
    expect(parsed.title).toBe(title);
    expect(parsed.timeZone).toBe('Europe/Amsterdam');
  });
});

describe('parseSchedule reads Dutch', () => {
  it.each([
    ['morgen 9:30 1u Overleg', '2026-11-29T08:30:00.000Z', 60, 'Overleg'],
    ['vrijdag 10:00 45 minuten Demo', '2026-12-04T09:00:00.000Z', 45, 'Demo'],
    ['overmorgen 14:00 1,5 uur Workshop', '2026-11-30T13:00:00.000Z', 90, 'Workshop'],
    ['3 december 15:00 2u Kwartaalcijfers', '2026-12-03T14:00:00.000Z', 120, 'Kwartaalcijfers'],
    ['Teamoverleg morgen om 13:00 voor 20 minuten', '2026-11-29T12:00:00.000Z', 20, 'Teamoverleg'],
  ])('%s', (text, start, length, title) => {
    const parsed = parseSchedule(text, dutch);
    expect(parsed.start.toISOString()).toBe(start);
    expect(parsed.lengthMinutes).toBe(length);
    expect(parsed.title).toBe(title);
  });
});

describe('parseSchedule uses the user time zone', () => {
  it('reads the time in the user zone, not the machine zone', () => {
    const parsed = parseSchedule('tomorrow 14:00 30m x', { ...amsterdam, timeZone: 'America/New_York' });
    expect(parsed.start.toISOString()).toBe('2026-11-29T19:00:00.000Z');
    expect(parsed.timeZone).toBe('America/New_York');
  });

  it('falls back to Europe/Amsterdam for a missing or unknown zone', () => {
    expect(parseSchedule('tomorrow 14:00 x', { ...amsterdam, timeZone: undefined }).timeZone).toBe('Europe/Amsterdam');
    expect(parseSchedule('tomorrow 14:00 x', { ...amsterdam, timeZone: 'Mars/Olympus' }).start.toISOString()).toBe('2026-11-29T13:00:00.000Z');
  });
});

function refusal(text: string, options: ScheduleParseOptions): UserError {
  try {
    parseSchedule(text, options);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('parseSchedule refuses', () => {
  it.each([
    ['Sprint review', amsterdam, 'meetings.schedule.noTime'],
    ['morgen Overleg', dutch, 'meetings.schedule.noTime'],
    ['', amsterdam, 'meetings.schedule.noTime'],
    ['vandaag 7:00 Ontbijt', dutch, 'meetings.schedule.past'],
    ['today 7:59 too late', amsterdam, 'meetings.schedule.past'],
    ['2025-01-01 10:00 Old', amsterdam, 'meetings.schedule.past'],
    // Webex's own limit, 23 h 59 min, is below the licences' 24 hours (Create a Meeting, `end`).
    ['tomorrow 14:00 25h Marathon', amsterdam, 'meetings.schedule.webexMaxLength'],
    ['morgen 14:00 1441 minuten Marathon', dutch, 'meetings.schedule.webexMaxLength'],
    ['tomorrow 14:00 3h Workshop', { ...amsterdam, maxLengthMinutes: 120 }, 'meetings.schedule.tooLong'],
    ['tomorrow 14:00 5m Quick', amsterdam, 'meetings.schedule.badLength'],
    ['tomorrow 14:00 0m Nothing', amsterdam, 'meetings.schedule.badLength'],
    ['x'.repeat(301), amsterdam, 'meetings.schedule.textTooLong'],
  ])('%s', (text, options, key) => {
    expect(refusal(text, options).key).toBe(key);
  });

  it('lets an unlimited licence (Premium) book up to Webex\'s own maximum, 23 h 59 min, and no more', () => {
    expect(parseSchedule('tomorrow 9:00 1439 minutes Hackathon', { ...amsterdam, maxLengthMinutes: undefined }).lengthMinutes).toBe(1439);
    expect(refusal('tomorrow 14:00 30h Hackathon', { ...amsterdam, maxLengthMinutes: undefined }).key).toBe('meetings.schedule.webexMaxLength');
  });
});

describe('parseSchedule with hostile text', () => {
  it('keeps markup in the title as plain text', () => {
    expect(parseSchedule('tomorrow 14:00 <script>alert(1)</script>', amsterdam).title).toBe('<script>alert(1)</script>');
  });

  it('drops control characters', () => {
    const parsed = parseSchedule('tomorrow\u000014:00\u0007 Demo\u001b', amsterdam);
    expect(parsed.start.toISOString()).toBe('2026-11-29T13:00:00.000Z');
    expect(parsed.title).toBe('Demo');
  });

  it('cuts titles at the Webex maximum', () => {
    expect(parseSchedule(`tomorrow 14:00 ${'a'.repeat(200)}`, amsterdam).title).toHaveLength(MAX_TITLE_LENGTH);
  });

  it('accepts any text or refuses it with a UserError, and never books the past or beyond the licence', () => {
    const fragments = fc.constantFrom('tomorrow', 'morgen', 'fri', 'vrijdag', '14:00', '9:30', '10am', '30m', '1u', '2h', 'for', 'voor', '45', 'minutes', 'uur', 'Demo', '2026-12-03', ' ');
    const text = fc.oneof(fc.string({ maxLength: 120 }), fc.array(fragments, { maxLength: 8 }).map((a) => a.join(' ')));
    fc.assert(
      fc.property(text, fc.constantFrom(amsterdam, dutch), (t, options) => {
        try {
          const parsed = parseSchedule(t, options);
          expect(parsed.start.getTime()).toBeGreaterThanOrEqual(now.getTime() - 60_000);
          expect(parsed.lengthMinutes).toBeGreaterThanOrEqual(1);
          expect(parsed.lengthMinutes).toBeLessThanOrEqual(24 * 60);
          expect((parsed.title ?? '').length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
