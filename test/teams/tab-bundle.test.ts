import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleTab } from '../../teams-app/tab/bundle';

// The build step itself (npm run build runs it into dist/tab/tab.js): esbuild's JS API bundles
// the TypeScript browser code with @microsoft/teams-js into one classic script.
describe('the Teams tab bundle', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'een-tab-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the page code and the parts of teams-js it uses, for a plain <script>', async () => {
    const outfile = path.join(dir, 'tab.js');
    const result = await bundleTab(outfile);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const code = readFileSync(outfile, 'utf8');
    // teams-js is inside (its "not in a Teams host" rejection), and the page's own code calls the sandbox.
    expect(code).toContain('No Parent window found');
    expect(code).toContain('/sandbox/teams/tab/token');
    // A browser script: no CommonJS, no ES module syntax left, no Node built-ins.
    expect(code).not.toMatch(/\brequire\(|^import |^export /m);
    // Tree-shaken: well under the 212 kB UMD build of teams-js that the page loaded before.
    expect(code.length).toBeLessThan(120_000);
  });
});
