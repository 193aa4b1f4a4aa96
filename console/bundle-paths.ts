import path from 'node:path';
import { packageRoot } from '../teams-app/tab/bundle-paths';

/** The browser code's entry point (type-checked by console/browser/tsconfig.json). */
export const consoleEntryPoint = () => path.join(packageRoot(), 'console/browser/console.ts');

/** Where the build writes the console's bundle, and where /console/console.js serves it from. */
export const consoleBundleFile = () => path.join(packageRoot(), 'dist/console/console.js');
