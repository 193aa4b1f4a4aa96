import { hash } from 'node:crypto';
import { z } from 'zod';
import type { ChangedField, EventKind, FieldChange, SourceEvent } from '../source-event';
import { hmacHex, safeEqual } from './signature';
import { own, ownData } from '../../untrusted';
import { richToText } from '../rich-text';
import { adfToRich, isAdfDoc, wikiToRich } from './jira-markup';

/**
 * Jira Cloud webhooks (https://developer.atlassian.com/cloud/jira/platform/webhooks/).
 * Signed with the WebSub scheme: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
 * keyed with the secret set when the webhook was registered. Each delivery carries
 * `X-Atlassian-Webhook-Identifier`, unchanged across Jira's retries; it is required but not
 * what we dedupe on, since it is not signed (see `jiraDeliveryKey`).
 */
export const JIRA_SIGNATURE_HEADER = 'x-hub-signature';
export const JIRA_IDENTIFIER_HEADER = 'x-atlassian-webhook-identifier';
/** The secret in sandbox mode (JIRA_WEBHOOK_SECRET unset), so a local demo can sign its webhooks. */
export const SANDBOX_JIRA_WEBHOOK_SECRET = 'sandbox-jira-webhook-secret';

/** True only when the header is `sha256=<hex>` and matches the HMAC of exactly these bytes. */
export function verifyJiraSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  return safeEqual(match[1]!.toLowerCase(), hmacHex('sha256', secret, rawBody));
}

/**
 * The dedupe key of a delivery: the SHA-256 of the signed raw body. What the signature covers
 * is the only thing a replayer cannot vary; the body carries the event's `timestamp` (ms) and
 * issue, so two different events never share it, while Jira's retries of one delivery do.
 */
export function jiraDeliveryKey(rawBody: Buffer): string {
  // crypto.hash, the one-shot digest (Node >= 20.12, https://nodejs.org/api/crypto.html#cryptohashalgorithm-data-outputencoding):
  // the same digest as createHash().update().digest() without the Hash object, ~0.8 µs less per webhook (issue 17).
  return `sha256:${hash('sha256', rawBody, 'hex')}`;
}

/**
 * How far a delivery's `timestamp` may lie from now. Jira retries a failed delivery for up to
 * 30 minutes ("subject to change"; the announcement advises checking the webhook timestamp:
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/#retry-policy,
 * https://community.developer.atlassian.com/t/new-jira-cloud-webhook-retry-policy/30554);
 * twice that leaves room for queueing at Atlassian and a store outage here. Ahead of now: clock
 * skew only. Outside the window a signed body is refused, so its digest (`jiraDeliveryKey`)
 * needs remembering only that long.
 */
export const JIRA_DELIVERY_MAX_AGE_MS = 60 * 60_000;
export const JIRA_DELIVERY_MAX_AHEAD_MS = 5 * 60_000;

/** True when the payload's `timestamp` (ms since the epoch) is a number within the window around `nowMs`. */
export function jiraTimestampInWindow(body: unknown, nowMs: number): boolean {
  const timestamp = (body as { timestamp?: unknown } | null)?.timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return false;
  return timestamp >= nowMs - JIRA_DELIVERY_MAX_AGE_MS && timestamp <= nowMs + JIRA_DELIVERY_MAX_AHEAD_MS;
}

/** What a sender (Jira, or our tests and demo) puts in X-Hub-Signature. */
export function signJiraBody(rawBody: Buffer | string, secret: string): string {
  return `sha256=${hmacHex('sha256', secret, rawBody)}`;
}

// Only what we read is validated; Jira sends much more (custom fields, avatars), which zod drops.
// `emailAddress`: "The email address of the user. Depending on the user’s privacy setting, this may be
// returned as null" (Jira Cloud REST v3, User; https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/).
const jiraUser = z.object({ displayName: z.string().optional(), accountId: z.string().optional(), emailAddress: z.string().nullish() }).nullish();
const named = z.object({ name: z.string() }).nullish();

const jiraIssue = z.object({
  id: z.string(),
  self: z.string(),
  key: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'must be an issue key like ABC-123'),
  fields: z.object({
    summary: z.string().nullish(),
    issuetype: named,
    priority: named,
    status: named,
    assignee: jiraUser,
    project: z.object({ key: z.string() }).nullish(),
    // Jira REST v3 IssueBean fields `labels` (string[]) and `components` (Component { self, id, name }):
    // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get;
    // the webhook's `issue` is that bean (test/fixtures/jira-webhooks.ts carries `labels: []`).
    // Read for filters (core/notifications/filter/); a malformed list is left out, not a refused delivery.
    labels: z.array(z.string()).nullish().catch(null),
    components: z.array(z.object({ name: z.string() })).nullish().catch(null),
    // The issue's security level (Jira REST v3 IssueBean fields.security, a SecurityLevel
    // { self, id, name, description }: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-security-level/,
    // MrRefactoring/jira.js src/version3/models/securityLevel.ts). Only people the level names
    // may see the issue, so its presence alone makes every change to it restricted.
    security: z.object({ id: z.string().optional(), name: z.string().optional() }).passthrough().nullish(),
  }),
});

/**
 * A comment's visibility (Jira REST v3 Comment.visibility, `{ type: 'group' | 'role', value,
 * identifier }`: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/,
 * MrRefactoring/jira.js src/version3/models/visibility.ts). Present: only that group or project
 * role may read the comment. An unknown `type` is still a restriction: failing closed.
 */
const commentVisibility = z.object({ type: z.string().optional(), value: z.string().optional() }).passthrough().nullish();

/**
 * Jira's `timestamp` is epoch milliseconds. A JavaScript Date holds at most 8.64e15 ms either
 * side of 1970 (ECMA-262, "Time Values and Time Range"); past that `new Date(n)` is an Invalid
 * Date and toISOString throws, so a signed body with 9e15 is refused here as a bad payload.
 */
const MAX_DATE_MS = 8.64e15;
const epochMillis = z.number().int().positive().max(MAX_DATE_MS, 'must be epoch milliseconds within the range of a date');

const changelogItem = z.object({
  field: z.string(),
  fieldId: z.string().optional(),
  fromString: z.string().nullish(),
  toString: z.string().nullish(),
});

const issueEvent = z.object({
  webhookEvent: z.enum(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted']),
  timestamp: epochMillis,
  user: jiraUser,
  issue: jiraIssue,
  changelog: z.object({ items: z.array(changelogItem) }).nullish(),
});

const commentEvent = z.object({
  webhookEvent: z.enum(['comment_created', 'comment_updated']),
  timestamp: epochMillis,
  comment: z.object({
    id: z.string(),
    // Wiki markup in the REST v2 shape webhooks use; an ADF document where the payload carries one.
    body: z.union([z.string(), z.custom<object>((v) => isAdfDoc(v), 'must be wiki markup text or an ADF document')]),
    author: jiraUser,
    updateAuthor: jiraUser,
    visibility: commentVisibility,
  }),
  issue: jiraIssue,
});

const envelope = z.object({ webhookEvent: z.string(), timestamp: z.number() });

export type JiraParseResult =
  | { outcome: 'event'; event: SourceEvent }
  /** A valid webhook we do not notify about (another event, or an update of other fields). */
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'invalid'; problem: string };

const handled = new Set(['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated']);
const watchedFields = new Set<ChangedField>(['status', 'assignee', 'priority', 'summary']);

export function parseJiraWebhook(body: unknown, deliveryKey: string): JiraParseResult {
  // One own-keys copy (core/untrusted.ts) for both parses: the envelope and the event schema
  // read the same data, and copying the body twice cost as much as parsing it (issue 17).
  const data = ownData(body);
  const head = envelope.safeParse(data);
  if (!head.success) return { outcome: 'invalid', problem: describe(head.error) };
  if (!handled.has(head.data.webhookEvent)) return { outcome: 'ignored', reason: `event ${head.data.webhookEvent}` };

  if (head.data.webhookEvent.startsWith('comment_')) {
    const parsed = commentEvent.safeParse(data);
    if (!parsed.success) return { outcome: 'invalid', problem: describe(parsed.error) };
    const p = parsed.data;
    const kind: EventKind = p.webhookEvent === 'comment_created' ? 'comment.created' : 'comment.updated';
    const actor = (kind === 'comment.updated' ? p.comment.updateAuthor : p.comment.author) ?? p.comment.author;
    const rich = typeof p.comment.body === 'string' ? wikiToRich(p.comment.body) : adfToRich(p.comment.body);
    const event = toEvent(p.issue, kind, deliveryKey, p.timestamp, actor?.displayName ?? null, [], richToText(rich, { someone: '…' }));
    // The issue's own level wins: a visible comment on a secured issue is still secured.
    const restricted = event.restricted ?? (p.comment.visibility ? 'jira.commentVisibility' : undefined);
    return { outcome: 'event', event: { ...event, commentRich: rich, ...emailOf(actor), ...(restricted ? { restricted } : {}) } };
  }

  const parsed = issueEvent.safeParse(data);
  if (!parsed.success) return { outcome: 'invalid', problem: describe(parsed.error) };
  const p = parsed.data;
  const kind: EventKind =
    p.webhookEvent === 'jira:issue_created' ? 'issue.created' : p.webhookEvent === 'jira:issue_deleted' ? 'issue.deleted' : 'issue.updated';
  const changes: FieldChange[] = [];
  if (kind === 'issue.updated') {
    for (const item of p.changelog?.items ?? []) {
      const field = (item.fieldId ?? item.field).toLowerCase() as ChangedField;
      // Own keys only: an item without `toString` still has Object.prototype's (see core/untrusted.ts).
      if (watchedFields.has(field)) changes.push({ field, from: ownText(item, 'fromString'), to: ownText(item, 'toString') });
    }
    // Jira also sends jira:issue_updated for a new comment (issue_event_type_name "issue_commented")
    // and for rank or description edits; comments come as comment_created, the rest is not asked for.
    if (changes.length === 0) return { outcome: 'ignored', reason: 'no watched field changed' };
  }
  return { outcome: 'event', event: { ...toEvent(p.issue, kind, deliveryKey, p.timestamp, p.user?.displayName ?? null, changes, null), ...emailOf(p.user) } };
}

function emailOf(user: z.infer<typeof jiraUser>): { actorEmail?: string } {
  const email = user?.emailAddress?.trim().toLowerCase();
  return email ? { actorEmail: email } : {};
}

function toEvent(
  issue: z.infer<typeof jiraIssue>,
  kind: EventKind,
  deliveryKey: string,
  timestamp: number,
  actor: string | null,
  changes: FieldChange[],
  comment: string | null,
): SourceEvent {
  const f = issue.fields;
  return {
    source: 'jira',
    deliveryKey,
    sourceKey: f.project?.key ?? issue.key.split('-')[0]!,
    kind,
    occurredAt: new Date(timestamp).toISOString(),
    actor,
    subject: {
      key: issue.key,
      title: f.summary ?? '',
      url: browseUrl(issue.self, issue.key),
      type: f.issuetype?.name ?? null,
      priority: f.priority?.name ?? null,
      status: f.status?.name ?? null,
      assignee: f.assignee?.displayName ?? null,
      ...(f.assignee?.emailAddress ? { assigneeEmail: f.assignee.emailAddress.trim().toLowerCase() } : {}),
      ...(f.labels && f.labels.length > 0 ? { labels: f.labels } : {}),
      ...(f.components && f.components.length > 0 ? { components: f.components.map((c) => c.name) } : {}),
    },
    changes,
    comment,
    ...(f.security ? { restricted: 'jira.securityLevel' as const } : {}),
  };
}

/** `https://site.atlassian.net/rest/api/2/issue/10021` -> `https://site.atlassian.net/browse/KAN-22` (keeps a Server context path). */
export function browseUrl(self: string, key: string): string | null {
  const at = self.indexOf('/rest/api/');
  if (at < 0 || !/^https?:\/\//.test(self)) return null;
  return `${self.slice(0, at)}/browse/${encodeURIComponent(key)}`;
}

function ownText(value: object, key: string): string | null {
  const text = own(value, key);
  return typeof text === 'string' ? text : null;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the body does not match a Jira webhook';
  return `${issue.path.join('.') || 'body'}: ${issue.message}`;
}
