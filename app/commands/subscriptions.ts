import { AuditLog, RestrictedItems, UpstreamHealthRepository, currentHealth, defaultHealthPolicy, healthLabel, importantChanges, systemClock, MAX_DIGEST_WINDOW_MS, SpaceSettingsRepository, SubscriptionRepository, openStore, sourceNames, subscriptionFilter, type DeliverySettings, type ImportantChange, type SourceName } from '../../core';
import { UsageError, type Command } from './command';

export const subscriptionsCommand: Command = {
  name: 'subscriptions',
  summary: 'List, add or remove what Webex spaces are notified about, set how each is written (format, skip-own, important), and how long a space gathers a burst into one digest.',
  usage: `een-bridge subscriptions list [--space <roomId>] [--json]
       een-bridge subscriptions add <roomId> <jira|trello> <project key | board id> [--filter <json>] [--locale nl-NL|en-GB]
       een-bridge subscriptions remove <roomId> <id>
       een-bridge subscriptions digest <roomId> [<seconds> | default]
       een-bridge subscriptions set <roomId> <id> [--format compact|full] [--skip-own on|off] [--important status,created,deleted]
       een-bridge subscriptions restricted <id> allow|deny

The same subscriptions a space makes with the bot (\`subscribe jira KAN\`), for operators and
demos. --filter takes e.g. '{"kinds":["issue.created"],"minPriority":"High"}' or '{"lists":["Doing"]}'.
A Trello board added here also needs its board webhook; the bot registers it, this command does not.
digest sets how long a change to the space waits for others, so a burst goes out as one message
(0 to 300 seconds; 0 sends each change at once; default: WEBEX_DIGEST_SECONDS, 3), and prints
the change; without seconds it shows the space's window.
list shows each subscription's health: working, or why it broke (source gone, webhook removed,
renewal failing, undelivered, silent), its last change received and delivered, and whether it
carries restricted items; --json prints all of it, upstream state and Graph expiry included.
restricted lets a subscription carry restricted items into its space (Jira issues with a
security level, comments visible to a role or group, cards on private Trello boards), or stops
it; by default the space only hears how many were not shown. Audited.
set changes how one subscription's changes are written, as the bot's \`format\`, \`skip-own\` and
\`important\` do: compact is one line per change with the item link, full the whole card (the
default); skip-own on leaves out changes made by people in the space (by e-mail, where Jira or
OneDrive gives it); important lists what also gets a line at the top of the space when the details
go into the item's thread (${importantChanges.join(', ')}; default status,created,deleted).`,
  options: {
    json: { type: 'boolean' },
    space: { type: 'string' },
    filter: { type: 'string' },
    locale: { type: 'string' },
    format: { type: 'string' },
    'skip-own': { type: 'string' },
    important: { type: 'string' },
  },
  async run(ctx) {
    const [action, ...rest] = ctx.args;
    const config = ctx.config();
    const store = openStore(config.database);
    try {
      await store.migrate();
      const repo = new SubscriptionRepository(store.db);
      if (action === 'list') {
        const list = typeof ctx.flags.space === 'string' ? await repo.forSpace(ctx.flags.space) : await repo.all();
        const health = new Map(
          (await currentHealth(store.db, repo, new UpstreamHealthRepository(store.db), defaultHealthPolicy, systemClock, typeof ctx.flags.space === 'string' ? ctx.flags.space : undefined)).map((h) => [
            h.subscriptionId,
            h,
          ]),
        );
        if (ctx.flags.json === true) {
          ctx.io.out(JSON.stringify(list.map((s) => ({ ...s, health: health.get(s.id) })), null, 2));
          return 0;
        }
        if (list.length === 0) ctx.io.out('No subscriptions.');
        for (const s of list) {
          const h = health.get(s.id)!;
          const last = `event ${h.lastEventAt ?? 'never'}, delivered ${h.lastDeliveryAt ?? 'never'}`;
          const restricted = s.restrictedAllowed ? '  restricted: allowed' : '';
          const settings = `format=${s.format} skip-own=${s.skipOwn ? 'on' : 'off'} important=${s.important.join(',')}`;
          ctx.io.out(`${s.id}  ${s.spaceId}  ${s.source} ${s.sourceKey}  ${s.locale}  [${healthLabel(h, 'en', defaultHealthPolicy)}; ${last}]${restricted}  ${JSON.stringify(s.filter)}  ${settings}`);
        }
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
        if (Object.keys(settings).length === 0) throw new UsageError('set needs --format, --skip-own or --important');
        const changed = await repo.configure(spaceId, Number(id), settings);
        if (!changed) {
          ctx.io.out(`No subscription ${id} in that space.`);
          return 1;
        }
        const s = (await repo.forSpace(spaceId)).find((x) => x.id === Number(id))!;
        ctx.io.out(`Subscription ${s.id}: format=${s.format} skip-own=${s.skipOwn ? 'on' : 'off'} important=${s.important.join(',')}.`);
        return 0;
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
      if (action === 'restricted') {
        const [id, decision, extra] = rest;
        if (!id || !/^\d+$/.test(id) || (decision !== 'allow' && decision !== 'deny') || extra !== undefined) {
          throw new UsageError('restricted needs a subscription id and allow or deny');
        }
        const changed = await new RestrictedItems(store.db, new AuditLog(store.db)).set(Number(id), decision === 'allow', 'cli');
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
      throw new UsageError(action ? `unknown action "${action}"` : 'say what to do: list, add, remove, set, digest or restricted');
    } finally {
      await store.close();
    }
  },
};
