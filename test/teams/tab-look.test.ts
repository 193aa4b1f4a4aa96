import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { SANDBOX_TEAMS_MEMBERS, TeamsConnectorEmulator } from '../../sandbox/teams-connector/connector-emulator';
import { tabBundleFile } from '../../teams-app/tab/bundle-paths';
import { PAD_KEYS, callTime, padMove, surroundings, themeOf } from '../../teams-app/tab/browser/look';
import { DEFAULT_TOLERANCE, compareScreenshots, expectLikeReference, UPDATE } from '../helpers/screenshots';
import { startTestService, type TestService } from '../helpers/service';

// The tab's look in headless Chromium, per Teams theme and language: screenshots compared with the
// committed pictures in test/fixtures/tab-screenshots/ (UPDATE_SCREENSHOTS=1 rewrites them), and
// the accessibility a Teams app owes: names, keyboard, focus order and text contrast.
const executablePath = '/usr/bin/chromium';
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // The same pixels on every machine with the same fonts: no LCD text, no GPU rasteriser.
  '--disable-lcd-text', '--font-render-hinting=none', '--force-color-profile=srgb',
];
const REFERENCES = path.join(__dirname, '../fixtures/tab-screenshots');
const THEMES = ['default', 'dark', 'contrast'] as const;
const LANGUAGES = [{ lang: 'nl', locale: 'nl-NL' }, { lang: 'en', locale: 'en-US' }] as const;
/** The sandbox's call logs are seeded relative to "now": a fixed now gives fixed times on screen. */
const SEEDED_AT = Date.UTC(2026, 2, 2, 13, 30); // 2 March 2026, 14:30 in Amsterdam

jest.setTimeout(120_000);

describe('what the tab takes from Teams (pure functions of teams-app/tab/browser/look.ts)', () => {
  const none = new URLSearchParams();

  it('follows the Teams context theme; glass and unknown themes get the default look', () => {
    expect(['default', 'dark', 'contrast', 'glass', 'neon', undefined].map(themeOf)).toEqual(['default', 'dark', 'contrast', 'default', 'default', 'default']);
  });

  it('prefers the Teams context over the URL placeholders, and those over the browser', () => {
    const context = { theme: 'dark', locale: 'nl-nl', timeZone: 'Europe/Amsterdam' };
    expect(surroundings(context, new URLSearchParams('theme=contrast&locale=en-us'), 'en-US')).toEqual({ theme: 'dark', locale: 'nl-NL', timeZone: 'Europe/Amsterdam' });
    expect(surroundings(undefined, new URLSearchParams('theme=contrast&locale=nl-nl'), 'en-US')).toEqual({ theme: 'contrast', locale: 'nl-NL', timeZone: undefined });
    expect(surroundings(undefined, none, 'nl-BE')).toEqual({ theme: 'default', locale: 'nl-BE', timeZone: undefined });
    // Nonsense from a URL or a host is ignored, not thrown.
    expect(surroundings({ theme: 'x', locale: '%%', timeZone: 'Mars/Olympus' }, new URLSearchParams('locale=??'), undefined)).toEqual({ theme: 'default', locale: 'en', timeZone: undefined });
  });

  it('writes dates as the person reads them, in their time zone', () => {
    const at = new Date(SEEDED_AT).toISOString();
    expect(callTime('nl-NL', 'Europe/Amsterdam')(at)).toBe('2 mrt 2026, 14:30');
    expect(callTime('en-US', 'Europe/Amsterdam')(at)).toBe('Mar 2, 2026, 2:30 PM');
    expect(callTime('en-GB', 'Europe/London')(at)).toBe('2 Mar 2026, 13:30');
    expect(callTime('nl-NL', undefined)('not a date')).toBe('not a date');
  });

  it('lays the pad out 3×4 and moves through it like a grid', () => {
    expect(PAD_KEYS.map((k) => k.key).join('')).toBe('123456789*0#');
    expect(padMove(0, 'ArrowRight')).toBe(1);
    expect(padMove(2, 'ArrowRight')).toBe(2);
    expect(padMove(1, 'ArrowDown')).toBe(4);
    expect(padMove(10, 'ArrowDown')).toBe(10);
    expect(padMove(4, 'ArrowUp')).toBe(1);
    expect(padMove(3, 'ArrowLeft')).toBe(3);
    expect(padMove(4, 'Home')).toBe(3);
    expect(padMove(9, 'End')).toBe(11);
  });
});

describe('the Teams tab\'s look in headless Chromium (sandbox mode)', () => {
  let service: TestService;
  let browser: Browser;
  const connector = new TeamsConnectorEmulator();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(`${executablePath} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does it before npm test`);
    }
    if (!existsSync(tabBundleFile())) throw new Error(`${tabBundleFile()} is missing: run \`npm run build\` (npm test does it for you)`);
    const now = jest.spyOn(Date, 'now').mockReturnValue(SEEDED_AT);
    const xsi = new XsiEmulator({ alertingMs: 60_000 });
    now.mockRestore();
    service = await startTestService({ emulators: [xsi, connector] });
    browser = await chromium.launch({ executablePath, args });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  async function open(locale: string, theme: string, options: { forcedColors?: 'active'; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale, timezoneId: 'Europe/Amsterdam', viewport: { width: 960, height: 720 }, deviceScaleFactor: 1,
      reducedMotion: 'reduce', colorScheme: 'light', ...options,
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // teams-js asks Microsoft's CDN for its origins list: the test stays off the internet.
    await page.route('https://res.cdn.office.net/**', (route) => route.abort('internetdisconnected'));
    // Outside Teams the page reads the placeholders Teams fills into a tab URL ({theme}, {locale}).
    await page.goto(`${service.url}/tab/?theme=${theme}`);
    await page.locator('#recent li').nth(2).waitFor({ timeout: 10_000 });
    await page.locator('#me-line:not(:empty)').waitFor({ timeout: 10_000 });
    return { context, page };
  }

  /** A directory hit on screen too, then no focus ring, so the picture shows the resting page. */
  async function settle(page: Page): Promise<void> {
    await page.fill('#query', 'de groot');
    await page.click('#search-button');
    await page.locator('#hits li').first().waitFor({ timeout: 10_000 });
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.mouse.move(0, 0);
  }

  const shot = (page: Page) => page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });

  for (const { lang, locale } of LANGUAGES) {
    for (const theme of THEMES) {
      it(`looks as recorded in the ${theme} theme, in ${lang}`, async () => {
        const { context, page } = await open(locale, theme);
        try {
          expect(await page.getAttribute('html', 'class')).toBe(`theme-${theme}`);
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          await settle(page);
          await expectLikeReference(browser, await shot(page), path.join(REFERENCES, `${lang}-${theme}.png`));
        } finally {
          await context.close();
        }
      });
    }
  }

  it('looks as recorded on a phone (Teams mobile): one column', async () => {
    const { context, page } = await open('nl-NL', 'default', { viewport: { width: 375, height: 812 } });
    try {
      await settle(page);
      expect(await page.evaluate(`getComputedStyle(document.querySelector('main')).gridTemplateColumns.split(' ').length`)).toBe(1);
      await expectLikeReference(browser, await shot(page), path.join(REFERENCES, 'nl-default-phone.png'));
    } finally {
      await context.close();
    }
  });

  it('notices a changed look: another brand colour is beyond the tolerance, pale text below 4.5:1', async () => {
    if (UPDATE) return; // only the references are being rewritten
    const { context, page } = await open('en-US', 'default');
    try {
      await settle(page);
      const before = await shot(page);
      await page.addStyleTag({ content: 'html.theme-default { --colorBrandBackground: #c50f1f; }' });
      const after = await shot(page);
      const same = await compareScreenshots(browser, before, before);
      const changed = await compareScreenshots(browser, after, before);
      expect(same.changed).toBe(0);
      expect(changed.sameSize).toBe(true);
      expect(changed.share).toBeGreaterThan(DEFAULT_TOLERANCE.share);
      // …and the contrast check notices pale text.
      await page.addStyleTag({ content: 'html.theme-default { --colorNeutralForeground3: #c8c8c8; }' });
      const contrast = (await page.evaluate(CONTRAST_CHECK)) as { checked: number; low: string[] };
      expect(contrast.low).toContain('ABC 1.67:1');
    } finally {
      await context.close();
    }
  });

  it('shows dates in the person\'s locale and Amsterdam time, and the line they call from', async () => {
    for (const { locale, expected, line } of [
      { locale: 'nl-NL', expected: '2 mrt 2026, 13:30', line: 'Lijn +31201234501' },
      { locale: 'en-US', expected: 'Mar 2, 2026, 1:30 PM', line: 'Line +31201234501' },
    ]) {
      const { context, page } = await open(locale, 'default');
      try {
        // The newest seeded call is an hour before SEEDED_AT (sandbox/broadworks-xsi/xsi-emulator.ts).
        expect(await page.locator('#recent time').first().textContent()).toBe(expected);
        expect(await page.textContent('#me-line')).toBe(line);
        expect(await page.locator('body').textContent()).not.toMatch(/Not linked|Niet gekoppeld/);
      } finally {
        await context.close();
      }
    }
  });

  for (const theme of THEMES) {
    it(`is usable by keyboard and screen reader in the ${theme} theme, with text contrast of at least 4.5:1`, async () => {
      const { context, page } = await open('nl-NL', theme);
      try {
        await settle(page);
        // Every button has an accessible name; the pad is a labelled 3×4 group of keys.
        const unnamed = (await page.evaluate(`[...document.querySelectorAll('button')]
          .filter((b) => !b.hidden && !(b.getAttribute('aria-label') || b.textContent || '').trim())
          .map((b) => b.outerHTML.slice(0, 80))`)) as string[];
        expect(unnamed).toEqual([]);
        // (A key whose visible text differs from its name, "*" named "* sterretje", shows both: the name counts.)
        expect((await page.locator('#pad').ariaSnapshot()).split('\n').map((l) => l.replace(/: "[^"]*"$/, '')).join('\n')).toBe([
          '- group "Kiestoetsen":',
          ...['1', '2 ABC', '3 DEF', '4 GHI', '5 JKL', '6 MNO', '7 PQRS', '8 TUV', '9 WXYZ', '* sterretje', '0', '# hekje'].map((n) => `  - button "${n}"`),
        ].join('\n'));
        const columns = (await page.evaluate(`getComputedStyle(document.getElementById('pad')).gridTemplateColumns.split(' ').length`)) as number;
        expect(columns).toBe(3);
        expect(await page.getByLabel('Nummer', { exact: true }).count()).toBe(1);
        expect(await page.getAttribute('#status', 'role')).toBe('status');
        // The search button shows a drawn icon, not a character a font may lack.
        expect(await page.locator('#search-button svg').count()).toBe(1);
        expect((await page.textContent('#search-button'))?.trim()).toBe('');

        // Focus order: number, delete, the pad as one stop, Call, search field, Search, the lists' Call buttons.
        // A click on the heading puts the start of sequential focus navigation at the top.
        await page.click('#title');
        const order: string[] = [];
        for (let i = 0; i < 7; i++) {
          await page.keyboard.press('Tab');
          order.push((await page.evaluate(`(() => { const e = document.activeElement; return e.id || e.getAttribute('aria-label') || e.tagName; })()`)) as string);
        }
        expect(order).toEqual(['number', 'backspace', '1', 'call', 'query', 'search-button', 'Bel Bram de Groot']);

        // Arrow keys move through the pad, Enter and Space press, typing a digit presses its key.
        await page.fill('#number', '');
        await page.locator('#pad button').first().focus();
        const focused = () => page.evaluate(`document.activeElement.getAttribute('aria-label')`);
        await page.keyboard.press('ArrowRight');
        expect(await focused()).toBe('2 ABC');
        await page.keyboard.press('ArrowDown');
        expect(await focused()).toBe('5 JKL');
        await page.keyboard.press('End');
        expect(await focused()).toBe('6 MNO');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Space');
        await page.keyboard.type('020');
        expect(await focused()).toBe('0');
        await page.keyboard.press('ArrowRight');
        expect(await focused()).toBe('# hekje');
        await page.keyboard.press('Enter');
        expect(await page.inputValue('#number')).toBe('66020#');
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement.id')).toBe('call');

        // A refused number puts an error in the live region: it is checked for contrast too.
        await page.fill('#number', '112');
        await page.click('#call');
        await page.locator('#status.error', { hasText: 'Bel 112 rechtstreeks' }).waitFor({ timeout: 10_000 });
        // Text contrast from computed styles: each text's colour against the first opaque background behind it.
        const contrast = (await page.evaluate(CONTRAST_CHECK)) as { checked: number; low: string[] };
        expect(contrast.low).toEqual([]);
        // Headings, labels, keys, letters, names, times, buttons: the check saw the whole page.
        expect(contrast.checked).toBeGreaterThan(40);
      } finally {
        await context.close();
      }
    });
  }

  it('keeps its text readable under forced colours (Windows high contrast)', async () => {
    const { context, page } = await open('en-US', 'contrast', { forcedColors: 'active' });
    try {
      const contrast = (await page.evaluate(CONTRAST_CHECK)) as { checked: number; low: string[] };
      expect(contrast.low).toEqual([]);
      expect(contrast.checked).toBeGreaterThan(40);
    } finally {
      await context.close();
    }
  });

  /**
   * A stand-in for the Teams web client at https://teams.microsoft.com: it frames the tab and
   * answers teams-js over postMessage as a host does (teams-js src/internal/communication.ts:
   * requests {id, uuidAsString, func, args}, responses {id, uuidAsString, args}; "initialize"
   * answers [frameContext, hostClientType, runtimeConfig, clientSupportedSDKVersion]; "getContext"
   * a legacy context that app.getContext maps to context.app.theme/locale/osLocaleInfo; a message
   * {func: "themeChange", args: [theme]} is how the host reports a theme switch). The tab is served
   * as https://een.example so that both are https pages, as in Teams.
   */
  async function inTeams(token: string, theme: string): Promise<{ context: BrowserContext; page: Page; served: string[] }> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Amsterdam', viewport: { width: 960, height: 720 } });
    await context.route('https://res.cdn.office.net/**', (route) => route.abort('internetdisconnected'));
    const served: string[] = [];
    await context.route('https://een.example/**', async (route) => {
      const url = new URL(route.request().url());
      served.push(url.pathname);
      await route.fulfill({ response: await route.fetch({ url: `${service.url}${url.pathname}${url.search}` }) });
    });
    const legacyContext = {
      theme, locale: 'nl-nl', frameContext: 'content', hostName: 'Teams', hostClientType: 'web',
      osLocaleInfo: { platform: 'windows', regionalFormat: 'nl-nl', shortDate: 'd-M-yyyy', longDate: 'dddd d MMMM yyyy', shortTime: 'HH:mm', longTime: 'HH:mm:ss', timezone: 'Asia/Tokyo' },
    };
    const host = `<!doctype html><html><body style="margin:0">
      <iframe id="tab" src="https://een.example/tab/" style="width:960px;height:700px;border:0"></iframe>
      <script>
        const answers = {
          initialize: () => ['content', 'web', JSON.stringify({ apiVersion: 4, supports: { app: {}, pages: {} } }), '2.58.0'],
          getContext: () => [${JSON.stringify(legacyContext)}],
          'authentication.getAuthToken': () => [true, ${JSON.stringify(token)}],
        };
        window.asked = [];
        window.addEventListener('message', (e) => {
          const m = e.data;
          if (!m || typeof m.func !== 'string' || typeof m.id !== 'number') return;
          window.asked.push(m.func);
          const answer = answers[m.func];
          if (answer) e.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args: answer() }, e.origin);
        });
        window.switchTheme = (theme) => document.getElementById('tab').contentWindow.postMessage({ func: 'themeChange', args: [theme] }, 'https://een.example');
      </script></body></html>`;
    await context.route('https://teams.microsoft.com/een-host', (route) => route.fulfill({ contentType: 'text/html', body: host }));
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto('https://teams.microsoft.com/een-host');
    return { context, page, served };
  }

  it('takes theme, language and time zone from the Teams context, and follows a theme change', async () => {
    const token = await connector.signTabToken(SANDBOX_TEAMS_MEMBERS[0]!);
    const { context, page, served } = await inTeams(token, 'dark');
    try {
      const tab = page.frameLocator('#tab');
      await tab.locator('#recent li').nth(2).waitFor({ timeout: 15_000 });
      const frame = page.frames().find((f) => f.url().startsWith('https://een.example/'))!;
      // Dark and Dutch from the context, though the browser says English; times in Tokyo (+9), not Amsterdam.
      expect(await frame.getAttribute('html', 'class')).toBe('theme-dark');
      expect(await frame.getAttribute('html', 'lang')).toBe('nl');
      expect(await tab.locator('#call').textContent()).toBe('Bel');
      expect(await tab.locator('#recent time').first().textContent()).toBe('2 mrt 2026, 21:30');
      // Signed in with the host's SSO token, not the sandbox's token endpoint.
      expect(await page.evaluate('window.asked')).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken', 'registerHandler']));
      expect(served).toContain('/api/tab/recent');
      expect(served).not.toContain('/sandbox/teams/tab/token');
      await page.evaluate('window.switchTheme("contrast")');
      await tab.locator('html.theme-contrast').waitFor({ state: 'attached', timeout: 5000 });
      expect(await frame.getAttribute('html', 'class')).toBe('theme-contrast');
    } finally {
      await context.close();
    }
  });

  it('tells a person without a line so, lists no calls for them, and keeps that readable', async () => {
    const stranger = await connector.signTabToken({ ...SANDBOX_TEAMS_MEMBERS[0]!, aadObjectId: '6d3f1f5e-0000-4000-8000-0000000000fe', email: 'nobody@elsewhere.example', name: 'Nobody' });
    for (const theme of THEMES) {
      const { context, page } = await inTeams(stranger, theme);
      try {
        const tab = page.frameLocator('#tab');
        await tab.locator('#me-line.warning').waitFor({ timeout: 15_000 });
        expect(await tab.locator('#me-line').textContent()).toBe('Niet gekoppeld aan een KPN EEN-lijn');
        expect(await tab.locator('#recent').textContent()).toBe('Geen recente gesprekken.');
        const frame = page.frames().find((f) => f.url().startsWith('https://een.example/'))!;
        const contrast = (await frame.evaluate(CONTRAST_CHECK)) as { checked: number; low: string[] };
        expect(contrast.low).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  it('ran without script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

/**
 * WCAG 2.2 contrast ratio (SC 1.4.3, "relative luminance" and "contrast ratio" definitions) of
 * every visible element's own text against the first ancestor background that is not transparent.
 * Returns how many texts it checked and those below 4.5:1.
 */
const CONTRAST_CHECK = `(() => {
  const rgba = (s) => { const m = s.match(/[\\d.]+/g) || []; return [+m[0], +m[1], +m[2], m[3] === undefined ? 1 : +m[3]]; };
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0) return c; } return [255, 255, 255, 1]; };
  const low = [];
  let checked = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
    if (!own || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    checked++;
    const fg = rgba(getComputedStyle(el).color), bg = background(el);
    const a = lum(fg) + 0.05, b = lum(bg) + 0.05;
    const ratio = Math.max(a, b) / Math.min(a, b);
    if (ratio < 4.5) low.push(own.slice(0, 40) + ' ' + ratio.toFixed(2) + ':1');
  }
  return { checked, low };
})()`;
