import type { RichBlock } from './rich-text';

/**
 * One change in an outside system, normalised so routing, rendering and delivery never
 * look at a source's own payload. Stored as JSON in the outbox, so keep it plain data.
 */
export const sourceNames = ['jira', 'trello', 'graph'] as const;
export type SourceName = (typeof sourceNames)[number];

export const eventKinds = [
  'issue.created',
  'issue.updated',
  'issue.deleted',
  'comment.created',
  'comment.updated',
  /** The source lost track of changes and we started over (Graph delta 410): some may have been missed. */
  'source.resync',
] as const;
export type EventKind = (typeof eventKinds)[number];

/**
 * The fields whose changes people asked to hear about (issue 5): Jira status, assignee,
 * priority, summary; Trello list (moved), name (as summary), due date, closed, members, a label
 * added (for label filters, issue 15).
 */
export type ChangedField = 'status' | 'assignee' | 'priority' | 'summary' | 'list' | 'due' | 'closed' | 'member' | 'label';

export interface FieldChange {
  field: ChangedField;
  from: string | null;
  to: string | null;
}

/**
 * Why a change may not be shown to every space that follows its source: a Jira issue with a
 * security level, a Jira comment visible only to a role or group, a card on a private Trello
 * board. Such a change reaches a space only through a subscription an administrator allowed to
 * carry restricted items (core/notifications/restricted/).
 */
export const restrictionReasons = ['jira.securityLevel', 'jira.commentVisibility', 'trello.privateBoard'] as const;
export type RestrictionReason = (typeof restrictionReasons)[number];

export interface SourceEvent {
  source: SourceName;
  /**
   * The source's id for this delivery, unchanged across its retries
   * (Jira: X-Atlassian-Webhook-Identifier). Dedupe key together with `source`.
   */
  deliveryKey: string;
  /** What a space subscribes to: the Jira project key, the Trello board id, the drive folder. */
  sourceKey: string;
  kind: EventKind;
  /** ISO-8601 UTC. */
  occurredAt: string;
  /** Display name of who made the change, when the source says. */
  actor: string | null;
  /**
   * The e-mail address of who made the change, where the source gives it (Jira's user
   * `emailAddress`, hidden by the user's profile visibility more often than not; Graph's
   * `lastModifiedBy.user.email`); Trello does not give members' addresses. Lets `skip-own` match
   * the change to a member of the space. Absent on older rows.
   */
  actorEmail?: string | null;
  subject: {
    /** Human key such as "KAN-22" (Jira) or "#12" (a Trello card's number on its board). */
    key: string;
    title: string;
    url: string | null;
    type: string | null;
    priority: string | null;
    /** Jira status; for a Trello card, the list it is in. */
    status: string | null;
    assignee: string | null;
    /**
     * The assignee's e-mail address where the source gives it (Jira's `emailAddress`, often hidden
     * by profile visibility): what `assignee=me` in a filter matches. Absent on older rows.
     */
    assigneeEmail?: string | null;
    /** Jira `fields.labels`; the label a Trello card was given (`addLabelToCard`). Absent when the source has none. */
    labels?: string[];
    /** Jira `fields.components[].name`. */
    components?: string[];
    /** The file's name, for a OneDrive item (what `name=*.docx` matches). */
    fileName?: string;
  };
  changes: FieldChange[];
  /** Comment text for comment kinds, as plain text (escaped only when rendered). */
  comment: string | null;
  /**
   * The comment's formatting, when the source has it (Jira wiki markup or ADF, see
   * sources/jira-markup.ts); rendered instead of `comment` where present. Absent on older rows.
   */
  commentRich?: RichBlock[];
  /** Set when the change is restricted at its source; absent when anyone following the source may see it. */
  restricted?: RestrictionReason;
}
