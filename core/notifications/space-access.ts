import type { AuditLog } from '../audit-log';
import { normaliseOrganisation, type ServedOrganisations } from '../identity/organisations';
import { UNKNOWN_ORGANISATION, type FollowRequest, type FollowRequests } from './follow-requests';
import type { SourceName } from './source-event';
import type { SourceAllowList } from './source-allow-list';
import type { SpaceWriters } from './space-writers';
import type { SubscriptionFilter } from './subscriptions';

/**
 * Who is asking, as Webex says: the person behind a verified event, with the organisation and
 * address Webex's People API gives for them (GET /people/{personId}: `orgId`, "the ID of the
 * organization to which this person belongs"; webex/webex-openapi-specs public-spec/
 * webex-messaging.json, Person). Never what a message's text claims.
 */
export interface WebexActor {
  personId: string;
  email: string;
  /** Person.orgId as Webex returns it (base64 id), if it did. */
  orgId: string | undefined;
  spaceId: string;
}

/** A source the bot resolved from what the space typed. */
export interface SourceToFollow {
  source: SourceName;
  /** The key subscriptions use (Jira project key, Trello board id, `driveId/folderId`). */
  sourceKey: string;
  /** Other spellings an administrator may have allowed (a Trello board's short link). */
  aliases?: readonly string[];
  /** What to call it in answers and in `een-bridge sources requests`. */
  label: string;
  filter: SubscriptionFilter;
  locale: string;
}

export type FollowDecision =
  | { outcome: 'allowed' }
  /** Not on the allow-list: a request is (or already was) waiting for an administrator. */
  | { outcome: 'requested'; request: FollowRequest; isNew: boolean };

export interface SpaceAccessDeps {
  organisations: ServedOrganisations;
  allowList: SourceAllowList;
  requests: FollowRequests;
  writers: SpaceWriters;
  audit: AuditLog;
}

/** The actor's organisation as one spelling (the org UUID), or `unknown`. */
/** Who may do what in a Webex space, as the bot asks (issue 14: a port; the rules are SpaceAccess's). */
export interface SpaceGate {
  serves(actor: WebexActor, command: string): Promise<boolean>;
  follow(actor: WebexActor, wanted: SourceToFollow): Promise<FollowDecision>;
  mayWrite(actor: WebexActor, what: string): Promise<boolean>;
}

export function actorOrganisation(actor: WebexActor): string {
  return (actor.orgId && normaliseOrganisation('webex-org', actor.orgId)) || UNKNOWN_ORGANISATION;
}

/**
 * The authorisation model of the Webex bot, in one place (docs/security.md, "Webex spaces: who
 * may follow what, and who may write"). Every surface that lets a space follow or write asks
 * here; every decision is audited:
 * 1. the person must belong to a served organisation (Webex org id) or a served mail domain;
 * 2. a space may follow a source on the administrator's allow-list for the person's
 *    organisation; anything else becomes a request an administrator approves or denies;
 * 3. writing (creating Trello cards) takes a per-space grant; nobody has one by default.
 */
export class SpaceAccess implements SpaceGate {
  constructor(private readonly deps: SpaceAccessDeps) {}

  /** Whether een-bridge serves this person at all. Only refusals are audited: a served person's next decision is. */
  async serves(actor: WebexActor, command: string): Promise<boolean> {
    const { organisations } = this.deps;
    const served = (await organisations.allows('webex-org', actor.orgId)) || (await organisations.allowsEmail(actor.email));
    if (!served) {
      await this.deps.audit.record({
        actor: actor.email || actor.personId,
        action: 'webex.space.serve',
        outcome: 'denied',
        detail: { space: actor.spaceId, person: actor.personId, org: actorOrganisation(actor), command },
      });
    }
    return served;
  }

  /** May this space follow the source? If not listed, a request is recorded (once per space and source). */
  async follow(actor: WebexActor, wanted: SourceToFollow): Promise<FollowDecision> {
    const org = actorOrganisation(actor);
    const keys = [wanted.sourceKey, ...(wanted.aliases ?? [])];
    const detail = { space: actor.spaceId, source: wanted.source, key: wanted.sourceKey, org };
    if (await this.deps.allowList.allows(wanted.source, keys, org)) {
      await this.deps.audit.record({ actor: actor.email, action: 'source.follow', outcome: 'allowed', detail });
      return { outcome: 'allowed' };
    }
    const { request, isNew } = await this.deps.requests.ask({
      spaceId: actor.spaceId,
      source: wanted.source,
      sourceKey: wanted.sourceKey,
      label: wanted.label,
      filter: wanted.filter,
      locale: wanted.locale,
      requestedBy: actor.email,
      requesterOrg: org,
    });
    await this.deps.audit.record({ actor: actor.email, action: 'source.follow', outcome: 'denied', detail: { ...detail, request: request.id, reason: 'not on the allow-list' } });
    return { outcome: 'requested', request, isNew };
  }

  /** May this person write (create a Trello card) from this space? */
  async mayWrite(actor: WebexActor, what: string): Promise<boolean> {
    const allowed = await this.deps.writers.mayWrite(actor.spaceId, actor.email);
    await this.deps.audit.record({
      actor: actor.email,
      action: 'space.write',
      outcome: allowed ? 'allowed' : 'denied',
      detail: { space: actor.spaceId, what, ...(allowed ? {} : { reason: 'no write grant for this space' }) },
    });
    return allowed;
  }
}
