import { assertBuilt } from '../helpers/built';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, spawnCli, waitFor, type RunningCli } from '../helpers/processes';

/** Runs the built demo as `npm run demo` does, and collects what it printed. */
function runDemo(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/demo/run.js'), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

const passLines = [
  /^PASS story a: A Teams user calls a colleague by name \(\d+ ms\)$/m,
  /^PASS story b: A Slack user schedules a meeting \(\d+ ms\)$/m,
  /^PASS story c: A Jira issue lands in a Webex space, its next change in that message's thread, and a reply there reaches Jira \(\d+ ms\)$/m,
  /^PASS story d: A Slack user calls by name; a Teams user starts a Webex meeting \(\d+ ms\)$/m,
];

describe('npm run demo', () => {
  beforeAll(() => {
    // The demo under test is the compiled one; build it so a stale dist/ cannot pass for it.
    // npm test compiles dist/ first (pretest); the process under test is the compiled one.
    assertBuilt();
  }, 180_000);

  it('starts its own sandbox service, completes the four stories with what each emulator received, and exits 0', async () => {
    const { code, out } = await runDemo([]);
    // The demo's own last lines say which story and step failed and why (a diff of the exit code
    // alone did not, when it failed once under the full suite on Node 22, 2026-12-02).
    if (code !== 0) throw new Error(`the demo exited ${String(code)}; its last output:\n${out.slice(-3000)}`);
    for (const line of passLines) expect(out).toMatch(line);
    expect(out).toMatch(/^All 4 stories completed\.$/m);
    // Issue 14: calling from Slack by name rings Sanne's line and dials Anna (1001); a Teams user's meeting gets its Join card.
    expect(out).toMatch(/POST \/sandbox\/xsi\/.*\/user\/0201234504%40sandbox\.kpneen\.nl\/calls\/new {2}address="1001"/);
    expect(out).toMatch(/POST \/sandbox\/teams\/v3\/conversations\/.*\/activities.* card "Webex meeting: Sprint review"/);
    expect(out).toMatch(/Join opens https?:\/\//);
    expect(out).toMatch(/Stopping the service the demo started/);
    // The emulator logs, summarised after each story.
    expect(out).toMatch(/POST \/sandbox\/xsi\/.*\/calls\/new {2}address="1006"/);
    expect(out).toMatch(/POST \/sandbox\/teams\/v3\/conversations\/.*\/activities\/.* card "Calling (Fleur Meijer \(1006\)|1006)"/);
    expect(out).toMatch(/POST \/sandbox\/webex\/v1\/meetings {2}title="Sprint review"/);
    expect(out).toMatch(/POST \/sandbox\/slack\/response\/demo-[0-9a-f]+ {2}text="Planned \*Sprint review\*/);
    expect(out).toMatch(/POST \/sandbox\/webex\/v1\/messages .*markdown="\*\*Anouk de Jong\*\* created \[KAN-\d+\]/);
    expect(out).toMatch(/the subscription a person makes by telling the bot "subscribe jira KEY"/);
    expect(out).toMatch(/writes it through the core subscriptions API/);
    // Issue 15: a filter set in the space keeps an issue labelled "intern" out of it.
    expect(out).toMatch(/bot: "Filter for Jira KAN: `not label=intern`"/);
    expect(out).toMatch(/KAN-\d+ \(label intern\) did not reach the space/);
    // Issue 15: the issue's second change goes into the first message's thread (Webex parentId),
    // with a one-line summary at the top level, as the status is important by default.
    const first = /The notification about KAN-\d+ starts the issue's thread in the space\n\s+message (\S+)/.exec(out)?.[1];
    expect(first).toBeDefined();
    expect(out).toContain(`in the thread of ${first}: "**Anouk de Jong** updated [KAN-`);
    expect(out).toMatch(/at the top level: "\[KAN-\d+\]\(.*\) Status: To Do → In Progress — Anouk de Jong"/);
    expect(out).toContain(`parentId="${first!.slice(0, 89)}`);
    // Issue 15: a reply in the notification's thread reaches Jira, attributed, and the bot confirms.
    expect(out).toMatch(/Jira comment: "Anna de Vries via Webex: Customer confirmed: dialling 0031 numbers works again\."/);
    expect(out).toMatch(/POST \/sandbox\/jira\/rest\/api\/3\/issue\/KAN-\d+\/comment/);
    expect(out).toMatch(/bot, in the thread: "Added your comment to KAN-\d+: https:\/\/kpn-een-demo\.atlassian\.net\/browse\/KAN-\d+\?focusedCommentId=\d+"/);
    expect(out).not.toMatch(/DEMO FAILED|DeprecationWarning/);
  }, 120_000);

  it('fails with a clear line and a non-zero exit when nothing answers at --url', async () => {
    const port = await freePort();
    const began = Date.now();
    const { code, out } = await runDemo(['--url', `http://127.0.0.1:${port}`]);
    expect(code).toBe(1);
    expect(out).toContain(`DEMO FAILED: story "start", step "reach the service at http://127.0.0.1:${port}": http://127.0.0.1:${port}/readyz did not answer within 3000 ms`);
    expect(out).not.toMatch(/PASS story/);
    expect(Date.now() - began).toBeLessThan(20_000);
  }, 30_000);

  it('refuses an unknown argument with usage and exit 2', async () => {
    const { code, out } = await runDemo(['--frobnicate']);
    expect(code).toBe(2);
    expect(out).toMatch(/DEMO FAILED: story "start", step "read the arguments": unknown argument "--frobnicate"/);
    expect(out).toMatch(/npm run demo \[-- --url http:\/\/host:port\]/);
  });

  describe('against a service that is already running (EEN_DEMO_URL)', () => {
    let dataDir: string;
    let service: RunningCli;
    let url: string;

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-demo-test-'));
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      service = spawnCli(['serve'], { EEN_PORT: String(port), EEN_HOST: '127.0.0.1', EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'warn' });
      await waitFor(async () => (await fetch(`${url}/readyz`)).ok, 30_000, 'the service to be ready');
    }, 40_000);
    afterAll(async () => {
      service.child.kill('SIGTERM');
      await service.exited;
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('uses it, twice in a row, and leaves it running', async () => {
      for (let run = 0; run < 2; run++) {
        const { code, out } = await runDemo([], { EEN_DEMO_URL: url, EEN_DATA_DIR: dataDir });
        expect({ run, code, tail: out.slice(-600) }).toMatchObject({ code: 0 });
        for (const line of passLines) expect(out).toMatch(line);
        expect(out).not.toMatch(/Stopping the service/);
        // The second run finds the Webex account the first one connected.
        if (run === 1) expect(out).toContain('(already connected: no OAuth needed)');
      }
      expect((await fetch(`${url}/readyz`)).ok).toBe(true);
    }, 90_000);

    it('names the story and step that failed when the service\'s store is not where EEN_DATA_DIR says', async () => {
      const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'een-demo-elsewhere-'));
      try {
        const { code, out } = await runDemo(['--url', url], { EEN_DATA_DIR: elsewhere });
        expect(code).toBe(1);
        expect(out).toMatch(/^PASS story a: /m);
        expect(out).toMatch(
          /^DEMO FAILED: story "b\. A Slack user schedules a meeting", step "The administrator gives u0demofleur@example\.com the Standaard licence[^"]*": the service's store \(.*\) refused: .*set EEN_DATA_DIR or DATABASE_URL to the running service's store$/m,
        );
        expect(out).not.toMatch(/PASS story b/);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    }, 60_000);
  });
});
