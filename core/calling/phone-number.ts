import type * as Libphonenumber from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

let libphonenumber: typeof Libphonenumber | undefined;

/**
 * libphonenumber with its full metadata (86 modules, about 10 MB resident), loaded on the first
 * number parsed: core/index.ts re-exports calling, so a deployment with calling off (the Webex
 * bot alone) loaded it at start and never used it (issue 17, idle RSS with only the bot on).
 */
function phoneNumbers(): typeof Libphonenumber {
  // A synchronous lazy load: the parsers below are synchronous and called on every dial.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (libphonenumber ??= require('libphonenumber-js/max') as typeof Libphonenumber);
}
import { UserError } from '../errors';

/**
 * What a person asked to dial, checked and normalised. Numbers are E.164; a 2-6 digit number
 * is a `short` number until the enterprise directory or the administrator's extension plan
 * says it is an internal `extension` (Calling decides, issue 13: 1888 and 1850 are Dutch paid
 * information numbers, not colleagues); both are passed to BroadWorks as dialled. Emergency
 * numbers are recognised so that the dial policy can refuse them with the right advice.
 */
export type DialTarget =
  | {
      kind: 'number';
      /** +31612345678 */
      e164: string;
      /** ISO country, undefined for non-geographic ranges (+979, +882…). */
      country: string | undefined;
      /** Outside the home country. */
      international: boolean;
      premiumRate: boolean;
      /** How people of the home country write it: 06 12345678, +44 20 7946 0000. */
      display: string;
    }
  | { kind: 'extension'; extension: string; display: string }
  | { kind: 'short'; digits: string; display: string }
  | { kind: 'emergency'; number: string; display: string };

export const HOME_COUNTRY: CountryCode = 'NL';

/**
 * Emergency numbers that must never be click-dialled: a click-to-dial call rings the
 * caller's own device first and presents een-bridge's line, which loses the caller's
 * location. 112 is the EU number (also reachable as +31 112); 911 and 999 are there
 * because people type them from habit.
 */
const EMERGENCY = new Set(['112', '911', '999']);

/** E.164 allows 15 digits; anything much longer than that in text is not a number. */
const MAX_DIGITS = 15;
const MAX_INPUT = 64;
const SHORT_NUMBER = /^[1-9]\d{1,5}$/;
const ALLOWED = /^[\d\s+\-()./\u00a0]*$/;

/** True when the text has no letters, so "call …" treats it as a number, not a name. */
export function looksLikePhoneNumber(input: string): boolean {
  const text = stripTelUri(input.trim());
  return text.length > 0 && !/\p{L}/u.test(text) && /\d/.test(text);
}

/** Parses what a person typed (or a tel: URI) into a DialTarget, or says why not. */
export function parseDialTarget(input: string, home: CountryCode = HOME_COUNTRY): DialTarget {
  const raw = input.normalize('NFKC').trim();
  if (raw.length === 0) throw new UserError('calling.number.empty');
  if (raw.length > MAX_INPUT) throw new UserError('calling.number.tooLong', { length: raw.length });
  const text = stripTelUri(raw);
  if (/\p{L}/u.test(text)) throw new UserError('calling.number.letters', { input: shorten(text) });
  if (!ALLOWED.test(text)) {
    const bad = [...text].find((c) => !ALLOWED.test(c)) ?? '?';
    throw new UserError('calling.number.invalidCharacters', { character: bad });
  }
  // '+' only as the very first character; "0031" is the Dutch way to write it.
  if (text.indexOf('+') > 0) throw new UserError('calling.number.invalid', { input: shorten(text) });
  const digits = text.replace(/\D/g, '');
  if (digits.length === 0) throw new UserError('calling.number.empty');
  if (digits.length > MAX_DIGITS) throw new UserError('calling.number.tooLong', { length: digits.length });

  if (!text.startsWith('+') && EMERGENCY.has(digits)) return { kind: 'emergency', number: digits, display: digits };
  if (!text.startsWith('+') && SHORT_NUMBER.test(digits)) return { kind: 'short', digits, display: digits };

  const parsed = phoneNumbers().parsePhoneNumberFromString(text, home);
  if (parsed && parsed.countryCallingCode === '31' && EMERGENCY.has(parsed.nationalNumber)) {
    return { kind: 'emergency', number: parsed.nationalNumber, display: parsed.nationalNumber };
  }
  if (!parsed || !parsed.isValid()) throw new UserError('calling.number.invalid', { input: shorten(text) });
  const country = parsed.country;
  const international = country !== home;
  return {
    kind: 'number',
    e164: parsed.number,
    country,
    international,
    premiumRate: parsed.getType() === 'PREMIUM_RATE',
    display: international ? parsed.formatInternational() : parsed.formatNational(),
  };
}

/** Phone numbers found in free text (the "Call a number in this message" action). */
export function findPhoneNumbers(text: string, home: CountryCode = HOME_COUNTRY): DialTarget[] {
  const seen = new Set<string>();
  const found: DialTarget[] = [];
  for (const hit of phoneNumbers().findPhoneNumbersInText(text.slice(0, 10_000), home)) {
    try {
      const target = parseDialTarget(hit.number.number, home);
      const key = target.kind === 'number' ? target.e164 : target.display;
      if (!seen.has(key)) {
        seen.add(key);
        found.push(target);
      }
    } catch {
      // Not dialable on its own; the message may hold other numbers.
    }
  }
  return found;
}

/** The digits of a short number or extension, whatever it has been classified as so far. */
export function shortDigitsOf(target: DialTarget): string | undefined {
  return target.kind === 'short' ? target.digits : target.kind === 'extension' ? target.extension : undefined;
}

/** What BroadWorks gets as `address` in calls/new. */
export function xsiAddressOf(target: DialTarget): string {
  switch (target.kind) {
    case 'number':
      return target.e164;
    case 'extension':
      return target.extension;
    case 'short':
      return target.digits;
    case 'emergency':
      return target.number;
  }
}

/** RFC 3966: "tel:+31-20-1234567;phone-context=…"; parameters after ";" are dropped. */
function stripTelUri(text: string): string {
  const match = /^tel:([^;]*)(?:;.*)?$/i.exec(text);
  if (!match) return text;
  let body = match[1] ?? '';
  try {
    body = decodeURIComponent(body);
  } catch {
    // A broken %-escape stays as typed and is refused as an invalid character.
  }
  return body.replace(/-/g, ' ').trim();
}

function shorten(text: string): string {
  return text.length > 32 ? `${text.slice(0, 32)}…` : text;
}
