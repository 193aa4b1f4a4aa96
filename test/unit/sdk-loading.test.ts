import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { assertBuilt, root } from '../helpers/built';

/**
 * Issue 17 (footprint): a deployment that switches a system off must not load that system's SDK
 * at all. The compiled service is started in a child process, and once it is listening the child
 * prints the npm packages in require.cache (every module CommonJS has loaded) and stops.
 */
function packagesLoadedBy(env: Record<string, string>): { atStart: string[]; packages: string[]; webhooks: string[]; files: Record<string, number> } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-sdk-loading-'));
  const script = `
    const { startService } = require(${JSON.stringify(path.join(root, 'dist/app/service.js'))});
    const { loadConfig, createLogger } = require(${JSON.stringify(path.join(root, 'dist/core/index.js'))});
    (async () => {
      const config = loadConfig(process.env);
      const service = await startService({ config, log: createLogger({ level: 'error' }) });
      const loaded = () => {
        const packages = new Set();
        const files = {};
        for (const file of Object.keys(require.cache)) {
          const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file.slice(file.lastIndexOf('node_modules')));
          if (!m) continue;
          const name = m[1].replace(/\\\\/g, '/');
          packages.add(name);
          files[name] = (files[name] || 0) + 1;
        }
        return { packages, files };
      };
      const atStart = loaded().packages;
      // The first request to the Teams and Slack routes (any body will do: it is refused after the load).
      for (const route of ['/api/messages', '/slack/events']) {
        await fetch(service.url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      }
      const { packages, files } = loaded();
      // Which webhooks the bot framework registered through the SDK (sandbox only: the emulator's list).
      const hooks = service.emulators.length === 0 ? [] : await fetch(service.url + '/sandbox/webex/v1/webhooks', { headers: { authorization: 'Bearer ' + ${JSON.stringify(SANDBOX_WEBEX_BOT_TOKEN)} } })
        .then((r) => r.json()).then((b) => b.items.map((w) => w.resource + ' ' + w.targetUrl.replace(service.url, '')));
      await service.stop();
      process.stdout.write('WEBHOOKS ' + JSON.stringify(hooks.sort()) + '\\n');
      process.stdout.write('AT_START ' + JSON.stringify([...atStart].sort()) + '\\n');
      process.stdout.write('PACKAGES ' + JSON.stringify([...packages].sort()) + '\\n');
      process.stdout.write('FILES ' + JSON.stringify(files) + '\\n');
      // The service is stopped: nothing should keep the child alive; unref'd timers end with it.
      process.exitCode = 0;
    })().catch((err) => { console.error(err); process.exitCode = 1; });
  `;
  try {
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', EEN_DATA_DIR: dataDir, EEN_PORT: '0', EEN_HOST: '127.0.0.1', EEN_LOG_LEVEL: 'error', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = (tag: string) => r.stdout.split('\n').find((l) => l.startsWith(`${tag} `))?.slice(tag.length + 1);
    const atStart = line('AT_START');
    const packages = line('PACKAGES');
    const webhooks = line('WEBHOOKS');
    const files = line('FILES');
    if (r.status !== 0 || !atStart || !packages || !webhooks || !files) throw new Error(`the service did not start: ${r.stderr}`);
    return { atStart: JSON.parse(atStart) as string[], packages: JSON.parse(packages) as string[], webhooks: JSON.parse(webhooks) as string[], files: JSON.parse(files) as Record<string, number> };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const SDKS = ['botbuilder', 'botframework-connector', '@slack/bolt', '@slack/web-api', 'webex', 'webex-node-bot-framework', '@azure/msal-node', 'pg', 'chrono-node'];

describe('which SDKs the service loads', () => {
  beforeAll(() => assertBuilt());

  it('loads no system SDK, no msal, no pg, no chrono-node and no libphonenumber when every system is off on SQLite', () => {
    const loaded = packagesLoadedBy({ EEN_SANDBOX: 'off', EEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).packages;
    // The check sees packages at all: restify serves every deployment.
    expect(loaded).toContain('restify');
    // But not restify's plugins, of which een-bridge uses one (inbound/restify-server.ts): formidable is its multipart parser's.
    expect(loaded).not.toContain('formidable');
    expect(loaded.filter((p) => SDKS.includes(p) || p.startsWith('@webex/'))).toEqual([]);
    // Its metadata (about 10 MB) only once a number is parsed: calling is off here.
    expect(loaded).not.toContain('libphonenumber-js');
  }, 90_000);

  it('loads each SDK when its system is on (the sandbox turns every system on): Teams and Slack at their first request', () => {
    const { atStart, packages: loaded, webhooks, files } = packagesLoadedBy({});
    // Not before the service is ready: botbuilder and @slack/bolt are loaded by their routes' first request.
    expect(atStart).toContain('webex-node-bot-framework');
    expect(atStart.filter((p) => ['botbuilder', 'botframework-connector', '@slack/bolt', '@slack/web-api', '@azure/msal-node'].includes(p))).toEqual([]);
    // Nor jose: the sandbox's Teams and Entra emulators and the Teams tab load it at their first token.
    expect(atStart).not.toContain('jose');
    // The lighter Webex SDK still does the framework's work: its two webhooks were registered.
    expect(webhooks).toEqual(['all /webex/events', 'attachmentActions /webex/events']);
    expect(loaded).toEqual(expect.arrayContaining(['botbuilder', '@slack/bolt', 'webex-node-bot-framework']));
    // The Webex SDK's meetings and calendar plugins are never used by the bot framework.
    expect(loaded).not.toContain('@webex/plugin-meetings');
    expect(loaded).not.toContain('@webex/internal-plugin-calendar');
    // Nor the babel polyfill, nor the Mercury/conversation plugins' encryption (webex-bot/slim-webex.ts).
    expect(loaded).not.toContain('@babel/polyfill');
    expect(loaded).not.toContain('@webex/internal-plugin-encryption');
    expect(loaded).not.toContain('node-jose');
    // Of validator, only the framework's isEmail and isURL and what they use, not its 113 modules.
    expect(files['validator']).toBeGreaterThan(0);
    expect(files['validator']).toBeLessThan(20);
  }, 90_000);
});
