import { parseArgs } from 'node:util';
import { ConfigError, createLogger, environmentWithDotenv, loadConfig } from '../core';
import { UsageError, type CliIo, type Command } from './commands/command';
import { commands } from './commands';
import { terminalSafe } from './commands/output';

export type { CliIo } from './commands/command';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `Usage: een-bridge [command] [options]

Brings KPN EEN calling, Webex meetings and notifications into Teams, Slack and Webex.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Options:
  -h, --help   Show help (for a command: een-bridge <command> --help).

Configuration comes from the environment and an optional .env file; see README.md.`;
}

/** Exit codes: 0 ok, 1 failure at run time, 2 bad usage or configuration. */
export async function runCli(argv: string[], terminal: CliIo): Promise<number> {
  // Whatever a command prints (names, locales and ids from the store, upstream errors) reaches
  // the terminal without control characters (issue 13).
  const io: CliIo = { ...terminal, out: (line) => terminal.out(terminalSafe(line)), err: (line) => terminal.err(terminalSafe(line)) };
  const first = argv.find((a) => !a.startsWith('-'));
  const command: Command | undefined = commands.find((c) => c.name === (first ?? 'serve'));
  if (!command) {
    io.err(`een-bridge: unknown command "${first}"`);
    io.err('Run "een-bridge --help" for usage.');
    return 2;
  }
  const rest = first ? argv.filter((a, i) => i !== argv.indexOf(first)) : argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, ...(command.options ?? {}) },
    });
  } catch (err) {
    io.err(`een-bridge ${command.name}: ${(err as Error).message}`);
    io.err(`Usage: ${command.usage.split('\n')[0]}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(first ? `Usage: ${command.usage}` : overview());
    return 0;
  }
  try {
    return await command.run({
      io,
      args: parsed.positionals,
      flags: parsed.values,
      config: () => loadConfig(environmentWithDotenv(io.env, io.cwd)),
      log: (config) => createLogger({ level: config.logLevel }),
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`een-bridge: configuration error: ${err.message}`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.err(`een-bridge ${command.name}: ${err.message}`);
      io.err(`Usage: ${command.usage.split('\n')[0]}`);
      return 2;
    }
    throw err;
  }
}
