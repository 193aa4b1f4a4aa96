import { DateTime } from 'luxon';
import { parseSchedule, UserError, type ScheduleParseOptions } from '../../core';

/**
 * The same phrasing means the same moment whatever the person's own language (issue 12:
 * "morgen 9:30 1u Overleg" from an English Slack booked today), read at moments where
 * scheduling goes wrong: a Friday afternoon, the nights the clocks change, one minute to
 * midnight. Expected times are wall-clock times in Europe/Amsterdam.
 */
const zone = 'Europe/Amsterdam';
const at = (local: string) => DateTime.fromISO(local, { zone }).toJSDate();
const nows = {
  fridayAfternoon: at('2026-11-27T15:00'), // Friday
  dstEndsTonight: at('2026-10-24T23:30'), // Saturday; at 03:00 CEST the clocks go back to 02:00 CET
  dstStartsTonight: at('2027-03-27T23:30'), // Saturday; at 02:00 CET the clocks go forward to 03:00 CEST
  oneToMidnight: at('2026-11-30T23:59'), // Monday
} as const;
type Now = keyof typeof nows;

// [now, text, start (local), length in minutes, title]
const phrasings: [Now, string, string, number, string | undefined][] = [
  ['fridayAfternoon', 'morgen 9:30 1u Overleg', '2026-11-28 09:30', 60, 'Overleg'],
  ['fridayAfternoon', 'tomorrow 14:00', '2026-11-28 14:00', 30, undefined],
  ['fridayAfternoon', 'vrijdag 10:00', '2026-12-04 10:00', 30, undefined],
  ['fridayAfternoon', 'overmorgen 14u 1u Retro', '2026-11-29 14:00', 60, 'Retro'],
  ['fridayAfternoon', 'morgenochtend 9 uur Standup', '2026-11-28 09:00', 30, 'Standup'],
  ['fridayAfternoon', 'volgende week dinsdag 10:00', '2026-12-01 10:00', 30, undefined],
  ['fridayAfternoon', 'next Tuesday 3pm', '2026-12-01 15:00', 30, undefined],
  ['fridayAfternoon', 'tomorrow 14:00 30m Sprint review', '2026-11-28 14:00', 30, 'Sprint review'],
  ['fridayAfternoon', 'morgen 14:00 30m Sprintreview', '2026-11-28 14:00', 30, 'Sprintreview'],
  ['fridayAfternoon', 'fri 10am for 45 minutes Demo', '2026-12-04 10:00', 45, 'Demo'],
  ['fridayAfternoon', 'vrijdag 10:00 45 minuten Demo', '2026-12-04 10:00', 45, 'Demo'],
  ['fridayAfternoon', 'today 16:00 Sync', '2026-11-27 16:00', 30, 'Sync'],
  ['fridayAfternoon', 'vandaag 16:00 Sync', '2026-11-27 16:00', 30, 'Sync'],
  ['fridayAfternoon', 'vanmiddag 4 uur Koffie', '2026-11-27 16:00', 30, 'Koffie'],
  ['fridayAfternoon', 'vanavond 8 uur Borrel', '2026-11-27 20:00', 30, 'Borrel'],
  ['fridayAfternoon', 'om 17u Afsluiting', '2026-11-27 17:00', 30, 'Afsluiting'],
  ['fridayAfternoon', 'half 5 Teamoverleg', '2026-11-27 16:30', 30, 'Teamoverleg'],
  ['fridayAfternoon', 'morgen kwart over 10 Check-in', '2026-11-28 10:15', 30, 'Check-in'],
  ['fridayAfternoon', 'maandag kwart voor 9 Weekstart', '2026-11-30 08:45', 30, 'Weekstart'],
  ['fridayAfternoon', 'dinsdag 15u30 45m Review', '2026-12-01 15:30', 45, 'Review'],
  ['fridayAfternoon', 'monday 9:15 Weekly', '2026-11-30 09:15', 30, 'Weekly'],
  ['fridayAfternoon', 'next week tuesday 10:00 Planning', '2026-12-01 10:00', 30, 'Planning'],
  ['fridayAfternoon', 'tuesday next week 10:00 Planning', '2026-12-01 10:00', 30, 'Planning'],
  ['fridayAfternoon', 'in 2 days at 10am Offsite prep', '2026-11-29 10:00', 30, 'Offsite prep'],
  ['fridayAfternoon', 'over 2 dagen 10:00 Voorbereiding', '2026-11-29 10:00', 30, 'Voorbereiding'],
  ['fridayAfternoon', '3 dec 15:00 2h Kwartaalcijfers', '2026-12-03 15:00', 120, 'Kwartaalcijfers'],
  ['fridayAfternoon', '3 december 15:00 2u Kwartaalcijfers', '2026-12-03 15:00', 120, 'Kwartaalcijfers'],
  ['fridayAfternoon', '2026-12-03 15:00 2h Q4', '2026-12-03 15:00', 120, 'Q4'],
  ['fridayAfternoon', 'donderdag 9.30 1,5 uur Workshop', '2026-12-03 09:30', 90, 'Workshop'],
  ['fridayAfternoon', 'Retro tomorrow at 16:15 for 1 hour', '2026-11-28 16:15', 60, 'Retro'],
  ['fridayAfternoon', 'Teamoverleg morgen om 13:00 voor 20 minuten', '2026-11-28 13:00', 20, 'Teamoverleg'],
  ['fridayAfternoon', 'tomorrow at noon Lunch talk', '2026-11-28 12:00', 30, 'Lunch talk'],
  ['fridayAfternoon', 'the day after tomorrow 11:00 Demo', '2026-11-29 11:00', 30, 'Demo'],
  ['fridayAfternoon', '17:30 Wrap-up', '2026-11-27 17:30', 30, 'Wrap-up'],
  ['fridayAfternoon', '14:00 Catch-up', '2026-11-28 14:00', 30, 'Catch-up'],
  ['fridayAfternoon', 'zaterdag 10:00 1h Klus', '2026-11-28 10:00', 60, 'Klus'],
  ['fridayAfternoon', 'sunday 8pm Call US', '2026-11-29 20:00', 30, 'Call US'],
  ['fridayAfternoon', 'morgenmiddag 2 uur Overleg', '2026-11-28 14:00', 30, 'Overleg'],
  ['fridayAfternoon', 'tomorrow 3pm Review', '2026-11-28 15:00', 30, 'Review'],
  ['fridayAfternoon', 'morgen 3 uur Review', '2026-11-28 15:00', 30, 'Review'],
  ['fridayAfternoon', 'tomorrow 9:30 1h30 Planning', '2026-11-28 09:30', 90, 'Planning'],
  ['fridayAfternoon', 'morgen 9:30 1u30 Planning', '2026-11-28 09:30', 90, 'Planning'],
  ['fridayAfternoon', 'tomorrow 14:00 "Monday prep"', '2026-11-28 14:00', 30, 'Monday prep'],
  ['fridayAfternoon', 'morgen 9:00 “Voorbereiding vrijdag”', '2026-11-28 09:00', 30, 'Voorbereiding vrijdag'],
  ['fridayAfternoon', 'wo 14:00 Lunch', '2026-12-02 14:00', 30, 'Lunch'],
  ['fridayAfternoon', 'do 10 uur 1u Intake', '2026-12-03 10:00', 60, 'Intake'],
  ['fridayAfternoon', 'morgen om 14.30 uur Bespreking', '2026-11-28 14:30', 30, 'Bespreking'],
  ['dstEndsTonight', 'morgen 9:00 Brunch', '2026-10-25 09:00', 30, 'Brunch'],
  ['dstEndsTonight', 'tomorrow 9:00 Brunch', '2026-10-25 09:00', 30, 'Brunch'],
  ['dstEndsTonight', 'vandaag 23:45 Laatste check', '2026-10-24 23:45', 30, 'Laatste check'],
  ['dstEndsTonight', 'maandag 9:00 Weekstart', '2026-10-26 09:00', 30, 'Weekstart'],
  ['dstEndsTonight', 'tomorrow 10:00 3h Migration', '2026-10-25 10:00', 180, 'Migration'],
  ['dstStartsTonight', 'morgen 9:00 Brunch', '2027-03-28 09:00', 30, 'Brunch'],
  ['dstStartsTonight', 'tomorrow 04:00 1h Maintenance', '2027-03-28 04:00', 60, 'Maintenance'],
  ['dstStartsTonight', 'overmorgen 14u 1u Retro', '2027-03-29 14:00', 60, 'Retro'],
  ['oneToMidnight', 'morgen 9:00 Standup', '2026-12-01 09:00', 30, 'Standup'],
  ['oneToMidnight', 'tomorrow 9:00 Standup', '2026-12-01 09:00', 30, 'Standup'],
  ['oneToMidnight', 'volgende week dinsdag 10:00 Planning', '2026-12-08 10:00', 30, 'Planning'],
  ['oneToMidnight', 'next week Tuesday 10:00 Planning', '2026-12-08 10:00', 30, 'Planning'],
  ['oneToMidnight', 'dinsdag 10:00 Demo', '2026-12-01 10:00', 30, 'Demo'],
  ['oneToMidnight', '23:59 Nu', '2026-11-30 23:59', 30, 'Nu'],
  ['oneToMidnight', 'overmorgen 14u 1u Retro', '2026-12-02 14:00', 60, 'Retro'],
  ['oneToMidnight', 'morgenochtend 9 uur Standup', '2026-12-01 09:00', 30, 'Standup'],
  ['oneToMidnight', 'vrijdag 10:00', '2026-12-04 10:00', 30, undefined],
  ['oneToMidnight', '8:00 Vroeg', '2026-12-01 08:00', 30, 'Vroeg'],
];

// Every phrasing is read the same for a person whose Slack is in Dutch and one in English.
const locales = ['nl-NL', 'en-US'];

describe.each(locales)('a person whose language is %s', (locale) => {
  it.each(phrasings)('at %s reads "%s" as %s', (now, text, start, length, title) => {
    const options: ScheduleParseOptions = { now: nows[now], timeZone: zone, locale, maxLengthMinutes: 24 * 60 };
    const parsed = parseSchedule(text, options);
    expect(DateTime.fromJSDate(parsed.start).setZone(zone).toFormat('yyyy-MM-dd HH:mm')).toBe(start);
    expect(parsed.lengthMinutes).toBe(length);
    expect(parsed.end.getTime() - parsed.start.getTime()).toBe(length * 60_000);
    expect(parsed.title).toBe(title);
  });
});

// [now, text, message key]
const refusals: [Now, string, string][] = [
  ['fridayAfternoon', 'Monday planning tomorrow 10:00', 'meetings.schedule.strayDate'],
  ['fridayAfternoon', 'morgen Overleg', 'meetings.schedule.noTime'],
  ['fridayAfternoon', 'vandaag 14:00 Te laat', 'meetings.schedule.past'],
  ['fridayAfternoon', 'tomorrow 14:00 25h Marathon', 'meetings.schedule.webexMaxLength'],
  ['oneToMidnight', 'vandaag 23:30 Gemist', 'meetings.schedule.past'],
  ['dstStartsTonight', 'morgen 02:30 Onderhoud', 'meetings.schedule.noSuchTime'],
];

describe.each(locales)('a person whose language is %s is refused', (locale) => {
  it.each(refusals)('at %s "%s" (%s)', (now, text, key) => {
    let caught: unknown;
    try {
      parseSchedule(text, { now: nows[now], timeZone: zone, locale, maxLengthMinutes: 24 * 60 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).key).toBe(key);
  });
});

it('reads an hour that happens twice (the night the clocks go back) as its first occurrence', () => {
  const parsed = parseSchedule('morgen 02:30 1u Onderhoud', { now: nows.dstEndsTonight, timeZone: zone, locale: 'nl-NL' });
  expect(parsed.start.toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
  expect(parsed.lengthMinutes).toBe(60);
});
