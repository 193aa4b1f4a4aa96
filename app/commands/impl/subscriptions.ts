import { AuditLog } from '../../../core/audit-log';
import { healthLabel } from '../../../core/notifications/health/notice-text';
import type { NotificationAdmin } from '../../../core/notifications/notification-admin';
import { MAX_DIGEST_WINDOW_MS } from '../../../core/notifications/space-settings';
import { importantChanges, subscriptionFilter, type DeliverySettings, type ImportantChange } from '../../../core/notifications/subscriptions';
import { operatorActor } from '../../../core/actor';
import { cliNotifications } from '../../subscriptions';
import { sourceNames, type SourceName } from '../../../core/notifications/source-event';
import { openStore } from '../../../core/store/store';
import type { DigestSchedule } from '../../../core/notifications/digests/digest-schedules';
import { describeCadence, isCadenceWord, parseDigestRequest } from '../../../core/notifications/digests/schedule';
import { UserError } from '../../../core/errors';
import { translate } from '../../../core/i18n';
import { UsageError, type CommandContext } from '../command';
import { printRows } from '../output';
import { isWebexRoomId, spaceTitles } from '../space-titles';
import { filterFlags, filterShown } from './subscription-filter-flags';

/** `een-bridge subscriptions` (metadata and help: app/commands/subscriptions.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [action, ...rest] = ctx.args;
  const config = ctx.config();
  // One-shot: SQLite on this thread, as in withStore (app/commands/output.ts).
  const store = openStore(config.database, { sqliteOnThisThread: true });
  try {
    await store.migrate();
    // The façades (app/subscriptions.ts), not the repositories (issue 14).
    const { subscriptions, settings: notifications } = cliNotifications(store, new AuditLog(store.db), config);
    const operator = operatorActor('cli');
    if (action === 'list') {
      const space = typeof ctx.flags.space === 'string' ? ctx.flags.space : undefined;
      const list = await subscriptions.list(operator, space);
      const titles = await spaceTitles(config, list.map((s) => s.spaceId));
      const health = new Map(
        (await notifications.health(space)).map((h) => [h.subscriptionId, h]),
      );
      const digests = new Map((await notifications.digestSchedules()).map((d) => [d.spaceId, d]));
      if (ctx.flags.json) {
        ctx.io.out(JSON.stringify(list.map((s) => ({ ...s, spaceTitle: titles.get(s.spaceId), health: health.get(s.id), digest: digests.get(s.spaceId) })), null, 2));
        return 0;
      }
      const rows = list.map((s) => {
        const h = health.get(s.id);
        return {
          id: s.id,
          space: titles.get(s.spaceId),
          source: s.source,
          key: s.sourceKey,
          locale: s.locale,
          health: h ? `${healthLabel(h, 'en', notifications.healthPolicy)}; event ${h.lastEventAt ?? 'never'}, delivered ${h.lastDeliveryAt ?? 'never'}` : '',
          restricted: s.restrictedAllowed ? 'allowed' : 'withheld',
          filter: filterShown(s),
          settings: `format=${s.format} skip-own=${s.skipOwn ? 'on' : 'off'} important=${s.important.join(',')}`,
          digest: scheduleText(digests.get(s.spaceId)),
        };
      });
      // The digest column only once some listed space has a schedule or a time zone of its own.
      const digestColumn = list.some((s) => digests.has(s.spaceId)) ? (['digest'] as const) : [];
      printRows(ctx, rows, ['id', 'space', 'source', 'key', 'locale', 'health', 'restricted', 'filter', 'settings', ...digestColumn]);
      return 0;
    }
    if (action === 'add') {
      const [spaceId, source, sourceKey, extra] = rest;
      if (!spaceId || !source || !sourceKey || extra !== undefined) throw new UsageError('add needs a room id, a source and a key');
      if (!(sourceNames as readonly string[]).includes(source)) throw new UsageError(`source must be one of ${sourceNames.join(', ')}`);
      // A space the bot is not in would never receive anything: refuse it rather than queue dead letters.
      if (!isWebexRoomId(spaceId)) throw new UsageError(`"${spaceId}" is not a Webex room id (the id of a space, as the bot's "subscriptions" or the Webex API shows it)`);
      // Read before anything changes: a filter that does not read leaves the subscriptions as they were.
      const expression = filterFlags(ctx);
      let filter = {};
      if (typeof ctx.flags.filter === 'string' && expression === undefined) {
        let json: unknown;
        try {
          json = JSON.parse(ctx.flags.filter);
        } catch {
          throw new UsageError('--filter must be JSON');
        }
        // Strict: a misspelt key ("minPrio") would otherwise be dropped and the space get everything.
        const parsed = subscriptionFilter.strict().safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const unknown = issue?.code === 'unrecognized_keys' ? issue.keys : [];
          throw new UsageError(
            unknown.length > 0
              ? `--filter: unknown ${unknown.length === 1 ? 'key' : 'keys'} ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${Object.keys(subscriptionFilter.shape).join(', ')}`
              : `--filter: ${issue?.message ?? 'invalid'}`,
          );
        }
        filter = parsed.data;
      }
      // Re-adding without --locale keeps the space's language (the façade does); the filter is what this add says.
      const locale = typeof ctx.flags.locale === 'string' ? ctx.flags.locale : '';
      const made = await subscriptions.subscribe(operator, spaceId, async () => ({ wanted: { source: source as SourceName, sourceKey, label: sourceKey, filter, locale } }));
      if (made.outcome === 'unknownSpace') throw new UsageError(`the bot is not in space ${spaceId} (Webex answers 404): add the bot to the space first`);
      if (made.outcome !== 'subscribed') throw new Error(`subscribing from the command line ended as ${made.outcome}`);
      const { subscription: s, replaced: before } = made;
      // The filter is what this add says, the expression included (none when not given).
      await subscriptions.setFilterExpression(operator, spaceId, s.id, expression?.expression ?? null, expression?.subscriber ?? null);
      const after = { ...s, filterExpression: expression?.expression ?? null };
      const title = (await spaceTitles(config, [spaceId])).get(spaceId);
      if (before) {
        const changes = [`filter ${filterShown(before)} → ${filterShown(after)}`, ...(before.locale !== s.locale ? [`locale ${before.locale} → ${s.locale}`] : [])];
        ctx.io.out(`Subscription ${s.id}: ${title} already followed ${s.source} ${s.sourceKey}; replaced ${changes.join(', ')}.`);
      } else ctx.io.out(`Subscription ${s.id}: ${title} follows ${s.source} ${s.sourceKey}${after.filterExpression ? ` (filter: ${after.filterExpression})` : ''}.`);
      return 0;
    }
    if (action === 'remove') {
      const [spaceId, id] = rest;
      if (!spaceId || !id || !Number.isInteger(Number(id))) throw new UsageError('remove needs a room id and a subscription id');
      const removed = (await subscriptions.unsubscribe(operator, spaceId, { id: Number(id) })).outcome === 'done';
      ctx.io.out(removed ? `Subscription ${id} removed.` : `No subscription ${id} in that space.`);
      return removed ? 0 : 1;
    }
    if (action === 'set') {
      const [spaceId, id, extra] = rest;
      if (!spaceId || !id || !Number.isInteger(Number(id)) || extra !== undefined) throw new UsageError('set needs a room id and a subscription id');
      const settings: Partial<DeliverySettings> = {};
      const { format, important } = ctx.flags;
      const skipOwn = ctx.flags['skip-own'];
      if (format !== undefined) {
        if (format !== 'compact' && format !== 'full') throw new UsageError('--format must be compact or full');
        settings.format = format;
      }
      if (skipOwn !== undefined) {
        if (skipOwn !== 'on' && skipOwn !== 'off') throw new UsageError('--skip-own must be on or off');
        settings.skipOwn = skipOwn === 'on';
      }
      if (important !== undefined) {
        const words = String(important).split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
        const unknown = words.find((w) => !(importantChanges as readonly string[]).includes(w));
        if (words.length === 0 || unknown !== undefined) throw new UsageError(`--important takes a comma-separated list of ${importantChanges.join(', ')}`);
        settings.important = [...new Set(words as ImportantChange[])];
      }
      const expression = filterFlags(ctx);
      if (typeof ctx.flags.filter === 'string' && expression === undefined) throw new UsageError('set takes a filter expression (or off); a JSON filter is set with add');
      if (Object.keys(settings).length === 0 && expression === undefined) throw new UsageError('set needs --format, --skip-own, --important, --filter or --jql');
      // Settings through the façade (the same rules as the bot); the filter expression beside them.
      const exists = Object.keys(settings).length > 0
        ? (await subscriptions.configure(operator, spaceId, { id: Number(id) }, settings)).outcome === 'done'
        : (await subscriptions.list(operator, spaceId)).some((x) => x.id === Number(id));
      if (!exists || (expression !== undefined && !(await subscriptions.setFilterExpression(operator, spaceId, Number(id), expression.expression, expression.subscriber)))) {
        ctx.io.out(`No subscription ${id} in that space.`);
        return 1;
      }
      const s = (await subscriptions.list(operator, spaceId)).find((x) => x.id === Number(id))!;
      ctx.io.out(`Subscription ${s.id}: format=${s.format} skip-own=${s.skipOwn ? 'on' : 'off'} important=${s.important.join(',')}${s.filterExpression ? ` filter=${s.filterExpression}` : ''}.`);
      return 0;
    }
    if (action === 'restricted') {
      const [id, decision, extra] = rest;
      if (!id || !/^\d+$/.test(id) || (decision !== 'allow' && decision !== 'deny') || extra !== undefined) {
        throw new UsageError('restricted needs a subscription id and allow or deny');
      }
      const changed = await notifications.allowRestricted(Number(id), decision === 'allow', 'cli');
      if (!changed) {
        ctx.io.err(`No subscription ${id}.`);
        return 1;
      }
      ctx.io.out(
        decision === 'allow'
          ? `Subscription ${id} now carries restricted items into its space.`
          : `Subscription ${id} no longer carries restricted items; its space hears only how many were not shown.`,
      );
      return 0;
    }
    if (action === 'digest' && (isCadenceWord(rest[1]) || rest[1] === 'timezone')) return await scheduleDigest(ctx, notifications, rest);
    if (action === 'digest') {
      const [spaceId, value, extra] = rest;
      if (!spaceId || extra !== undefined) throw new UsageError('digest needs a room id and, to change it, a number of seconds or "default"');
      const own = await notifications.ownDigestWindow(spaceId);
      const before = own ?? config.digestWindowMs;
      const seconds = (ms: number) => `${ms / 1000} s`;
      const say = (text: string) => ctx.io.out(`${spaceId}: a change waits ${text} for others to go out with it as one digest.`);
      if (value === undefined) {
        const schedule = await notifications.get(spaceId);
        if (ctx.flags.json) {
          ctx.io.out(JSON.stringify({ spaceId, windowSeconds: before / 1000, schedule }, null, 2));
          return 0;
        }
        say(`${seconds(before)}${own === undefined ? ' (the service default)' : ''}`);
        if (schedule.cadence || schedule.waiting > 0) ctx.io.out(`${spaceId}: scheduled digest ${scheduleText(schedule)}.`);
        return 0;
      }
      let windowMs: number | null = null;
      if (value !== 'default') {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n * 1000 > MAX_DIGEST_WINDOW_MS) {
          throw new UsageError(`digest: say a number of seconds from 0 to ${MAX_DIGEST_WINDOW_MS / 1000} or "default" (the burst window), or daily HH:MM, weekly <day> HH:MM, off, timezone <zone> (a schedule)`);
        }
        windowMs = Math.round(n * 1000);
      }
      await notifications.setDigestWindow(spaceId, windowMs, 'cli');
      say(`${seconds(before)} → ${seconds(windowMs ?? config.digestWindowMs)}`);
      return 0;
    }
    throw new UsageError(action ? `unknown action "${action}"` : 'say what to do: list, add, remove, set, digest or restricted');
  } finally {
    await store.close();
  }
}

/** "daily 09:00 Europe/Amsterdam, next 2026-12-02T08:00:00.000Z, 3 collected", or "off". */
function scheduleText(d: DigestSchedule | undefined): string {
  if (!d?.cadence) return `off${d && d.waiting > 0 ? `, ${d.waiting} collected` : ''}${d ? ` (${d.timeZone})` : ''}`;
  return `${describeCadence(d.cadence, 'en')} ${d.timeZone}, next ${d.nextDueAt ?? 'none'}, ${d.waiting} collected`;
}

/**
 * `subscriptions digest <room> daily 09:00 | weekly monday 09:00 | off | timezone <zone>`: the
 * bot's `digest` and `timezone`, for operators. A bad value changes nothing and says why.
 */
async function scheduleDigest(ctx: CommandContext, digests: NotificationAdmin, args: string[]): Promise<number> {
  const [spaceId, word, ...values] = args;
  let schedule: DigestSchedule;
  try {
    if (word === 'timezone') {
      if (values.length !== 1) throw new UsageError('digest <roomId> timezone needs one IANA zone, e.g. Europe/London');
      schedule = await digests.setTimeZone(spaceId!, values[0]!, 'cli');
    } else schedule = await digests.set(spaceId!, parseDigestRequest([word!, ...values]), 'cli');
  } catch (err) {
    if (err instanceof UserError) throw new UsageError(`digest: ${translate('en', err.key, err.params).replace(/`/g, '')}`);
    throw err;
  }
  if (ctx.flags.json) ctx.io.out(JSON.stringify(schedule, null, 2));
  else ctx.io.out(`${spaceId}: scheduled digest ${scheduleText(schedule)}.`);
  return 0;
}
