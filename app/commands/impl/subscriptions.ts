import { MAX_DIGEST_WINDOW_MS, SpaceSettingsRepository } from '../../../core/notifications/space-settings';
import { SubscriptionRepository, subscriptionFilter } from '../../../core/notifications/subscriptions';
import { sourceNames, type SourceName } from '../../../core/notifications/source-event';
import { openStore } from '../../../core/store/store';
import { UsageError, type CommandContext } from '../command';

/** `een-bridge subscriptions` (metadata and help: app/commands/subscriptions.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [action, ...rest] = ctx.args;
  const config = ctx.config();
  const store = openStore(config.database);
  try {
    await store.migrate();
    const repo = new SubscriptionRepository(store.db);
    if (action === 'list') {
      const list = typeof ctx.flags.space === 'string' ? await repo.forSpace(ctx.flags.space) : await repo.all();
      if (list.length === 0) ctx.io.out('No subscriptions.');
      for (const s of list) ctx.io.out(`${s.id}  ${s.spaceId}  ${s.source} ${s.sourceKey}  ${s.locale}  ${JSON.stringify(s.filter)}`);
      return 0;
    }
    if (action === 'add') {
      const [spaceId, source, sourceKey] = rest;
      if (!spaceId || !source || !sourceKey) throw new UsageError('add needs a room id, a source and a key');
      if (!(sourceNames as readonly string[]).includes(source)) throw new UsageError(`source must be one of ${sourceNames.join(', ')}`);
      let filter = {};
      if (typeof ctx.flags.filter === 'string') {
        let json: unknown;
        try {
          json = JSON.parse(ctx.flags.filter);
        } catch {
          throw new UsageError('--filter must be JSON');
        }
        const parsed = subscriptionFilter.safeParse(json);
        if (!parsed.success) throw new UsageError(`--filter: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        filter = parsed.data;
      }
      const s = await repo.subscribe({
        spaceId,
        source: source as SourceName,
        sourceKey: source === 'jira' ? sourceKey.toUpperCase() : sourceKey,
        filter,
        ...(typeof ctx.flags.locale === 'string' ? { locale: ctx.flags.locale } : {}),
        createdBy: 'cli',
      });
      ctx.io.out(`Subscription ${s.id}: ${s.spaceId} follows ${s.source} ${s.sourceKey}.`);
      return 0;
    }
    if (action === 'remove') {
      const [spaceId, id] = rest;
      if (!spaceId || !id || !Number.isInteger(Number(id))) throw new UsageError('remove needs a room id and a subscription id');
      const removed = await repo.unsubscribe(spaceId, Number(id));
      ctx.io.out(removed ? `Subscription ${id} removed.` : `No subscription ${id} in that space.`);
      return removed ? 0 : 1;
    }
    if (action === 'digest') {
      const [spaceId, value, extra] = rest;
      if (!spaceId || extra !== undefined) throw new UsageError('digest needs a room id and, to change it, a number of seconds or "default"');
      const settings = new SpaceSettingsRepository(store.db);
      const own = (await settings.all()).find((s) => s.spaceId === spaceId)?.digestWindowMs;
      const before = own ?? config.digestWindowMs;
      const seconds = (ms: number) => `${ms / 1000} s`;
      const say = (text: string) => ctx.io.out(`${spaceId}: a change waits ${text} for others to go out with it as one digest.`);
      if (value === undefined) {
        say(`${seconds(before)}${own === undefined ? ' (the service default)' : ''}`);
        return 0;
      }
      let windowMs: number | null = null;
      if (value !== 'default') {
        const n = Number(value);
        if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n * 1000 > MAX_DIGEST_WINDOW_MS) {
          throw new UsageError(`digest: seconds must be a number from 0 to ${MAX_DIGEST_WINDOW_MS / 1000}, or "default"`);
        }
        windowMs = Math.round(n * 1000);
      }
      await settings.setDigestWindow(spaceId, windowMs, 'cli');
      say(`${seconds(before)} → ${seconds(windowMs ?? config.digestWindowMs)}`);
      return 0;
    }
    throw new UsageError(action ? `unknown action "${action}"` : 'say what to do: list, add, remove or digest');
  } finally {
    await store.close();
  }
}
