import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
// Only what every command needs is imported here: the command table is metadata, and a
// command's implementation (and the store, SDKs and frameworks it uses) is loaded when it
// runs, so `--help` and the admin commands start in well under 300 ms (issue 16).
import { ConfigError } from '../core/errors';
import { UsageError, type CliIo, type Command } from './commands/command';
import { commands } from './commands';
import { closestWord } from './commands/did-you-mean';
import { terminalSafe } from './commands/output';
import { startupProblem } from './commands/startup-problem';

export type { CliIo } from './commands/command';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `Usage: een-bridge <command> [options]

Brings KPN EEN calling, Webex meetings and notifications into Teams, Slack and Webex.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}
  ${'help'.padEnd(width)}Show this overview, or one command's help: een-bridge help <command>.

Options:
  -h, --help   Show help (for a command: een-bridge <command> --help).
  --version    Show the version of een-bridge.

Configuration comes from the environment and an optional .env file; see README.md.`;
}

/** The version in package.json, found upwards from this file (app/ when run by ts-jest, dist/app/ when built). */
export function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'een-bridge' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

function unknownCommand(io: CliIo, word: string): number {
  io.err(`een-bridge: unknown command "${word}"`);
  const near = closestWord(word, [...commands.map((c) => c.name), 'help']);
  if (near) io.err(`Did you mean "een-bridge ${near}"?`);
  io.err('Run "een-bridge --help" for the list of commands.');
  return 2;
}

/** Exit codes: 0 ok, 1 failure at run time, 2 bad usage or configuration. */
export async function runCli(argv: string[], terminal: CliIo): Promise<number> {
  // Whatever a command prints (names, locales and ids from the store, upstream errors) reaches
  // the terminal without control characters (issue 13).
  const io: CliIo = { ...terminal, out: (line) => terminal.out(terminalSafe(line)), err: (line) => terminal.err(terminalSafe(line)) };
  const firstIndex = argv.findIndex((a) => !a.startsWith('-'));
  const first = firstIndex === -1 ? undefined : argv[firstIndex]!;
  if (first === undefined) {
    if (argv.includes('--version')) {
      io.out(`een-bridge ${version()}`);
      return 0;
    }
    // A bare `een-bridge` (or `een-bridge --help`) explains itself; only `serve` starts the service.
    const bad = argv.find((a) => a !== '--help' && a !== '-h');
    if (bad !== undefined) {
      io.err(`een-bridge: unknown option "${bad}"`);
      io.err('Run "een-bridge --help" for usage.');
      return 2;
    }
    io.out(overview());
    return 0;
  }
  if (first === 'help') {
    const topic = argv.slice(firstIndex + 1).find((a) => !a.startsWith('-'));
    if (topic === undefined) {
      io.out(overview());
      return 0;
    }
    const wanted = commands.find((c) => c.name === topic);
    if (!wanted) return unknownCommand(io, topic);
    io.out(`Usage: ${wanted.usage}`);
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === first);
  if (!command) return unknownCommand(io, first);
  const rest = argv.filter((_, i) => i !== firstIndex);
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
    io.out(`Usage: ${command.usage}`);
    return 0;
  }
  const action = parsed.positionals[0];
  if (command.actions && action !== undefined && !command.actions.includes(action)) {
    io.err(`een-bridge ${command.name}: unknown action "${action}"`);
    const near = closestWord(action, command.actions);
    io.err(near ? `Did you mean "een-bridge ${command.name} ${near}"?` : `Actions: ${command.actions.join(', ')}.`);
    io.err(`Usage: ${command.usage.split('\n')[0]}`);
    return 2;
  }
  // Configuration (zod) is needed by every command that runs, but not by help.
  const { environmentWithDotenv, loadConfig } = await import('../core/config');
  try {
    return await command.run({
      io,
      args: parsed.positionals,
      flags: parsed.values,
      config: () => loadConfig(environmentWithDotenv(io.env, io.cwd)),
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
    // A database that does not answer or a data directory that cannot be written is the
    // operator's to fix, for an admin command as for serve: one line saying what to do.
    const problem = startupProblem(err, loadConfig(environmentWithDotenv(io.env, io.cwd)));
    if (problem) {
      io.err(`een-bridge ${command.name}: ${problem}`);
      return 2;
    }
    throw err;
  }
}
