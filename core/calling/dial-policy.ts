import type { Kysely } from 'kysely';
import type { AuditEntry, AuditLog } from '../audit-log';
import { isoNow, systemClock, type Clock } from '../clock';
import { UserError } from '../errors';
import { KeyedSerial } from '../keyed-serial';
import type { Database } from '../store/schema';
import type { Store } from '../store/store';
import { lockForTransaction } from '../store/transaction-lock';
import type { DialTarget } from './phone-number';

/** What a tenant (organisation) allows its people to click-dial. */
export interface DialPolicy {
  tenantId: string;
  /**
   * Prefixes that are never dialled: national ("0900", meaning +31900) or E.164 ("+979") for
   * numbers, and short-code prefixes without a leading 0 or + ("18" blocks 1888 and 1850) for
   * short numbers that are no extension. A short-code prefix never applies to a full number.
   */
  blockedPrefixes: string[];
  /**
   * The administrator's extension plan: the short numbers that are internal extensions even
   * when the enterprise directory does not list them, as ranges ("2000-2999") or single
   * numbers ("100"). Short numbers outside it are extensions only when the directory has them.
   */
  extensionPlan: string[];
  /** Refuse every number libphonenumber classifies as premium rate, in any country. */
  blockPremiumRate: boolean;
  internationalAllowed: boolean;
  /** Per user, against toll fraud by a hijacked account. */
  callsPerMinute: number;
}

/**
 * Dutch premium-rate ranges 0900/0906/0909 (ACM numbering plan for "informatienummers"),
 * the ITU international premium rate service +979, and the international networks and
 * satellite ranges +881/+882/+883/+870 that are a classic toll-fraud target. Short codes:
 * the Dutch 18xy "abonnee-informatiediensten" (directory enquiries such as 1888, charged per
 * call and minute) and 16xy four-digit carrier selection codes (ACM, Jaarverslag 2017,
 * "Nummers en uitgifte": "18xy abonnee-informatiediensten", "Carrierselectie (4-cijferig)";
 * Nummerplan telefoon- en ISDN-diensten, wetten.overheid.nl BWBR0010198).
 */
export const DEFAULT_BLOCKED_PREFIXES = ['0900', '0906', '0909', '+979', '+881', '+882', '+883', '+870', '16', '18'];

export { DEFAULT_BLOCKED_SHORT_CODES } from './short-codes';

export function defaultDialPolicy(tenantId: string): DialPolicy {
  return { tenantId, blockedPrefixes: [...DEFAULT_BLOCKED_PREFIXES], extensionPlan: [], blockPremiumRate: true, internationalAllowed: true, callsPerMinute: 10 };
}

/** A prefix of short numbers ("18"), as opposed to a national or E.164 prefix of numbers. */
export function isShortCodePrefix(prefix: string): boolean {
  return /^[1-9]\d{0,5}$/.test(prefix);
}

/** "2000-2999" or "100": a range of extensions in an extension plan, or undefined. */
export function parseExtensionRange(text: string): { from: number; to: number; length: number } | undefined {
  const m = /^([1-9]\d{1,5})(?:-([1-9]\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const from = m[1]!;
  const to = m[2] ?? from;
  if (to.length !== from.length || Number(to) < Number(from)) return undefined;
  return { from: Number(from), to: Number(to), length: from.length };
}

/** Whether the administrator's extension plan makes `digits` an internal extension. */
export function inExtensionPlan(policy: Pick<DialPolicy, 'extensionPlan'>, digits: string): boolean {
  return policy.extensionPlan.some((r) => {
    const range = parseExtensionRange(r);
    return range !== undefined && digits.length === range.length && Number(digits) >= range.from && Number(digits) <= range.to;
  });
}

/**
 * A change an administrator asks for. Prefixes are added and removed one by one, so changing
 * one never drops another (`--blocked-prefixes 0900,0906,0909,+979` used to replace the list
 * and quietly unblock the satellite ranges); `replaceBlocked` replaces it only when said so.
 */
export interface DialPolicyChange {
  block?: string[];
  unblock?: string[];
  replaceBlocked?: string[];
  /** The extension plan, replaced as a whole (`--extensions 1000-1999,200`, or [] for none). */
  extensionPlan?: string[];
  blockPremiumRate?: boolean;
  internationalAllowed?: boolean;
  callsPerMinute?: number;
}

/** One setting whose value changed, for the administrator to read back. */
export type DialPolicyDifference =
  | { setting: 'blockedPrefixes'; before: string[]; after: string[]; added: string[]; removed: string[] }
  | { setting: 'extensionPlan'; before: string[]; after: string[] }
  | { setting: 'blockPremiumRate' | 'internationalAllowed'; before: boolean; after: boolean }
  | { setting: 'callsPerMinute'; before: number; after: number };

export interface DialPolicyChangeResult {
  next: DialPolicy;
  /** Only the settings whose value differs; empty when the change changed nothing. */
  differences: DialPolicyDifference[];
  /** Asked to block, but blocked already. */
  alreadyBlocked: string[];
  /** Asked to unblock, but not blocked. */
  notBlocked: string[];
}

/** Applies a change to a policy; pure, so the caller can show it before or after saving. */
export function changeDialPolicy(current: DialPolicy, change: DialPolicyChange): DialPolicyChangeResult {
  const block = change.block ?? [];
  const unblock = change.unblock ?? [];
  const before = current.blockedPrefixes;
  const blocked = [...(change.replaceBlocked ?? before)];
  for (const p of block) if (!blocked.includes(p)) blocked.push(p);
  const after = blocked.filter((p) => !unblock.includes(p));
  const next: DialPolicy = {
    tenantId: current.tenantId,
    blockedPrefixes: after,
    extensionPlan: change.extensionPlan ?? current.extensionPlan,
    blockPremiumRate: change.blockPremiumRate ?? current.blockPremiumRate,
    internationalAllowed: change.internationalAllowed ?? current.internationalAllowed,
    callsPerMinute: change.callsPerMinute ?? current.callsPerMinute,
  };
  const differences: DialPolicyDifference[] = [];
  const added = after.filter((p) => !before.includes(p));
  const removed = before.filter((p) => !after.includes(p));
  if (added.length > 0 || removed.length > 0 || after.join() !== before.join()) {
    differences.push({ setting: 'blockedPrefixes', before, after, added, removed });
  }
  if (next.extensionPlan.join() !== current.extensionPlan.join()) {
    differences.push({ setting: 'extensionPlan', before: current.extensionPlan, after: next.extensionPlan });
  }
  for (const setting of ['blockPremiumRate', 'internationalAllowed'] as const) {
    if (next[setting] !== current[setting]) differences.push({ setting, before: current[setting], after: next[setting] });
  }
  if (next.callsPerMinute !== current.callsPerMinute) {
    differences.push({ setting: 'callsPerMinute', before: current.callsPerMinute, after: next.callsPerMinute });
  }
  return {
    next,
    differences,
    alreadyBlocked: change.replaceBlocked ? [] : block.filter((p) => before.includes(p)),
    notBlocked: unblock.filter((p) => !(change.replaceBlocked ?? before).includes(p) && !block.includes(p)),
  };
}

/** Per-tenant policies in `calling_dial_policies`; a tenant without a row gets the default. */
export class DialPolicyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async forTenant(tenantId: string): Promise<DialPolicy> {
    const row = await this.db.selectFrom('calling_dial_policies').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    if (!row) return defaultDialPolicy(tenantId);
    return {
      tenantId,
      blockedPrefixes: JSON.parse(row.blocked_prefixes) as string[],
      extensionPlan: JSON.parse(row.extension_plan) as string[],
      blockPremiumRate: row.block_premium_rate === 1,
      internationalAllowed: row.international_allowed === 1,
      callsPerMinute: row.calls_per_minute,
    };
  }

  async save(policy: DialPolicy): Promise<void> {
    const values = {
      blocked_prefixes: JSON.stringify(policy.blockedPrefixes),
      extension_plan: JSON.stringify(policy.extensionPlan),
      block_premium_rate: policy.blockPremiumRate ? 1 : 0,
      international_allowed: policy.internationalAllowed ? 1 : 0,
      calls_per_minute: policy.callsPerMinute,
      updated_at: isoNow(this.clock),
    };
    await this.db
      .insertInto('calling_dial_policies')
      .values({ tenant_id: policy.tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }
}

export const DIAL_ACTION = 'calling.dial';

/** The policy's verdict on one target, before rate limiting; throws the UserError to show. */
export function checkTarget(policy: DialPolicy, target: DialTarget): void {
  if (target.kind === 'emergency') throw new UserError('calling.policy.emergency', { number: target.number }, 422);
  // An extension is one only once Calling checked it against the directory or extension plan.
  if (target.kind === 'extension') return;
  if (target.kind === 'short') {
    const shortPrefix = policy.blockedPrefixes.find((p) => isShortCodePrefix(p) && target.digits.startsWith(p));
    if (shortPrefix) throw new UserError('calling.policy.blockedShortNumber', { prefix: shortPrefix, number: target.display }, 403);
    return;
  }
  const prefix = policy.blockedPrefixes.find((p) => !isShortCodePrefix(p) && target.e164.startsWith(toE164Prefix(p)));
  if (prefix) throw new UserError('calling.policy.blockedPrefix', { prefix }, 403);
  if (policy.blockPremiumRate && target.premiumRate) throw new UserError('calling.policy.premiumRate', { number: target.display }, 403);
  if (target.international && !policy.internationalAllowed) {
    throw new UserError('calling.policy.international', { number: target.display }, 403);
  }
}

/** "0900" -> "+31900" (a national prefix is in the home country); "+979" stays. */
export function toE164Prefix(prefix: string, homeCallingCode = '31'): string {
  const p = prefix.replace(/[^\d+]/g, '');
  if (p.startsWith('+')) return p;
  if (p.startsWith('00')) return `+${p.slice(2)}`;
  if (p.startsWith('0')) return `+${homeCallingCode}${p.slice(1)}`;
  return `+${p}`;
}

/**
 * Decides whether `actor` may dial `target` now, and records every decision in the audit
 * log. The rate limit counts the actor's allowed dials of the last minute in that same
 * log, so it holds across replicas that share the store; within a process one decision per
 * user is made at a time. (Two replicas deciding for the same user in the same instant can
 * still both pass: each counts before the other's record is committed.)
 */
export class DialGuard {
  private readonly perUser = new KeyedSerial();

  constructor(
    private readonly policies: DialPolicyStore,
    private readonly audit: AuditLog,
    private readonly store: Pick<Store, 'db' | 'dialect'>,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The policy in force for a tenant (Calling reads its extension plan). */
  async policyFor(tenantId: string): Promise<DialPolicy> {
    return this.policies.forTenant(tenantId);
  }

  async authorise(actor: { userId: string; tenantId: string }, target: DialTarget): Promise<void> {
    await this.authoriseThen(actor, target, async () => undefined);
  }

  /**
   * Decides, and when allowed runs `dial` while the decision is being committed: the call
   * request is on its way during the disk sync instead of after it. Resolves once both are
   * done, so an answer the person sees always has its decision on record.
   */
  async authoriseThen<T>(actor: { userId: string; tenantId: string }, target: DialTarget, dial: () => Promise<T>): Promise<T> {
    const policy = await this.policies.forTenant(actor.tenantId);
    const detail = { tenantId: actor.tenantId, target: target.kind === 'number' ? target.e164 : target.display, kind: target.kind };
    let decided: { call: Promise<T> };
    try {
      checkTarget(policy, target);
      // Count and record one decision of a user at a time, in this process (the queue) and
      // across replicas (the lock): clicks counted side by side all saw the same count, so
      // eight at once went through a limit of three. The call goes out before the decision is
      // committed and is not waited for here, so a slow one never holds up the user's next click.
      decided = await this.perUser.run(actor.userId, async () => {
        const allowed: AuditEntry = { actor: actor.userId, action: DIAL_ACTION, outcome: 'allowed', detail };
        const decide = async (db: Kysely<Database>, record: () => Promise<void>) => {
          const recent = await this.dialsSince(db, actor.userId, new Date(this.clock.now().getTime() - 60_000));
          if (recent >= policy.callsPerMinute) throw new UserError('calling.policy.rateLimited', { limit: policy.callsPerMinute }, 429);
          const call = dial();
          // Awaited by the caller once the decision is committed; until then a failure must not count as unhandled.
          call.catch(() => undefined);
          await record();
          return { call };
        };
        // SQLite has one process, whose decisions the queue already takes in turn; its entry
        // joins the audit log's group commit, and the call's own reads need not wait for it.
        if (this.store.dialect !== 'postgres') return decide(this.store.db, () => this.audit.record(allowed));
        return this.store.db.transaction().execute(async (trx) => {
          await lockForTransaction(trx, `dial-rate:${actor.userId}`);
          return decide(trx, () => this.audit.recordIn(trx, allowed));
        });
      });
    } catch (err) {
      if (err instanceof UserError) {
        await this.audit.record({ actor: actor.userId, action: DIAL_ACTION, outcome: 'denied', detail: { ...detail, reason: err.key } });
      }
      // A commit that failed after the call went out lands here too: the person is told, not
      // assured of a call left unrecorded.
      throw err;
    }
    return decided.call;
  }

  private async dialsSince(db: Kysely<Database>, userId: string, since: Date): Promise<number> {
    const row = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('actor', '=', userId)
      .where('action', '=', DIAL_ACTION)
      .where('outcome', '=', 'allowed')
      .where('at', '>=', since.toISOString())
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
