// Each from its own module, not core/internal.ts: a CLI command loads only what it uses.
import type { AuditLog } from '../core/audit-log';
import { DialPolicies } from '../core/calling/dial-policies';
import { ConsoleSessionLedger, type ConsoleSessions } from '../core/identity/console-sessions';
import { People } from '../core/identity/people';
import { UserDirectory } from '../core/identity/users';
import { DeliveryOverview } from '../core/notifications/delivery-overview';
import { FollowRequests, type FollowRequestQueue } from '../core/notifications/follow-requests';
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
    followRequests: new FollowRequests(store.db, audit),
    sessions: new ConsoleSessionLedger(store.db),
    deliveries: new DeliveryOverview(store.db),
  };
}
