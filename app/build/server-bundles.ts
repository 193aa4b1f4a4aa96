// Build step (npm run build / prestart / pretest / bench): bundles the server-side packages in
// SERVER_BUNDLES into one file each, under dist/vendor, with bundles.json saying what each one
// replaces; app/bundled-packages.ts loads them in place of the installed packages. esbuild is a
// devDependency: the server never imports this module.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { runBundleStep } from './browser-bundle';
import { BUNDLES_MANIFEST, type BundledPackage } from '../bundled-packages';

/**
 * Loaded on every start and every CLI command that opens the store, and split into hundreds of
 * files: Kysely is 276 modules, about 100 ms to find, read and compile one by one on Node 20,
 * 35 ms as one file; zod 95 modules, 141 → 96 ms; prom-client (/metrics) with the
 * @opentelemetry/api it requires, 191 → 64 ms (issue 17, medians of 5 to 7 on this project's
 * 2-CPU machine under a load average of 2 to 4). lodash (restify's server and the Webex SDK
 * require it) and luxon (meetings, digests) are one file each already: they are here for the
 * size of their source text in memory (oneByteSource below). Each must run unchanged from one
 * file: no files of its own read by path at run time, no native addon.
 */
export const SERVER_BUNDLES: readonly string[] = ['kysely', 'zod', 'prom-client', 'lodash', 'luxon'];

/**
 * V8 keeps the source text of every script it compiles in the heap for as long as the script
 * lives (its functions are compiled lazily, from that text), one byte a character when all of it
 * is Latin-1 and two bytes otherwise. One em dash in a comment made zod's bundle a 1.9 MB string
 * and Kysely's 1.4 MB; lodash.js (restify and the Webex SDK require it) was 1.1 MB and luxon
 * 0.5 MB, mostly comments. So the bundles are written without comments and whitespace
 * (esbuild's minifyWhitespace: names and code stay as they were) and in ASCII (esbuild's
 * charset 'ascii' escapes every other character in strings, regular expressions and names);
 * what is left above Latin-1 can only be in a licence comment, where it is written as \uXXXX.
 * The five as source text: 5.0 → 1.5 MB of the sandbox's heap, whose large-object space went
 * 6.2-6.4 → 2.4-2.8 MB (issue 17, footprint). A stack trace from inside a bundle points into
 * its few long lines: with dist/vendor/bundles.json moved away the installed files load instead.
 */
export function oneByteSource(text: string): string {
  return text.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The package.json of the package whose entry file is `entry`: the nearest one above it that names the package. */
function packageJsonOf(name: string, entry: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === name) return file;
    } catch {
      // No package.json here: look one level up.
    }
  }
  throw new Error(`no package.json found for ${name} above ${entry}`);
}

/** Writes one CommonJS bundle per package into `outDir`, and the manifest (paths relative to `outDir`). */
export async function bundleServerPackages(outDir: string, names: readonly string[] = SERVER_BUNDLES): Promise<BundledPackage[]> {
  mkdirSync(outDir, { recursive: true });
  const bundled: BundledPackage[] = [];
  for (const name of names) {
    const entry = require.resolve(name);
    const packageJson = packageJsonOf(name, entry);
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    const outfile = path.join(outDir, `${name}.js`);
    const { outputFiles } = await build({ entryPoints: [entry], write: false, bundle: true, format: 'cjs', platform: 'node', target: ['node20'], legalComments: 'inline', charset: 'ascii', minifyWhitespace: true, logLevel: 'warning' });
    writeFileSync(outfile, oneByteSource(outputFiles[0]!.text));
    bundled.push({ name, version, entry: path.relative(outDir, entry), packageJson: path.relative(outDir, packageJson), bundle: path.relative(outDir, outfile) });
  }
  writeFileSync(path.join(outDir, BUNDLES_MANIFEST), JSON.stringify(bundled, null, 2) + '\n');
  return bundled;
}

/** dist/vendor, beside dist/app where this module runs from. */
export function serverBundlesDir(): string {
  return path.join(__dirname, '..', '..', 'vendor');
}

if (require.main === module) runBundleStep('server packages', serverBundlesDir(), () => bundleServerPackages(serverBundlesDir()));
