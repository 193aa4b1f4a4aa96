// How the tab follows its host: Teams' theme and the person's locale and time zone. Pure
// functions without the DOM, so Node's tests check them too (test/teams/tab-look.test.ts).

/** The themes the tab has a look for; index.html styles `html.theme-<name>`. */
export type Theme = 'default' | 'dark' | 'contrast';

/**
 * Teams reports app.theme as "default", "dark", "contrast" or "glass" (@microsoft/teams-js
 * dts/public/app/app.d.ts, AppInfo.theme); anything else, and "glass" (a light translucent look),
 * gets the default look.
 */
export function themeOf(raw: string | null | undefined): Theme {
  return raw === 'dark' || raw === 'contrast' ? raw : 'default';
}

/** The class names on <html> that select a look, exactly one at a time. */
export const themeClasses = (theme: Theme): Record<string, boolean> =>
  ({ 'theme-default': theme === 'default', 'theme-dark': theme === 'dark', 'theme-contrast': theme === 'contrast' });

/**
 * Where the page learns its theme, locale and time zone: inside Teams from the context
 * (app.theme, app.locale as "nl-nl", app.osLocaleInfo.timezone as an IANA name); outside Teams
 * from the same names Teams substitutes into a tab's URL ({theme}, {locale}: Microsoft Learn,
 * "Get context for your tab", URL placeholders), then from the browser.
 */
export interface Surroundings { theme: Theme; locale: string; timeZone: string | undefined }

export function surroundings(
  context: { theme?: string | undefined; locale?: string | undefined; timeZone?: string | undefined } | undefined,
  query: URLSearchParams,
  browserLanguage: string | undefined,
): Surroundings {
  const locale = canonicalLocale(context?.locale) ?? canonicalLocale(query.get('locale')) ?? canonicalLocale(browserLanguage) ?? 'en';
  // Teams has no time-zone placeholder: outside Teams the device's zone applies.
  const timeZone = validTimeZone(context?.timeZone);
  return { theme: themeOf(context?.theme ?? query.get('theme')), locale, timeZone };
}

/** "nl-nl" (how Teams writes it) becomes "nl-NL"; something Intl does not take is ignored. */
function canonicalLocale(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    return Intl.getCanonicalLocales(raw)[0];
  } catch {
    return undefined;
  }
}

function validTimeZone(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * A call's moment as the person reads dates: their locale's order and words, in their time zone
 * (undefined: the device's). "1 dec 2026, 14:05" for nl-NL, "Dec 1, 2026, 2:05 PM" for en-US.
 */
export function callTime(locale: string, timeZone: string | undefined): (iso: string) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
  return (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}

/** The 3×4 telephone keypad (ITU-T E.161 letters), row by row. */
export const PAD_KEYS: readonly { key: string; letters: string }[] = [
  { key: '1', letters: '' }, { key: '2', letters: 'ABC' }, { key: '3', letters: 'DEF' },
  { key: '4', letters: 'GHI' }, { key: '5', letters: 'JKL' }, { key: '6', letters: 'MNO' },
  { key: '7', letters: 'PQRS' }, { key: '8', letters: 'TUV' }, { key: '9', letters: 'WXYZ' },
  { key: '*', letters: '' }, { key: '0', letters: '' }, { key: '#', letters: '' },
];

/**
 * Arrow-key movement in the pad's 3-column grid (WAI-ARIA APG, "Grid" keyboard interaction):
 * left/right along a row, up/down along a column, Home/End to the row's ends; stops at edges.
 */
export function padMove(index: number, key: string, count = PAD_KEYS.length, columns = 3): number {
  const row = Math.floor(index / columns) * columns;
  switch (key) {
    case 'ArrowRight': return index % columns < columns - 1 && index + 1 < count ? index + 1 : index;
    case 'ArrowLeft': return index % columns > 0 ? index - 1 : index;
    case 'ArrowDown': return index + columns < count ? index + columns : index;
    case 'ArrowUp': return index - columns >= 0 ? index - columns : index;
    case 'Home': return row;
    case 'End': return Math.min(row + columns, count) - 1;
    default: return index;
  }
}
