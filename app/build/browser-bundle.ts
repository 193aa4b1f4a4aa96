// Build step (npm run build / prestart / pretest) shared by the Teams tab and the console: each
// bundles its browser code into one script. esbuild is a devDependency: the server never imports
// this module.
import { build, type BuildResult } from 'esbuild';

/**
 * One IIFE script for current browsers: Teams clients run current Edge/Chrome (WebView2) and
 * Safari, and the console targets the same; ES2020 covers them all.
 */
export function bundleBrowserCode(entryPoint: string, outfile: string): Promise<BuildResult> {
  return build({
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

/** Runs a bundle step from the command line: one line on success, exit code 1 and the cause on failure. */
export function runBundleStep(what: string, outfile: string, step: () => Promise<unknown>): void {
  step().then(
    () => process.stdout.write(`${what} bundle written to ${outfile}\n`),
    (err: unknown) => {
      process.stderr.write(`${what} bundle failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
