import type { Catalogue, MessageKey, MessageParams } from './catalogue';
import { en } from './en';
import { nl } from './nl';

export type { Catalogue, MessageKey, MessageParams } from './catalogue';
export type Language = 'nl' | 'en';

const catalogues: Record<Language, Catalogue> = { en, nl };

/** Dutch for any `nl*` locale (nl, nl-NL, nl-BE, nl_NL), English otherwise. */
export function languageOf(locale: string | undefined | null): Language {
  return locale && /^nl(?:[-_]|$)/i.test(locale.trim()) ? 'nl' : 'en';
}

export function translate(locale: string | undefined | null, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogues[languageOf(locale)][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The locale a user gets when their system tells none (the users table's default). */
export const DEFAULT_LOCALE = 'nl-NL';

/**
 * A locale tag as een-bridge stores and shows it, or undefined when `raw` is not one. The
 * shape is BCP 47's language-region subset (RFC 5646 §2.1: a 2-3 letter language, then up to
 * three 1-8 character subtags), with Slack's `nl_NL` spelling accepted; anything else, such as
 * a Teams `locale` carrying control characters, is refused at the edge and never stored.
 */
export function normaliseLocale(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 35) return undefined;
  const tag = raw.trim().replace(/_/g, '-');
  return /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/.test(tag) ? tag : undefined;
}
