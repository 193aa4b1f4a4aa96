// Build step (npm run build / prestart / pretest): bundles the tab's browser code with
// @microsoft/teams-js into one script, so teams-js lives in the page and not in the server.
import type { BuildResult } from 'esbuild';
import { bundleBrowserCode, runBundleStep } from '../../app/build/browser-bundle';
import { tabBundleFile, tabEntryPoint } from './bundle-paths';

export function bundleTab(outfile = tabBundleFile()): Promise<BuildResult> {
  return bundleBrowserCode(tabEntryPoint(), outfile);
}

if (require.main === module) runBundleStep('tab', tabBundleFile(), () => bundleTab());
