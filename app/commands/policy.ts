import { AuditLog, DialPolicyStore, defaultDialPolicy, type DialPolicy } from '../../core';
import { UsageError, type Command, type CommandContext } from './command';
import { printRows, withStore } from './output';

const prefixPattern = /^(\+[1-9]\d{0,6}|0\d{1,6})$/;

function prefixes(value: string | boolean | undefined, flag: string): string[] {
  if (typeof value !== 'string') return [];
  const list = value.split(',').map((p) => p.trim()).filter(Boolean);
  const bad = list.find((p) => !prefixPattern.test(p));
  if (bad) throw new UsageError(`${flag}: "${bad}" is not a prefix (national like 0900, or international like +979)`);
  return list;
}

function onOff(value: string | boolean | undefined, flag: string, on: string, off: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === on) return true;
  if (value === off) return false;
  throw new UsageError(`${flag} must be ${on} or ${off}`);
}

function row(p: DialPolicy, stored: boolean): Record<string, unknown> {
  return {
    tenant: p.tenantId,
    blockedPrefixes: p.blockedPrefixes,
    premiumRate: p.blockPremiumRate ? 'block' : 'allow',
    international: p.internationalAllowed ? 'on' : 'off',
    callsPerMinute: p.callsPerMinute,
    source: stored ? 'stored' : 'default',
  };
}

const columns = ['tenant', 'blockedPrefixes', 'premiumRate', 'international', 'callsPerMinute', 'source'];

async function show(ctx: CommandContext): Promise<number> {
  const tenant = typeof ctx.flags.tenant === 'string' ? ctx.flags.tenant : undefined;
  const rows = await withStore(ctx.config(), async (store) => {
    if (tenant) {
      const stored = await store.db.selectFrom('calling_dial_policies').select('tenant_id').where('tenant_id', '=', tenant).executeTakeFirst();
      return [row(await new DialPolicyStore(store.db).forTenant(tenant), stored !== undefined)];
    }
    const tenants = await store.db.selectFrom('calling_dial_policies').select('tenant_id').orderBy('tenant_id').execute();
    const policies = new DialPolicyStore(store.db);
    return [
      row(defaultDialPolicy('(every other tenant)'), false),
      ...(await Promise.all(tenants.map(async (t) => row(await policies.forTenant(t.tenant_id), true)))),
    ];
  });
  printRows(ctx, rows, columns);
  return 0;
}

async function set(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  if (typeof f.tenant !== 'string' || f.tenant.trim() === '') throw new UsageError('policy set needs --tenant <id> (the Teams tenant id or Slack team id)');
  const replace = f['blocked-prefixes'] !== undefined ? prefixes(f['blocked-prefixes'], '--blocked-prefixes') : undefined;
  const add = prefixes(f.block, '--block');
  const remove = prefixes(f.unblock, '--unblock');
  const international = onOff(f.international, '--international', 'on', 'off');
  const premium = onOff(f['premium-rate'], '--premium-rate', 'block', 'allow');
  let perMinute: number | undefined;
  if (f['calls-per-minute'] !== undefined) {
    perMinute = Number(f['calls-per-minute']);
    if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 120) throw new UsageError('--calls-per-minute must be a whole number from 1 to 120');
  }
  if (!replace && add.length === 0 && remove.length === 0 && international === undefined && premium === undefined && perMinute === undefined) {
    throw new UsageError('nothing to change: give at least one of --blocked-prefixes, --block, --unblock, --international, --premium-rate, --calls-per-minute');
  }
  const tenant = f.tenant.trim();
  const saved = await withStore(ctx.config(), async (store) => {
    const policies = new DialPolicyStore(store.db);
    const current = await policies.forTenant(tenant);
    const blocked = new Set(replace ?? current.blockedPrefixes);
    for (const p of add) blocked.add(p);
    for (const p of remove) blocked.delete(p);
    const next: DialPolicy = {
      tenantId: tenant,
      blockedPrefixes: [...blocked],
      blockPremiumRate: premium ?? current.blockPremiumRate,
      internationalAllowed: international ?? current.internationalAllowed,
      callsPerMinute: perMinute ?? current.callsPerMinute,
    };
    await policies.save(next);
    await new AuditLog(store.db).record({ actor: 'cli', action: 'calling.policy.set', outcome: 'succeeded', detail: { before: current, after: next } });
    return next;
  });
  printRows(ctx, [row(saved, true)], columns);
  return 0;
}

export const policyCommand: Command = {
  name: 'policy',
  summary: 'Show or change the dial policy (blocked prefixes, international, rate limit).',
  usage: `een-bridge policy show [--tenant ID] [--json]
       een-bridge policy set --tenant ID [--blocked-prefixes 0900,0906,+979] [--block P[,P]] [--unblock P[,P]]
                             [--international on|off] [--premium-rate block|allow] [--calls-per-minute N]

The dial policy decides what people of a tenant (Teams tenant or Slack team) may click-dial.
Tenants without a policy of their own get the default. Emergency numbers (112) are never
click-dialled, whatever the policy says. Every change is written to the audit log.`,
  options: {
    tenant: { type: 'string' },
    json: { type: 'boolean' },
    'blocked-prefixes': { type: 'string' },
    block: { type: 'string' },
    unblock: { type: 'string' },
    international: { type: 'string' },
    'premium-rate': { type: 'string' },
    'calls-per-minute': { type: 'string' },
  },
  async run(ctx) {
    const [sub, ...extra] = ctx.args;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (sub === 'show') return show(ctx);
    if (sub === 'set') return set(ctx);
    throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'expected "show" or "set"');
  },
};
