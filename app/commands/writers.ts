import { AuditLog, SpaceWriters } from '../../core';
import { cliActor } from '../organisations';
import { UsageError, type Command } from './command';
import { printRows, withStore } from './output';

export const writersCommand: Command = {
  name: 'writers',
  summary: 'Who may create Trello cards from which Webex space.',
  usage: `een-bridge writers list [--space <roomId>] [--json]
       een-bridge writers allow <roomId> <e-mail address | *>
       een-bridge writers revoke <roomId> <e-mail address | *>

Nobody may write from a Webex space (\`trello card <list> <title>\` creates a card as the
service's Trello account) until an administrator allows it here, for one person or for
everyone (*) a space serves. Every change is written to the audit log.`,
  options: { space: { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const [action, spaceId, person] = ctx.args;
    const config = ctx.config();
    return withStore(config, async (store) => {
      const writers = new SpaceWriters(store.db, new AuditLog(store.db));
      if (action === 'list') {
        printRows(ctx, (await writers.list(typeof ctx.flags.space === 'string' ? ctx.flags.space : undefined)).map((w) => ({ ...w })), ['spaceId', 'person', 'addedBy', 'addedAt']);
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
  },
};
