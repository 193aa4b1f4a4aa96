import { Subscriptions, type FollowingDeps, type SpaceAccess, type SpacesPort, type SubscriptionRepository } from '../core';

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
