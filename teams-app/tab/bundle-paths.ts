import { existsSync } from 'node:fs';
import path from 'node:path';

/** The package root, found from this module both in the source tree and in dist/. */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The browser code's entry point (TypeScript, type-checked by teams-app/tab/browser/tsconfig.json). */
export const tabEntryPoint = () => path.join(packageRoot(), 'teams-app/tab/browser/tab.ts');

/** Where the build writes the tab's browser bundle, and where /tab/tab.js serves it from. */
export const tabBundleFile = () => path.join(packageRoot(), 'dist/tab/tab.js');
