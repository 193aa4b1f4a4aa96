/**
 * What een-bridge adds to a click-to-dial: placeCall (parse, dial policy with its audit-log
 * rate-limit query, line lookup, audit records, Xsi client) against the time the Xsi
 * emulator itself needs to answer calls/new. Both are measured over loopback on this
 * process, alternating, so machine noise hits both alike.
 *
 *   npm run bench click-to-dial        (or node dist/bench/click-to-dial.js [samples])
 *
 * Writes bench/results/click-to-dial.json.
 */
import '../app/quiet-known-warnings';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger, defaultDialPolicy, loadConfig } from '../core';
import { startService } from '../app/service';
import { SANDBOX_XSI_CREDENTIALS } from '../sandbox/broadworks-xsi/directory-seed';
import { XsiEmulator } from '../sandbox/broadworks-xsi/xsi-emulator';
import { figure, targetsOf, writeResult, type BenchResult } from './lib';

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Number(sorted[i]!.toFixed(3));
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

export async function clickToDial(samples = 500): Promise<BenchResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-bench-'));
  // Long timers: the calls stay Alerting and no timer fires during the run.
  const xsi = new XsiEmulator({ alertingMs: 3_600_000 });
  const service = await startService({
    config: loadConfig({ EEN_PORT: '0', EEN_HOST: '127.0.0.1', EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'silent' }),
    log: createLogger({ level: 'silent', pretty: false }),
    emulators: [xsi],
  });
  try {
    const user = await service.users.create({ teamsAadObjectId: 'bench-user', email: 'anna.devries@sandbox.kpneen.nl' });
    const actor = { userId: user.id, tenantId: 'bench' };
    // The benchmark is the toll-fraud case the rate limit exists for: lift it for this tenant.
    await service.calling.policies.save({ ...defaultDialPolicy('bench'), callsPerMinute: 1_000_000 });
    const direct = `${service.endpoints.sandbox('xsi')}/com.broadsoft.xsi-actions/v2.0/user/${encodeURIComponent('0201234501@sandbox.kpneen.nl')}/calls/new?address=%2B31612345678`;
    const authorization = `Basic ${Buffer.from(`${SANDBOX_XSI_CREDENTIALS.username}:${SANDBOX_XSI_CREDENTIALS.password}`).toString('base64')}`;

    const emulatorMs: number[] = [];
    const placeCallMs: number[] = [];
    const warmup = 50;
    for (let i = 0; i < samples + warmup; i += 1) {
      let t = performance.now();
      const res = await fetch(direct, { method: 'POST', headers: { authorization, accept: 'application/xml' } });
      await res.text();
      if (res.status !== 201) throw new Error(`emulator answered ${res.status}`);
      const e = performance.now() - t;
      t = performance.now();
      await service.calling.calling.placeCall(actor, '06 1234 5678');
      const p = performance.now() - t;
      if (i >= warmup) {
        emulatorMs.push(e);
        placeCallMs.push(p);
      }
    }
    const emulator = summary(emulatorMs);
    const placeCall = summary(placeCallMs);
    const added = Number((placeCall.p99 - emulator.p99).toFixed(1));
    const figures = [
      figure('placeCall p99', placeCall.p99, 'ms', { baseline: { name: 'Xsi emulator alone', value: emulator.p99 } }),
      figure('placeCall added p99 (over the emulator)', added, 'ms', { target: '< 5 ms', met: added < 5 }),
    ];
    return writeResult({
      name: 'click-to-dial',
      metrics: {
        samples,
        emulatorCallsNewP50Ms: emulator.p50,
        emulatorCallsNewP99Ms: emulator.p99,
        placeCallP50Ms: placeCall.p50,
        placeCallP99Ms: placeCall.p99,
        addedP50Ms: Number((placeCall.p50 - emulator.p50).toFixed(3)),
        addedP99Ms: Number((placeCall.p99 - emulator.p99).toFixed(3)),
      },
      figures,
      targets: targetsOf(figures),
    });
  } finally {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  clickToDial(Number(process.argv[2] ?? 500)).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
