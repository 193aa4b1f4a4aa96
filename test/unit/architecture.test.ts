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
  });
});
