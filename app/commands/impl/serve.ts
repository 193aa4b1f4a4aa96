import { ConfigError } from '../../../core/errors';
import { createLogger, type Logger } from '../../../core/log';
import type { Service } from '../../service';
import { checkConfiguration } from '../configuration-rules';
import { UsageError, type CommandContext } from '../command';
import { startupProblem } from '../startup-problem';

/** `een-bridge serve` (metadata and help: app/commands/serve.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw new UsageError(`serve takes no arguments, got "${ctx.args.join(' ')}"`);
  const config = ctx.config();
  // The same rules doctor checks (startService applies them too, later and after opening the store).
  await checkConfiguration(config);
  const log = createLogger({ level: config.logLevel });
  let service: Service;
  try {
    // The SQLite store's thread starts first, and starts (a V8 isolate, the driver, the file:
    // 100 to 300 ms) while this thread loads the service (Kysely, restify, the core: 0.5 s and
    // more); it was started only once all that was loaded (issue 17). Then the service is loaded.
    const sqliteThread = config.database.kind === 'sqlite' ? (await import('../../../core/store/sqlite-start')).startSqliteThread(config.database.file) : undefined;
    const { startService } = await import('../../service');
    service = await startService({ config, log, ...(sqliteThread ? { sqliteThread } : {}) });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const problem = startupProblem(err, config);
    if (problem) {
      // One line on the terminal saying what to do, no stack (issue 16); the log keeps the code.
      log.fatal({ code: (err as { code?: string }).code }, `een-bridge could not start: ${problem}`);
      flush(log);
      ctx.io.err(`een-bridge serve: ${problem}`);
      return 2;
    }
    log.fatal({ err }, 'een-bridge could not start');
    flush(log);
    return 1;
  }
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      log.info({ signal }, 'shutting down: finishing requests in flight');
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      service.stop().then(
        () => {
          log.info('stopped');
          flush(log);
          resolve(0);
        },
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          flush(log);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

function flush(log: Logger): void {
  try {
    log.flush();
  } catch {
    // A transport that is already closed has nothing left to write.
  }
}
