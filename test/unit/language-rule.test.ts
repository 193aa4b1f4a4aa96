import { chooseLanguage, typedLanguage, type LanguageEvidence } from '../../core/i18n/language-rule';

// The one language rule (docs/i18n.md, "Which language"): the person's own platform setting,
// then the language of what they typed, then Dutch; the same on every surface.
const table: [string, LanguageEvidence, string, 'nl' | 'en'][] = [
  ['Teams activity locale en-US, Dutch words typed', { platformLocale: 'en-US', typed: { text: 'bel morgen de helpdesk' } }, 'en-US', 'en'],
  ['Teams activity locale nl-NL, English words typed', { platformLocale: 'nl-NL', typed: { text: 'call the helpdesk' } }, 'nl-NL', 'nl'],
  ['Slack users.info locale with an underscore', { platformLocale: 'nl_BE' }, 'nl-BE', 'nl'],
  ['Slack locale of another language: English catalogue', { platformLocale: 'de-DE' }, 'de-DE', 'en'],
  ['no platform setting, English typed', { typed: { text: 'meet tomorrow 14:00 Sprint review' } }, 'en-GB', 'en'],
  ['no platform setting, Dutch typed', { typed: { text: 'plan morgen 14:00 overleg' } }, 'nl-NL', 'nl'],
  ['Webex: no per-person locale, the parser recognised English', { platformLocale: undefined, typed: { language: 'en' } }, 'en-GB', 'en'],
  ['Webex: the parser recognised Dutch', { typed: { language: 'nl' } }, 'nl-NL', 'nl'],
  ['a bare number says nothing: Dutch', { typed: { text: '+31 20 123 4567' } }, 'nl-NL', 'nl'],
  ['nothing at all: Dutch', {}, 'nl-NL', 'nl'],
  ['a malformed platform locale is ignored', { platformLocale: 'en\u0000US', typed: { text: 'call Anna' } }, 'en-GB', 'en'],
];

describe('the language rule', () => {
  it.each(table)('%s', (_name, evidence, locale, language) => {
    expect(chooseLanguage(evidence)).toEqual({ locale, language });
  });

  it('reads no language from a tie or from words it does not know', () => {
    expect(typedLanguage('Anna de Vries call')).toBeUndefined();
    expect(typedLanguage('0612345678')).toBeUndefined();
    expect(typedLanguage('x'.repeat(100_000))).toBeUndefined();
  });
});
