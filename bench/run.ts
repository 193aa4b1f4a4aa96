import { clickToDial } from './click-to-dial';
import { delivery } from './delivery';
import { footprint } from './footprint';
import type { BenchResult } from './lib';
import { writePerformanceReport } from './report';
import { slackAck } from './slack-ack';
import { webhookIngest } from './webhook-ingest';

/** `npm run bench [name…]`: runs the benchmarks, writes bench/results/<name>.json, prints a table. */
const benchmarks: Record<string, () => Promise<BenchResult>> = {
  footprint: () => footprint(),
  'slack-ack': () => slackAck(),
  'click-to-dial': () => clickToDial(),
  'webhook-ingest': () => webhookIngest(),
  delivery: () => delivery(),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in benchmarks));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const began = Date.now();
  for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
    const started = Date.now();
    let result: BenchResult;
    try {
      result = await benchmarks[name]!();
    } catch (err) {
      // One broken benchmark must not cost the others' results; the run still fails.
      console.error(`\n${name} failed:`, err);
      process.exitCode = 1;
      continue;
    }
    console.log(`\n${result.name} (${Math.round((Date.now() - started) / 1000)} s)`);
    for (const [k, v] of Object.entries(result.metrics)) console.log(`  ${k.padEnd(28)} ${v}`);
    for (const t of result.targets) console.log(`  target ${t.name}: ${t.value} (${t.limit}) ${t.met ? 'met' : 'MISSED'}`);
  }
  console.log(`\nall benchmarks took ${Math.round((Date.now() - began) / 1000)} s; summary written to ${writePerformanceReport()}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
