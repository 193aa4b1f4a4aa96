import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

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
  // HTTP out of core (issue 14): the server, routes and their plumbing are inbound/'s.
  ["import restify from 'restify';", /must not serve HTTP/],
  ["import type { Server } from 'restify';", /must not serve HTTP/],
  ["import http from 'node:http';", /must not serve HTTP/],
  ["import http from 'http';", /must not serve HTTP/],
  ["import https from 'node:https';", /must not serve HTTP/],
  ["import { createHttpServer } from '../../inbound';", /inbound HTTP edge/],
  ["import { sendError } from '../inbound/respond';", /inbound HTTP edge/],
  ["import { sendConsoleFailure } from '../console/failure';", /must not import an adapter/],
];

/** Files that may not import core/internal.ts, and files that may. */
const internalProbes: Probe[] = [
  { file: 'console/admin.ts', code: "import { UserDirectory } from '../core/internal';" },
  { file: 'teams-app/tab/tab-routes.ts', code: "import type { UserDirectory } from '../../core/internal';" },
  { file: 'slack-app/mount.ts', code: "import { SecretStore } from '../core/internal';" },
  { file: 'inbound/webex-oauth.ts', code: "import type { Database } from '../core/internal';" },
  { file: 'sandbox/emulator.ts', code: "import { openStore } from '../core/internal';" },
  { file: 'webex-bot/following.ts', code: "export { FollowRequests } from '../core/internal';" },
];
const internalAllowed: Probe[] = [
  { file: 'app/administration.ts', code: "import { People } from '../core/internal';" },
  { file: 'app/commands/impl/policy.ts', code: "import { DialPolicies } from '../../../core/internal';" },
  { file: 'bench/run.ts', code: "import { openStore } from '../core/internal';" },
  { file: 'demo/run.ts', code: "import { openStore } from '../core/internal';" },
  { file: 'test/unit/example.test.ts', code: "import { openStore } from '../../core/internal';" },
];

describe('the architecture rules', () => {
  const results = lint([
    ...forbiddenInCore.map(([code]) => ({ file: 'core/calling/example.ts', code })),
    { file: 'core/calling/example.ts', code: "import { UserError } from '../errors';" },
    { file: 'teams-app/bot.ts', code: "import { UserError } from '../core/errors';" },
    { file: 'teams-app/bot.ts', code: "import { UserError } from '../core';" },
    // inbound/ reaches the core through its front door only, and knows no chat adapter.
    { file: 'inbound/example.ts', code: "import { UserError } from '../core/errors';" },
    { file: 'inbound/example.ts', code: "import { UserError } from '../core';" },
    { file: 'inbound/example.ts', code: "import { mountSlackApp } from '../slack-app/mount';" },
    { file: 'inbound/example.ts', code: "import { App } from '@slack/bolt';" },
    // Adapters take the server plumbing from inbound/index.ts.
    { file: 'slack-app/receiver.ts', code: "import { sendError } from '../inbound/respond';" },
    { file: 'slack-app/receiver.ts', code: "import { sendError } from '../inbound';" },
    { file: 'webex-bot/index.ts', code: "import { SubscriptionRepository } from '../core/internal';" },
    { file: 'app/service.ts', code: "import { openStore } from '../core/store/store';" },
    // core/internal.ts is app/'s, bench/'s, demo/'s and the tests' door, never an adapter's (issue 14).
    ...internalProbes,
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
    expect((results[forbiddenInCore.length + 9] ?? []).join()).toMatch(/core\/index/);
  });

  it('let the composition root (app/) import core internals', () => {
    expect(results[forbiddenInCore.length + 10]).toEqual([]);
  });

  it.each(internalProbes.map((p, i) => [p.file, p.code, i] as const))('forbid %s to import core/internal.ts (%s)', (_file, _code, i) => {
    expect((results[forbiddenInCore.length + 11 + i] ?? []).join('\n')).toMatch(/core\/internal\.ts \(the store, its tables and repositories\) is for app\//);
  });

  it('let app/, bench/, demo/ and tests import core/internal.ts', () => {
    expect(lint(internalAllowed)).toEqual(internalAllowed.map(() => []));
  });

  it('make inbound/ use the core only through core/index.ts, and no chat adapter or SDK', () => {
    const at = forbiddenInCore.length + 3;
    expect((results[at] ?? []).join()).toMatch(/core\/index/);
    expect(results[at + 1]).toEqual([]);
    expect((results[at + 2] ?? []).join()).toMatch(/chat adapter/);
    expect((results[at + 3] ?? []).join()).toMatch(/chat-platform SDK/);
  });

  it('make adapters use inbound/ only through inbound/index.ts', () => {
    const at = forbiddenInCore.length + 7;
    expect((results[at] ?? []).join()).toMatch(/inbound\/index/);
    expect(results[at + 1]).toEqual([]);
  });
});

describe('the front door (core/index.ts)', () => {
  // Issue 14: façades, ports, value types, errors, i18n and config; not tables, migrations or
  // repositories, which app/ takes from core/internal.ts.
  const internals = ['openStore', 'migrateToLatest', 'SubscriptionRepository', 'subscriptionsForAll', 'ThreadRepository', 'SpaceSettingsRepository', 'UpstreamHealthRepository', 'GraphSubscriptionStore', 'SourceAllowList', 'SpaceWriters', 'ThreadItems', 'lockForTransaction', 'DigestSchedules', 'HealthMonitor', 'GraphDriveWatcher', 'SpaceAccess', 'TrelloApi', 'WebexMeetingsClient'];

  it('exports the façades and leaves the store and its repositories to core/internal.ts', async () => {
    const front = (await import('../../core')) as Record<string, unknown>;
    const inner = (await import('../../core/internal')) as Record<string, unknown>;
    for (const name of ['Subscriptions', 'Identity', 'Calling', 'MeetingService', 'chooseLanguage', 'operatorActor']) expect(front[name]).toBeDefined();
    const leaked = internals.filter((name) => name in front);
    expect(leaked).toEqual([]);
    expect(internals.filter((name) => inner[name] !== undefined).length).toBeGreaterThanOrEqual(8);
  });

  it('leaves out the directory, the secret store and vault, the dial policy store, the follow requests, the console session ledger and the store\'s types', () => {
    // Types leave no trace at run time, so the names are read with the TypeScript checker.
    const [names, inside, schema] = exportedNames(['core/index.ts', 'core/internal.ts', 'core/store/schema.ts']) as [Set<string>, Set<string>, Set<string>];
    const kept = ['UserDirectory', 'SecretStore', 'TokenVault', 'DialPolicyStore', 'FollowRequests', 'ConsoleSessionLedger', 'Store', 'Database', 'SlackInstallations', 'ReplayGuard', 'LineLinker', 'DialGuard', 'RestrictedItems', 'createCallingService', 'createNotifications', 'WebexSeenEvents', 'ServedOrganisations', 'Outbox'];
    expect(kept.filter((name) => names.has(name))).toEqual([]);
    expect(kept.filter((name) => !inside.has(name))).toEqual([]);
    // Nothing of the store's schema but the licence tiers (a value type people are given).
    expect([...schema].filter((name) => names.has(name))).toEqual(['LicenceTier', 'licenceTiers']);
    // The ports the adapters take instead.
    for (const port of ['People', 'DialPolicies', 'FollowRequestQueue', 'ConsoleSessions', 'Sealer', 'sealerFor', 'WorkspaceInstallations', 'SeenSignatures', 'DeliveryFacts']) expect(names.has(port)).toBe(true);
  }, 60_000);

});

/** Every name each module exports, values and types, as the TypeScript checker sees them (one program for all). */
function exportedNames(files: string[]): Set<string>[] {
  const options = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!.options;
  const program = ts.createProgram(files.map((f) => path.join(root, f)), { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  return files.map((file) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(path.join(root, file))!)!;
    return new Set(checker.getExportsOfModule(module).map((s) => s.name).sort());
  });
}

/** Every module specifier a source file imports, re-exports or requires. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*'([^']+)'|(?:^|\n)\s*import\s*'([^']+)'|\b(?:import|require)\(\s*'([^']+)'\s*\)/g)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'browser' && entry.name !== 'static') out.push(...sourceFiles(rel));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Where a relative specifier lands, as a path from the repository root (`core/index`, `inbound/respond`). */
function target(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.relative(root, path.resolve(root, path.dirname(file), specifier)).split(path.sep).join('/');
}

const ADAPTERS = ['teams-app', 'slack-app', 'webex-bot', 'console'];
const HTTP_SERVERS = /^(?:node:)?(?:https?|http2)$|^restify(?:-|$)|^express$|^fastify$/;
const CHAT_SDKS = /^(?:botbuilder|botframework-|@slack\/|webex-node-bot-framework$|@microsoft\/teams-js$)/;

describe('the tree as it is', () => {
  const offences = (dirs: string[], rule: (file: string, specifier: string, to: string | undefined) => boolean): string[] =>
    dirs.flatMap(sourceFiles).flatMap((file) => importsOf(path.join(root, file)).filter((s) => rule(file, s, target(file, s))).map((s) => `${file} -> ${s}`));

  it('has a core that imports no adapter, no inbound, no HTTP framework and no chat SDK', () => {
    const files = sourceFiles('core');
    expect(files.length).toBeGreaterThan(50);
    expect(offences(['core'], (_f, s, to) => HTTP_SERVERS.test(s) || CHAT_SDKS.test(s) || (to !== undefined && !to.startsWith('core/')))).toEqual([]);
  });

  it('has no adapter, inbound/ or sandbox file that imports core/internal.ts', () => {
    expect(offences([...ADAPTERS, 'inbound', 'sandbox'], (_f, _s, to) => to === 'core/internal')).toEqual([]);
    // The scan sees the composition root's imports of it (so an empty list above means something).
    expect(offences(['app'], (_f, _s, to) => to === 'core/internal').length).toBeGreaterThan(0);
  });

  it('has adapters that import the core only through core/index.ts and inbound/ only through inbound/index.ts', () => {
    const deep = (to: string | undefined) => to !== undefined && ((to.startsWith('core/') && to !== 'core/index') || (to.startsWith('inbound/') && to !== 'inbound/index'));
    expect(offences(ADAPTERS, (_f, _s, to) => deep(to))).toEqual([]);
  });

  it('has no import circle in the core (the store\'s went through store.ts, migrations and each capability\'s tables)', () => {
    // Every relative import, `import type` included: a circle of types is still a circle a reader follows.
    const resolve = (file: string, specifier: string): string | undefined => {
      const to = target(file, specifier);
      if (to === undefined) return undefined;
      return [`${to}.ts`, `${to}/index.ts`].find((candidate) => existsSync(path.join(root, candidate)));
    };
    const files = sourceFiles('core').map((f) => f.split(path.sep).join('/'));
    const edges = new Map(files.map((f) => [f, importsOf(path.join(root, f)).map((s) => resolve(f, s)).filter((t): t is string => t !== undefined)]));
    // Depth-first search; a file met again while still on the path closes a circle.
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === 'open') circles.push([...trail.slice(trail.indexOf(next)), file, next].join(' -> '));
        else if (!state.has(next)) visit(next, [...trail, file]);
      }
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, []);
    expect(edges.get('core/store/migrations.ts')?.length).toBeGreaterThan(3);
    expect(circles).toEqual([]);
  });

  it('has an inbound/ that imports the core only through core/index.ts and no chat adapter or SDK', () => {
    expect(sourceFiles('inbound').length).toBeGreaterThan(5);
    // The scan sees imports at all: the server is restify's, and takes the core through its door.
    expect(importsOf(path.join(root, 'inbound/server.ts'))).toEqual(expect.arrayContaining(['node:http', 'restify', '../core']));
    expect(offences(['inbound'], (_f, s, to) => CHAT_SDKS.test(s) || (to !== undefined && !to.startsWith('inbound/') && to !== 'core' && to !== 'core/index'))).toEqual([]);
  });
});
