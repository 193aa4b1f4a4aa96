import { readFileSync } from 'node:fs';
import { consoleBundleFile } from '../../console/bundle-paths';
import { SANDBOX_CONSOLE_CLIENT_ID, SANDBOX_CONSOLE_CLIENT_SECRET, SANDBOX_CONSOLE_TENANT_ID } from '../../sandbox/entra-id/entra-emulator';
import { CookieJar, signInAs, visit } from '../helpers/console';
import { startTestService, type TestService } from '../helpers/service';

jest.setTimeout(60_000);

const ADMIN = 'fatima.elamrani@sandbox.kpneen.nl';
const NOT_ADMIN = 'pieter.bakker@sandbox.kpneen.nl';
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the console in sandbox mode', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service?.dispose());
  const url = (path: string) => `${service.url}${path}`;

  describe('the page at /', () => {
    it.each([
      ['nl-NL,nl;q=0.9,en;q=0.8', 'nl'],
      ['en-GB,en;q=0.9', 'en'],
      ['fr-FR, nl;q=0.5, en;q=0.4', 'nl'],
      ['en;q=0.2, nl-BE;q=0.8', 'nl'],
      ['de-DE', 'en'],
      [undefined, 'en'],
    ])('speaks the language of Accept-Language %s (%s)', async (header, lang) => {
      const res = await fetch(url('/'), { headers: header ? { 'accept-language': header } : {} });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-language')).toBe(lang);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(lang === 'nl' ? 'Speeltuin' : 'Playground');
    });

    it('switches language with ?lang= and remembers it in a cookie', async () => {
      const jar = new CookieJar();
      const switched = await visit(jar, url('/?lang=nl'), { headers: { 'accept-language': 'en-US' } });
      expect(await switched.text()).toContain('<html lang="nl">');
      expect(switched.headers.getSetCookie()[0]).toMatch(/^een_console_lang=nl; Path=\/; Max-Age=\d+; SameSite=Lax$/);
      const again = await visit(jar, url('/'), { headers: { 'accept-language': 'en-US' } });
      expect(await again.text()).toContain('<html lang="nl">');
    });

    it('is one page with one script of its own (no inline script) under a strict CSP', async () => {
      const res = await fetch(url('/'));
      const html = await res.text();
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
      expect(scripts).toEqual([' src="/console/console.js" defer', ' type="application/json" id="boot"']);
      // Every form control has a label.
      for (const id of ['teams-text', 'teams-member', 'slack-text', 'slack-locale', 'slack-zone', 'webex-text', 'webex-space']) {
        expect(html).toContain(`for="${id}"`);
      }
      const bundle = Buffer.from(await (await fetch(url('/console/console.js'))).arrayBuffer());
      expect(bundle.equals(readFileSync(consoleBundleFile()))).toBe(true);
      // Small and fast: no framework, one script of a few tens of kilobytes.
      expect(bundle.length).toBeLessThan(60_000);
      expect((await fetch(url('/console/console.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');
    });
  });

  describe('the playground acts as each platform, through the public routes', () => {
    it('Teams: "bel Anna" reaches the bot, which rings through Xsi and answers with a card', async () => {
      const res = await fetch(url('/api/console/sandbox/teams/messages'), json({ conversation: 'httptest-teams-1', member: '29:1sandbox-anna', locale: 'nl-NL', text: 'bel Anna' }));
      expect(res.status).toBe(200);
      const { status, entries } = (await res.json()) as { status: number; entries: { from: string; attachments?: { actions?: { title: string }[] }[] }[] };
      expect(status).toBe(200);
      expect(entries[0]).toMatchObject({ from: 'user', text: 'bel Anna' });
      const card = entries.find((e) => e.from === 'bot')?.attachments?.[0];
      expect(card?.actions?.map((a) => a.title)).toEqual(['Ophangen']);
      const xsi = (await (await fetch(url('/sandbox/xsi/_log'))).json()) as { requests: { method: string; path: string }[] };
      expect(xsi.requests.some((r) => r.method === 'POST' && r.path.endsWith('/calls/new'))).toBe(true);
    });

    it('Slack: a signed /webex command is verified and answered in the user\'s language', async () => {
      const ask = async (locale: string, conversation: string) => {
        const res = await fetch(url('/api/console/sandbox/slack/commands'), json({ conversation, locale, zone: 'Europe/Amsterdam', text: '/webex help' }));
        expect(res.status).toBe(200);
        const body = (await res.json()) as { status: number; entries: { from: string; text?: string }[] };
        expect(body.status).toBe(200);
        // The answer comes through Slack's response_url, after the acknowledgement: on a busy
        // machine it may not be in yet, so read the conversation as the page does (it polls).
        let entries = body.entries;
        for (let i = 0; i < 50 && !entries.some((e) => e.from === 'bot'); i++) {
          await new Promise((r) => setTimeout(r, 100));
          entries = ((await (await fetch(url(`/api/console/sandbox/slack/messages?conversation=${conversation}`))).json()) as typeof body).entries;
        }
        return entries.filter((e) => e.from === 'bot').map((e) => e.text ?? '').join('\n');
      };
      expect(await ask('nl-NL', 'httptest-slack-nl')).toContain('plant een vergadering');
      expect(await ask('en-US', 'httptest-slack-en')).toContain('plans a meeting');
    });

    it('Slack: a button press goes to the app as a signed block_actions, which it acknowledges', async () => {
      const res = await fetch(url('/api/console/sandbox/slack/actions'), json({ conversation: 'httptest-slack-nl', locale: 'nl-NL', zone: 'Europe/Amsterdam', actionId: 'webex_join_1', text: 'Deelnemen', url: 'https://sandbox.webex.com/meet/x' }));
      expect(await res.json()).toEqual({ status: 200 });
      const unknown = await fetch(url('/api/console/sandbox/slack/actions'), json({ conversation: 'httptest-slack-nl', locale: 'nl-NL', zone: 'Europe/Amsterdam', actionId: '', text: 'x' }));
      expect(unknown.status).toBe(400);
    });

    it('Jira: one click sends a signed webhook that /hooks/jira accepts', async () => {
      const res = await fetch(url('/api/console/sandbox/sources/jira'), json({}));
      expect(await res.json()).toEqual({ status: 202, answer: { status: 'accepted' } });
    });

    it('takes only JSON, so no cross-site form can make it act', async () => {
      const form = await fetch(url('/api/console/sandbox/sources/jira'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
      expect(form.status).toBe(415);
    });

    it('refuses a malformed request with a typed error, in the page\'s language', async () => {
      const res = await fetch(url('/api/console/sandbox/teams/messages'), { ...json({ conversation: '../x', member: 'x', locale: 'nl-NL', text: 'hi' }), headers: { 'content-type': 'application/json', 'accept-language': 'nl' } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'console.badRequest', message: expect.stringMatching(/^De console kon dit verzoek niet lezen: conversation/) } });
    });

    it('shows what the emulators received in the timeline', async () => {
      const res = await fetch(url('/api/console/sandbox/timeline'));
      const { entries } = (await res.json()) as { entries: { source: string; summary: string }[] };
      expect(entries.some((e) => e.source === 'xsi' && /calls\/new$/.test(e.summary))).toBe(true);
      expect(entries.some((e) => e.source === 'slack' && /response\/console-httptest-slack-nl$/.test(e.summary))).toBe(true);
    });
  });

  describe('the administrator\'s API', () => {
    it('answers 401 without a session, for reading and for changing', async () => {
      for (const [method, path] of [['GET', 'people'], ['GET', 'audit'], ['GET', 'outbox'], ['GET', 'doctor'], ['GET', 'events'], ['PUT', 'people/x/licence'], ['PUT', 'people/x/line'], ['DELETE', 'people/x/line'], ['POST', 'people/import/preview'], ['POST', 'people/import'], ['PUT', 'policies/t'], ['POST', 'outbox/retry']] as const) {
        const res = await fetch(url(`/api/console/admin/${path}`), { method, headers: { 'content-type': 'application/json', 'accept-language': 'nl' }, ...(method === 'GET' ? {} : { body: '{"licence":"Premium"}' }) });
        expect([path, res.status]).toEqual([path, 401]);
        expect(await res.json()).toEqual({ error: { code: 'console.notSignedIn', message: 'Meld je eerst aan bij de console.' } });
      }
    });

    it('signs in through the sandbox issuer, but refuses someone outside the admin group (403, audited)', async () => {
      const jar = new CookieJar();
      const back = await signInAs(service.url, jar, NOT_ADMIN);
      expect(back.status).toBe(302);
      expect(back.headers.get('location')).toBe('/#admin');
      const session = (await (await visit(jar, url('/api/console/session'))).json()) as { signedIn: boolean; admin: boolean; name: string };
      expect(session).toMatchObject({ signedIn: true, admin: false, name: 'Pieter Bakker' });
      const people = await visit(jar, url('/api/console/admin/people'));
      expect(people.status).toBe(403);
      expect(((await people.json()) as { error: { code: string } }).error.code).toBe('console.notAdmin');
      const audit = await service.audit.recent(20);
      expect(audit.find((e) => e.action === 'console.signIn' && e.actor === `console:Pieter Bakker <${NOT_ADMIN}>`)?.outcome).toBe('denied');
    });

    // More than 200 groups: the ID token carries the overage claim, and membership is asked of Graph.
    it('lets in an administrator whose groups overflow the token, by asking Graph checkMemberGroups', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, 'daan.degroot@sandbox.kpneen.nl');
      const session = (await (await visit(jar, url('/api/console/session'))).json()) as { admin: boolean; name: string };
      expect(session).toMatchObject({ admin: true, name: 'Daan de Groot' });
      expect((await visit(jar, url('/api/console/admin/people'))).status).toBe(200);
    });

    it('sets the session cookie HttpOnly, SameSite=Lax, and Secure with the __Host- prefix over https', async () => {
      const plain = await fetch(url('/console/sign-in'), { redirect: 'manual' });
      expect(plain.headers.getSetCookie()[0]).toMatch(/^een_console_signin=[^;]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/);
      const proxied = await fetch(url('/console/sign-in'), { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
      expect(proxied.headers.getSetCookie()[0]).toMatch(/^__Host-een_console_signin=[^;]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      expect(jar.has('een_console')).toBe(true);
    });

    it('refuses a change without the CSRF token (403) and audits an allowed one with the person\'s name', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const { csrf } = (await (await visit(jar, url('/api/console/session'))).json()) as { csrf: string };
      const { people } = (await (await visit(jar, url('/api/console/admin/people'))).json()) as { people: { id: string; email: string; licence: string }[] };
      const anna = people.find((p) => p.email === 'anna.devries@sandbox.kpneen.nl')!;
      expect(anna.licence).toBe('Basis');
      const put = (headers: Record<string, string>) => visit(jar, url(`/api/console/admin/people/${anna.id}/licence`), { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ licence: 'Premium' }) });

      for (const headers of [{}, { 'x-csrf-token': 'not-the-token' }] as Record<string, string>[]) {
        const refused = await put(headers);
        expect(refused.status).toBe(403);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('console.csrf');
      }
      expect((await service.users.byId(anna.id))?.licenceTier).toBe('Basis');

      const done = await put({ 'x-csrf-token': csrf });
      expect(done.status).toBe(200);
      expect((await service.users.byId(anna.id))?.licenceTier).toBe('Premium');
      const entry = (await service.audit.recent(10)).find((e) => e.action === 'identity.licence.set');
      expect(entry).toMatchObject({ actor: `console:Fatima el Amrani <${ADMIN}>`, outcome: 'succeeded', detail: { userId: anna.id, from: 'Basis', to: 'Premium' } });
    });

    it('gives a licence before first use; the person arrives from Teams with it', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const { csrf } = (await (await visit(jar, url('/api/console/session'))).json()) as { csrf: string };
      const add = (headers: Record<string, string>) => visit(jar, url('/api/console/admin/people'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: 'Pieter.Bakker@sandbox.kpneen.nl', licence: 'Premium' }) });
      expect((await add({})).status).toBe(403);
      const added = await add({ 'x-csrf-token': csrf });
      expect(await added.json()).toMatchObject({ licence: 'Premium', added: true });

      await fetch(url('/api/console/sandbox/teams/messages'), json({ conversation: 'httptest-teams-pieter', member: '29:1sandbox-pieter', locale: 'nl-NL', text: 'recent' }));
      const { people } = (await (await visit(jar, url('/api/console/admin/people'))).json()) as { people: { email: string; licence: string; apps: string[] }[] };
      expect(people.filter((p) => p.email === 'pieter.bakker@sandbox.kpneen.nl')).toEqual([expect.objectContaining({ licence: 'Premium', apps: ['Teams'] })]);
      const entry = (await service.audit.recent(20)).find((e) => e.action === 'identity.person.add');
      expect(entry?.actor).toBe(`console:Fatima el Amrani <${ADMIN}>`);
    });

    it('refuses a tampered session cookie', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const cookie = jar.header().replace(/een_console=([^;]+)/, (_m, v: string) => `een_console=${v.slice(0, -3)}${v.endsWith('AAA') ? 'BBB' : 'AAA'}`);
      const res = await fetch(url('/api/console/admin/people'), { headers: { cookie } });
      expect(res.status).toBe(401);
    });

    it('purges a dead letter (CSRF token required) and finds it in the searchable audit log', async () => {
      const space = (await (await fetch(url('/api/console/sandbox/webex/spaces'), json({ conversation: 'httptest-webex-1', title: 'Dead letters' }))).json()) as { space: { id: string } };
      await service.notifications.subscriptions.subscribe({ spaceId: space.space.id, source: 'jira', sourceKey: 'KAN' });
      await fetch(url('/sandbox/webex/_faults'), json({ status: 404, times: 1 }));
      await fetch(url('/api/console/sandbox/sources/jira'), json({}));
      for (let i = 0; i < 50 && (await service.notifications.outbox.counts()).dead === 0; i++) await new Promise((r) => setTimeout(r, 100));
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const { csrf } = (await (await visit(jar, url('/api/console/session'))).json()) as { csrf: string };
      const { dead } = (await (await visit(jar, url('/api/console/admin/outbox'))).json()) as { dead: { id: number; lastError: string }[] };
      expect(dead).toHaveLength(1);
      expect(dead[0]!.lastError).toMatch(/404/);
      const purge = (token?: string) => visit(jar, url('/api/console/admin/outbox/purge'), { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) }, body: JSON.stringify({ ids: [dead[0]!.id] }) });
      expect((await purge()).status).toBe(403);
      expect((await service.notifications.outbox.counts()).dead).toBe(1);
      const done = await purge(csrf);
      expect(await done.json()).toEqual({ purged: 1 });
      expect((await service.notifications.outbox.counts()).dead).toBe(0);
      const { entries } = (await (await visit(jar, url('/api/console/admin/audit?q=OUTBOX.PURGE'))).json()) as { entries: { actor: string; action: string; detail: unknown }[] };
      expect(entries).toEqual([{ id: expect.any(Number), at: expect.any(String), actor: `console:Fatima el Amrani <${ADMIN}>`, action: 'notifications.outbox.purge', outcome: 'succeeded', detail: { ids: [dead[0]!.id], purged: 1 } }]);
    });

    it('approves a Webex space\'s follow request (CSRF token required); the bot then subscribes the space', async () => {
      const space = (await (await fetch(url('/api/console/sandbox/webex/spaces'), json({ conversation: 'httptest-webex-2', title: 'Follow' }))).json()) as { space: { id: string } };
      const said = (await (await fetch(url('/api/console/sandbox/webex/messages'), json({ conversation: 'httptest-webex-2', roomId: space.space.id, text: 'subscribe jira OPS' }))).json()) as { entries: { text?: string }[] };
      expect(said.entries.at(-1)?.text).toMatch(/approval/);
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const { csrf } = (await (await visit(jar, url('/api/console/session'))).json()) as { csrf: string };
      const { requests } = (await (await visit(jar, url('/api/console/admin/follow-requests'))).json()) as { requests: { id: number; sourceKey: string }[] };
      const ops = requests.find((r) => r.sourceKey === 'OPS')!;
      expect((await visit(jar, url(`/api/console/admin/follow-requests/${ops.id}/approve`), { method: 'POST' })).status).toBe(403);
      const approved = await visit(jar, url(`/api/console/admin/follow-requests/${ops.id}/approve`), { method: 'POST', headers: { 'x-csrf-token': csrf } });
      expect(approved.status).toBe(200);
      expect((await service.notifications.subscriptions.forSpace(space.space.id)).map((s) => s.sourceKey)).toEqual(['OPS']);
      expect((await visit(jar, url(`/api/console/admin/follow-requests/${ops.id}/approve`), { method: 'POST', headers: { 'x-csrf-token': csrf } })).status).toBe(404);
    });

    it('tells whether a number would be allowed by a tenant\'s dial policy', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const test = async (number: string) => (await (await visit(jar, url('/api/console/admin/policies/test'), { ...json({ tenant: 'tenant-x', number }), headers: { 'content-type': 'application/json', 'accept-language': 'en' } })).json()) as { allowed: boolean; reason?: string };
      expect(await test('020 123 4567')).toMatchObject({ allowed: true });
      const premium = await test('0900 1234567');
      expect(premium.allowed).toBe(false);
      expect(premium.reason).toMatch(/0900/);
    });
  });

  describe('the administrator\'s changes to lines, imports and policies', () => {
    const change = (jar: CookieJar, method: string, path: string, body: unknown, csrf?: string) =>
      visit(jar, url(`/api/console/admin/${path}`), { method, headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(csrf ? { 'x-csrf-token': csrf } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const session = async (jar: CookieJar) => ((await (await visit(jar, url('/api/console/session'))).json()) as { csrf: string }).csrf;

    // A sealed cookie alone is not a session: the server must still know it as live (OWASP Session
    // Management: invalidate at log out), so a copied cookie dies with the sign-out.
    it('ends a session for good on sign-out, also for a copy of its cookie, and lets an administrator end another person\'s', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const copy = new CookieJar();
      copy.take(new Response(null, { headers: [['set-cookie', jar.header().split('; ').find((c) => c.startsWith('een_console='))!]] }));
      expect((await visit(copy, url('/api/console/admin/people'))).status).toBe(200);
      expect((await visit(jar, url('/console/sign-out'), { method: 'POST', headers: { 'x-csrf-token': await session(jar) } })).status).toBe(204);
      expect((await visit(copy, url('/api/console/admin/people'))).status).toBe(401);
      expect(await (await visit(copy, url('/api/console/session'))).json()).toMatchObject({ signedIn: false });

      const daan = new CookieJar();
      await signInAs(service.url, daan, 'daan.degroot@sandbox.kpneen.nl');
      const admin = new CookieJar();
      await signInAs(service.url, admin, ADMIN);
      const live = (await (await visit(admin, url('/api/console/admin/sessions'))).json()) as { sessions: { oid: string; username: string }[] };
      const target = live.sessions.find((x) => x.username === 'daan.degroot@sandbox.kpneen.nl')!;
      expect(target).toBeDefined();
      expect((await change(admin, 'DELETE', `sessions/${target.oid}`, undefined)).status).toBe(403);
      // Daan may have signed in before in this file: every live session of theirs ends.
      const { ended } = (await (await change(admin, 'DELETE', `sessions/${target.oid}`, undefined, await session(admin))).json()) as { ended: number };
      expect(ended).toBeGreaterThanOrEqual(1);
      expect((await visit(daan, url('/api/console/admin/people'))).status).toBe(401);
      expect((await visit(admin, url('/api/console/admin/people'))).status).toBe(200);
      expect((await service.audit.recent(5)).find((e) => e.action === 'console.endSessions')).toMatchObject({ actor: `console:Fatima el Amrani <${ADMIN}>`, detail: { oid: target.oid, ended } });
    });

    it('refuses each change without the CSRF token, and changes nothing', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const person = await service.users.create({ email: 'csrf.check@sandbox.kpneen.nl' });
      for (const [method, path, body] of [
        ['PUT', `people/${person.id}/line`, { broadworksUserId: 'csrf.line' }],
        ['DELETE', `people/${person.id}/line`, undefined],
        ['POST', 'people/import', { csv: 'email,broadworksUserId,number,licence\ncsrf.import@sandbox.kpneen.nl,csrf.import,,Basis\n' }],
        ['PUT', 'policies/tenant-csrf', { internationalAllowed: false }],
      ] as const) {
        const res = await change(jar, method, path, body);
        expect([path, res.status]).toEqual([path, 403]);
      }
      expect((await service.users.byId(person.id))?.broadworksUserId).toBeUndefined();
      expect(await service.users.byEmail('csrf.import@sandbox.kpneen.nl')).toBeUndefined();
    });

    it('never moves a line from the person who has it (409, audited as denied)', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const csrf = await session(jar);
      const holder = await service.users.create({ email: 'holder@sandbox.kpneen.nl', broadworksUserId: 'held.line' });
      const other = await service.users.create({ email: 'other@sandbox.kpneen.nl' });
      const res = await change(jar, 'PUT', `people/${other.id}/line`, { broadworksUserId: 'held.line' }, csrf);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'console.lineTaken', message: 'Line held.line is already linked to holder@sandbox.kpneen.nl; a line is never moved, so unlink it there first.' });
      expect((await service.users.byId(holder.id))?.broadworksUserId).toBe('held.line');
      expect((await service.users.byId(other.id))?.broadworksUserId).toBeUndefined();
      const audit = await service.audit.recent(5);
      expect(audit.find((e) => e.action === 'calling.link')).toMatchObject({ actor: `console:Fatima el Amrani <${ADMIN}>`, outcome: 'denied' });
      // Unlinking clears the number too; then the line may go to the other person.
      await service.users.update(holder.id, { eenNumber: '+31201234500' });
      expect((await change(jar, 'DELETE', `people/${holder.id}/line`, undefined, csrf)).status).toBe(200);
      expect(await service.users.byId(holder.id)).toMatchObject({ broadworksUserId: undefined, eenNumber: undefined });
      expect((await change(jar, 'PUT', `people/${other.id}/line`, { broadworksUserId: 'held.line', number: '020 123 4501' }, csrf)).status).toBe(200);
      expect(await service.users.byId(other.id)).toMatchObject({ broadworksUserId: 'held.line', eenNumber: '+31201234501' });
    });

    it('previews an import with every row\'s problems, and refuses a file with any (nothing imported)', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const csrf = await session(jar);
      await service.users.create({ email: 'taken.line@sandbox.kpneen.nl', broadworksUserId: 'import.taken' });
      const csv = 'EMAIL;BROADWORKSUSERID;NUMBER;LICENCE\nfirst.import@sandbox.kpneen.nl;import.first;1001;premium\nnobody;x;;Basis\nsecond.import@sandbox.kpneen.nl;import.taken;;Basis\n';
      const preview = (await (await visit(jar, url('/api/console/admin/people/import/preview'), json({ csv }))).json()) as { separator: string; rows: { line: number; problems: string[]; action?: string }[] };
      expect(preview.separator).toBe(';');
      expect(preview.rows.map((r) => [r.line, r.action ?? null, r.problems.length])).toEqual([[2, 'add', 0], [3, null, 2], [4, null, 1]]);
      expect(preview.rows[2]!.problems[0]).toBe('line 4: broadworksUserId import.taken is already linked to taken.line@sandbox.kpneen.nl');
      // A Dutch administrator's browser gets the same problems in Dutch.
      const dutch = (await (await visit(jar, url('/api/console/admin/people/import/preview'), { ...json({ csv }), headers: { 'content-type': 'application/json', 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.5' } })).json()) as { rows: { problems: string[] }[] };
      expect(dutch.rows[1]!.problems[0]).toBe('regel 3: email is geen e-mailadres');
      expect(dutch.rows[2]!.problems[0]).toBe('regel 4: broadworksUserId import.taken is al gekoppeld aan taken.line@sandbox.kpneen.nl');
      const refused = await change(jar, 'POST', 'people/import', { csv }, csrf);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('console.importRefused');
      expect(await service.users.byEmail('first.import@sandbox.kpneen.nl')).toBeUndefined();

      const clean = 'email,broadworksUserId,number,licence\nfirst.import@sandbox.kpneen.nl,import.first,1001,premium\n';
      expect(await (await change(jar, 'POST', 'people/import', { csv: clean }, csrf)).json()).toEqual({ created: 1, updated: 0 });
      expect(await service.users.byEmail('first.import@sandbox.kpneen.nl')).toMatchObject({ broadworksUserId: 'import.first', eenNumber: '1001', licenceTier: 'Premium' });
      expect((await service.audit.recent(5)).find((e) => e.action === 'calling.usersImport')).toMatchObject({ actor: `console:Fatima el Amrani <${ADMIN}>`, outcome: 'succeeded' });
    });

    it('changes a dial policy as `policy set` does, refusing what is not a prefix', async () => {
      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const csrf = await session(jar);
      expect((await change(jar, 'PUT', 'policies/tenant-p', { block: ['09OO'] }, csrf)).status).toBe(400);
      const changed = (await (await change(jar, 'PUT', 'policies/tenant-p', { block: ['0800'], unblock: ['+870'], callsPerMinute: 5, extensionPlan: ['2000-2999'] }, csrf)).json()) as { next: { blockedPrefixes: string[]; callsPerMinute: number; extensionPlan: string[] } };
      expect(changed.next.blockedPrefixes).toContain('0800');
      expect(changed.next.blockedPrefixes).toContain('+881');
      expect(changed.next.blockedPrefixes).not.toContain('+870');
      expect(changed.next).toMatchObject({ callsPerMinute: 5, extensionPlan: ['2000-2999'] });
      expect((await service.audit.recent(5)).find((e) => e.action === 'calling.policy.set')).toMatchObject({ actor: `console:Fatima el Amrani <${ADMIN}>` });
    });
  });

  describe('live updates by Server-Sent Events', () => {
    /** Reads a text/event-stream until `until` matches what arrived, or fails after `ms`. */
    async function readStream(res: Response, until: RegExp, ms = 10_000): Promise<string> {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const deadline = Date.now() + ms;
      try {
        while (!until.test(text)) {
          if (Date.now() > deadline) throw new Error(`no ${until} within ${ms} ms; got ${JSON.stringify(text)}`);
          const chunk = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((r) => setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()))]);
          if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
          else if (chunk.done && Date.now() < deadline) throw new Error(`the stream ended; got ${JSON.stringify(text)}`);
        }
        return text;
      } finally {
        await reader.cancel().catch(() => undefined);
      }
    }

    it('the playground is told when an emulator received something', async () => {
      const controller = new AbortController();
      const res = await fetch(url('/api/console/sandbox/events'), { signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      // The stream has seen the state once; then the Webex emulator receives a request.
      await new Promise((r) => setTimeout(r, 1200));
      expect((await fetch(url('/sandbox/webex/v1/rooms'), { headers: { authorization: 'Bearer sandbox-webex-bot-token' } })).status).toBe(200);
      const text = await readStream(res, /event: change\ndata: \{\}\n\n/);
      expect(text.startsWith('retry: ')).toBe(true);
      controller.abort();
    });

    it('the administrator\'s view is told when something was changed, and only an administrator may listen', async () => {
      expect((await fetch(url('/api/console/admin/events'))).status).toBe(401);
      const outsider = new CookieJar();
      await signInAs(service.url, outsider, NOT_ADMIN);
      expect((await visit(outsider, url('/api/console/admin/events'))).status).toBe(403);

      const jar = new CookieJar();
      await signInAs(service.url, jar, ADMIN);
      const controller = new AbortController();
      const res = await visit(jar, url('/api/console/admin/events'), { signal: controller.signal });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 2200));
      const { csrf } = (await (await visit(jar, url('/api/console/session'))).json()) as { csrf: string };
      const added = await visit(jar, url('/api/console/admin/people'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ email: 'sse.check@sandbox.kpneen.nl', licence: 'Basis' }) });
      expect(added.status).toBe(200);
      expect(await readStream(res, /event: change\n/)).toContain('event: change');
      controller.abort();
    });
  });

  describe('the sandbox token issuer is as strict as Entra ID', () => {
    const authorizeUrl = () => url(`/sandbox/entra/${SANDBOX_CONSOLE_TENANT_ID}/oauth2/v2.0/authorize`);
    const tokenUrl = () => url(`/sandbox/entra/${SANDBOX_CONSOLE_TENANT_ID}/oauth2/v2.0/token`);
    const params = (over: Record<string, string | undefined> = {}) => {
      const p: Record<string, string | undefined> = {
        client_id: SANDBOX_CONSOLE_CLIENT_ID,
        response_type: 'code',
        redirect_uri: `${service.url.replace('http://', 'http://')}/console/callback`,
        scope: 'openid profile',
        state: 's1',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        ...over,
      };
      return new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => e[1] !== undefined));
    };

    it.each([
      [{ code_challenge: undefined, code_challenge_method: undefined }, 'AADSTS9002325'],
      [{ code_challenge_method: 'plain' }, 'AADSTS9002325'],
      [{ response_type: 'token' }, 'AADSTS700054'],
    ])('redirects back with an error for %j', async (over, code) => {
      const res = await fetch(`${authorizeUrl()}?${params(over)}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const back = new URL(res.headers.get('location')!);
      expect(back.pathname).toBe('/console/callback');
      expect(back.searchParams.get('error_description')).toContain(code);
      expect(back.searchParams.get('state')).toBe('s1');
    });

    it('shows an error page, never a redirect, for a redirect_uri or client it does not know', async () => {
      for (const [over, code] of [[{ redirect_uri: 'https://evil.example/console/callback' }, 'AADSTS50011'], [{ client_id: 'someone-else' }, 'AADSTS700016']] as const) {
        const res = await fetch(`${authorizeUrl()}?${params(over)}`, { redirect: 'manual' });
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect(await res.text()).toContain(code);
      }
    });

    it('redeems a code once, only with the right verifier, redirect_uri and secret', async () => {
      const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
      const code = async () => {
        const form = params({ login_hint: ADMIN });
        const res = await fetch(authorizeUrl(), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
        return new URL(res.headers.get('location')!).searchParams.get('code')!;
      };
      const redeem = async (fields: Record<string, string>) => {
        const res = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: SANDBOX_CONSOLE_CLIENT_ID, client_secret: SANDBOX_CONSOLE_CLIENT_SECRET, redirect_uri: `${service.url}/console/callback`, code_verifier: verifier, ...fields }).toString() });
        return { status: res.status, body: (await res.json()) as { error?: string; error_description?: string; id_token?: string } };
      };
      // RFC 7636 appendix B: this verifier's S256 challenge is the one params() sends.
      expect((await redeem({ code: await code(), code_verifier: 'wrong-verifier-wrong-verifier-wrong-verifier' })).body.error_description).toMatch(/^AADSTS50148/);
      expect((await redeem({ code: await code(), redirect_uri: 'http://127.0.0.1:1/console/callback' })).body.error_description).toMatch(/^AADSTS50011/);
      const wrongSecret = await redeem({ code: await code(), client_secret: 'nope' });
      expect([wrongSecret.status, wrongSecret.body.error]).toEqual([401, 'invalid_client']);
      const good = await code();
      const first = await redeem({ code: good });
      expect(first.status).toBe(200);
      expect(first.body.id_token?.split('.')).toHaveLength(3);
      const again = await redeem({ code: good });
      expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
      expect(again.body.error_description).toMatch(/^AADSTS70008/);
    });

    it('refuses a callback whose state this browser did not start', async () => {
      const jar = new CookieJar();
      await visit(jar, url('/console/sign-in'));
      const res = await visit(jar, url('/console/callback?code=abc&state=forged'));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('console.signInFailed');
    });
  });
});

describe('the console outside sandbox mode (EEN_SANDBOX=off)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ env: { EEN_SANDBOX: 'off', EEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') } });
  });
  afterAll(() => service?.dispose());

  it('serves only the administrator\'s view at /', async () => {
    const html = await (await fetch(`${service.url}/`)).text();
    expect(html).toContain('id="admin"');
    expect(html).not.toContain('id="playground"');
    expect(html).not.toContain('Playground');
    expect(html).not.toContain('"sandbox":true');
  });

  it.each([
    ['GET', '/api/console/sandbox/timeline'],
    ['POST', '/api/console/sandbox/teams/messages'],
    ['POST', '/api/console/sandbox/slack/commands'],
    ['POST', '/api/console/sandbox/webex/spaces'],
    ['POST', '/api/console/sandbox/sources/jira'],
    ['GET', `/sandbox/entra/${SANDBOX_CONSOLE_TENANT_ID}/v2.0/.well-known/openid-configuration`],
  ])('has no %s %s (404)', async (method, path) => {
    const res = await fetch(`${service.url}${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
    expect(res.status).toBe(404);
  });

  it('offers no sign-in without CONSOLE_* and refuses the admin API', async () => {
    expect(await (await fetch(`${service.url}/api/console/session`)).json()).toEqual({ signedIn: false, signInAvailable: false });
    expect((await fetch(`${service.url}/console/sign-in`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${service.url}/api/console/admin/people`)).status).toBe(401);
  });
});

describe('stopping the service with a console open', () => {
  it('ends the live streams at once instead of waiting out the grace period', async () => {
    const service = await startTestService();
    let disposed = false;
    try {
      const res = await fetch(`${service.url}/api/console/sandbox/events`);
      expect(res.status).toBe(200);
      const reading = res.text();
      const started = Date.now();
      await service.dispose();
      disposed = true;
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await reading).toMatch(/^retry: /);
    } finally {
      if (!disposed) await service.dispose();
    }
  });
});
