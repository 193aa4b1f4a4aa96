import { languageOf, normaliseLocale, type Language } from './index';

/**
 * Words that show which language a person typed in: een-bridge's own command words on every
 * surface (core/i18n en.ts and nl.ts help texts; webex-bot/command-parser.ts; the Teams and
 * Slack command lists), and the commonest short function words of each language. A word both
 * languages share ("help", "format", "trello", "in") is in neither list.
 */
const DUTCH = new Set([
  'bel', 'bellen', 'ophangen', 'hangop', 'recent', 'recente', 'gesprekken', 'vergader', 'vergadering', 'vergaderingen', 'plan', 'plannen',
  'annuleer', 'verbind', 'koppel', 'ontkoppel', 'hulp', 'abonneer', 'abonnementen', 'opzeggen', 'formaat', 'eigen-overslaan', 'belangrijk', 'kaart',
  'morgen', 'vandaag', 'overmorgen', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag', 'uur', 'minuten',
  'de', 'het', 'een', 'en', 'van', 'ik', 'je', 'jij', 'niet', 'met', 'om', 'voor', 'naar', 'wat', 'hoe', 'mijn', 'graag', 'alsjeblieft', 'bedankt', 'dag', 'hallo',
]);
const ENGLISH = new Set([
  'call', 'hang', 'hangup', 'up', 'calls', 'meet', 'meeting', 'meetings', 'schedule', 'cancel', 'connect', 'disconnect', 'subscribe', 'subscriptions', 'unsubscribe',
  'skip-own', 'important', 'card', 'tomorrow', 'today', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'hour', 'minutes',
  'the', 'a', 'an', 'and', 'of', 'i', 'you', 'not', 'with', 'at', 'for', 'to', 'what', 'how', 'my', 'please', 'thanks', 'hello', 'hi',
]);

/**
 * The language of what a person typed, when its words say so; undefined when they do not (no
 * known word, or as many of each). A phone number or a name alone says nothing.
 */
export function typedLanguage(text: string): Language | undefined {
  let nl = 0;
  let en = 0;
  for (const word of text.toLowerCase().slice(0, 2000).split(/[^\p{L}\p{N}-]+/u)) {
    if (DUTCH.has(word)) nl += 1;
    if (ENGLISH.has(word)) en += 1;
  }
  return nl > en ? 'nl' : en > nl ? 'en' : undefined;
}

/** What a surface knows about the language a person wants, gathered at its edge. */
export interface LanguageEvidence {
  /**
   * The person's own setting, where their platform gives one: Teams `locale` on the activity,
   * Slack's users.info `locale` (with include_locale); for Webex, which has no per-person
   * locale, the space's language setting.
   */
  platformLocale?: string | undefined;
  /** What they typed, or the language a surface's command parser recognised in it. */
  typed?: { text: string } | { language: Language } | undefined;
}

/** The locale een-bridge speaks when it only knows the language. */
const LOCALE_OF: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

/**
 * The one language rule, the same on every surface (docs/i18n.md, "Which language"): the
 * person's own platform setting where there is one, then the language of what they typed,
 * then Dutch (most people een-bridge serves are Dutch). Returns the locale to format dates and
 * numbers in and the language of the catalogue.
 */
export function chooseLanguage(evidence: LanguageEvidence): { locale: string; language: Language } {
  const own = normaliseLocale(evidence.platformLocale);
  if (own) return { locale: own, language: languageOf(own) };
  const typed = evidence.typed === undefined ? undefined : 'language' in evidence.typed ? evidence.typed.language : typedLanguage(evidence.typed.text);
  const language = typed ?? 'nl';
  return { locale: LOCALE_OF[language], language };
}
