import type { SourceName } from '../source-event';
import type { Subscription } from '../subscriptions';
import type { UpstreamHealth, UpstreamState } from './upstream-health';

/** What the store knows about one subscription (facts.ts). */
export interface HealthFacts {
  subscription: Subscription;
  /** The newest event stored for its source key. */
  lastEventAt: string | null;
  /** The newest delivery of that source key to its space. */
  lastDeliveryAt: string | null;
  /** Deliveries to its space still queued after failed sends. */
  failing: number;
  /** Dead letters to its space. */
  dead: number;
  /** Its webhook or Graph subscription, where one is tracked. */
  upstream: UpstreamHealth | undefined;
}

export const healthProblems = ['sourceGone', 'webhookMissing', 'renewalFailing', 'deadLetters', 'silent'] as const;
export type HealthProblem = (typeof healthProblems)[number];

export interface SubscriptionHealth {
  subscriptionId: number;
  spaceId: string;
  source: SourceName;
  sourceKey: string;
  status: 'ok' | 'broken';
  /** Why it is broken; the first that applies, in the order of `healthProblems`. */
  problem: HealthProblem | undefined;
  lastEventAt: string | null;
  lastDeliveryAt: string | null;
  failing: number;
  dead: number;
  /** Jira has no registration of ours to look at: `seen` when an event came within its quiet time. */
  upstream: UpstreamState | 'seen' | 'notSeen' | 'unknown';
  upstreamFailures: number;
  /** Graph: when its subscription expires. */
  expiresAt: string | null;
}

export interface HealthPolicy {
  /**
   * How long without any event is unusual, per source: longer than that, the webhook is likely
   * broken rather than the project quiet. Counted from the subscription's start when nothing came yet.
   */
  quietMs: Record<SourceName, number>;
  /** Graph renewals failed in a row before the space is told (renewal runs hourly, a day ahead). */
  renewalFailures: number;
}

export const defaultHealthPolicy: HealthPolicy = {
  quietMs: { jira: 14 * 86_400_000, trello: 14 * 86_400_000, graph: 30 * 86_400_000 },
  renewalFailures: 3,
};

/** The health of one subscription from its facts at `nowMs`. Pure: the monitor and `subscriptions list` share it. */
export function assessHealth(facts: HealthFacts, policy: HealthPolicy, nowMs: number): SubscriptionHealth {
  const s = facts.subscription;
  const up = facts.upstream;
  const quietFor = nowMs - Date.parse(facts.lastEventAt ?? s.createdAt);
  const silent = quietFor > policy.quietMs[s.source];
  const upstream: SubscriptionHealth['upstream'] = s.source === 'jira' ? (silent ? 'notSeen' : 'seen') : (up?.state ?? 'unknown');
  const problems: Record<HealthProblem, boolean> = {
    sourceGone: up?.state === 'gone',
    webhookMissing: up?.state === 'missing',
    renewalFailing: s.source === 'graph' && up?.state === 'failing' && up.failures >= policy.renewalFailures,
    deadLetters: facts.dead > 0,
    silent,
  };
  const problem = healthProblems.find((p) => problems[p]);
  return {
    subscriptionId: s.id,
    spaceId: s.spaceId,
    source: s.source,
    sourceKey: s.sourceKey,
    status: problem ? 'broken' : 'ok',
    problem,
    lastEventAt: facts.lastEventAt,
    lastDeliveryAt: facts.lastDeliveryAt,
    failing: facts.failing,
    dead: facts.dead,
    upstream,
    upstreamFailures: up?.failures ?? 0,
    expiresAt: up?.expiresAt ?? null,
  };
}
