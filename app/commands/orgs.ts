import type { Command } from './command';

export const orgsCommand: Command = {
  name: 'orgs',
  summary: 'List, allow or revoke the organisations een-bridge serves.',
  actions: ['list', 'allow', 'revoke'],
  usage: `een-bridge orgs list [--json]
       een-bridge orgs allow <kind> <value>
       een-bridge orgs revoke <kind> <value>

Kinds: teams-tenant (Entra tenant id), slack-team (workspace id, T…), webex-org (Webex
organisation id), email-domain (e.g. example.nl). een-bridge serves only these, plus those its
own settings imply ("configured": MICROSOFT_APP_TENANT_ID, the sandbox's organisations).
Every change is written to the audit log.`,
  options: { json: { type: 'boolean' } },
  run: async (ctx) => (await import('./impl/orgs')).run(ctx),
};
