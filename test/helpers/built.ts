import { existsSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');
export const builtCli = path.join(root, 'dist/bin/een-bridge.js');

/** Process tests run the compiled service; `npm test` builds it first (pretest). */
export function assertBuilt(): void {
  if (!existsSync(builtCli)) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
}
