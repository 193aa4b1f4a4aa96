import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleServerPackages, oneByteSource, SERVER_BUNDLES } from '../../app/build/server-bundles';
import { BUNDLES_MANIFEST, type BundledPackage } from '../../app/bundled-packages';
import { assertBuilt, builtCli, root } from '../helpers/built';

/**
 * The build bundles Kysely into one file (issue 17: 276 modules were about 100 ms of every CLI
 * command and start) and the compiled een-bridge loads it in place of the installed package,
 * only while it is the same code. Run in child processes: the swap changes Node's resolver.
 */
const runtime = path.join(root, 'dist/app/bundled-packages.js');

/** In a fresh node: swaps in the bundles of `dir`, then uses Kysely over SQLite; answers what it loaded. */
function useIn(dir: string): { used: string[]; resolved: string; installedFilesLoaded: number; answer: unknown } {
  const script = `
    const { useBundledPackages } = require(${JSON.stringify(runtime)});
    const used = useBundledPackages(${JSON.stringify(dir)});
    const { Kysely, SqliteDialect, sql } = require('kysely');
    const Database = require('better-sqlite3');
    const db = new Kysely({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    sql\`select 41 + 1 as answer\`.execute(db).then(async ({ rows }) => {
      await db.destroy();
      const installedFilesLoaded = Object.keys(require.cache).filter((f) => f.includes('/node_modules/kysely/')).length;
      process.stdout.write(JSON.stringify({ used, resolved: require.resolve('kysely'), installedFilesLoaded, answer: rows[0].answer }));
    });`;
  const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as ReturnType<typeof useIn>;
}

describe('the bundled server packages', () => {
  let dir: string;
  beforeAll(assertBuilt);
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-bundles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are loaded in place of the installed package they were made from, and work as it does', async () => {
    const [kysely] = await bundleServerPackages(dir, ['kysely']);
    expect(kysely).toMatchObject({ name: 'kysely', bundle: 'kysely.js' });
    const bundle = path.join(dir, 'kysely.js');
    expect(useIn(dir)).toEqual({ used: [bundle], resolved: bundle, installedFilesLoaded: 0, answer: 42 });
  }, 60_000);

  it('are left alone once the package is installed at another version, or when the build made none', async () => {
    await bundleServerPackages(dir, ['kysely']);
    const manifest = path.join(dir, BUNDLES_MANIFEST);
    const [kysely] = JSON.parse(readFileSync(manifest, 'utf8')) as BundledPackage[];
    writeFileSync(manifest, JSON.stringify([{ ...kysely, version: '0.0.1' }]));
    const stale = useIn(dir);
    expect(stale).toMatchObject({ used: [], resolved: path.join(root, 'node_modules/kysely/dist/cjs/index.js'), answer: 42 });
    expect(stale.installedFilesLoaded).toBeGreaterThan(100);
    rmSync(manifest);
    expect(useIn(dir)).toMatchObject({ used: [], installedFilesLoaded: stale.installedFilesLoaded, answer: 42 });
  }, 60_000);

  it('hold their source one byte a character, without comments, and still work', async () => {
    // V8 keeps a script's source in the heap as long as the script lives, two bytes a character
    // as soon as one character is above Latin-1: zod's bundle was a 1.9 MB string for one em
    // dash in a comment (issue 17, footprint). Built here from the installed packages.
    const bundled = await bundleServerPackages(dir, ['zod', 'lodash']);
    for (const b of bundled) {
      const text = readFileSync(path.join(dir, b.bundle), 'utf8');
      expect(text).not.toMatch(/[\u0100-\uffff]/);
    }
    // Without comments: lodash.js documents _.chunk with this sentence.
    expect(readFileSync(require.resolve('lodash'), 'utf8')).toContain('Creates an array of elements split into groups');
    expect(readFileSync(path.join(dir, 'lodash.js'), 'utf8')).not.toContain('Creates an array of elements split into groups');
    const script = `
      require(${JSON.stringify(runtime)}).useBundledPackages(${JSON.stringify(dir)});
      const _ = require('lodash');
      const { z } = require('zod');
      process.stdout.write(JSON.stringify({ lodash: require.resolve('lodash'), chunks: _.chunk([1, 2, 3], 2), parsed: z.object({ a: z.string().min(2, 'te kort — too short') }).safeParse({ a: 'x' }).error.issues[0].message }));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ lodash: path.join(dir, 'lodash.js'), chunks: [[1, 2], [3]], parsed: 'te kort — too short' });
  }, 60_000);

  it('write what is above Latin-1 as \\u escapes (left only in licence comments)', () => {
    expect(oneByteSource('/*! © Ünïcode — “quoted” 😀 */ x')).toBe('/*! © Ünïcode \\u2014 \\u201cquoted\\u201d \\ud83d\\ude00 */ x');
    expect(SERVER_BUNDLES).toEqual(expect.arrayContaining(['kysely', 'zod', 'lodash']));
  });

  it('are what the built een-bridge loads for a command that opens the store', () => {
    if (!existsSync(path.join(root, 'dist/vendor', BUNDLES_MANIFEST))) throw new Error('dist/vendor is missing: run `npm run build` (npm test does it for you)');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-bundles-cli-'));
    const listLoaded = path.join(dataDir, 'list-loaded.js');
    writeFileSync(listLoaded, `process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));`);
    try {
      const run = spawnSync(process.execPath, ['-r', listLoaded, builtCli, 'policy', 'show'], { cwd: dataDir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', EEN_DATA_DIR: dataDir } });
      expect(run.status).toBe(0);
      const loaded = JSON.parse(run.stderr) as string[];
      expect(loaded).toContain(path.join(root, 'dist/vendor/kysely.js'));
      expect(loaded.filter((f) => f.includes('/node_modules/kysely/'))).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
