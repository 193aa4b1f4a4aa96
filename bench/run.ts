import { clickToDial } from './click-to-dial';
import { footprint } from './footprint';
import type { BenchResult } from './lib';
import { writePerformanceReport } from './report';
import { slackAck } from './slack-ack';

/** `npm run bench [name…]`: runs the benchmarks, writes bench/results/<name>.json, prints a table. */
const benchmarks: Record<string, () => Promise<BenchResult>> = {
  footprint: () => footprint(),
  'slack-ack': () => slackAck(),
  'click-to-dial': () => clickToDial(),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in benchmarks));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
    const result = await benchmarks[name]!();
    console.log(`\n${result.name}`);
    for (const [k, v] of Object.entries(result.metrics)) console.log(`  ${k.padEnd(28)} ${v}`);
    for (const t of result.targets) console.log(`  target ${t.name}: ${t.value} (${t.limit}) ${t.met ? 'met' : 'MISSED'}`);
  }
  console.log(`\nsummary written to ${writePerformanceReport()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
