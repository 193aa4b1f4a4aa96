import { Outbox, deliveryStatuses, openStore, type DeliveryRow, type DeliveryStatus } from '../../core';
import { UsageError, type Command } from './command';

const actions = ['list', 'retry', 'purge-dead'] as const;

export const outboxCommand: Command = {
  name: 'outbox',
  summary: 'Show notification deliveries; retry or purge dead letters.',
  usage: `een-bridge outbox list [--status pending|sending|delivered|dead] [--limit N]
       een-bridge outbox retry <id>... | --all
       een-bridge outbox purge-dead <id>... | --all

list        the newest deliveries (default: dead letters first, then the rest), with their last error
retry       puts dead letters back in the queue with a fresh attempt count; a running service sends them
purge-dead  deletes dead letters for good (their events stay, so a late Jira retry is still recognised)

Works on the store of the configuration (EEN_DATA_DIR or DATABASE_URL), also while the service runs.`,
  options: {
    status: { type: 'string' },
    limit: { type: 'string' },
    all: { type: 'boolean' },
  },
  async run(ctx) {
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
  },
};

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
