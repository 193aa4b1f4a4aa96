import type { Config } from '../../core/config';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CommandContext {
  io: CliIo;
  /** Positional words after the command name (e.g. ["import", "users.csv"] for `users import users.csv`). */
  args: string[];
  /** Flags as parsed by node:util parseArgs against the command's `options`. */
  flags: Record<string, string | boolean | undefined>;
  /** Loads and validates the configuration; throws ConfigError (exit 2) when it is wrong. */
  config(): Config;
}

/** One `een-bridge <name>` command. Exit codes: 0 ok, 1 failure at run time, 2 bad usage or configuration. */
export interface Command {
  name: string;
  summary: string;
  /** The words a command takes first (`outbox list`), when it has them: a slip gets a did-you-mean. */
  actions?: readonly string[];
  usage: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  /**
   * Runs the command. The file naming a command holds only this metadata; run imports the
   * implementation (app/commands/impl/) when called, so help and other commands never load it.
   */
  run(ctx: CommandContext): Promise<number>;
}

/** Thrown by a command for bad arguments: the CLI prints it with the command's usage and exits 2. */
export class UsageError extends Error {}
