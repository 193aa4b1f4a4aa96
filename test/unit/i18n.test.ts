import { languageOf, translate } from '../../core';
import { en } from '../../core/i18n/en';
import { nl } from '../../core/i18n/nl';

describe('the message catalogue', () => {
  it.each([
    ['nl', 'nl'], ['nl-NL', 'nl'], ['nl_BE', 'nl'], ['NL-nl', 'nl'],
    ['en-US', 'en'], ['de-DE', 'en'], ['', 'en'], [undefined, 'en'], ['nld', 'en'],
  ])('speaks %p as %p', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });

  it('fills placeholders in the user\'s language', () => {
    expect(translate('nl-NL', 'http.bodyTooLarge', { limit: 10 })).toBe('Het verzoek is groter dan 10 bytes.');
    expect(translate('en-GB', 'http.bodyTooLarge', { limit: 10 })).toBe('The request body is larger than 10 bytes.');
  });

  const sameInBoth = new Set<string>(['reply.attribution']);
  it('has the same placeholders in Dutch and English for every key', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, nl: placeholders(nl[key]) }).toEqual({ key, nl: placeholders(en[key]) });
      // Single words may be the same in both ("Status", "Premium"); sentences must be translated.
      // "Anna de Vries via Webex:" reads the same in Dutch ("via" is Dutch too).
      if (en[key].split(' ').length > 2 && !sameInBoth.has(key)) expect({ key, nl: nl[key] }).not.toEqual({ key, nl: en[key] });
    }
  });

  it('asks a Teams user to connect Webex without naming an app the organisation may have switched off', () => {
    // One connection serves every surface; Slack (or Teams) may be off in this deployment.
    for (const catalogue of [en, nl]) expect(catalogue['teams.meeting.connectPrompt']).not.toMatch(/Slack/);
  });
});
