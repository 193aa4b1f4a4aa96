// The composition root's door (app/) and the tests': the front door (core/index.ts) and what it
// leaves out on purpose, the store, its tables and the repositories. Adapters never import this
// (eslint.config.mjs; test/unit/architecture.test.ts).
export * from './index';
export * from './store/store';
export * from './store/schema';
export * from './store/transaction-lock';
export * from './store/one-transaction';
export type { CallingTables } from './calling/calling-tables';
export type { MeetingsTables } from './meetings/tables';
export * from './notifications/tables';
export * from './notifications/access-tables';
export * from './notifications/graph-store';
export * from './notifications/threads';
export * from './notifications/source-allow-list';
export * from './notifications/space-writers';
export * from './notifications/follow-requests';
export { WebexSeenEvents } from './notifications/webex-seen-events';
export * from './notifications/inbox';
export * from './notifications/outbox';
export * from './notifications/space-settings';
export { forgetTrelloBoard, startFollowing } from './notifications/following';
export { SubscriptionRepository, subscriptionsForAll } from './notifications/subscriptions';
export { ThreadItems, type ThreadItem } from './notifications/replies/thread-items';
export { UpstreamHealthRepository, type UpstreamHealth, type UpstreamState } from './notifications/health/upstream-health';
export { DigestScheduler, type DigestSchedulerOptions, type QueuedDigest } from './notifications/digests/digest-scheduler';
export { renderScheduledDigest } from './notifications/digests/render-scheduled';
export * from './notifications/router';
export * from './notifications/filter';
