import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { SANDBOX_TEAMS_MEMBERS, TeamsConnectorEmulator } from '../../sandbox/teams-connector/connector-emulator';
import { tabBundleFile } from '../../teams-app/tab/bundle-paths';
import { startTestService, type TestService } from '../helpers/service';

// The personal tab in a real (headless) Chromium: the esbuild bundle with teams-js runs in the
// page, finds no Teams host, signs in through the sandbox and drives the sandbox XSI.
const executablePath = '/usr/bin/chromium';
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

interface LoggedRequest { method: string; path: string; query: Record<string, string> }

jest.setTimeout(60_000);

describe('the Teams personal tab in headless Chromium (sandbox mode)', () => {
  let service: TestService;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const cdnRequests: string[] = [];

  beforeAll(async () => {
    // Never skipped: a machine without the browser fails here, saying how to get it.
    if (!existsSync(executablePath)) {
      throw new Error(`${executablePath} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does it before npm test`);
    }
    if (!existsSync(tabBundleFile())) throw new Error(`${tabBundleFile()} is missing: run \`npm run build\` (npm test does it for you)`);
    service = await startTestService({ emulators: [new XsiEmulator({ alertingMs: 1500, activeMs: 60_000 }), new TeamsConnectorEmulator()] });
    // launch() gives Chromium a new, empty user-data-dir of its own (a fresh mkdtemp profile,
    // removed on close); Playwright refuses a --user-data-dir argument with launch().
    browser = await chromium.launch({ executablePath, args });
    const context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      const where = msg.location().url;
      // The CDN request is the one this test aborts; a browser's favicon probe is not the page's.
      if (msg.type() === 'error' && !where.startsWith('https://res.cdn.office.net/') && !where.endsWith('/favicon.ico')) pageErrors.push(`${msg.text()} @ ${where}`);
    });
    // teams-js fetches its valid-origins list from Microsoft's CDN when it loads: the test stays
    // off the internet, and teams-js then uses the list it carries.
    await page.route('https://res.cdn.office.net/**', (route) => {
      cdnRequests.push(route.request().url());
      return route.abort('internetdisconnected');
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  /** Waits until the element's text matches (the test code has no DOM types: Node runs it). */
  const shows = (selector: string, text: RegExp) => page.locator(selector, { hasText: text }).waitFor({ timeout: 10_000 });
  const xsiLog = async () => ((await (await fetch(`${service.url}/sandbox/xsi/_log`)).json()) as { requests: LoggedRequest[] }).requests;

  it('opens outside Teams and signs in with the sandbox-signed token', async () => {
    const res = await page.goto(`${service.url}/tab/`);
    expect(res?.status()).toBe(200);
    // The signed-in person comes from /api/tab/me, so the sandbox-signed SSO token was accepted.
    const who = SANDBOX_TEAMS_MEMBERS[0]!.name;
    await shows('#me-name', new RegExp(`^${who}$`));
    // teams-js ran in the page (it asked for its origins list) and found no Teams host.
    expect(cdnRequests).toEqual(['https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json']);
    expect(await page.textContent('#call')).toBe('Call');
    // The bundle is the page's only script, and it is not teams-js's UMD file.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.getAttribute('script', 'src')).toBe('tab.js');
    expect(await page.evaluate('"microsoftTeams" in window')).toBe(false);
  });

  it('dials on the pad, places the call through XSI and shows its status', async () => {
    // The pad's keys are named as they read: "2 ABC", "0"…
    const key = (digit: string) => page.locator('#pad').getByRole('button', { name: new RegExp(`^${digit}( |$)`) });
    for (const digit of '0201234567') await key(digit).click();
    expect(await page.inputValue('#number')).toBe('0201234567');
    await page.click('#call');

    await shows('#status', /^Your phone is ringing… 020 123 4567$/);
    const placed = (await xsiLog()).filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));
    expect(placed.map((r) => r.query)).toEqual([{ address: '+31201234567' }]);
    // The page polls the call: the emulated phone answers after 1.5 s.
    await shows('#status', /^Connected$/);
    expect(await page.isVisible('#hangup')).toBe(true);

    await page.click('#hangup');
    await shows('#status', /^Call ended$/);
    expect((await xsiLog()).filter((r) => r.method === 'DELETE' && r.path.includes('/calls/'))).toHaveLength(1);
  });

  it('searches the directory and lists the hits with a Call button', async () => {
    await page.fill('#query', 'de groot');
    await page.click('#search-button');
    const hit = page.locator('#hits li');
    await hit.first().waitFor({ timeout: 10_000 });
    expect(await hit.count()).toBe(1);
    expect(await hit.first().textContent()).toContain('Bram de Groot');
    expect(await hit.first().locator('button').textContent()).toBe('Call');
    expect((await xsiLog()).some((r) => r.method === 'GET' && r.path.endsWith('/directories/Enterprise'))).toBe(true);
  });

  it('speaks Dutch to a Dutch browser and refuses 112 without calling', async () => {
    const context = await browser.newContext({ locale: 'nl-NL' });
    try {
      const dutch = await context.newPage();
      await dutch.route('https://res.cdn.office.net/**', (route) => route.abort('internetdisconnected'));
      await dutch.goto(`${service.url}/tab/`);
      await dutch.locator('#me-name', { hasText: /^Anna de Vries$/ }).waitFor({ timeout: 10_000 });
      expect(await dutch.textContent('#call')).toBe('Bel');
      expect(await dutch.getAttribute('html', 'lang')).toBe('nl');
      const before = (await xsiLog()).length;
      for (const digit of '112') await dutch.locator('#pad').getByRole('button', { name: new RegExp(`^${digit}( |$)`) }).click();
      await dutch.click('#call');
      await dutch.locator('#status.error', { hasText: 'Bel 112 rechtstreeks' }).waitFor({ timeout: 10_000 });
      expect((await xsiLog()).slice(before).filter((r) => r.path.endsWith('/calls/new'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('ran without script errors (CSP included), from exactly the build\'s bundle', async () => {
    expect(pageErrors).toEqual([]);
    const served = Buffer.from(await (await fetch(`${service.url}/tab/tab.js`)).arrayBuffer());
    expect(served.equals(readFileSync(tabBundleFile()))).toBe(true);
  });
});
