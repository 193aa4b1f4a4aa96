import { MAX_DIGEST_WINDOW_MS, SpaceSettingsRepository } from '../../../core/notifications/space-settings';
import { SubscriptionRepository, subscriptionFilter } from '../../../core/notifications/subscriptions';
import { sourceNames, type SourceName } from '../../../core/notifications/source-event';
import { openStore } from '../../../core/store/store';
import { UsageError, type CommandContext } from '../command';
import { printRows } from '../output';
import { isWebexRoomId, lookUpRoom, spaceTitles } from '../space-titles';

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
      const titles = await spaceTitles(config, list.map((s) => s.spaceId));
      if (ctx.flags.json) {
        ctx.io.out(JSON.stringify(list.map((s) => ({ ...s, spaceTitle: titles.get(s.spaceId) })), null, 2));
        return 0;
      }
      const rows = list.map((s) => ({ id: s.id, space: titles.get(s.spaceId), source: s.source, key: s.sourceKey, locale: s.locale, filter: JSON.stringify(s.filter) }));
      printRows(ctx, rows, ['id', 'space', 'source', 'key', 'locale', 'filter']);
      return 0;
    }
    if (action === 'add') {
      const [spaceId, source, sourceKey, extra] = rest;
      if (!spaceId || !source || !sourceKey || extra !== undefined) throw new UsageError('add needs a room id, a source and a key');
      if (!(sourceNames as readonly string[]).includes(source)) throw new UsageError(`source must be one of ${sourceNames.join(', ')}`);
      // A space the bot is not in would never receive anything: refuse it rather than queue dead letters.
      if (!isWebexRoomId(spaceId)) throw new UsageError(`"${spaceId}" is not a Webex room id (the id of a space, as the bot's "subscriptions" or the Webex API shows it)`);
      if ((await lookUpRoom(config, spaceId)).kind === 'not found') throw new UsageError(`the bot is not in space ${spaceId} (Webex answers 404): add the bot to the space first`);
      let filter = {};
      if (typeof ctx.flags.filter === 'string') {
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
      const key = source === 'jira' ? sourceKey.toUpperCase() : sourceKey;
      const before = (await repo.forSpace(spaceId)).find((s) => s.source === source && s.sourceKey === key);
      const s = await repo.subscribe({
        spaceId,
        source: source as SourceName,
        sourceKey: key,
        filter,
        // Re-adding without --locale keeps the space's language; the filter is what this add says.
        ...(typeof ctx.flags.locale === 'string' ? { locale: ctx.flags.locale } : before ? { locale: before.locale } : {}),
        createdBy: 'cli',
      });
      const title = (await spaceTitles(config, [spaceId])).get(spaceId);
      if (before) {
        const changes = [`filter ${JSON.stringify(before.filter)} → ${JSON.stringify(s.filter)}`, ...(before.locale !== s.locale ? [`locale ${before.locale} → ${s.locale}`] : [])];
        ctx.io.out(`Subscription ${s.id}: ${title} already followed ${s.source} ${s.sourceKey}; replaced ${changes.join(', ')}.`);
      } else ctx.io.out(`Subscription ${s.id}: ${title} follows ${s.source} ${s.sourceKey}.`);
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
