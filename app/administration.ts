import {
  ConsoleSessionLedger,
  DeliveryOverview,
  DialPolicies,
  FollowRequests,
  People,
  UserDirectory,
  type AuditLog,
  type ConsoleSessions,
  type FollowRequestQueue,
  type Store,
} from '../core/internal';

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

export function administration(store: Store, audit: AuditLog, users = new UserDirectory(store.db)): Administration {
  return {
    people: new People({ users, audit, db: store.db }),
    policies: new DialPolicies({ db: store.db, audit }),
    followRequests: new FollowRequests(store.db, audit),
    sessions: new ConsoleSessionLedger(store.db),
    deliveries: new DeliveryOverview(store.db),
  };
}
