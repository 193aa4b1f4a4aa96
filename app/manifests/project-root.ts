import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The folder with een-bridge's package.json, whether running from source or from dist/. */
export function projectRoot(start = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'een-bridge') return dir;
    if (path.dirname(dir) === dir) throw new Error('cannot find the een-bridge package.json');
  }
}
