import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resultsDir, root, type BenchResult } from './lib';

/**
 * docs/performance.md from every bench/results/*.json: one table per benchmark with its
 * metrics and targets, so the numbers in the docs are always the last measured ones.
 */
export function writePerformanceReport(): string {
  const file = path.join(root, 'docs', 'performance.md');
  const results = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8')) as BenchResult)
    : [];
  const lines = [
    '# Performance',
    '',
    'Written by `npm run bench` from `bench/results/*.json`; every benchmark measures een-bridge',
    'and its baseline in the same run on the same machine, so the ratios mean more than the',
    'absolute numbers (shared machines drift).',
    '',
    '| benchmark | target | measured | met |',
    '|---|---|---|---|',
    ...results.flatMap((r) => r.targets.map((t) => `| ${r.name} | ${t.name} ${t.limit} | ${t.value} | ${t.met ? 'yes' : '**no**'} |`)),
    '',
  ];
  for (const r of results) {
    lines.push(`## ${r.name}`, '', `Measured ${r.at} on Node ${r.node}, ${r.cpus} CPUs.`, '', '| metric | value |', '|---|---|');
    for (const [k, v] of Object.entries(r.metrics)) lines.push(`| ${k} | ${v} |`);
    lines.push('');
  }
  writeFileSync(file, lines.join('\n'));
  return file;
}
