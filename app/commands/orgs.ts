import { AuditLog, organisationKinds, type OrganisationKind } from '../../core';
import { cliActor, servedOrganisations } from '../organisations';
import { UsageError, type Command } from './command';
import { printRows, withStore } from './output';

function kindOf(word: string | undefined): OrganisationKind {
  if (!word || !(organisationKinds as readonly string[]).includes(word)) {
    throw new UsageError(`the kind must be one of ${organisationKinds.join(', ')}`);
  }
  return word as OrganisationKind;
}

export const orgsCommand: Command = {
  name: 'orgs',
  summary: 'List, allow or revoke the organisations een-bridge serves.',
  usage: `een-bridge orgs list [--json]
       een-bridge orgs allow <kind> <value>
       een-bridge orgs revoke <kind> <value>

Kinds: teams-tenant (Entra tenant id), slack-team (workspace id, T…), webex-org (Webex
organisation id), email-domain (e.g. example.nl). een-bridge serves only these, plus those its
own settings imply ("configured": MICROSOFT_APP_TENANT_ID, the sandbox's organisations).
Every change is written to the audit log.`,
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const [action, kindWord, value] = ctx.args;
    if (action !== 'list' && action !== 'allow' && action !== 'revoke') throw new UsageError('say list, allow or revoke');
    const config = ctx.config();
    return withStore(config, async (store) => {
      const orgs = servedOrganisations(store, new AuditLog(store.db), config);
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
  },
};
