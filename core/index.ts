// The front door into the core: adapters, the sandbox and the console import from here only.
// Façades, ports, value types, errors, i18n and config; not tables, migrations or repositories,
// which the composition root (app/) and tests take from core/internal.ts.
export * from './errors';
export * from './failure';
export * from './config';
export * from './systems';
export * from './secret-key';
export * from './clock';
export * from './log';
export * from './i18n';
export * from './i18n/language-rule';
export * from './actor';
export * from './audit-log';
export * from './keyed-serial';
export * from './untrusted';
export * from './raw-body';
export * from './retry-in-background';
export type { Store } from './store/store';
export { licenceTiers, type Database, type LicenceTier } from './store/schema';
export * from './identity/token-vault';
export * from './identity/secrets';
export * from './identity/users';
export * from './identity/organisations';
export * from './identity/linking';
export { ConsoleSessionLedger } from './identity/console-sessions';
export * from './identity/identity';
export * from './calling';
export * from './meetings/licence-policy';
export * from './meetings/schedule-parser';
export * from './meetings/meetings-port';
export * from './meetings/webex-meetings';
export * from './meetings/webex-accounts';
export * from './meetings/meetings';
export * from './meetings/meeting-time';
export * from './notifications/source-event';
export * from './notifications/sources/jira';
export {
  DEFAULT_IMPORTANT,
  defaultDeliverySettings,
  importantChanges,
  jiraPriorities,
  matchesFilter,
  notificationFormats,
  subscriptionFilter,
  type DeliverySettings,
  type ImportantChange,
  type NewSubscription,
  type NotificationFormat,
  type Subscription,
  type SubscriptionFilter,
} from './notifications/subscriptions';
export type { FollowingDeps } from './notifications/following';
export * from './notifications/render';
export * from './notifications/outbox-worker';
export * from './notifications/webex-messages';
export * from './notifications/bot-webhooks';
export * from './notifications/webex-delivery';
export * from './notifications/hooks';
export * from './notifications/markdown';
export * from './notifications/rich-text';
export * from './notifications/sources/jira-markup';
export * from './notifications/notifications';
export * from './notifications/sources/trello';
export * from './notifications/sources/signature';
export * from './notifications/trello-client';
export * from './notifications/jira-client';
export { Replies, type ReplyAnswer, type ReplyAuthor, type RepliesDeps } from './notifications/replies/replies';
export { commentAdf } from './notifications/replies/comment-adf';
export { RestrictedItems } from './notifications/restricted/restricted-items';
export { HealthMonitor, currentHealth, type SpaceNotifier, type TrelloHealthPort } from './notifications/health/monitor';
export { assessHealth, defaultHealthPolicy, healthProblems, type HealthFacts, type HealthPolicy, type HealthProblem, type SubscriptionHealth } from './notifications/health/assess';
export { healthLabel, healthNoticeText } from './notifications/health/notice-text';
export * from './notifications/sources/graph';
export * from './notifications/graph-client';
export * from './notifications/graph-watcher';
export * from './notifications/send-pacer';
export * from './notifications/follow-requests';
export * from './notifications/less-noise';
export * from './notifications/space-access';
export type { WebexSeenEvents } from './notifications/webex-seen-events';
export * from './notifications/subscriptions-facade';
// The filter language as the surfaces need it (the parser, AST and evaluator stay inside core).
export { FilterError, canonicalFilter, showFilter, soundsDutch, tokenize } from './notifications/filter';
export { DigestSchedules, type DigestSchedule } from './notifications/digests/digest-schedules';
export { DEFAULT_DIGEST_TIME_ZONE, describeCadence, localDueTime, nextDueAt, parseDigestRequest, parseTimeZone, type DigestCadence, type DigestRequest } from './notifications/digests/schedule';
