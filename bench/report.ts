import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resultsDir, root, type BenchResult, type Figure } from './lib';

// JSON turns NaN into null, so a value read back may be null whatever the type says.
const fmt = (x: number | undefined): string => (typeof x !== 'number' || Number.isNaN(x) ? '—' : String(x));

/** A result written before figures existed shows its targets, without baselines. */
function figuresOf(r: BenchResult): Figure[] {
  if (r.figures && r.figures.length > 0) return r.figures;
  return r.targets.map((t) => ({ name: t.name, value: t.value, unit: '', target: t.limit, met: t.met }));
}

function row(benchmark: string, f: Figure): string {
  const measured = `${fmt(f.value)}${f.unit ? ` ${f.unit}` : ''}`;
  const baseline = f.baseline ? `${f.baseline.name}: ${fmt(f.baseline.value)}${f.unit ? ` ${f.unit}` : ''}` : '—';
  const met = f.met === undefined ? '—' : f.met ? 'met' : '**missed**';
  return `| ${benchmark} | ${f.name} | ${measured} | ${baseline} | ${fmt(f.ratio)} | ${f.target ?? '—'} | ${met} |`;
}

/**
 * docs/performance.md from every bench/results/*.json: one table of every figure with its
 * baseline (measured in the same run), the ratio and the target, then a section per benchmark
 * with how it was run and all its raw metrics, so the numbers in the docs are always the last
 * measured ones.
 */
export function writePerformanceReport(): string {
  const file = path.join(root, 'docs', 'performance.md');
  const results = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(path.join(resultsDir, f), 'utf8')) as BenchResult)
    : [];
  const commits = [...new Set(results.map((r) => r.commit).filter((c): c is string => c !== undefined))];
  const targets = results.flatMap((r) => figuresOf(r)).filter((f) => f.met !== undefined);
  const missed = targets.filter((f) => f.met === false).length;
  const lines = [
    '# Performance',
    '',
    'Written by `npm run bench` from `bench/results/*.json`; every benchmark measures een-bridge',
    'and its baseline in the same run on the same machine, so the ratios (measured ÷ baseline)',
    'mean more than the absolute numbers (shared machines drift).',
    '',
    `Commit${commits.length === 1 ? '' : 's'} measured: ${commits.length > 0 ? commits.map((c) => `\`${c}\``).join(', ') : 'unknown'}. ` +
      `Targets met: ${targets.length - missed} of ${targets.length}.`,
    '',
    '| benchmark | figure | measured | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...results.flatMap((r) => figuresOf(r).map((f) => row(r.name, f))),
    '',
  ];
  for (const r of results) {
    lines.push(`## ${r.name}`, '', `Measured ${r.at}${r.commit ? ` on commit \`${r.commit}\`` : ''}, Node ${r.node}, ${r.cpus} CPUs.`, '');
    if (r.notes && r.notes.length > 0) lines.push(...r.notes.map((n) => `- ${n}`), '');
    for (const t of r.tables ?? []) {
      lines.push(`### ${t.title}`, '', `| ${t.header.join(' | ')} |`, `|${t.header.map(() => '---').join('|')}|`, ...t.rows.map((row) => `| ${row.join(' | ')} |`), '');
    }
    lines.push('| metric | value |', '|---|---|');
    for (const [k, v] of Object.entries(r.metrics)) lines.push(`| ${k} | ${fmt(v)} |`);
    lines.push('');
  }
  writeFileSync(file, lines.join('\n'));
  return file;
}
