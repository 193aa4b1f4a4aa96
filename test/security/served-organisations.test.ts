import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../app/cli';
import { AuditLog, ServedOrganisations, emailDomain, normaliseOrganisation } from '../../core/internal';
import { dialects, openTestStore, type TestStore } from '../helpers/stores';

// A real Webex org id: base64 of ciscospark://us/ORGANIZATION/<uuid> (developer.webex.com,
// "REST API Basics"), as GET /people/me returns it in `orgId`.
const uuid = '96abc2aa-3dcc-11e5-a152-fe34819cdc9a';
const webexOrgId = Buffer.from(`ciscospark://us/ORGANIZATION/${uuid}`).toString('base64').replace(/=+$/, '');

describe('organisation values', () => {
  it.each([
    ['teams-tenant', '72F988BF-86F1-41AF-91AB-2D7CD011DB47', '72f988bf-86f1-41af-91ab-2d7cd011db47'],
    ['slack-team', 't0123abcd', 'T0123ABCD'],
    ['email-domain', '@KPN.com', 'kpn.com'],
    ['webex-org', webexOrgId, uuid],
    ['webex-org', uuid.toUpperCase(), uuid],
    ['webex-org', Buffer.from(`ciscospark://urn:TEAM:eu-central-1_k/ORGANIZATION/${uuid}`).toString('base64'), uuid],
  ] as const)('normalises a %s', (kind, raw, expected) => {
    expect(normaliseOrganisation(kind, raw)).toBe(expected);
  });

  it.each([
    ['teams-tenant', 'contoso.onmicrosoft.com'],
    ['slack-team', 'U0123ABCD'],
    ['email-domain', 'localhost'],
    ['email-domain', 'a@b.nl'],
    ['webex-org', Buffer.from('ciscospark://us/PEOPLE/x').toString('base64')],
    ['webex-org', ''],
    ['teams-tenant', 'x'.repeat(500)],
  ] as const)('refuses a malformed %s (%s)', (kind, raw) => {
    expect(normaliseOrganisation(kind, raw)).toBeUndefined();
  });

  it('takes the domain of an address', () => {
    expect(emailDomain('Anna@Example.NL')).toBe('example.nl');
    expect(emailDomain('no-at-sign')).toBeUndefined();
    expect(emailDomain('@example.nl')).toBeUndefined();
  });
});

describe.each(dialects)('served organisations on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(() => t.dispose());

  it('serves configured and allowed organisations only, and audits each change', async () => {
    const audit = new AuditLog(t.store.db);
    const orgs = new ServedOrganisations(t.store.db, audit, { 'teams-tenant': ['72f988bf-86f1-41af-91ab-2d7cd011db47'] });
    expect(await orgs.allows('teams-tenant', '72F988BF-86F1-41AF-91AB-2D7CD011DB47')).toBe(true);
    expect(await orgs.allows('webex-org', webexOrgId)).toBe(false);
    expect(await orgs.allows('webex-org', undefined)).toBe(false);

    expect(await orgs.allow('webex-org', webexOrgId, 'cli:root')).toBe(true);
    expect(await orgs.allow('webex-org', uuid, 'cli:root')).toBe(false);
    expect(await orgs.allows('webex-org', uuid)).toBe(true);
    // Another organisation's id is not served because a prefix or a case matches.
    expect(await orgs.allows('webex-org', uuid.replace(/a$/, 'b'))).toBe(false);

    expect(await orgs.allowsEmail('anna@kpn.com')).toBe(false);
    await orgs.allow('email-domain', 'kpn.com', 'cli:root');
    expect(await orgs.allowsEmail('Anna@KPN.com')).toBe(true);
    expect(await orgs.allowsEmail('anna@evil-kpn.com')).toBe(false);
    expect(await orgs.allowsEmail('anna@kpn.com.evil.nl')).toBe(false);

    expect(await orgs.revoke('webex-org', webexOrgId, 'cli:root')).toBe(true);
    expect(await orgs.allows('webex-org', webexOrgId)).toBe(false);
    await expect(orgs.allow('slack-team', 'not a team', 'cli:root')).rejects.toBeInstanceOf(RangeError);

    const entries = await t.store.db.selectFrom('audit_log').selectAll().where('action', 'like', 'organisation.%').orderBy('id').execute();
    expect(entries.map((e) => [e.action, JSON.parse(e.detail).value])).toEqual([
      ['organisation.allow', uuid],
      ['organisation.allow', uuid],
      ['organisation.allow', 'kpn.com'],
      ['organisation.revoke', uuid],
    ]);
  });
});

describe('een-bridge orgs', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = () => ({ env: { EEN_DATA_DIR: path.join(dir, 'data') }, cwd: dir, out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-orgs-'));
    out.length = 0;
    err.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('allows, lists as JSON and revokes', async () => {
    expect(await runCli(['orgs', 'allow', 'email-domain', 'Example.nl'], io())).toBe(0);
    expect(out.pop()).toBe('Now serving email-domain Example.nl.');
    expect(await runCli(['orgs', 'list', '--json'], io())).toBe(0);
    const listed = JSON.parse(out.pop()!) as { kind: string; value: string; source: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ kind: 'email-domain', value: 'example.nl', source: 'stored' }));
    expect(await runCli(['orgs', 'revoke', 'email-domain', 'example.nl'], io())).toBe(0);
    expect(await runCli(['orgs', 'revoke', 'email-domain', 'example.nl'], io())).toBe(1);
  });

  it('refuses an unknown kind or a malformed value with usage (exit 2)', async () => {
    expect(await runCli(['orgs', 'allow', 'galaxy', 'x'], io())).toBe(2);
    expect(await runCli(['orgs', 'allow', 'teams-tenant', 'contoso'], io())).toBe(2);
    expect(err.join('\n')).toMatch(/not a valid teams-tenant/);
  });
});
