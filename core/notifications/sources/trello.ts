import { z } from 'zod';
import type { EventKind, FieldChange, SourceEvent } from '../source-event';
import { hmacBase64, safeEqual } from './signature';
import { hasOwn, safeParseOwn } from '../../untrusted';

/**
 * Trello webhooks (https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/).
 * Trello checks the callback with a HEAD (must answer 200) before it creates a webhook, then
 * POSTs `{ action, model }` for every change. `X-Trello-Webhook` is the base64 HMAC-SHA1, keyed
 * with the application's secret, of the raw body followed by the exact callback URL the
 * webhook was created with. Answering 410 Gone makes Trello delete the webhook.
 */
export const TRELLO_SIGNATURE_HEADER = 'x-trello-webhook';
/** The application secret in sandbox mode, shared with the Trello emulator. */
export const SANDBOX_TRELLO_API_SECRET = 'sandbox-trello-api-secret';

export function signTrelloBody(rawBody: Buffer | string, callbackUrl: string, secret: string): string {
  return hmacBase64('sha1', secret, Buffer.concat([Buffer.from(rawBody), Buffer.from(callbackUrl, 'utf8')]));
}

export function verifyTrelloSignature(rawBody: Buffer, header: string | undefined, callbackUrl: string, secret: string): boolean {
  if (!header) return false;
  return safeEqual(header.trim(), signTrelloBody(rawBody, callbackUrl, secret));
}

const named = z.object({ id: z.string(), name: z.string() });
const member = z.object({ id: z.string(), fullName: z.string().optional(), username: z.string().optional() });

const action = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/, 'must be a Trello id'),
  type: z.string(),
  date: z.iso.datetime({ offset: true }),
  memberCreator: member.nullish(),
  member: member.nullish(),
  data: z.object({
    board: z.object({ id: z.string(), name: z.string(), shortLink: z.string().optional() }),
    card: z
      .object({
        id: z.string(),
        name: z.string(),
        idShort: z.number().int().optional(),
        shortLink: z.string().optional(),
        due: z.string().nullish(),
        closed: z.boolean().optional(),
      })
      .optional(),
    list: named.optional(),
    listBefore: named.optional(),
    listAfter: named.optional(),
    old: z.object({ name: z.string().optional(), due: z.string().nullish(), closed: z.boolean().optional(), idList: z.string().optional() }).partial().optional(),
    text: z.string().optional(),
    idMember: z.string().optional(),
    // addLabelToCard: `data.label` { id, name, color } (https://developer.atlassian.com/cloud/trello/guides/rest-api/action-types/#addlabeltocard).
    label: z.object({ id: z.string(), name: z.string().optional(), color: z.string().nullish() }).optional(),
  }),
});

/**
 * The model the webhook watches: for our board webhooks, the board object itself, whose
 * `prefs.permissionLevel` is `private`, `org`, `public` or `enterprise`
 * (https://developer.atlassian.com/cloud/trello/guides/rest-api/object-definitions/#board-object;
 * MrRefactoring/trello.js Models.Preferences.permissionLevel). Only `public` and `org` boards are
 * open to more than their members; a private (or unknown) one is restricted.
 */
const webhookBody = z.object({
  action,
  model: z.object({ id: z.string(), prefs: z.object({ permissionLevel: z.string().optional() }).passthrough().nullish() }),
});

/** Board visibilities whose cards anyone in the workspace (or anyone at all) may see. */
const openBoards = new Set(['public', 'org', 'enterprise']);

export type TrelloParseResult =
  | { outcome: 'event'; event: SourceEvent }
  | { outcome: 'ignored'; reason: string; boardId: string }
  | { outcome: 'invalid'; problem: string };

const handled = new Set(['createCard', 'updateCard', 'commentCard', 'addMemberToCard', 'addLabelToCard']);

/** One Trello action as a SourceEvent keyed by its board; the action id is the dedupe key. */
export function parseTrelloWebhook(body: unknown): TrelloParseResult {
  const parsed = safeParseOwn(webhookBody, body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { outcome: 'invalid', problem: issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not a Trello webhook' };
  }
  const a = parsed.data.action;
  const boardId = a.data.board.id;
  const card = a.data.card;
  if (!handled.has(a.type) || !card) return { outcome: 'ignored', reason: `action ${a.type}`, boardId };

  let kind: EventKind = 'issue.updated';
  const changes: FieldChange[] = [];
  let comment: string | null = null;
  const old = a.data.old ?? {};
  switch (a.type) {
    case 'createCard':
      kind = 'issue.created';
      break;
    case 'commentCard':
      kind = 'comment.created';
      comment = a.data.text ?? '';
      break;
    case 'addMemberToCard':
      changes.push({ field: 'member', from: null, to: a.member?.fullName ?? a.member?.username ?? null });
      break;
    case 'addLabelToCard': {
      // A label without a name is known by its colour on the board.
      const label = a.data.label?.name || a.data.label?.color || null;
      if (!label) return { outcome: 'ignored', reason: 'label without name or colour', boardId };
      changes.push({ field: 'label', from: null, to: label });
      break;
    }
    case 'updateCard':
      if (a.data.listBefore && a.data.listAfter) changes.push({ field: 'list', from: a.data.listBefore.name, to: a.data.listAfter.name });
      if (hasOwn(old, 'name')) changes.push({ field: 'summary', from: old.name ?? null, to: card.name });
      if (hasOwn(old, 'due')) changes.push({ field: 'due', from: old.due ?? null, to: card.due ?? null });
      if (hasOwn(old, 'closed')) changes.push({ field: 'closed', from: old.closed ? 'yes' : 'no', to: card.closed ? 'yes' : 'no' });
      if (changes.length === 0) return { outcome: 'ignored', reason: 'no watched field changed', boardId };
      break;
  }
  const list = a.data.listAfter ?? a.data.list;
  const model = parsed.data.model;
  // A webhook on a card sends the card as model; its board's visibility is then unknown: fail closed.
  const restricted = model.id !== boardId || !openBoards.has(model.prefs?.permissionLevel ?? '');
  return {
    outcome: 'event',
    event: {
      source: 'trello',
      deliveryKey: a.id,
      sourceKey: boardId,
      kind,
      occurredAt: new Date(a.date).toISOString(),
      actor: a.memberCreator?.fullName ?? a.memberCreator?.username ?? null,
      subject: {
        key: card.idShort !== undefined ? `#${card.idShort}` : card.name.slice(0, 20),
        title: card.name,
        url: card.shortLink ? `https://trello.com/c/${card.shortLink}` : null,
        type: null,
        priority: null,
        status: list?.name ?? null,
        assignee: null,
        ...(changes[0]?.field === 'label' && changes[0].to ? { labels: [changes[0].to] } : {}),
      },
      changes,
      comment,
      ...(restricted ? { restricted: 'trello.privateBoard' as const } : {}),
    },
  };
}
