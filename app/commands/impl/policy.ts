import { parseExtensionRange, type DialPolicy, type DialPolicyChange, type DialPolicyDifference } from '../../../core/calling/dial-policy';
import { UsageError, type CommandContext } from '../command';
import { printRows, withAdministration } from '../output';

/** National (0900), international (+979) or short-code (18: short numbers that are no extension). */
const prefixPattern = /^(\+[1-9]\d{0,6}|0\d{1,6}|[1-9]\d{0,5})$/;

function prefixes(value: string | boolean | undefined, flag: string): string[] {
  if (typeof value !== 'string') return [];
  const list = value.split(',').map((p) => p.trim()).filter(Boolean);
  const bad = list.find((p) => !prefixPattern.test(p));
  if (bad) throw new UsageError(`${flag}: "${bad}" is not a prefix (national like 0900, international like +979, or a short code like 18)`);
  return list;
}

function extensionRanges(value: string | boolean | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError('--extensions needs a list such as 1000-1999,200 (or "none")');
  if (value.trim() === 'none') return [];
  const list = value.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = list.find((r) => !parseExtensionRange(r));
  if (bad) throw new UsageError(`--extensions: "${bad}" is not an extension or range of 2-6 digits (like 1000-1999, same length both ends)`);
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
    extensions: p.extensionPlan,
    premiumRate: p.blockPremiumRate ? 'block' : 'allow',
    international: p.internationalAllowed ? 'on' : 'off',
    callsPerMinute: p.callsPerMinute,
    source: stored ? 'stored' : 'default',
  };
}

const columns = ['tenant', 'blockedPrefixes', 'extensions', 'premiumRate', 'international', 'callsPerMinute', 'source'];

async function show(ctx: CommandContext): Promise<number> {
  const tenant = typeof ctx.flags.tenant === 'string' ? ctx.flags.tenant : undefined;
  const rows = await withAdministration(ctx.config(), async ({ policies }) => {
    if (tenant) {
      const { policy, stored } = await policies.forTenant(tenant);
      return [row(policy, stored)];
    }
    return [row(policies.byDefault('(every other tenant)'), false), ...(await policies.stored()).map((p) => row(p, true))];
  });
  printRows(ctx, rows, columns);
  return 0;
}

/** One line per changed setting, before → after; prefixes also say what was added or removed. */
function describe(d: DialPolicyDifference): string {
  switch (d.setting) {
    case 'blockedPrefixes': {
      const notes = [d.added.length > 0 ? `blocked ${d.added.join(',')}` : '', d.removed.length > 0 ? `unblocked ${d.removed.join(',')}` : ''].filter(Boolean);
      const list = (l: string[]) => (l.length > 0 ? l.join(',') : '(none)');
      return `blocked prefixes: ${list(d.before)} → ${list(d.after)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
    }
    case 'blockPremiumRate':
      return `premium rate: ${d.before ? 'block' : 'allow'} → ${d.after ? 'block' : 'allow'}`;
    case 'internationalAllowed':
      return `international: ${d.before ? 'on' : 'off'} → ${d.after ? 'on' : 'off'}`;
    case 'callsPerMinute':
      return `calls per minute: ${d.before} → ${d.after}`;
    case 'extensionPlan': {
      const list = (l: string[]) => (l.length > 0 ? l.join(',') : '(none)');
      return `extensions: ${list(d.before)} → ${list(d.after)}`;
    }
  }
}

async function set(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  if (typeof f.tenant !== 'string' || f.tenant.trim() === '') throw new UsageError('policy set needs --tenant <id> (the Teams tenant id or Slack team id)');
  if (f['blocked-prefixes'] !== undefined) {
    // The old flag replaced the whole list, so the README's own example unblocked +881/+882/+883/+870.
    throw new UsageError('--blocked-prefixes replaced the whole list and is gone: add with --block, remove with --unblock, or replace the list on purpose with --replace-blocked');
  }
  const change: DialPolicyChange = {};
  const replace = f['replace-blocked'] !== undefined ? prefixes(f['replace-blocked'], '--replace-blocked') : undefined;
  const block = prefixes(f.block, '--block');
  const unblock = prefixes(f.unblock, '--unblock');
  if (replace && (block.length > 0 || unblock.length > 0)) throw new UsageError('--replace-blocked cannot be combined with --block or --unblock');
  const both = block.filter((p) => unblock.includes(p));
  if (both.length > 0) throw new UsageError(`both blocked and unblocked: ${both.join(',')}`);
  if (replace) change.replaceBlocked = replace;
  if (block.length > 0) change.block = block;
  if (unblock.length > 0) change.unblock = unblock;
  const international = onOff(f.international, '--international', 'on', 'off');
  if (international !== undefined) change.internationalAllowed = international;
  const premium = onOff(f['premium-rate'], '--premium-rate', 'block', 'allow');
  if (premium !== undefined) change.blockPremiumRate = premium;
  if (f['calls-per-minute'] !== undefined) {
    const perMinute = Number(f['calls-per-minute']);
    if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 120) throw new UsageError('--calls-per-minute must be a whole number from 1 to 120');
    change.callsPerMinute = perMinute;
  }
  const extensions = extensionRanges(f.extensions);
  if (extensions !== undefined) change.extensionPlan = extensions;
  if (Object.keys(change).length === 0) {
    throw new UsageError('nothing to change: give at least one of --block, --unblock, --replace-blocked, --extensions, --international, --premium-rate, --calls-per-minute');
  }
  const tenant = f.tenant.trim();
  const result = await withAdministration(ctx.config(), ({ policies }) => policies.change(tenant, change, 'cli'));
  if (ctx.flags.json) {
    ctx.io.out(JSON.stringify({ policy: row(result.next, true), ...result }, null, 2));
    return 0;
  }
  for (const d of result.differences) ctx.io.out(describe(d));
  if (result.alreadyBlocked.length > 0) ctx.io.out(`already blocked: ${result.alreadyBlocked.join(',')}`);
  if (result.notBlocked.length > 0) ctx.io.out(`not blocked: ${result.notBlocked.join(',')}`);
  if (result.differences.length === 0) ctx.io.out(`No change to the policy of ${tenant}.`);
  return 0;
}

/** `een-bridge policy` (metadata and help: app/commands/policy.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [sub, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (sub === 'show') return show(ctx);
  if (sub === 'set') return set(ctx);
  throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'expected "show" or "set"');
}
