import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { commands } from '../../app/commands';
import { root } from '../helpers/built';

// Issue 16: the README in the order a newcomer reads, under 150 lines, everything else in docs/,
// and no link that leads nowhere (a moved section must be findable where the README says).
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const docs = readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));

describe('README.md', () => {
  it('is under 150 lines', () => {
    expect(readme.split('\n').length).toBeLessThan(150);
  });

  it('reads in a newcomer\'s order: what it is (with the screenshot), two commands, demo, try it, configuration, operating, developing', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Two commands', 'The demo', 'Try it yourself in the console', 'Configuration', 'Operating', 'Developing']);
    expect(readme.indexOf('docs/images/console.png')).toBeLessThan(readme.indexOf('## Two commands'));
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    expect(readme).toContain('npm run demo');
    const png = readFileSync(path.join(root, 'docs/images/console.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('names only een-bridge commands that exist', () => {
    const named = new Set([...readme.matchAll(/`een-bridge ([a-z-]+)/g)].map((m) => m[1]));
    const known = new Set(commands.map((c) => c.name));
    expect([...named].filter((n) => !known.has(n!))).toEqual([]);
  });

  it.each(['README.md', ...docs])('%s links only to files and anchors that exist', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue;
      const [relative, anchor] = target!.split('#');
      const resolved = path.join(root, path.dirname(file), relative!);
      if (!existsSync(resolved)) {
        broken.push(target!);
        continue;
      }
      // Anchors we set ourselves (<a id="…">) must be there; GitHub's heading anchors are not checked.
      if (anchor && relative!.endsWith('.md') && readFileSync(resolved, 'utf8').includes('<a id=') && !readFileSync(resolved, 'utf8').includes(`<a id="${anchor}">`)) broken.push(target!);
    }
    expect(broken).toEqual([]);
  });
});
