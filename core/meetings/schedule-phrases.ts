import { DateTime } from 'luxon';

/**
 * The ways Dutch and English speakers write a meeting's time that chrono-node (2.x) does not
 * read by itself, rewritten into forms it does read, and the words that mean a date: a
 * reading that leaves one of them in the title has not understood the text.
 */

/** A time in Dutch shorthand: `14u`, `14u30`, `9.30u`, `14:00 uur` (the "uur" is redundant). */
const dutchShortTime = /(?<![\d:.])(\d{1,2})(?:[.:](\d{2}))?\s*u(?:ur)?(\d{2})?(?![a-z\d])/gi;

const weekdays: Record<string, number> = {
  monday: 1, mon: 1, maandag: 1, ma: 1,
  tuesday: 2, tue: 2, tues: 2, dinsdag: 2, di: 2,
  wednesday: 3, wed: 3, woensdag: 3, wo: 3,
  thursday: 4, thu: 4, thurs: 4, donderdag: 4, do: 4,
  friday: 5, fri: 5, vrijdag: 5, vr: 5,
  saturday: 6, sat: 6, zaterdag: 6, za: 6,
  sunday: 7, sun: 7, zondag: 7, zo: 7,
};
const weekdayNames = Object.keys(weekdays).filter((w) => w.length > 2).join('|');

/**
 * Rewrites Dutch clock phrases chrono's Dutch parser misses: "half 3" is 2:30 (Dutch counts
 * the half hour towards the next hour), "kwart over 2" 2:15, "kwart voor 3" 2:45, and the
 * shorthand `14u`/`14u30`. Only called on a reading in which these words are the time.
 */
export function dutchClockPhrases(text: string): string {
  return text
    .replace(/\bhalf\s+(\d{1,2})\b/gi, (_, h: string) => `${(Number(h) + 23) % 24}:30`)
    .replace(/\bkwart\s+over\s+(\d{1,2})\b/gi, (_, h: string) => `${Number(h) % 24}:15`)
    .replace(/\bkwart\s+voor\s+(\d{1,2})\b/gi, (_, h: string) => `${(Number(h) + 23) % 24}:45`)
    .replace(dutchShortTime, (whole, h: string, m1?: string, m2?: string) => {
      const hour = Number(h);
      const minute = Number(m1 ?? m2 ?? 0);
      return hour < 24 && minute < 60 ? `${hour}:${String(minute).padStart(2, '0')}` : whole;
    });
}

/**
 * "next week Tuesday" / "volgende week dinsdag" is the Tuesday of the next calendar week
 * (ISO weeks start on Monday, as in the Netherlands), whatever today is; chrono reads it as
 * the next Tuesday, which from a Monday is this week's. Spelled as an ISO date instead.
 */
export function nextWeekWeekday(text: string, today: DateTime): string {
  const pattern = new RegExp(`\\b(?:next\\s+week|volgende\\s+week)\\s+(?:on\\s+|op\\s+)?(${weekdayNames})\\b|\\b(${weekdayNames})\\s+(?:next\\s+week|volgende\\s+week)\\b`, 'gi');
  return text.replace(pattern, (_, a?: string, b?: string) => {
    const day = weekdays[(a ?? b ?? '').toLowerCase()]!;
    return today.startOf('week').plus({ weeks: 1, days: day - 1 }).toISODate() ?? '';
  });
}

/** "overmorgen" / "the day after tomorrow", which chrono's parsers miss, as an ISO date. */
export function dayAfterTomorrow(text: string, today: DateTime): string {
  return text.replace(/\b(?:overmorgen|(?:the\s+)?day\s+after\s+tomorrow)\b/gi, today.plus({ days: 2 }).toISODate() ?? '');
}

/** Words that put a time in the afternoon or evening ("vanmiddag 3 uur" is 15:00). */
const laterInTheDay = /(middag|avond|afternoon|evening|tonight|\bpm\b|p\.m\.)/i;
/** Words that keep an early hour in the morning ("morgenochtend 6 uur"). */
const earlyInTheDay = /(ochtend|morgens|nacht|morning|night|\bam\b|a\.m\.)/i;

/**
 * The hour a person meant: chrono reads "vanavond 8 uur" as 08:00. With an afternoon or
 * evening word an hour before noon is moved to the afternoon; without any part-of-day word,
 * an hour from 1 to 6 is taken as the afternoon too ("om 3 uur", "half 3"), because nobody
 * schedules a Webex meeting at 3 at night by saying "3" (but "03:00" means it).
 */
export function meantHour(hour: number, timeText: string): number {
  if (hour >= 12) return hour;
  if (laterInTheDay.test(timeText)) return hour + 12;
  // "04:00" is written on a 24-hour clock on purpose; "4:00" and "4 uur" are not.
  const twentyFourHour = /(?<!\d)0\d[:.]\d{2}/.test(timeText);
  if (hour >= 1 && hour <= 6 && !twentyFourHour && !earlyInTheDay.test(timeText)) return hour + 12;
  return hour;
}

/** Words that mean a day or a time; left in a title they show a misreading. */
const dateWords = new RegExp(
  `\\b(${[
    'today', 'tomorrow', 'tonight', 'yesterday', 'noon', 'midnight', 'next', 'week',
    'vandaag', 'morgen', 'overmorgen', 'vanavond', 'vanmiddag', 'vanochtend', 'morgenochtend', 'morgenmiddag', 'morgenavond', 'gisteren', 'volgende', 'volgend',
    'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
    'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag',
  ].join('|')})\\b`,
  'i',
);

/** The first date word in a would-be title, if any. */
export function dateWordIn(text: string): string | undefined {
  return dateWords.exec(text)?.[1];
}
