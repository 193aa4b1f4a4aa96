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
