import type { SourceName } from '../../../core/notifications/source-event';
import { cliActor } from '../../organisations';
import { UsageError, type CommandContext } from '../command';
import { printRows, withAdministration } from '../output';
import { spaceTitles } from '../space-titles';

/** What an administrator types for each source; OneDrive folders are Microsoft Graph's. */
const SOURCE_WORDS: Record<string, SourceName> = { jira: 'jira', trello: 'trello', onedrive: 'graph', graph: 'graph' };

function sourceOf(word: string | undefined): SourceName {
  const source = word === undefined ? undefined : SOURCE_WORDS[word.toLowerCase()];
  if (!source) throw new UsageError('the source must be jira, trello or onedrive');
  return source;
}

function requestId(word: string | undefined): number {
  const id = Number(word);
  if (!word || !Number.isInteger(id) || id <= 0) throw new UsageError('give the number of a request (see `een-bridge sources requests`)');
  return id;
}

/** `een-bridge sources` (metadata and help: app/commands/sources.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [action, first, second] = ctx.args;
  const config = ctx.config();
  // Follow requests through the same façade as the console's, the allow-list through its own.
  return withAdministration(config, async ({ followRequests: requests, allowList }) => {
    const org = typeof ctx.flags.org === 'string' ? ctx.flags.org : undefined;
    switch (action) {
      case 'list':
        printRows(ctx, (await allowList.list()).map((e) => ({ ...e })), ['source', 'sourceKey', 'org', 'addedBy', 'addedAt']);
        return 0;
      case 'allow':
      case 'revoke': {
        const source = sourceOf(first);
        if (!second) throw new UsageError(`${action} needs a key`);
        try {
          if (action === 'allow') {
            const added = await allowList.allow(source, second, org, cliActor());
            ctx.io.out(added ? `Spaces may now follow ${first} ${second}.` : `${first} ${second} was already allowed.`);
            return 0;
          }
          const removed = await allowList.revoke(source, second, org, cliActor());
          ctx.io.out(removed ? `${first} ${second} is no longer allowed (spaces already following it keep their subscription).` : `${first} ${second} was not on the list.`);
          return removed ? 0 : 1;
        } catch (err) {
          if (err instanceof RangeError) throw new UsageError(err.message);
          throw err;
        }
      }
      case 'requests': {
        const list = await requests.list(ctx.flags.all ? undefined : 'pending');
        const titles = await spaceTitles(config, list.map((r) => r.spaceId));
        const rows = list.map((r) => ({ id: r.id, status: r.status, source: r.source, sourceKey: r.sourceKey, label: r.label, space: ctx.flags.json ? r.spaceId : titles.get(r.spaceId), ...(ctx.flags.json ? { spaceTitle: titles.get(r.spaceId) } : {}), requestedBy: r.requestedBy, org: r.requesterOrg, createdAt: r.createdAt }));
        printRows(ctx, rows, ['id', 'status', 'source', 'sourceKey', 'label', 'space', 'requestedBy', 'org', 'createdAt']);
        return 0;
      }
      case 'approve': {
        const decided = await requests.approve(requestId(first), cliActor());
        if (!decided) {
          ctx.io.err(`There is no pending request ${first}.`);
          return 1;
        }
        ctx.io.out(`Approved: space ${decided.spaceId} will follow ${decided.source} ${decided.sourceKey} (${decided.label}); the service subscribes it and tells the space.`);
        return 0;
      }
      case 'deny': {
        const decided = await requests.deny(requestId(first), cliActor());
        if (!decided) {
          ctx.io.err(`There is no pending request ${first}.`);
          return 1;
        }
        ctx.io.out(`Denied: request ${decided.id} (${decided.source} ${decided.sourceKey}); the service tells the space.`);
        return 0;
      }
      default:
        throw new UsageError(action ? `unknown action "${action}"` : 'say list, allow, revoke, requests, approve or deny');
    }
  });
}
