// Each from its own module, not core/internal.ts: a CLI command loads only what it uses.
import type { AuditLog } from '../core/audit-log';
import { DialPolicies } from '../core/calling/dial-policies';
import { ConsoleSessionLedger, type ConsoleSessions } from '../core/identity/console-sessions';
import { ServedOrganisations, type OrganisationAdmin } from '../core/identity/organisations';
import { People } from '../core/identity/people';
import { UserDirectory } from '../core/identity/users';
import { DeliveryOverview, type DeliveryQueue } from '../core/notifications/delivery-overview';
import type { FollowRequestQueue } from '../core/notifications/follow-requests';
import { Outbox } from '../core/notifications/outbox';
import { SourceAllowList, type AllowedSources } from '../core/notifications/source-allow-list';
import { SpaceWriters, type WriterGrants } from '../core/notifications/space-writers';
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
  /** `een-bridge orgs`. */
  organisations: OrganisationAdmin;
  /** `een-bridge outbox`. */
  deliveryQueue: DeliveryQueue;
  /** `een-bridge writers`. */
  writers: WriterGrants;
  /** `een-bridge sources list|allow|revoke`. */
  allowList: AllowedSources;
}

/**
 * The façades over `store`; `users` shares the service's directory when it has one, and
 * `organisations` the service's served organisations (app/organisations.ts: with those the
 * settings imply, which `orgs list` shows beside the stored ones).
 */
export function administration(
  store: Store,
  audit: AuditLog,
  users = new UserDirectory(store.db),
  organisations: OrganisationAdmin = new ServedOrganisations(store.db, audit),
): Administration {
  return {
    people: new People({ users, audit, db: store.db }),
    policies: new DialPolicies({ db: store.db, audit }),
    followRequests: deferredFollowRequests(store, audit),
    sessions: new ConsoleSessionLedger(store.db),
    deliveries: new DeliveryOverview(store.db),
    organisations,
    deliveryQueue: new Outbox(store.db, store.dialect),
    writers: new SpaceWriters(store.db, audit),
    allowList: new SourceAllowList(store.db, audit),
  };
}

/**
 * The follow-request queue, its module loaded on first use: it parses stored filters with zod,
 * which `policy show`, `orgs`, `outbox` and `writers` need nowhere else (issue 17's footprint;
 * test/integration/cli.test.ts counts the modules a command loads).
 */
function deferredFollowRequests(store: Store, audit: AuditLog): FollowRequestQueue {
  let queue: Promise<FollowRequestQueue> | undefined;
  const load = () => (queue ??= import('../core/notifications/follow-requests').then(({ FollowRequests }) => new FollowRequests(store.db, audit)));
  return {
    list: async (status) => (await load()).list(status),
    approve: async (id, by) => (await load()).approve(id, by),
    deny: async (id, by) => (await load()).deny(id, by),
    decidedToApply: async () => (await load()).decidedToApply(),
    claim: async (r) => (await load()).claim(r),
    release: async (r) => (await load()).release(r),
  };
}
