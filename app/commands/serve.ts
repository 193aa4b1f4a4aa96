import { ConfigError, type Logger } from '../../core';
import type { Service } from '../service';
import { UsageError, type Command } from './command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the service (the default command).',
  usage: `een-bridge serve

Runs the HTTP service. With no credentials set, every external system is served by its
local sandbox emulator, on 127.0.0.1 unless EEN_HOST says otherwise, and the store is SQLite
in $EEN_DATA_DIR. Once one system has credentials, no emulator runs and systems without
credentials are off. Stops gracefully on SIGTERM or SIGINT.`,
  async run(ctx) {
    if (ctx.args.length > 0) throw new UsageError(`serve takes no arguments, got "${ctx.args.join(' ')}"`);
    const config = ctx.config();
    const log = ctx.log(config);
    let service: Service;
    try {
      // Loaded here, not at the top: the CLI's other commands need none of the service (issue 17).
      const { startService } = await import('../service');
      service = await startService({ config, log });
    } catch (err) {
      if (err instanceof ConfigError) throw err;
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
  },
};

function flush(log: Logger): void {
  try {
    log.flush();
  } catch {
    // A transport that is already closed has nothing left to write.
  }
}
