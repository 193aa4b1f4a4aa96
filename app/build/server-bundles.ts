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
 * 2-CPU machine under a load average of 2 to 4). Each must run unchanged from one file:
 * no files of its own read by path at run time, no native addon.
 */
export const SERVER_BUNDLES: readonly string[] = ['kysely', 'zod', 'prom-client'];

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
    await build({ entryPoints: [entry], outfile, bundle: true, format: 'cjs', platform: 'node', target: ['node20'], legalComments: 'inline', logLevel: 'warning' });
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
