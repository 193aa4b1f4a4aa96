import { spawn } from 'node:child_process';
import { figure, freePort, rssOf, startService, targetsOf, waitFor, writeResult, type BenchResult } from './lib';

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
  const rssMB = Math.round(idleRss / 2 ** 20);
  const figures = [
    figure('start-up to /readyz 200', Math.round(startMs), 'ms', { baseline: { name: 'bare node:http start', value: Math.round(bareMs) }, target: '< 2000 ms', met: startMs < 2000 }),
    figure('idle RSS', rssMB, 'MB', { baseline: { name: 'bare node:http', value: Math.round(baselineRss / 2 ** 20) }, target: '< 150 MB', met: idleRss < 150 * 2 ** 20 }),
  ];
  return writeResult({
    name: 'footprint',
    notes: ['RSS under load is measured during the webhook-ingest benchmark and reported there.'],
    figures,
    metrics: {
      startToReadyMs: Math.round(startMs),
      bareNodeStartMs: Math.round(bareMs),
      startRatioToBareNode: Number((startMs / bareMs).toFixed(2)),
      idleRssMB: rssMB,
      bareNodeRssMB: Math.round(baselineRss / 2 ** 20),
    },
    targets: targetsOf(figures),
  });
}
