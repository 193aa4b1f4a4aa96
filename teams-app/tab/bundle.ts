// Build step (npm run build / prestart / pretest): bundles the tab's browser code with
// @microsoft/teams-js into one script, so teams-js lives in the page and not in the server.
// esbuild is a devDependency: the server never imports this module.
import { build, type BuildResult } from 'esbuild';
import { tabBundleFile, tabEntryPoint } from './bundle-paths';

export function bundleTab(outfile = tabBundleFile()): Promise<BuildResult> {
  return build({
    entryPoints: [tabEntryPoint()],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Teams clients run current Edge/Chrome (WebView2) and Safari; ES2020 covers them all.
    target: ['es2020'],
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

if (require.main === module) {
  bundleTab().then(
    () => process.stdout.write(`tab bundle written to ${tabBundleFile()}\n`),
    (err: unknown) => {
      process.stderr.write(`tab bundle failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
