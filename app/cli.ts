import { parseArgs } from 'node:util';
import { ConfigError, createLogger, environmentWithDotenv, loadConfig, type Config, type Logger } from '../core';
import { startService, type Service } from './service';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

const usage = `Usage: een-bridge [command] [options]

Brings KPN EEN calling, Webex meetings and notifications into Teams, Slack and Webex.

Commands:
  serve        Run the service (the default). With no credentials set, every external
               system is served by its local sandbox emulator and the store is SQLite.

Options:
  -h, --help   Show this help.

Configuration comes from the environment and an optional .env file; see README.md.`;

/** Exit codes: 0 ok, 1 failure at run time, 2 bad usage or configuration. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.err(`een-bridge: ${(err as Error).message}`);
    io.err('Run "een-bridge --help" for usage.');
    return 2;
  }
  const [command = 'serve', ...rest] = parsed.positionals;
  if (parsed.values.help) {
    io.out(usage);
    return 0;
  }
  if (command !== 'serve' || rest.length > 0) {
    io.err(`een-bridge: unknown command "${[command, ...rest].join(' ')}"`);
    io.err('Run "een-bridge --help" for usage.');
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(environmentWithDotenv(io.env, io.cwd));
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`een-bridge: configuration error: ${err.message}`);
      return 2;
    }
    throw err;
  }
  return serve(config, io);
}

async function serve(config: Config, io: CliIo): Promise<number> {
  const log = createLogger({ level: config.logLevel });
  let service: Service;
  try {
    service = await startService({ config, log });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`een-bridge: configuration error: ${err.message}`);
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
