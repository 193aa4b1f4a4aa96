import { organisationKinds, type OrganisationKind } from '../../../core/identity/organisations';
import { cliActor } from '../../organisations';
import { UsageError, type CommandContext } from '../command';
import { printRows, withAdministration } from '../output';

function kindOf(word: string | undefined): OrganisationKind {
  if (!word || !(organisationKinds as readonly string[]).includes(word)) {
    throw new UsageError(`the kind must be one of ${organisationKinds.join(', ')}`);
  }
  return word as OrganisationKind;
}

/** `een-bridge orgs` (metadata and help: app/commands/orgs.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [action, kindWord, value] = ctx.args;
  if (action !== 'list' && action !== 'allow' && action !== 'revoke') throw new UsageError('say list, allow or revoke');
  const config = ctx.config();
  // The same façade the service builds (app/administration.ts), with the organisations the settings imply.
  return withAdministration(config, async ({ organisations: orgs }) => {
    if (action === 'list') {
      const rows = (await orgs.list()).map((o) => ({ kind: o.kind, value: o.value, source: o.source, addedBy: o.addedBy, addedAt: o.addedAt }));
      printRows(ctx, rows, ['kind', 'value', 'source', 'addedBy', 'addedAt']);
      return 0;
    }
    const kind = kindOf(kindWord);
    if (!value) throw new UsageError(`${action} needs a value`);
    try {
      if (action === 'allow') {
        const added = await orgs.allow(kind, value, cliActor());
        ctx.io.out(added ? `Now serving ${kind} ${value}.` : `${kind} ${value} was already served.`);
        return 0;
      }
      const removed = await orgs.revoke(kind, value, cliActor());
      ctx.io.out(removed ? `No longer serving ${kind} ${value}.` : `${kind} ${value} was not in the stored list (configured organisations follow the settings).`);
      return removed ? 0 : 1;
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
  });
}
