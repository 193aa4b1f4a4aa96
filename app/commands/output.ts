import { openStore, type Config, type Store } from '../../core';
import type { CommandContext } from './command';

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
  const text = (v: unknown) => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const heading = (c: string) => c.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  ctx.io.out(columns.map((c, i) => heading(c).padEnd(widths[i]!)).join('  ').trimEnd());
  for (const r of rows) ctx.io.out(columns.map((c, i) => text(r[c]).padEnd(widths[i]!)).join('  ').trimEnd());
}

/** Opens the configured store, migrated, for one admin command, and always closes it. */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(config.database);
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}
