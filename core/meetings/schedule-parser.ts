import * as chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';
import { UserError } from '../errors';
import { languageOf } from '../i18n';

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
/** Webex refuses titles over 128 characters (Create a Meeting, `title`). */
export const MAX_TITLE_LENGTH = 128;
/** Longer text is refused before chrono sees it: its cost grows with the input. */
export const MAX_SCHEDULE_TEXT = 300;

// "30m", "1u", "2h", "1h30", "1,5 uur", "for 45 minutes", "voor 45 minuten". Preceded by
// whitespace so the "00" of "14:00" and the "10" of "10am" never count as a length.
const lengthPattern =
  /(?:^|\s)(?:(?:for|voor|duur|duration)\s+)?(\d{1,4}(?:[.,]\d{1,2})?)\s*(minutes|minute|minuten|minuut|mins|min|m|hours|hour|hrs|hr|h|uren|uur|u)(?:\s*(\d{1,2})\s*(?:m|min)?)?(?=\s|$)/i;

function readLength(text: string): { minutes: number; rest: string } | undefined {
  const match = lengthPattern.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]!.replace(',', '.'));
  const unit = match[2]!.toLowerCase();
  const hours = /^(h|hr|hrs|hour|hours|u|uur|uren)$/.test(unit);
  const minutes = Math.round(hours ? amount * 60 + Number(match[3] ?? 0) : amount);
  return { minutes, rest: `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}` };
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

function parsers(locale: string | undefined): chrono.Chrono[] {
  return languageOf(locale) === 'nl' ? [chrono.nl.casual, chrono.en.casual] : [chrono.en.casual, chrono.nl.casual];
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

/**
 * Reads a start, a length and a title from free text in English or Dutch. Refuses (with a
 * UserError whose message shows an example) text without a time of day, times in the
 * past, and lengths over the licence maximum.
 */
export function parseSchedule(text: string, options: ScheduleParseOptions): ParsedSchedule {
  // Control characters never belong in a title and confuse chrono's word boundaries.
  // eslint-disable-next-line no-control-regex
  const input = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (input.length > MAX_SCHEDULE_TEXT) throw new UserError('meetings.schedule.textTooLong', { limit: MAX_SCHEDULE_TEXT });
  const timeZone = zoneOrDefault(options.timeZone);
  const now = DateTime.fromJSDate(options.now).setZone(timeZone);

  const length = readLength(input);
  // chrono's Dutch parser has no "overmorgen"; spell it as the date it means.
  const dayAfterTomorrow = now.plus({ days: 2 }).toISODate() ?? '';
  const remainder = (length?.rest ?? input).replace(/\b(?:overmorgen|the day after tomorrow|day after tomorrow)\b/gi, dayAfterTomorrow);
  const reference = wallClock(now);
  let found: chrono.ParsedResult | undefined;
  for (const parser of parsers(options.locale)) {
    const hit = parser.parse(remainder, reference, { forwardDate: true }).find((r) => r.start.isCertain('hour'));
    if (hit) {
      found = hit;
      break;
    }
  }
  if (!found) throw new UserError('meetings.schedule.noTime', { text: input.slice(0, 60) });

  const c = found.start;
  const start = DateTime.fromObject(
    {
      year: c.get('year') ?? now.year,
      month: c.get('month') ?? now.month,
      day: c.get('day') ?? now.day,
      hour: c.get('hour') ?? 0,
      minute: c.get('minute') ?? 0,
    },
    { zone: timeZone },
  );
  if (!start.isValid) throw new UserError('meetings.schedule.noTime', { text: input.slice(0, 60) });
  if (start < now.startOf('minute')) {
    throw new UserError('meetings.schedule.past', { when: start.toFormat('yyyy-MM-dd HH:mm'), zone: timeZone });
  }

  const lengthMinutes = length?.minutes ?? options.defaultLengthMinutes ?? 30;
  if (lengthMinutes < 1) throw new UserError('meetings.schedule.badLength', {});
  if (options.maxLengthMinutes !== undefined && lengthMinutes > options.maxLengthMinutes) {
    throw new UserError('meetings.schedule.tooLong', { requested: lengthMinutes, limit: options.maxLengthMinutes });
  }
  const title = cleanTitle(remainder.slice(0, found.index) + ' ' + remainder.slice(found.index + found.text.length));
  return {
    start: start.toJSDate(),
    end: start.plus({ minutes: lengthMinutes }).toJSDate(),
    lengthMinutes,
    timeZone,
    title,
  };
}
