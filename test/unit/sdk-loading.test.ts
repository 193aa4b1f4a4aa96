import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertBuilt, root } from '../helpers/built';

/**
 * Issue 17 (footprint): a deployment that switches a system off must not load that system's SDK
 * at all. The compiled service is started in a child process, and once it is listening the child
 * prints the npm packages in require.cache (every module CommonJS has loaded) and stops.
 */
function packagesLoadedBy(env: Record<string, string>): string[] {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-sdk-loading-'));
  const script = `
    const { startService } = require(${JSON.stringify(path.join(root, 'dist/app/service.js'))});
    const { loadConfig, createLogger } = require(${JSON.stringify(path.join(root, 'dist/core/index.js'))});
    (async () => {
      const config = loadConfig(process.env);
      const service = await startService({ config, log: createLogger({ level: 'error' }) });
      const packages = new Set();
      for (const file of Object.keys(require.cache)) {
        const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file.slice(file.lastIndexOf('node_modules')));
        if (m) packages.add(m[1].replace(/\\\\/g, '/'));
      }
      await service.stop();
      process.stdout.write('PACKAGES ' + JSON.stringify([...packages].sort()) + '\\n');
      process.exit(0);
    })().catch((err) => { console.error(err); process.exit(1); });
  `;
  try {
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', EEN_DATA_DIR: dataDir, EEN_PORT: '0', EEN_HOST: '127.0.0.1', EEN_LOG_LEVEL: 'error', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = r.stdout.split('\n').find((l) => l.startsWith('PACKAGES '));
    if (r.status !== 0 || !line) throw new Error(`the service did not start: ${r.stderr}`);
    return JSON.parse(line.slice('PACKAGES '.length)) as string[];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const SDKS = ['botbuilder', 'botframework-connector', '@slack/bolt', '@slack/web-api', 'webex', 'webex-node-bot-framework', '@azure/msal-node', 'pg'];

describe('which SDKs the service loads', () => {
  beforeAll(() => assertBuilt());

  it('loads no system SDK, no msal and no pg when every system is off on SQLite', () => {
    const loaded = packagesLoadedBy({ EEN_SANDBOX: 'off', EEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
    // The check sees packages at all: restify serves every deployment.
    expect(loaded).toContain('restify');
    expect(loaded.filter((p) => SDKS.includes(p) || p.startsWith('@webex/'))).toEqual([]);
  }, 90_000);

  it('loads each SDK when its system is on (the sandbox turns every system on)', () => {
    const loaded = packagesLoadedBy({});
    expect(loaded).toEqual(expect.arrayContaining(['botbuilder', '@slack/bolt', 'webex-node-bot-framework']));
    // The Webex SDK's meetings and calendar plugins are never used by the bot framework.
    expect(loaded).not.toContain('@webex/plugin-meetings');
    expect(loaded).not.toContain('@webex/internal-plugin-calendar');
  }, 90_000);
});
