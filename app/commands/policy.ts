import type { Command } from './command';

export const policyCommand: Command = {
  name: 'policy',
  summary: 'Show or change the dial policy (blocked prefixes, extensions, international, rate limit).',
  actions: ['show', 'set'],
  usage: `een-bridge policy show [--tenant ID] [--json]
       een-bridge policy set --tenant ID [--block P[,P]] [--unblock P[,P]] [--replace-blocked P[,P]]
                             [--extensions 1000-1999,200|none] [--international on|off]
                             [--premium-rate block|allow] [--calls-per-minute N]

The dial policy decides what people of a tenant (Teams tenant or Slack team) may click-dial.
Tenants without a policy of their own get the default. Emergency numbers (112) are never
click-dialled, whatever the policy says. --block and --unblock add and remove prefixes and
leave the others as they are; --replace-blocked replaces the whole list (what it drops is
unblocked). A 2-6 digit number is an internal extension only when the enterprise directory
lists it or --extensions covers it; other short numbers are short codes, blocked by a prefix
without 0 or + (the default blocks 18xy information and 16xy carrier codes). set prints each
setting it changed, before → after. Every change is written to the audit log.`,
  options: {
    tenant: { type: 'string' },
    json: { type: 'boolean' },
    'blocked-prefixes': { type: 'string' },
    'replace-blocked': { type: 'string' },
    block: { type: 'string' },
    unblock: { type: 'string' },
    extensions: { type: 'string' },
    international: { type: 'string' },
    'premium-rate': { type: 'string' },
    'calls-per-minute': { type: 'string' },
  },
  run: async (ctx) => (await import('./impl/policy')).run(ctx),
};
