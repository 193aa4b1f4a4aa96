import { readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

/** The manifest app/build/server-bundles.ts writes beside its bundles. */
export const BUNDLES_MANIFEST = 'bundles.json';

/** One bundled package; paths relative to the manifest's directory. */
export interface BundledPackage {
  name: string;
  version: string;
  /** The installed entry file the bundle was made from (what `require(name)` resolves to). */
  entry: string;
  packageJson: string;
  bundle: string;
}

/**
 * Loads the packages the build bundled into one file each (app/build/server-bundles.ts: Kysely,
 * 276 modules that took about 100 ms to load on Node 20, 35 ms as one file, and zod; issue 17) in place of
 * the installed ones. A require resolves as always, and only a request that resolves to the very
 * entry file a bundle was made from, of the version it was made from, gets the bundle: a package
 * with its own copy of another version keeps it, and without a build's bundles (tests run from
 * source, a build that skipped the step) nothing changes. Called by app/use-bundled-packages.ts,
 * which bin/een-bridge.ts imports before anything that loads them.
 * Answers the bundles in use.
 */
export function useBundledPackages(dir = path.join(__dirname, '..', 'vendor')): string[] {
  let manifest: BundledPackage[];
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, BUNDLES_MANIFEST), 'utf8')) as BundledPackage[];
  } catch {
    return [];
  }
  const redirects = new Map<string, string>();
  for (const bundled of manifest) {
    try {
      const installed = JSON.parse(readFileSync(path.resolve(dir, bundled.packageJson), 'utf8')) as { version?: string };
      // Installed again at another version since the build: the bundle is not that code.
      if (installed.version === bundled.version) redirects.set(path.resolve(dir, bundled.entry), path.resolve(dir, bundled.bundle));
    } catch {
      // The package is no longer where it was built from: leave its requests alone.
    }
  }
  if (redirects.size === 0) return [];
  // Node's CommonJS resolver (node:module has no public hook for require() on Node 20; its
  // module.register covers ES modules only): the path it resolves is swapped after resolving.
  const resolver = Module as unknown as { _resolveFilename: (this: unknown, request: string, ...rest: unknown[]) => string };
  const resolve = resolver._resolveFilename;
  resolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    const resolved = resolve.call(this, request, ...rest);
    return redirects.get(resolved) ?? resolved;
  };
  return [...redirects.values()];
}
