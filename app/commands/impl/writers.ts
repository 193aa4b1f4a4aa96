import { cliActor } from '../../organisations';
import { UsageError, type CommandContext } from '../command';
import { printRows, withAdministration } from '../output';
import { spaceTitles } from '../space-titles';

/** `een-bridge writers` (metadata and help: app/commands/writers.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [action, spaceId, person] = ctx.args;
  const config = ctx.config();
  return withAdministration(config, async ({ writers }) => {
    if (action === 'list') {
      const list = await writers.list(typeof ctx.flags.space === 'string' ? ctx.flags.space : undefined);
      const titles = await spaceTitles(config, list.map((w) => w.spaceId));
      // The table shows the space's title (or a short id); --json keeps the full id beside it.
      const rows = list.map((w) => (ctx.flags.json ? { ...w, spaceTitle: titles.get(w.spaceId) } : { space: titles.get(w.spaceId), person: w.person, addedBy: w.addedBy, addedAt: w.addedAt }));
      printRows(ctx, rows, ['space', 'person', 'addedBy', 'addedAt']);
      return 0;
    }
    if (action !== 'allow' && action !== 'revoke') throw new UsageError(action ? `unknown action "${action}"` : 'say list, allow or revoke');
    if (!spaceId || !person) throw new UsageError(`${action} needs a space id and an e-mail address (or *)`);
    try {
      if (action === 'allow') {
        const added = await writers.grant(spaceId, person, cliActor());
        ctx.io.out(added ? `${person} may now create Trello cards from space ${spaceId}.` : `${person} could already write in space ${spaceId}.`);
        return 0;
      }
      const removed = await writers.revoke(spaceId, person, cliActor());
      ctx.io.out(removed ? `${person} may no longer create Trello cards from space ${spaceId}.` : `${person} had no write grant in space ${spaceId}.`);
      return removed ? 0 : 1;
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
  });
}
