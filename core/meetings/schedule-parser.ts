import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';
import { UserError } from '../errors';
import { languageOf, type Language } from '../i18n';
import { dateWordIn, dayAfterTomorrow, dutchClockPhrases, meantHour, nextWeekWeekday } from './schedule-phrases';

/** A meeting time read from free text such as `tomorrow 14:00 30m Sprint review`. */
export interface ParsedSchedule {
  start: Date;
  end: Date;
  lengthMinutes: number;
  /** IANA zone the text was read in. */
  timeZone: string;
  /** What is left after the time and length; undefined when nothing is. */
  title: string | undefined;
}

export interface ScheduleParseOptions {
  now: Date;
  /** The user's IANA time zone (Slack profile `tz`); Europe/Amsterdam when absent or unknown. */
  timeZone?: string | undefined;
  /** Picks the language tried first (nl or en); both are always tried. */
  locale?: string | undefined;
  /** The licence's "Maximale lengte vergadering"; undefined: unlimited. */
  maxLengthMinutes?: number | undefined;
  defaultLengthMinutes?: number;
}

export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';
/**
 * Webex refuses a meeting shorter than 10 minutes or longer than 23 hours 59 minutes,
 * whatever the licence ("Create a Meeting", `start`/`end`: developer.webex.com, spec
 * webex-openapi-specs public-spec/webex-meeting.json).
 */
export const WEBEX_MIN_MEETING_MINUTES = 10;
export const WEBEX_MAX_MEETING_MINUTES = 23 * 60 + 59;
/** Webex refuses titles over 128 characters (Create a Meeting, `title`). */
export const MAX_TITLE_LENGTH = 128;
/** Longer text is refused before chrono sees it: its cost grows with the input. */
export const MAX_SCHEDULE_TEXT = 300;

// "30m", "1u", "2h", "1h30", "1,5 uur", "for 45 minutes", "voor 45 minuten". Preceded by
// whitespace so the "00" of "14:00" and the "10" of "10am" never count as a length.
const lengthPattern =
  /(?:^|\s)(?:(?:for|voor|duur|duration)\s+)?(\d{1,4}(?:[.,]\d{1,2})?)\s*(minutes|minute|minuten|minuut|mins|min|m|hours|hour|hrs|hr|h|uren|uur|u)(?:\s*(\d{1,2})\s*(?:m|min)?)?(?=\s|$)/gi;

interface LengthToken {
  minutes: number;
  /** The text without the token. */
  rest: string;
}

/** Every place in the text that could be the meeting's length ("14u 1u": either one). */
function lengthTokens(text: string): LengthToken[] {
  const tokens: LengthToken[] = [];
  for (const match of text.matchAll(lengthPattern)) {
    const amount = Number(match[1]!.replace(',', '.'));
    const unit = match[2]!.toLowerCase();
    const hours = /^(h|hr|hrs|hour|hours|u|uur|uren)$/.test(unit);
    const minutes = Math.round(hours ? amount * 60 + Number(match[3] ?? 0) : amount);
    tokens.push({ minutes, rest: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}` });
  }
  return tokens;
}

function zoneOrDefault(zone: string | undefined): string {
  return zone && IANAZone.isValidZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

/**
 * chrono reads dates in the process's local zone. It is handed the user's wall-clock time as
 * a local Date, and its components are read back in the user's zone with luxon, so the
 * result does not depend on the TZ of the machine.
 */
function wallClock(now: DateTime): Date {
  return new Date(now.year, now.month - 1, now.day, now.hour, now.minute, now.second);
}

/**
 * chrono-node is loaded at the first schedule read, not with the core: it costs ~190 ms and 8 MB
 * at start, and only the meetings feature (Slack /webex) reads schedules (issue 17: footprint).
 * parseSchedule is synchronous, so this is CommonJS's require (createRequire, nodejs.org/api/module.html).
 */
let loadedParsers: Record<Language, Chrono.Chrono> | undefined;
function parsers(language: Language): Chrono.Chrono {
  if (!loadedParsers) {
    const chrono = createRequire(__filename)('chrono-node') as typeof Chrono;
    loadedParsers = { nl: chrono.nl.casual, en: chrono.en.casual };
  }
  return loadedParsers[language];
}

function cleanTitle(text: string): string | undefined {
  const title = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:at|om|on|op|-|–|:|,)\s+/i, '')
    .replace(/^[-–:,]\s*/, '')
    .trim();
  return title.length === 0 ? undefined : title.slice(0, MAX_TITLE_LENGTH);
}

/** A title in quotes is taken as it is and never read for a date ("tomorrow 9:00 \"Monday prep\""). */
function quotedTitle(text: string): { title: string; rest: string } | undefined {
  const match = /"([^"]{1,200})"|“([^”]{1,200})”|‘([^’]{1,200})’/.exec(text);
  if (!match) return undefined;
  return { title: (match[1] ?? match[2] ?? match[3])!, rest: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}` };
}

/** One way of reading the text: which words are the time, which the length, what is left. */
interface Reading {
  start: DateTime;
  lengthMinutes: number | undefined;
  title: string | undefined;
  /** A date word left in the title: this reading missed part of the date. */
  strayDateWord: string | undefined;
  /** The wall-clock time does not exist that day (daylight saving time starts). */
  skipped: boolean;
  score: number;
}

/**
 * How well a reading explains the text: mostly the number of characters it understood as
 * time or length, then whether the result is a plausible meeting (office hours, at most a
 * working day long), then the person's own language as the last tie-break.
 */
function scoreOf(explained: number, start: DateTime, lengthMinutes: number | undefined, preferred: boolean, stray: boolean): number {
  let score = explained * 4;
  if (start.hour >= 7 && start.hour <= 21) score += 2;
  if (lengthMinutes === undefined || (lengthMinutes >= 5 && lengthMinutes <= 8 * 60)) score += 2;
  if (preferred) score += 1;
  if (stray) score -= 1000;
  return score;
}

function read(original: string, text: string, language: Language, length: LengthToken | undefined, now: DateTime, preferred: boolean): Reading | undefined {
  const prepared = language === 'nl' ? dutchClockPhrases(text) : text;
  const hits = parsers(language).parse(prepared, wallClock(now), { forwardDate: true }).filter((r) => r.start.isCertain('hour'));
  const hit = hits.sort((a, b) => b.text.length - a.text.length)[0];
  if (!hit) return undefined;
  const c = hit.start;
  const hour = meantHour(c.get('hour') ?? 0, hit.text);
  const minute = c.get('minute') ?? 0;
  let start: DateTime;
  if (c.isCertain('day') || c.isCertain('weekday')) {
    start = DateTime.fromObject({ year: c.get('year') ?? now.year, month: c.get('month') ?? now.month, day: c.get('day') ?? now.day, hour, minute }, { zone: now.zone });
  } else {
    // A time without a day is the next time the clock shows it: today, or else tomorrow.
    start = now.set({ hour, minute, second: 0, millisecond: 0 });
    if (start < now.startOf('minute')) start = start.plus({ days: 1 });
  }
  if (!start.isValid) return undefined;
  // The night the clocks go back, 02:00-02:59 happens twice: take the first, when it is first on the clock.
  const anHourEarlier = start.minus({ hours: 1 });
  if (anHourEarlier.hour === start.hour && anHourEarlier.minute === start.minute) start = anHourEarlier;
  // The night the clocks go forward, 02:00-02:59 does not exist; luxon would move it an hour.
  const skipped = start.hour !== hour || start.minute !== minute;
  const left = prepared.slice(0, hit.index) + ' ' + prepared.slice(hit.index + hit.text.length);
  const strayDateWord = dateWordIn(left);
  // Measured by what is left, so rewriting "14u" as "14:00" does not count as understanding more.
  const explained = original.length - left.replace(/\s+/g, '').length;
  return {
    start,
    lengthMinutes: length?.minutes,
    title: cleanTitle(left),
    strayDateWord,
    skipped,
    score: scoreOf(explained, start, length?.minutes, preferred, strayDateWord !== undefined),
  };
}

/**
 * Reads a start, a length and a title from free text in English or Dutch, whatever the
 * person's own language: both languages and every choice of length are tried, and the
 * reading that explains the most of the text wins ("morgen 9:30 1u Overleg" from a person
 * whose Slack is in English is tomorrow). A date word that no reading understood is never
 * dropped into the title silently: the text is refused with the word named. Refuses (with a
 * UserError whose message shows an example) text without a time of day, times in the past,
 * and lengths over the licence maximum.
 */
export function parseSchedule(text: string, options: ScheduleParseOptions): ParsedSchedule {
  // Control characters never belong in a title and confuse chrono's word boundaries.
  // eslint-disable-next-line no-control-regex
  const input = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (input.length > MAX_SCHEDULE_TEXT) throw new UserError('meetings.schedule.textTooLong', { limit: MAX_SCHEDULE_TEXT });
  const timeZone = zoneOrDefault(options.timeZone);
  const now = DateTime.fromJSDate(options.now).setZone(timeZone);
  const quoted = quotedTitle(input);
  const spelled = nextWeekWeekday(dayAfterTomorrow(quoted?.rest ?? input, now), now);
  const own = languageOf(options.locale);

  const compact = spelled.replace(/\s+/g, '');
  let best: Reading | undefined;
  for (const length of [undefined, ...lengthTokens(spelled)]) {
    for (const language of ['nl', 'en'] as const) {
      const reading = read(compact, length?.rest ?? spelled, language, length, now, language === own);
      if (reading && (!best || reading.score > best.score)) best = reading;
    }
  }
  if (!best) throw new UserError('meetings.schedule.noTime', { text: input.slice(0, 60) });
  if (best.strayDateWord && !quoted) throw new UserError('meetings.schedule.strayDate', { word: best.strayDateWord.slice(0, 40) });

  const { start } = best;
  if (best.skipped) throw new UserError('meetings.schedule.noSuchTime', { when: start.minus({ hours: 1 }).toFormat('yyyy-MM-dd HH:mm'), zone: timeZone });
  if (start < now.startOf('minute')) {
    throw new UserError('meetings.schedule.past', { when: start.toFormat('yyyy-MM-dd HH:mm'), zone: timeZone });
  }
  const lengthMinutes = best.lengthMinutes ?? options.defaultLengthMinutes ?? 30;
  if (lengthMinutes < WEBEX_MIN_MEETING_MINUTES) throw new UserError('meetings.schedule.badLength', { minimum: WEBEX_MIN_MEETING_MINUTES });
  // The licence's limit where it is the stricter one; else Webex's own, named as Webex's.
  const licenceLimit = options.maxLengthMinutes;
  if (licenceLimit !== undefined && licenceLimit < WEBEX_MAX_MEETING_MINUTES && lengthMinutes > licenceLimit) {
    throw new UserError('meetings.schedule.tooLong', { requested: lengthMinutes, limit: licenceLimit });
  }
  if (lengthMinutes > WEBEX_MAX_MEETING_MINUTES) throw new UserError('meetings.schedule.webexMaxLength', { requested: lengthMinutes, limit: WEBEX_MAX_MEETING_MINUTES });
  const title = quoted ? cleanTitle(quoted.title) : best.title;
  return {
    start: start.toJSDate(),
    end: start.plus({ minutes: lengthMinutes }).toJSDate(),
    lengthMinutes,
    timeZone,
    title,
  };
}
