import type { DeliveryRow } from '../../../core/notifications/outbox';
import { deliveryStatuses, type DeliveryStatus } from '../../../core/notifications/tables';
import { UsageError, type CommandContext } from '../command';
import { printRows, withAdministration } from '../output';
import { spaceTitles } from '../space-titles';

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
  return withAdministration(config, async ({ deliveryQueue: outbox }) => {
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
    let rows: DeliveryRow[];
    if (status) rows = await outbox.list({ status: status as DeliveryStatus, limit });
    else {
      // Dead letters first, as the help says: they are what an operator looks for.
      const dead = await outbox.list({ status: 'dead', limit });
      const others = (await outbox.list({ limit: limit + dead.length })).filter((r) => r.status !== 'dead');
      rows = [...dead, ...others].slice(0, limit);
    }
    const titles = await spaceTitles(config, rows.map((r) => r.spaceId));
    if (ctx.flags.json) {
      ctx.io.out(JSON.stringify({ counts, deliveries: rows.map((r) => ({ ...r, spaceTitle: titles.get(r.spaceId) })) }, null, 2));
      return 0;
    }
    ctx.io.out(deliveryStatuses.map((s) => `${s} ${counts[s]}`).join(', '));
    if (rows.length > 0) printRows(ctx, rows.map((r) => tableRow(r, titles)), columns);
    return 0;
  });
}

const columns = ['id', 'status', 'attempts', 'source', 'kind', 'subject', 'space', 'nextAttemptOrDelivered', 'lastError'];

function tableRow(r: DeliveryRow, titles: Map<string, string>): Record<string, unknown> {
  return {
    id: r.id,
    status: r.status,
    attempts: r.attempts,
    source: r.source,
    kind: r.kind,
    subject: r.subjectKey,
    space: titles.get(r.spaceId) ?? r.spaceId,
    nextAttemptOrDelivered: r.status === 'delivered' ? (r.deliveredAt ?? '') : r.status === 'dead' ? '' : r.nextAttemptAt,
    lastError: (r.lastError ?? '').replace(/\s+/g, ' ').slice(0, 60),
  };
}
