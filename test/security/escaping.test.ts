import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../app/cli';
import { createEmulators } from '../../app/emulators';
import { UserDirectory, escapeMarkdown, type CallLogEntry, type DirectoryEntry } from '../../core/internal';
import { TeamsConnectorEmulator } from '../../sandbox/teams-connector/connector-emulator';
import { directoryChoiceCard, errorCard, recentCallsCard } from '../../teams-app/cards';
import { startTestService, type TestService } from '../helpers/service';

// Issue 13, "Also fix": what people type and what upstream systems name is shown as text,
// never as markup: the Teams bot's text replies and its Adaptive Cards escape it (once, in one
// place per format), a Teams locale is a locale tag or nothing, and the CLI never writes a
// control character to a terminal.

const LINK = '[Verify your account](https://evil.example/login)';
const teamsFixture = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams/message-activity.json'), 'utf8')) as Record<string, unknown>;

/** Every string an Adaptive Card renders as markdown: TextBlock text and FactSet values. */
function markdownOf(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') found.push(o.text);
    if (o.type === 'FactSet') for (const f of o.facts as { value: string }[]) found.push(f.value);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** A markdown link or emphasis that a renderer would act on: an unescaped `[`…`](` or `**`. */
const activeMarkdown = /(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)\*(?<!\\)\*/;

describe('Adaptive Cards show names from call logs and the directory as text', () => {
  const evil: CallLogEntry = { type: 'received', name: LINK, phoneNumber: '+31201234567', time: '2026-11-28T07:00:00Z', callLogId: '1:0' } as CallLogEntry;
  const person: DirectoryEntry = { userId: 'x@kpneen', firstName: '**Boss**', lastName: '', displayName: `**Boss** ${LINK}`, number: '+31201234567', extension: '1001', mobile: undefined, email: undefined, groupId: 'g' };

  it.each([
    ['recent calls', () => recentCallsCard('en', [evil])],
    ['directory choice', () => directoryChoiceCard('en', LINK, [person, person], (e) => e.extension)],
    ['error', () => errorCard('en', `"${LINK}" is not a valid phone number.`)],
  ])('%s card', (_name, build) => {
    const texts = markdownOf(build());
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).not.toMatch(activeMarkdown);
    // Still readable: the words are all there.
    expect(texts.join(' ')).toContain('Verify your account');
  });
});

describe('the Webex markdown escaper', () => {
  // CommonMark 0.31: a line of = or - under a paragraph makes it a setext heading (4.3); a
  // line of three or more -, * or _ is a thematic break (4.1), with spaces between allowed.
  it.each([
    ['a setext heading (=)', 'Pay now\n==='],
    ['a setext heading (-)', 'Pay now\n---'],
    ['a thematic break', 'above\n\n- - -\n\nbelow'],
    ['a thematic break of underscores', 'above\n___'],
    ['a thematic break of stars', '***'],
  ])('leaves no %s', (_name, text) => {
    const lines = escapeMarkdown(text).split('\n');
    for (const line of lines) expect(line).not.toMatch(/^\s{0,3}(?:=+|-+|(?:[-*_]\s*){3,})\s*$/);
  });
});

describe('the Teams bot and the CLI', () => {
  let service: TestService;
  let connector: TeamsConnectorEmulator;

  beforeAll(async () => {
    const emulators = createEmulators();
    connector = emulators.find((e): e is TeamsConnectorEmulator => e instanceof TeamsConnectorEmulator)!;
    service = await startTestService({ emulators });
  });
  afterAll(() => service.dispose());
  beforeEach(() => {
    connector.activities.length = 0;
  });

  const send = (overrides: Record<string, unknown>) =>
    fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...teamsFixture, serviceUrl: `${service.url}/sandbox/teams/`, id: `${Date.now()}`, ...overrides }),
    });

  it('does not echo a typed markdown link as a link', async () => {
    expect((await send({ text: LINK })).status).toBe(200);
    const reply = connector.activities.find((a) => a.operation === 'reply');
    const text = String(reply?.activity.text ?? '');
    expect(text).toContain('Verify your account');
    // The catalogue's own **help** stays bold; the typed link does not become a link.
    expect(text).not.toMatch(/(?<!\\)\[Verify your account(?<!\\)\]\(/);
    expect(text).toContain('**help**');
    expect(text).not.toContain('<');
  });

  it.each([
    'en-US\u001b[2J\u001b[31m',
    '<script>',
    'x'.repeat(200),
    'nl-NL\r\nadmin',
  ])('does not store the Teams locale %j, and answers in the default language', async (locale) => {
    const aadObjectId = `0000000${locale.length}-0000-4000-8000-00000000beef`.slice(0, 36);
    expect((await send({ text: 'recent', locale, from: { id: `29:${aadObjectId}`, name: 'Loc', aadObjectId } })).status).toBe(200);
    const user = await new UserDirectory(service.store.db).byTeamsAadObjectId(aadObjectId);
    expect(user?.locale).toMatch(/^[a-z]{2}-[A-Z]{2}$/);
  });

  it('keeps control characters out of every CLI table, whatever is in the store', async () => {
    // A row written before locales were checked, or by a broken import.
    await service.users.create({ email: 'legacy@example.nl', locale: 'nl\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e', displayName: 'x' });
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['users', 'list'], { env: { EEN_DATA_DIR: service.dataDir }, cwd: service.dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(0);
    const printed = [...out, ...err].join('\n');
    expect(printed).toContain('legacy@example.nl');
    // C0 (but tab and newline), DEL, C1 and the bidirectional overrides.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const header = out[0]!;
    const row = out.find((l) => l.startsWith('legacy@example.nl'))!;
    // Columns still line up: the shown value has the width the table computed for it.
    expect(row.length).toBeLessThanOrEqual(header.length + 40);
  });
});
