import type { Config } from '../../core/config';
import type { Store } from '../../core/store/store';
import type { Administration } from '../administration';
import type { CommandContext } from './command';

/**
 * Characters a terminal acts on rather than shows: C0 controls but tab and line feed (ESC
 * starts ANSI/OSC sequences that recolour, retitle or clear the screen), DEL, C1 controls
 * (U+009B is a one-character CSI), and the bidirectional overrides and isolates that reorder
 * what is shown ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as the CLI writes it to a terminal: every control character shown as a visible escape
 * (\x1B, \u202E) instead of acted on. The one helper for all CLI output: runCli passes every
 * line through it, and printRows uses it to measure columns. Applying it twice changes nothing.
 */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** Rows as an aligned table for people, or JSON for scripts (`--json`). */
export function printRows(ctx: CommandContext, rows: Record<string, unknown>[], columns: string[]): void {
  if (ctx.flags.json) {
    ctx.io.out(JSON.stringify(rows, null, 2));
    return;
  }
  if (rows.length === 0) {
    ctx.io.out('(none)');
    return;
  }
  const text = (v: unknown) => terminalSafe(v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const heading = (c: string) => c.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  ctx.io.out(columns.map((c, i) => heading(c).padEnd(widths[i]!)).join('  ').trimEnd());
  for (const r of rows) ctx.io.out(columns.map((c, i) => text(r[c]).padEnd(widths[i]!)).join('  ').trimEnd());
}

/** Opens the configured store, migrated, for one admin command, and always closes it. */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: `--help` and commands without a store never pay for kysely and the drivers.
  const { openStore } = await import('../../core/store/store');
  // SQLite on this thread: a one-shot command has nothing to keep answering meanwhile, and starting
  // the store's own thread was the largest part of its run (issue 17).
  const store = openStore(config.database, { sqliteOnThisThread: true });
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * The administration façades (app/administration.ts) over the configured store, for one admin
 * command: the CLI changes people, dial policies, follow requests, served organisations, write
 * grants, the allow-list and the delivery queue through the same façades as the console, so the rules and the audit entries are the same (issue 14).
 */
export async function withAdministration<T>(config: Config, work: (admin: Administration, store: Store) => Promise<T>): Promise<T> {
  const [{ administration }, { AuditLog }, { servedOrganisations }] = await Promise.all([import('../administration'), import('../../core/audit-log'), import('../organisations')]);
  return withStore(config, (store) => {
    const audit = new AuditLog(store.db);
    return work(administration(store, audit, undefined, servedOrganisations(store, audit, config)), store);
  });
}
