import { Outbox, type DeliveryRow } from '../../../core/notifications/outbox';
import { deliveryStatuses, type DeliveryStatus } from '../../../core/notifications/tables';
import { openStore } from '../../../core/store/store';
import { UsageError, type CommandContext } from '../command';

const actions = ['list', 'retry', 'purge-dead'] as const;

/** `een-bridge outbox` (metadata and help: app/commands/outbox.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [action, ...rest] = ctx.args;
  if (!action || !(actions as readonly string[]).includes(action)) {
    throw new UsageError(action ? `unknown action "${action}"` : 'say what to do: list, retry or purge-dead');
  }
  const ids = rest.map((r) => {
    const id = Number(r);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError(`"${r}" is not a delivery id`);
    return id;
  });
  const status = ctx.flags.status;
  if (status !== undefined && !(deliveryStatuses as readonly unknown[]).includes(status)) {
    throw new UsageError(`--status must be one of ${deliveryStatuses.join(', ')}`);
  }
  const limit = ctx.flags.limit === undefined ? 50 : Number(ctx.flags.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new UsageError('--limit must be a positive whole number');
  if (action !== 'list' && ids.length === 0 && ctx.flags.all !== true) {
    throw new UsageError(`${action} needs delivery ids, or --all`);
  }

  const config = ctx.config();
  const store = openStore(config.database);
  try {
    await store.migrate();
    const outbox = new Outbox(store.db, store.dialect);
    if (action === 'retry') {
      const n = await outbox.retryDead(ids);
      ctx.io.out(`${n} dead ${n === 1 ? 'letter' : 'letters'} queued again.`);
      return ids.length > 0 && n < ids.length ? 1 : 0;
    }
    if (action === 'purge-dead') {
      const n = await outbox.purgeDead(ids);
      ctx.io.out(`${n} dead ${n === 1 ? 'letter' : 'letters'} deleted.`);
      return 0;
    }
    const counts = await outbox.counts();
    ctx.io.out(deliveryStatuses.map((s) => `${s} ${counts[s]}`).join(', '));
    const rows = await outbox.list({ ...(status ? { status: status as DeliveryStatus } : {}), limit });
    if (rows.length > 0) ctx.io.out(table(rows));
    return 0;
  } finally {
    await store.close();
  }
}

function table(rows: DeliveryRow[]): string {
  const header = ['id', 'status', 'attempts', 'source', 'kind', 'subject', 'space', 'next attempt / delivered', 'last error'];
  const lines = rows.map((r) => [
    String(r.id),
    r.status,
    String(r.attempts),
    r.source,
    r.kind,
    r.subjectKey,
    r.spaceId.length > 16 ? `${r.spaceId.slice(0, 15)}…` : r.spaceId,
    r.status === 'delivered' ? (r.deliveredAt ?? '') : r.status === 'dead' ? '' : r.nextAttemptAt,
    (r.lastError ?? '').replace(/\s+/g, ' ').slice(0, 60),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
