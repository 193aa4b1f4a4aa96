import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit-log';
import { systemClock, type Clock } from '../clock';
import { UserError } from '../errors';
import type { MessageKey, MessageParams } from '../i18n';
import type { Database } from '../store/schema';
import { DialPolicyStore, changeDialPolicy, checkTarget, defaultDialPolicy, type DialPolicy, type DialPolicyChange, type DialPolicyChangeResult } from './dial-policy';

export interface DialPoliciesDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  clock?: Clock;
}

/** The policy's verdict on one number, nothing else (no call, no rate limit, nothing audited). */
export type DialVerdict =
  | { allowed: true; target: string; policy: DialPolicy }
  | { allowed: false; reason: { key: MessageKey; params: MessageParams }; policy: DialPolicy };

/**
 * The dial policies as an administrator manages them from the console or `een-bridge policy`
 * (issue 14: one façade for every surface and the CLI, none reaching the table): what each
 * tenant allows, a change audited as `by` with before and after, and "would this number be
 * allowed?". Placing a call reads the same store through the Calling façade's DialGuard.
 */
export class DialPolicies {
  private readonly store: DialPolicyStore;

  constructor(private readonly deps: DialPoliciesDeps) {
    this.store = new DialPolicyStore(deps.db, deps.clock ?? systemClock);
  }

  /** The policy every tenant without a stored one gets. */
  byDefault(tenant: string): DialPolicy {
    return defaultDialPolicy(tenant);
  }

  /** Every stored policy, by tenant id. */
  async stored(): Promise<DialPolicy[]> {
    const tenants = await this.deps.db.selectFrom('calling_dial_policies').select('tenant_id').orderBy('tenant_id').execute();
    return Promise.all(tenants.map((t) => this.store.forTenant(t.tenant_id)));
  }

  /** A tenant's policy, and whether it is stored or the default. */
  async forTenant(tenant: string): Promise<{ policy: DialPolicy; stored: boolean }> {
    const row = await this.deps.db.selectFrom('calling_dial_policies').select('tenant_id').where('tenant_id', '=', tenant).executeTakeFirst();
    return { policy: await this.store.forTenant(tenant), stored: row !== undefined };
  }

  /** Applies and saves a change; audited (calling.policy.set) only when something differs. */
  async change(tenant: string, change: DialPolicyChange, by: string): Promise<DialPolicyChangeResult> {
    const current = await this.store.forTenant(tenant);
    const changed = changeDialPolicy(current, change);
    if (changed.differences.length > 0) {
      await this.store.save(changed.next);
      await this.deps.audit.record({ actor: by, action: 'calling.policy.set', outcome: 'succeeded', detail: { before: current, after: changed.next, differences: changed.differences } });
    }
    return changed;
  }

  /** "Would this number be allowed?" for a tenant: the policy's verdict alone. */
  async verdict(tenant: string, number: string): Promise<DialVerdict> {
    const policy = await this.store.forTenant(tenant);
    // Loaded when asked: the number parser brings libphonenumber's metadata, which `policy show` does not need.
    const { parseDialTarget } = await import('./phone-number');
    try {
      const target = parseDialTarget(number);
      checkTarget(policy, target);
      return { allowed: true, target: target.display, policy };
    } catch (err) {
      if (err instanceof UserError) return { allowed: false, reason: { key: err.key, params: err.params }, policy };
      throw err;
    }
  }
}
