import { ConfigError } from '../../../core/errors';
import type { Config } from '../../../core/config';
import { doctorChecks, runChecks, type CheckResult } from '../../doctor/checks';
import { checkConfiguration } from '../configuration-rules';
import { UsageError, type CommandContext } from '../command';

function table(rows: CheckResult[]): string[] {
  const width = (k: keyof CheckResult) => Math.max(k.length, ...rows.map((r) => r[k].length));
  const [c, s] = [width('check'), width('status')];
  return [
    `${'CHECK'.padEnd(c)}  ${'STATUS'.padEnd(s)}  DETAIL`,
    ...rows.map((r) => `${r.check.padEnd(c)}  ${r.status.padEnd(s)}  ${r.detail}`),
  ];
}

/** `een-bridge doctor` (metadata and help: app/commands/doctor.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw new UsageError(`unexpected argument "${ctx.args[0]}"`);
  const timeoutText = ctx.flags['timeout-ms'];
  const timeoutMs = timeoutText === undefined ? 5000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) throw new UsageError('--timeout-ms must be a whole number from 100 to 60000');
  const print = (rows: CheckResult[]) => {
    if (ctx.flags.json) ctx.io.out(JSON.stringify(rows, null, 2));
    else for (const line of table(rows)) ctx.io.out(line);
  };
  let config: Config;
  try {
    config = ctx.config();
    await checkConfiguration(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    print([{ check: 'configuration', status: 'failing', detail: err.message }]);
    return 2;
  }
  const rows = [{ check: 'configuration', status: 'ok' as const, detail: 'every setting valid' }, ...(await runChecks(doctorChecks(config), timeoutMs))];
  print(rows);
  return rows.some((r) => r.status === 'failing') ? 1 : 0;
}
