import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { AuditLog } from '../audit-log';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import type { FollowRequestStatus, FollowRequestsTable } from './access-tables';
import { sourceNames, type SourceName } from './source-event';
import { SourceAllowList } from './source-allow-list';

/** A requester whose organisation Webex did not name. */
export const UNKNOWN_ORGANISATION = 'unknown';
import { subscriptionFilter, type SubscriptionFilter } from './subscriptions';

/** A space's request to follow a source that is not on the allow-list. */
export interface FollowRequest {
  id: number;
  spaceId: string;
  source: SourceName;
  sourceKey: string;
  label: string;
  filter: SubscriptionFilter;
  locale: string;
  requestedBy: string;
  requesterOrg: string;
  status: FollowRequestStatus;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export type NewFollowRequest = Pick<FollowRequest, 'spaceId' | 'source' | 'sourceKey' | 'label' | 'filter' | 'locale' | 'requestedBy' | 'requesterOrg'>;

/**
 * What the surfaces ask of the follow requests (the port): the console and `een-bridge sources`
 * list and decide them, the Webex bot carries out the decided ones. The repository below
 * implements it and stays in the core.
 */
export interface FollowRequestQueue {
  list(status?: FollowRequestStatus): Promise<FollowRequest[]>;
  /** Undefined when there is no pending request with that id. */
  approve(id: number, by: string): Promise<FollowRequest | undefined>;
  deny(id: number, by: string): Promise<FollowRequest | undefined>;
  decidedToApply(): Promise<FollowRequest[]>;
  /** False when another replica took the request first. */
  claim(r: Pick<FollowRequest, 'id' | 'status'>): Promise<boolean>;
  release(r: Pick<FollowRequest, 'id' | 'status'>): Promise<void>;
}

/**
 * "Approve on request": a space asks, an administrator approves or denies with
 * `een-bridge sources approve|deny <id>`, and the running service then makes the subscription
 * and tells the space (approved → applied). Approving also puts the source on the allow-list
 * for the requester's organisation, so the next space of that organisation need not ask.
 */
export class FollowRequests implements FollowRequestQueue {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Records the request, or returns the one this space already has pending for the same source. */
  async ask(input: NewFollowRequest): Promise<{ request: FollowRequest; isNew: boolean }> {
    const existing = await this.db
      .selectFrom('follow_requests')
      .selectAll()
      .where('space_id', '=', input.spaceId)
      .where('source', '=', input.source)
      .where('source_key', '=', input.sourceKey)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (existing) return { request: fromRow(existing), isNew: false };
    const row = await this.db
      .insertInto('follow_requests')
      .values({
        space_id: input.spaceId,
        source: input.source,
        source_key: input.sourceKey,
        label: input.label.slice(0, 200),
        filter: JSON.stringify(subscriptionFilter.parse(input.filter)),
        locale: input.locale,
        requested_by: input.requestedBy,
        requester_org: input.requesterOrg,
        status: 'pending',
        created_at: isoNow(this.clock),
        decided_by: null,
        decided_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const request = fromRow(row);
    await this.audit.record({
      actor: input.requestedBy,
      action: 'source.request',
      outcome: 'succeeded',
      detail: { id: request.id, space: input.spaceId, source: input.source, key: input.sourceKey, org: input.requesterOrg },
    });
    return { request, isNew: true };
  }

  async list(status?: FollowRequestStatus): Promise<FollowRequest[]> {
    let query = this.db.selectFrom('follow_requests').selectAll().orderBy('id');
    if (status) query = query.where('status', '=', status);
    return (await query.execute()).map(fromRow);
  }

  /**
   * Approves a pending request: the source joins the allow-list for the requester's
   * organisation and the request waits for the service to apply it. Undefined when there is no
   * pending request with that id.
   */
  async approve(id: number, by: string, allowList = new SourceAllowList(this.db, this.audit, this.clock)): Promise<FollowRequest | undefined> {
    const decided = await this.decide(id, 'approved', by);
    // A requester whose organisation Webex did not name (served by mail domain) gets this one
    // subscription only: an allow-list entry for "unknown" would match nobody, and `*` too many.
    if (decided && decided.requesterOrg !== UNKNOWN_ORGANISATION) await allowList.allowForOrganisation(decided.source, decided.sourceKey, decided.requesterOrg, by);
    return decided;
  }

  async deny(id: number, by: string): Promise<FollowRequest | undefined> {
    return this.decide(id, 'denied', by);
  }

  /** Decided requests whose space has not been told yet (approved ones are not yet subscribed either). */
  async decidedToApply(): Promise<FollowRequest[]> {
    const rows = await this.db.selectFrom('follow_requests').selectAll().where('status', 'in', ['approved', 'denied']).orderBy('id').execute();
    return rows.map(fromRow);
  }

  /**
   * Takes a decided request to carry out (approved → applied, denied → closed); false when
   * another replica took it first. `release` hands it back when carrying it out failed.
   */
  async claim(r: Pick<FollowRequest, 'id' | 'status'>): Promise<boolean> {
    const next = r.status === 'approved' ? 'applied' : 'closed';
    const result = await this.db.updateTable('follow_requests').set({ status: next }).where('id', '=', r.id).where('status', '=', r.status).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async release(r: Pick<FollowRequest, 'id' | 'status'>): Promise<void> {
    const taken = r.status === 'approved' ? 'applied' : 'closed';
    await this.db.updateTable('follow_requests').set({ status: r.status }).where('id', '=', r.id).where('status', '=', taken).execute();
  }

  private async decide(id: number, status: 'approved' | 'denied', by: string): Promise<FollowRequest | undefined> {
    const row = await this.db
      .updateTable('follow_requests')
      .set({ status, decided_by: by, decided_at: isoNow(this.clock) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    await this.audit.record({
      actor: by,
      action: status === 'approved' ? 'source.request.approve' : 'source.request.deny',
      outcome: row ? 'succeeded' : 'failed',
      detail: row ? { id, space: row.space_id, source: row.source, key: row.source_key, org: row.requester_org } : { id, reason: 'no pending request' },
    });
    return row ? fromRow(row) : undefined;
  }
}

function fromRow(r: Selectable<FollowRequestsTable>): FollowRequest {
  return {
    id: Number(r.id),
    spaceId: r.space_id,
    source: z.enum(sourceNames).parse(r.source),
    sourceKey: r.source_key,
    label: r.label,
    filter: subscriptionFilter.parse(JSON.parse(r.filter)),
    locale: r.locale,
    requestedBy: r.requested_by,
    requesterOrg: r.requester_org,
    status: r.status,
    createdAt: r.created_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}
