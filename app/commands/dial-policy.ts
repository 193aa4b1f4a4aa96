import { AuditLog, DialPolicyStore, openStore, toE164Prefix, type DialPolicy } from '../../core';
import { UsageError, type Command } from './command';

const onOff = (flag: string | boolean | undefined, name: string): boolean | undefined => {
  if (flag === undefined) return undefined;
  if (flag === 'on') return true;
  if (flag === 'off') return false;
  throw new UsageError(`--${name} must be "on" or "off"`);
};

export const dialPolicyCommand: Command = {
  name: 'dial-policy',
  summary: "Show or change a tenant's click-to-dial policy.",
  usage: `een-bridge dial-policy show <tenant>
       een-bridge dial-policy set <tenant> [--international on|off] [--premium-rate on|off]
                                           [--calls-per-minute N] [--block 0900,0906,+979]

<tenant> is the Teams tenant id (or Slack team id) the policy applies to. --block replaces the
list of blocked prefixes (national like 0900 or international like +979). 112 is never dialled,
whatever the policy says. Each change is written to the audit log.`,
  options: {
    international: { type: 'string' },
    'premium-rate': { type: 'string' },
    'calls-per-minute': { type: 'string' },
    block: { type: 'string' },
  },
  async run(ctx) {
    const [sub, tenant, ...extra] = ctx.args;
    if ((sub !== 'show' && sub !== 'set') || !tenant || extra.length > 0) throw new UsageError('expected: dial-policy show|set <tenant>');
    const changes: Partial<DialPolicy> = {};
    const international = onOff(ctx.flags.international, 'international');
    if (international !== undefined) changes.internationalAllowed = international;
    const premium = onOff(ctx.flags['premium-rate'], 'premium-rate');
    if (premium !== undefined) changes.blockPremiumRate = !premium;
    const perMinute = ctx.flags['calls-per-minute'];
    if (perMinute !== undefined) {
      const n = Number(perMinute);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError('--calls-per-minute must be a whole number from 1 to 1000');
      changes.callsPerMinute = n;
    }
    const block = ctx.flags.block;
    if (typeof block === 'string') {
      const prefixes = block.split(',').map((p) => p.trim()).filter(Boolean);
      const bad = prefixes.find((p) => !/^(\+|0)\d{1,8}$/.test(p.replace(/\s/g, '')));
      if (bad) throw new UsageError(`--block: "${bad}" is not a prefix such as 0900 or +979`);
      changes.blockedPrefixes = prefixes;
    }
    if (sub === 'show' && Object.keys(changes).length > 0) throw new UsageError('show takes no options; use set');
    const config = ctx.config();
    const store = openStore(config.database);
    try {
      await store.migrate();
      const policies = new DialPolicyStore(store.db);
      let policy = await policies.forTenant(tenant);
      if (sub === 'set') {
        policy = { ...policy, ...changes };
        await policies.save(policy);
        await new AuditLog(store.db).record({ actor: 'cli', action: 'calling.dialPolicy', outcome: 'succeeded', detail: { tenantId: tenant, ...changes } });
      }
      ctx.io.out(`tenant:            ${policy.tenantId}`);
      ctx.io.out(`blocked prefixes:  ${policy.blockedPrefixes.map((p) => `${p} (${toE164Prefix(p)})`).join(', ') || 'none'}`);
      ctx.io.out(`premium rate:      ${policy.blockPremiumRate ? 'blocked' : 'allowed'}`);
      ctx.io.out(`international:     ${policy.internationalAllowed ? 'allowed' : 'blocked'}`);
      ctx.io.out(`calls per minute:  ${policy.callsPerMinute} per user`);
      ctx.io.out('emergency numbers: never click-dialled');
      return 0;
    } finally {
      await store.close();
    }
  },
};
