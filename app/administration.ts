// Each from its own module, not core/internal.ts: a CLI command loads only what it uses.
import type { AuditLog } from '../core/audit-log';
import { DialPolicies } from '../core/calling/dial-policies';
import { ConsoleSessionLedger, type ConsoleSessions } from '../core/identity/console-sessions';
import { People } from '../core/identity/people';
import { UserDirectory } from '../core/identity/users';
import { DeliveryOverview } from '../core/notifications/delivery-overview';
import type { FollowRequestQueue } from '../core/notifications/follow-requests';
import type { Store } from '../core/store/store';

/**
 * The administration façades over one store, built the same way for the service (the console,
 * the Teams tab, the OAuth pages) and for each CLI command (issue 14: the CLI goes through the
 * same façades as the surfaces, and no surface reaches a repository).
 */
export interface Administration {
  people: People;
  policies: DialPolicies;
  followRequests: FollowRequestQueue;
  sessions: ConsoleSessions;
  deliveries: DeliveryOverview;
}

/** The façades over `store`; `users` shares the service's directory when it has one. */
export function administration(store: Store, audit: AuditLog, users = new UserDirectory(store.db)): Administration {
  return {
    people: new People({ users, audit, db: store.db }),
    policies: new DialPolicies({ db: store.db, audit }),
    followRequests: followRequestsWhenUsed(store, audit),
    sessions: new ConsoleSessionLedger(store.db),
    deliveries: new DeliveryOverview(store.db),
  };
}

/**
 * The follow-request queue, loaded when first used: its rows are read with the subscriptions'
 * zod schemas, which a command such as `policy show` must not load (issue 17: the CLI's
 * non-serving commands start in < 300 ms; test/integration/cli.test.ts checks no zod is loaded).
 */
function followRequestsWhenUsed(store: Store, audit: AuditLog): FollowRequestQueue {
  let queue: Promise<FollowRequestQueue> | undefined;
  const loaded = () => (queue ??= import('../core/notifications/follow-requests').then(({ FollowRequests }) => new FollowRequests(store.db, audit)));
  return {
    list: async (status) => (await loaded()).list(status),
    approve: async (id, by) => (await loaded()).approve(id, by),
    deny: async (id, by) => (await loaded()).deny(id, by),
    decidedToApply: async () => (await loaded()).decidedToApply(),
    claim: async (r) => (await loaded()).claim(r),
    release: async (r) => (await loaded()).release(r),
  };
}
