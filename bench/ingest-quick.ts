/**
 * One een-bridge ingest run, for A/B comparisons of a change (issue 17): the store and space
 * count of bench/webhook-ingest.ts's run, without its baselines, printing one JSON line and
 * writing no results file (bench/results holds full runs only). Run it alternately from the
 * builds of the two commits compared: on a shared machine single runs scatter by 2-3 ×.
 *
 *   node dist/bench/ingest-quick.js sqlite 3 [seconds] [connections] [deliver: 1|0] [profile]
 *
 * With `profile` the service runs under V8's CPU profiler and the line also holds where its
 * threads' time went (bench/ingest-profile.ts).
 */
import { profileRows } from './ingest-profile';
import { een, secret, type Pools } from './webhook-ingest';
import { preparePool, removePool } from './wrk-load';

async function main(): Promise<void> {
  const [kind = 'sqlite', spaces = '3', seconds = '5', connections = '50', deliver = '1', profile] = process.argv.slice(2);
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`unknown store ${kind}`);
  const s = Number(seconds);
  const pools: Pools = { warmup: preparePool(2 * 20_000, 'warmup', secret, 2_000_000), main: preparePool(s * 20_000, 'main', secret, 1_000_000) };
  try {
    const run = await een(kind, Number(spaces), s, Number(connections), pools, deliver !== '0', profile === 'profile');
    const acknowledged = run.warmupAcknowledged + run.saturated.acknowledged + (run.atRate?.acknowledged ?? 0);
    console.log(
      JSON.stringify({
        kind,
        spaces: Number(spaces),
        requestsPerSecond: run.saturated.requestsPerSecond,
        p50Ms: run.saturated.latencyMs.p50,
        p99Ms: run.saturated.latencyMs.p99,
        offered: run.offered,
        atRateRequestsPerSecond: run.atRate?.requestsPerSecond,
        atRateP50Ms: run.atRate?.latencyMs.p50,
        atRateP90Ms: run.atRate?.latencyMs.p90,
        atRateP99Ms: run.atRate?.latencyMs.p99,
        acknowledged,
        committed: run.committed,
        lost: Math.max(0, acknowledged - (run.committed ?? 0)),
        unrouted: run.unrouted,
        deliveries: run.deliveries,
        deliveryMismatch: Math.abs(((run.committed ?? 0) - (run.unrouted ?? 0)) * Number(spaces) - (run.deliveries ?? 0)),
        non2xx: run.saturated.non2xx + (run.atRate?.non2xx ?? 0),
        cpuUsPerRequest: run.cpuUsPerRequest?.process,
        mainThreadCpuUsPerRequest: run.cpuUsPerRequest?.mainThread,
        databaseCpuUsPerRequest: run.databaseCpuUsPerRequest,
        atRateEventLoopDelayMs: run.atRateEventLoopDelayMs,
        ...(run.profile ? { profile: profileRows(run.profile) } : {}),
      }),
    );
  } finally {
    removePool(pools.warmup);
    removePool(pools.main);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
