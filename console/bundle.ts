// Build step (npm run build / prestart / pretest): bundles the console's browser code into one
// script, as teams-app/tab/bundle.ts does for the tab.
import type { BuildResult } from 'esbuild';
import { bundleBrowserCode, runBundleStep } from '../app/build/browser-bundle';
import { consoleBundleFile, consoleEntryPoint } from './bundle-paths';

export function bundleConsole(outfile = consoleBundleFile()): Promise<BuildResult> {
  return bundleBrowserCode(consoleEntryPoint(), outfile);
}

if (require.main === module) runBundleStep('console', consoleBundleFile(), () => bundleConsole());
