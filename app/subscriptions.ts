import { lookUpRoom } from './commands/space-titles';
// Core's own modules, not core/index.ts: the CLI loads this file, and the front door brings restify and every client with it.
import type { Config } from '../core/config';
import type { FollowingDeps } from '../core/notifications/following';
import type { SpaceAccess } from '../core/notifications/space-access';
import { Subscriptions, type SpacesPort } from '../core/notifications/subscriptions-facade';
import { SubscriptionRepository } from '../core/notifications/subscriptions';
import { NotificationAdministration, type NotificationAdmin } from '../core/notifications/notification-admin';
import type { AuditLog } from '../core/audit-log';
import type { Store } from '../core/store/store';

export interface SubscriptionsWiring {
  /** The authorisation rules (app/notifications.ts webexBotAccess). */
  access: Pick<SpaceAccess, 'serves' | 'follow' | 'mayWrite'>;
  /** The moderator rule and whether the bot is in a space (core webexSpaces, or the CLI's room lookup). */
  spaces: SpacesPort;
  /** The sources' clients, in the service; absent at the command line. */
  following?: Omit<FollowingDeps, 'subscriptions'> | undefined;
  /** The subscriptions table: the service's, shared with the notifications pipeline, or the CLI's. */
  repository: SubscriptionRepository;
}

/**
 * The Subscriptions façade, built the one way for the Webex bot and the CLI (issue 14: the CLI
 * re-implemented a weaker subscribe). The composition root is the only place that hands it a
 * repository and the rules.
 */
export function createSubscriptions(w: SubscriptionsWiring): Subscriptions {
  return new Subscriptions({ repository: w.repository, access: w.access, spaces: w.spaces, following: w.following });
}

/**
 * The façade at the command line: the operator manages any space the bot is in (asked of Webex
 * with the bot's token: a 404 is "not in that space", no answer is "cannot tell"), with no
 * sources' clients, so a Trello board's webhook waits for the service (the CLI's help says so).
 * The authorisation rules are for people in spaces; an operator never reaches them.
 */
export function cliSubscriptions(repository: SubscriptionRepository, config: Config): Subscriptions {
  const refuse = async (): Promise<never> => {
    throw new RangeError('the command line acts as an operator, whom the space rules do not apply to');
  };
  return createSubscriptions({
    repository,
    access: { serves: refuse, follow: refuse, mayWrite: refuse },
    spaces: {
      botIsIn: async (spaceId) => {
        const room = await lookUpRoom(config, spaceId);
        return room.kind === 'found' ? true : room.kind === 'not found' ? false : undefined;
      },
      mayManage: refuse,
    },
  });
}

/**
 * The `subscriptions` command's façades over one store, built here once (issue 14: the command
 * reaches no repository): the Subscriptions façade as above, and the operator's health, digest
 * and restricted-items settings. Not in app/administration.ts, which every admin command loads:
 * these bring zod (the stored filters), which `policy show` and the like do without.
 */
export function cliNotifications(store: Store, audit: AuditLog, config: Config): { subscriptions: Subscriptions; settings: NotificationAdmin } {
  return { subscriptions: cliSubscriptions(new SubscriptionRepository(store.db), config), settings: new NotificationAdministration(store.db, audit) };
}
