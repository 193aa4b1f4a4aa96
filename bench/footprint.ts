import { spawn } from 'node:child_process';
import { freePort, rssOf, startService, waitFor, writeResult, type BenchResult } from './lib';

/**
 * Start-up time to /readyz 200 and idle RSS of the service, against a bare node:http server
 * started the same way in the same run (the floor any Node service pays).
 */
export async function footprint(runs = 5): Promise<BenchResult> {
  const serviceMs: number[] = [];
  const baselineMs: number[] = [];
  let idleRss = 0;
  let baselineRss = 0;
  for (let i = 0; i < runs; i++) {
    const { service, startedAt } = startService();
    await waitFor(`${service.url}/readyz`);
    serviceMs.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
    await new Promise((r) => setTimeout(r, 2000));
    idleRss = Math.max(idleRss, service.rssBytes());
    await service.stop();

    const port = freePort();
    const begun = process.hrtime.bigint();
    const bare = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => { s.statusCode = 200; s.end('ok'); }).listen(${port}, '127.0.0.1')`]);
    await waitFor(`http://127.0.0.1:${port}/`);
    baselineMs.push(Number(process.hrtime.bigint() - begun) / 1e6);
    baselineRss = Math.max(baselineRss, rssOf(bare.pid));
    bare.kill();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const startMs = median(serviceMs);
  const bareMs = median(baselineMs);
  return writeResult({
    name: 'footprint',
    metrics: {
      startToReadyMs: Math.round(startMs),
      bareNodeStartMs: Math.round(bareMs),
      startRatioToBareNode: Number((startMs / bareMs).toFixed(2)),
      idleRssMB: Math.round(idleRss / 2 ** 20),
      bareNodeRssMB: Math.round(baselineRss / 2 ** 20),
    },
    targets: [
      { name: 'start-up to /readyz', value: Math.round(startMs), limit: '< 2000 ms', met: startMs < 2000 },
      { name: 'idle RSS', value: Math.round(idleRss / 2 ** 20), limit: '< 150 MB', met: idleRss < 150 * 2 ** 20 },
    ],
  });
}
