// Build step (npm run build / prestart / pretest): bundles the console's browser code into one
// script, as teams-app/tab/bundle.ts does for the tab. esbuild is a devDependency: the server
// never imports this module.
import { build, type BuildResult } from 'esbuild';
import { consoleBundleFile, consoleEntryPoint } from './bundle-paths';

export function bundleConsole(outfile = consoleBundleFile()): Promise<BuildResult> {
  return build({
    entryPoints: [consoleEntryPoint()],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Current Edge, Chrome, Firefox and Safari; the same target as the tab.
    target: ['es2020'],
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

if (require.main === module) {
  bundleConsole().then(
    () => process.stdout.write(`console bundle written to ${consoleBundleFile()}\n`),
    (err: unknown) => {
      process.stderr.write(`console bundle failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
