import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface Probe {
  file: string;
  code: string;
}

/**
 * Lints probe snippets with the project's real ESLint config. ESLint loads its config with a
 * dynamic import, which Jest's VM refuses, so this runs in a plain Node child process.
 */
function lint(probes: Probe[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const path = require('node:path');
    const probes = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const p of probes) {
        const [r] = await eslint.lintText(p.code, { filePath: path.join(process.cwd(), p.file) });
        out.push(r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(probes), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

const forbiddenInCore: [string, RegExp][] = [
  ["import { x } from '../teams-app/bot';", /must not import an adapter/],
  ["import { x } from '../../slack-app';", /must not import an adapter/],
  ["import { x } from '../sandbox/emulator';", /sandbox/],
  ["import { CloudAdapter } from 'botbuilder';", /chat-platform SDK/],
  ["import { App } from '@slack/bolt';", /chat-platform SDK/],
  ["import Framework from 'webex-node-bot-framework';", /chat-platform SDK/],
];

describe('the architecture rules', () => {
  const results = lint([
    ...forbiddenInCore.map(([code]) => ({ file: 'core/calling/example.ts', code })),
    { file: 'core/calling/example.ts', code: "import { UserError } from '../errors';" },
    { file: 'teams-app/bot.ts', code: "import { UserError } from '../core/errors';" },
    { file: 'teams-app/bot.ts', code: "import { UserError } from '../core';" },
    { file: 'webex-bot/index.ts', code: "import { SubscriptionRepository } from '../core/internal';" },
    { file: 'app/service.ts', code: "import { openStore } from '../core/store/store';" },
  ]);

  it.each(forbiddenInCore.map(([code, message], i) => [code, message, i] as const))('fail when core does %p', (_code, message, i) => {
    expect((results[i] ?? []).join('\n')).toMatch(message);
  });

  it('let core import its own modules', () => {
    expect(results[forbiddenInCore.length]).toEqual([]);
  });

  it('make adapters use the core only through core/index.ts', () => {
    expect((results[forbiddenInCore.length + 1] ?? []).join()).toMatch(/core\/index/);
    expect(results[forbiddenInCore.length + 2]).toEqual([]);
    expect((results[forbiddenInCore.length + 3] ?? []).join()).toMatch(/core\/index/);
  });

  it('let the composition root (app/) import core internals', () => {
    expect(results[forbiddenInCore.length + 4]).toEqual([]);
  });
});

describe('the front door (core/index.ts)', () => {
  // Issue 14: façades, ports, value types, errors, i18n and config; not tables, migrations or
  // repositories, which app/ takes from core/internal.ts.
  const internals = ['openStore', 'migrateToLatest', 'SubscriptionRepository', 'subscriptionsForAll', 'ThreadRepository', 'SpaceSettingsRepository', 'UpstreamHealthRepository', 'GraphSubscriptionStore', 'SourceAllowList', 'SpaceWriters', 'ThreadItems', 'lockForTransaction'];

  it('exports the façades and leaves the store and its repositories to core/internal.ts', async () => {
    const front = (await import('../../core')) as Record<string, unknown>;
    const inner = (await import('../../core/internal')) as Record<string, unknown>;
    for (const name of ['Subscriptions', 'Identity', 'Calling', 'MeetingService', 'chooseLanguage', 'operatorActor']) expect(front[name]).toBeDefined();
    const leaked = internals.filter((name) => name in front);
    expect(leaked).toEqual([]);
    expect(internals.filter((name) => inner[name] !== undefined).length).toBeGreaterThanOrEqual(8);
  });
});
