import { DateTime, IANAZone } from 'luxon';
import { UserError } from '../../errors';

/** A space's time zone until it names one (een-bridge serves Dutch organisations first). */
export const DEFAULT_DIGEST_TIME_ZONE = 'Europe/Amsterdam';

/** When a space's digest goes out, in its own time zone. */
export type DigestCadence =
  | { kind: 'daily'; at: string }
  /** `weekday`: ISO, 1 Monday … 7 Sunday (luxon's `weekday`). */
  | { kind: 'weekly'; weekday: number; at: string };

/** What `digest …` asked for: a cadence, or no digest at all. */
export type DigestRequest = DigestCadence | { kind: 'off' };

const cadenceWords: Record<string, 'daily' | 'weekly' | 'off'> = {
  daily: 'daily',
  weekly: 'weekly',
  off: 'off',
  dagelijks: 'daily',
  wekelijks: 'weekly',
  uit: 'off',
};

/** Weekday names in English and Dutch, with their ISO numbers. */
const weekdayWords: Record<string, number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
  maandag: 1,
  dinsdag: 2,
  woensdag: 3,
  donderdag: 4,
  vrijdag: 5,
  zaterdag: 6,
  zondag: 7,
};

export const WEEKDAY_NAMES_EN = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const WEEKDAY_NAMES_NL = ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'] as const;

/** Whether a word starts a digest schedule (`daily`, `wekelijks`, `off` …), in either language. */
export function isCadenceWord(word: string | undefined): boolean {
  return word !== undefined && cadenceWords[word.toLowerCase()] !== undefined;
}

/**
 * Reads `daily 09:00`, `weekly monday 09:00`, `off` and the Dutch `dagelijks 09.00`,
 * `wekelijks maandag 9:00`, `uit`. A time is 24-hour, `H:MM`, `HH:MM` or with a dot as Dutch
 * writes it. Anything else is a UserError whose message key says what was wrong.
 */
export function parseDigestRequest(words: readonly string[]): DigestRequest {
  const [first, ...rest] = words.map((w) => w.trim()).filter(Boolean);
  const cadence = first ? cadenceWords[first.toLowerCase()] : undefined;
  if (!cadence) throw new UserError('digest.usage');
  if (cadence === 'off') {
    if (rest.length > 0) throw new UserError('digest.usage');
    return { kind: 'off' };
  }
  if (cadence === 'daily') {
    if (rest.length !== 1) throw new UserError('digest.usage');
    return { kind: 'daily', at: parseTimeOfDay(rest[0]!) };
  }
  if (rest.length !== 2) throw new UserError('digest.usage');
  const weekday = weekdayWords[rest[0]!.toLowerCase()];
  if (weekday === undefined) throw new UserError('digest.badWeekday', { day: rest[0]!.slice(0, 40) });
  return { kind: 'weekly', weekday, at: parseTimeOfDay(rest[1]!) };
}

/** "9:00", "09:00", "09.00" → "09:00"; hours 0-23, minutes 0-59. */
export function parseTimeOfDay(raw: string): string {
  const match = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(raw.trim());
  if (!match) throw new UserError('digest.badTime', { time: raw.slice(0, 40) });
  return `${match[1]!.padStart(2, '0')}:${match[2]}`;
}

/**
 * An IANA time zone as the runtime's time-zone data knows it (luxon asks Intl), in its canonical
 * spelling: `europe/london` → `Europe/London`. Fixed offsets and abbreviations ("CET") are not
 * zones a space lives in and are refused, as is anything Intl does not know.
 */
export function parseTimeZone(raw: string): string {
  const zone = raw.trim();
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$/.test(zone) || !IANAZone.isValidZone(zone)) {
    throw new UserError('digest.badTimeZone', { zone: zone.slice(0, 60) });
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/**
 * The first moment strictly after `after` at which the cadence falls, in `zone`. Computed per
 * local calendar day, so a daily 09:00 stays 09:00 on the wall clock across a DST change (it is
 * 08:00 UTC in summer, 07:00 in winter in Amsterdam). A time that does not exist that day (inside
 * the spring-forward gap) is moved forward by luxon to the same offset later: 02:30 becomes 03:30.
 */
export function nextDueAt(cadence: DigestCadence, zone: string, after: Date): Date {
  const [hour, minute] = cadence.at.split(':').map(Number) as [number, number];
  const today = DateTime.fromJSDate(after, { zone }).startOf('day');
  // Eight days covers a weekly cadence whose day is today but whose time has passed.
  for (let day = 0; day <= 8; day++) {
    const date = today.plus({ days: day });
    if (cadence.kind === 'weekly' && date.weekday !== cadence.weekday) continue;
    const due = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour, minute }, { zone });
    if (due.toMillis() > after.getTime()) return due.toJSDate();
  }
  // Unreachable for a valid cadence: eight consecutive days contain every weekday.
  throw new UserError('digest.usage');
}

/** "daily 09:00" / "weekly monday 09:00", in the space's words. */
export function describeCadence(cadence: DigestCadence, language: 'en' | 'nl'): string {
  if (language === 'nl') return cadence.kind === 'daily' ? `dagelijks ${cadence.at}` : `wekelijks ${WEEKDAY_NAMES_NL[cadence.weekday - 1]} ${cadence.at}`;
  return cadence.kind === 'daily' ? `daily ${cadence.at}` : `weekly ${WEEKDAY_NAMES_EN[cadence.weekday - 1]} ${cadence.at}`;
}

/** A due time as the space reads it: "2026-12-02 09:00 (Europe/Amsterdam)". */
export function localDueTime(at: Date, zone: string): string {
  return `${DateTime.fromJSDate(at, { zone }).toFormat('yyyy-LL-dd HH:mm')} (${zone})`;
}
