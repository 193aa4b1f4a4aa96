// The front door into the core: adapters, the sandbox and the console import from here only.
// Façades, ports, value types, errors, i18n and config; not tables, migrations or repositories,
// which the composition root (app/) and tests take from core/internal.ts.
export * from './errors';
export * from './http-transport';
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
export { licenceTiers, type LicenceTier } from './store/schema';
export type { SecretBinding } from './identity/token-vault';
export * from './identity/sealer';
export type { User, UserFields } from './identity/users';
export * from './identity/people';
export type { SlackAuthorization, SlackInstallation, WorkspaceInstallations } from './identity/workspace-installations';
export type { SeenSignatures } from './replay-guard';
export { emailDomain, normaliseOrganisation, organisationKinds, type OrganisationAdmin, type OrganisationKind, type ServedOrganisation } from './identity/organisations';
export * from './identity/linking';
export type { ConsoleSessions } from './identity/console-sessions';
export * from './identity/identity';
// Calling (click-to-dial through KPN EEN): the façade and its value types; the dial policy store,
// the line linker and the wiring stay inside (core/internal.ts).
export * from './calling/phone-number';
export * from './calling/telephony';
export {
  DEFAULT_BLOCKED_PREFIXES,
  DEFAULT_BLOCKED_SHORT_CODES,
  DIAL_ACTION,
  changeDialPolicy,
  checkTarget,
  defaultDialPolicy,
  inExtensionPlan,
  isShortCodePrefix,
  parseExtensionRange,
  toE164Prefix,
  type DialPolicy,
  type DialPolicyChange,
  type DialPolicyChangeResult,
  type DialPolicyDifference,
} from './calling/dial-policy';
export * from './calling/dial-policies';
export type { Line } from './calling/line-linking';
export * from './calling/calling';
export { ImportError, csvSeparator, inspectUserCsv, readUserCsv, type CsvSeparator, type ImportResult, type ImportedLine, type InspectedCsv, type InspectedRow } from './calling/user-import';
export * from './calling/call-watcher';
export * from './meetings/licence-policy';
export * from './meetings/schedule-parser';
export * from './meetings/meetings-port';
export * from './meetings/webex-accounts';
export * from './meetings/meetings';
export * from './meetings/meeting-time';
export * from './notifications/source-event';
// The webhook senders' contracts as the sandbox and the console's playground sign with them; the
// parsing and verifying behind NotificationHooks stays inside.
export { JIRA_IDENTIFIER_HEADER, JIRA_SIGNATURE_HEADER, SANDBOX_JIRA_WEBHOOK_SECRET, signJiraBody } from './notifications/sources/jira';
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
export type { AdaptiveCard } from './notifications/render';
export * from './notifications/webex-messages';
export { receiveGraphNotifications, type WebhookAnswer } from './notifications/hooks';
export * from './notifications/markdown';
export type { NotificationHooks, Notifications } from './notifications/notifications';
export { SANDBOX_TRELLO_API_SECRET, TRELLO_SIGNATURE_HEADER, signTrelloBody } from './notifications/sources/trello';
export * from './notifications/sources/signature';
export { trelloBoardRef, type TrelloBoard, type TrelloBoards } from './notifications/trello-client';
export { Replies, type ReplyAnswer, type ReplyAuthor, type RepliesDeps } from './notifications/replies/replies';
export { commentAdf } from './notifications/replies/comment-adf';
export type { HealthReadings, SpaceNotifier, TrelloHealthPort } from './notifications/health/monitor';
export type { SubscriptionHealth } from './notifications/health/assess';
export { healthLabel, healthNoticeText } from './notifications/health/notice-text';
export { graphFolderKey } from './notifications/sources/graph';
export type { DriveFolders } from './notifications/graph-watcher';
export { UNKNOWN_ORGANISATION, type FollowRequest, type FollowRequestQueue, type NewFollowRequest } from './notifications/follow-requests';
export type { DeliveryFacts, DeliveryQueue, SpaceDeliveries } from './notifications/delivery-overview';
export type { DeliveryRow } from './notifications/outbox';
export type { SpaceWriter, WriterGrants } from './notifications/space-writers';
export type { AllowedSource, AllowedSources } from './notifications/source-allow-list';
export { actorOrganisation, type FollowDecision, type SourceToFollow, type SpaceGate, type WebexActor } from './notifications/space-access';
export type { SeenEvents, Sighting, WebexEventIdentity } from './notifications/webex-seen-events';
export * from './notifications/subscriptions-facade';
// The filter language as the surfaces need it (the parser, AST and evaluator stay inside core).
export { FilterError, canonicalFilter, showFilter, soundsDutch, tokenize } from './notifications/filter';
export type { DigestSchedule, SpaceDigests } from './notifications/digests/digest-schedules';
export type { NotificationAdmin } from './notifications/notification-admin';
export { DEFAULT_DIGEST_TIME_ZONE, describeCadence, localDueTime, nextDueAt, parseDigestRequest, parseTimeZone, type DigestCadence, type DigestRequest } from './notifications/digests/schedule';
