import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit-log';
import { systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import { DigestSchedules, type DigestSchedule, type SpaceDigests } from './digests/digest-schedules';
import type { DigestRequest } from './digests/schedule';
import { defaultHealthPolicy, type HealthPolicy, type SubscriptionHealth } from './health/assess';
import { currentHealth } from './health/monitor';
import { UpstreamHealthRepository } from './health/upstream-health';
import { RestrictedItems } from './restricted/restricted-items';
import { SpaceSettingsRepository } from './space-settings';
import { SubscriptionRepository } from './subscriptions';

/**
 * What an operator sees and sets about spaces' notifications besides the subscriptions
 * themselves (`een-bridge subscriptions list|digest|restricted`; issue 14: through this façade,
 * not the repositories): each subscription's health from the store alone, the digest schedules
 * and burst windows, and whether a subscription carries restricted items.
 */
export interface NotificationAdmin extends SpaceDigests {
  readonly healthPolicy: HealthPolicy;
  /** Every subscription's health (or one space's), read from the store: no running service needed. */
  health(spaceId?: string): Promise<SubscriptionHealth[]>;
  digestSchedules(): Promise<DigestSchedule[]>;
  /** The space's own burst window in milliseconds; undefined when it follows the service default. */
  ownDigestWindow(spaceId: string): Promise<number | undefined>;
  /** null goes back to the service default. */
  setDigestWindow(spaceId: string, windowMs: number | null, by: string): Promise<void>;
  /** Audited; false when there is no such subscription. */
  allowRestricted(subscriptionId: number, allowed: boolean, by: string): Promise<boolean>;
}

export class NotificationAdministration implements NotificationAdmin {
  private readonly digests: DigestSchedules;
  private readonly settings: SpaceSettingsRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    readonly healthPolicy: HealthPolicy = defaultHealthPolicy,
    private readonly clock: Clock = systemClock,
  ) {
    this.digests = new DigestSchedules(db, clock);
    this.settings = new SpaceSettingsRepository(db);
  }

  health(spaceId?: string): Promise<SubscriptionHealth[]> {
    return currentHealth(this.db, new SubscriptionRepository(this.db), new UpstreamHealthRepository(this.db), this.healthPolicy, this.clock, spaceId);
  }

  digestSchedules(): Promise<DigestSchedule[]> {
    return this.digests.all();
  }

  get(spaceId: string): Promise<DigestSchedule> {
    return this.digests.get(spaceId);
  }

  set(spaceId: string, request: DigestRequest, updatedBy: string): Promise<DigestSchedule> {
    return this.digests.set(spaceId, request, updatedBy);
  }

  setTimeZone(spaceId: string, rawZone: string, updatedBy: string): Promise<DigestSchedule> {
    return this.digests.setTimeZone(spaceId, rawZone, updatedBy);
  }

  async ownDigestWindow(spaceId: string): Promise<number | undefined> {
    return (await this.settings.all()).find((s) => s.spaceId === spaceId)?.digestWindowMs;
  }

  setDigestWindow(spaceId: string, windowMs: number | null, by: string): Promise<void> {
    return this.settings.setDigestWindow(spaceId, windowMs, by);
  }

  allowRestricted(subscriptionId: number, allowed: boolean, by: string): Promise<boolean> {
    return new RestrictedItems(this.db, this.audit).set(subscriptionId, allowed, by);
  }
}
