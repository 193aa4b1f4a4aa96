import { createHmac } from 'node:crypto';
import { isLocalTarget } from '../targets';
import type { Request, Response } from 'restify';
import { rawBodyOf, requestQuery } from '../../inbound';
import type { WebexContext, WebexPerson } from './webex-emulator';

/** A space as GET /v1/rooms/{roomId} returns it (https://developer.webex.com/docs/api/v1/rooms/get-room-details). */
export interface EmulatedRoom {
  id: string;
  title: string;
  type: 'group' | 'direct';
  isLocked: boolean;
  lastActivity: string;
  creatorId: string;
  created: string;
  ownerId: string;
}

/** https://developer.webex.com/docs/api/v1/memberships */
export interface EmulatedMembership {
  id: string;
  roomId: string;
  personId: string;
  personEmail: string;
  personDisplayName: string;
  personOrgId: string;
  isModerator: boolean;
  isMonitor: boolean;
  roomType: 'group' | 'direct';
  created: string;
}

/** https://developer.webex.com/docs/api/v1/messages/get-message-details */
export interface EmulatedMessage {
  id: string;
  /** The thread's first message, for a reply ("The unique identifier for the parent message", Message in public-spec/webex-messaging.json). */
  parentId?: string;
  roomId: string;
  roomType: 'group' | 'direct';
  toPersonId?: string;
  toPersonEmail?: string;
  text?: string;
  markdown?: string;
  personId: string;
  personEmail: string;
  mentionedPeople?: string[];
  attachments?: { contentType: string; content: unknown }[];
  files?: string[];
  created: string;
  /** When the author last edited it (Edit a Message); absent until then. */
  updated?: string;
}

/** https://developer.webex.com/docs/api/v1/webhooks */
export interface EmulatedWebhook {
  id: string;
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  filter?: string;
  secret?: string;
  status: 'active' | 'inactive';
  created: string;
  ownerId: string;
  orgId: string;
  createdBy: string;
  appId: string;
}

/** https://developer.webex.com/docs/api/v1/attachment-actions/get-attachment-action-details */
export interface EmulatedAttachmentAction {
  id: string;
  type: 'submit';
  messageId: string;
  inputs: Record<string, unknown>;
  personId: string;
  roomId: string;
  created: string;
}

/** A failure the emulator answers instead of the next POST /messages (tests, demos, benchmarks). */
export interface InjectedFault {
  status: number;
  /** Seconds, sent as Retry-After (429 only). */
  retryAfter?: number;
  /** How many requests in a row get this answer. */
  times: number;
}

/** The messaging world of one Webex emulator: spaces, who is in them, what was said. */
export class MessagingState {
  readonly rooms = new Map<string, EmulatedRoom>();
  readonly memberships = new Map<string, EmulatedMembership>();
  readonly messages: EmulatedMessage[] = [];
  readonly webhooks = new Map<string, EmulatedWebhook>();
  readonly attachmentActions = new Map<string, EmulatedAttachmentAction>();
  readonly faults: InjectedFault[] = [];

  /** Webhook POSTs sent so far with the status they got (tests, demos). */
  readonly webhookDeliveries: { targetUrl: string; status: number | 'failed' }[] = [];
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly ctx: WebexContext) {}

  /** Resolves when every webhook POST sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  /**
   * Fires `messages:created` webhooks as Webex does: to each webhook whose owner is in the space
   * and may see the message (every message in a 1:1 space, only mentions and its own in a group
   * space), signed with `X-Spark-Signature` = hex HMAC-SHA1 of the body under the webhook's secret
   * (https://developer.webex.com/docs/api/guides/webhooks#handling-requests-from-webex).
   */
  messageCreated(message: EmulatedMessage): void {
    const room = this.rooms.get(message.roomId);
    if (!room) return;
    this.fire('messages', 'created', room, message.personId, {
      id: message.id, roomId: room.id, roomType: room.type, personId: message.personId, personEmail: message.personEmail,
      ...(message.mentionedPeople ? { mentionedPeople: message.mentionedPeople } : {}), created: message.created,
    }, (owner) => room.type !== 'group' || message.personId === owner || message.mentionedPeople?.includes(owner) === true);
  }

  /** `attachmentActions:created`: a card's button was pressed; only the card's author hears of it. */
  attachmentActionCreated(action: EmulatedAttachmentAction, cardAuthorId: string): void {
    const room = this.rooms.get(action.roomId);
    if (!room) return;
    this.fire('attachmentActions', 'created', room, action.personId, {
      id: action.id, type: action.type, messageId: action.messageId, personId: action.personId, roomId: action.roomId, created: action.created,
    }, (owner) => owner === cardAuthorId);
  }

  /** `memberships:created|deleted`: someone joined or left a space (the bot itself included). */
  membershipChanged(membership: EmulatedMembership, event: 'created' | 'deleted', actorId: string): void {
    const room = this.rooms.get(membership.roomId);
    if (!room) return;
    // Who left is no longer a member, but is still told of it, as Webex does.
    this.fire('memberships', event, room, actorId, { ...membership }, () => true, membership.personId);
  }

  /**
   * POSTs one event to every active webhook of a member of `room` that matches resource, event
   * and `roomId=` filter and that `visible` allows, in Webex's envelope
   * (https://developer.webex.com/docs/api/guides/webhooks#handling-requests-from-webex).
   */
  private fire(
    resource: string,
    event: string,
    room: EmulatedRoom,
    actorId: string,
    data: object,
    visible: (ownerId: string) => boolean,
    alsoTold?: string,
  ): void {
    // A "firehose" webhook (resource all) does not carry card submissions: those need their own
    // attachmentActions webhook (webex-node-bot-framework registers both for that reason).
    const resources = resource === 'attachmentActions' ? [resource] : [resource, 'all'];
    for (const hook of this.webhooks.values()) {
      if (hook.status !== 'active' || !resources.includes(hook.resource) || ![event, 'all'].includes(hook.event)) continue;
      const owner = hook.createdBy;
      if (!this.membershipOf(room.id, owner) && owner !== alsoTold) continue;
      if (!visible(owner)) continue;
      const roomFilter = /(?:^|&)roomId=([^&]+)/.exec(hook.filter ?? '')?.[1];
      if (roomFilter && decodeURIComponent(roomFilter) !== room.id) continue;
      const body = JSON.stringify({
        id: hook.id, name: hook.name, targetUrl: hook.targetUrl, resource, event,
        ...(hook.filter ? { filter: hook.filter } : {}),
        orgId: hook.orgId, createdBy: hook.createdBy, appId: hook.appId, ownedBy: 'creator', status: 'active',
        created: hook.created, actorId, data,
      });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (hook.secret) headers['x-spark-signature'] = createHmac('sha1', hook.secret).update(body).digest('hex');
      // Only to this machine (sandbox/targets.ts): a webhook aimed elsewhere is kept but never called.
      if (!isLocalTarget(hook.targetUrl)) {
        this.webhookDeliveries.push({ targetUrl: hook.targetUrl, status: 'failed' });
        continue;
      }
      const sent = fetch(hook.targetUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) }).then(
        (r) => void this.webhookDeliveries.push({ targetUrl: hook.targetUrl, status: r.status }),
        () => void this.webhookDeliveries.push({ targetUrl: hook.targetUrl, status: 'failed' }),
      );
      this.sending.add(sent);
      void sent.finally(() => this.sending.delete(sent));
    }
  }

  membershipOf(roomId: string, personId: string): EmulatedMembership | undefined {
    for (const m of this.memberships.values()) if (m.roomId === roomId && m.personId === personId) return m;
    return undefined;
  }

  /** The room, if `person` is in it; Webex answers 404 for rooms you are not a member of. */
  roomFor(roomId: string, person: WebexPerson): EmulatedRoom | undefined {
    const room = this.rooms.get(roomId);
    return room && this.membershipOf(roomId, person.id) ? room : undefined;
  }

  createRoom(title: string, type: 'group' | 'direct', creator: WebexPerson): EmulatedRoom {
    const now = new Date().toISOString();
    const room: EmulatedRoom = { id: this.ctx.newId('ROOM'), title, type, isLocked: false, lastActivity: now, creatorId: creator.id, created: now, ownerId: this.ctx.orgId };
    this.rooms.set(room.id, room);
    this.join(room, creator, false);
    return room;
  }

  join(room: EmulatedRoom, person: WebexPerson, isModerator: boolean): EmulatedMembership {
    const existing = this.membershipOf(room.id, person.id);
    if (existing) return existing;
    const membership: EmulatedMembership = {
      id: this.ctx.newId('MEMBERSHIP'),
      roomId: room.id,
      personId: person.id,
      personEmail: person.emails[0] ?? '',
      personDisplayName: person.displayName,
      personOrgId: person.orgId,
      isModerator,
      isMonitor: false,
      roomType: room.type,
      created: new Date().toISOString(),
    };
    this.memberships.set(membership.id, membership);
    return membership;
  }

  /** A person by id or email; an unknown email becomes a new person, as Webex invites them. */
  person(by: { personId?: string; personEmail?: string }): WebexPerson | undefined {
    if (by.personId) return this.ctx.people.get(by.personId);
    const email = by.personEmail?.trim().toLowerCase();
    if (!email) return undefined;
    for (const p of this.ctx.people.values()) if (p.emails.includes(email)) return p;
    const name = email.split('@')[0]!;
    const person: WebexPerson = { id: this.ctx.newId('PEOPLE'), emails: [email], displayName: name, firstName: name, lastName: '', type: 'person', orgId: this.ctx.orgId };
    this.ctx.people.set(person.id, person);
    return person;
  }

  /** The 1:1 space of two people, made on first use. */
  directRoom(a: WebexPerson, b: WebexPerson): EmulatedRoom {
    for (const room of this.rooms.values()) {
      if (room.type === 'direct' && this.membershipOf(room.id, a.id) && this.membershipOf(room.id, b.id)) return room;
    }
    const room = this.createRoom(b.displayName, 'direct', a);
    this.join(room, b, false);
    return room;
  }
}

const states = new WeakMap<WebexContext, MessagingState>();

/** The messaging state shared by the rooms, memberships, messages and webhooks features. */
export function messagingOf(ctx: WebexContext): MessagingState {
  let state = states.get(ctx);
  if (!state) {
    state = new MessagingState(ctx);
    states.set(ctx, state);
  }
  return state;
}

/** The JSON body as an object, or a Webex-shaped 400 and undefined. */
export function jsonObject(req: Request, res: Response, ctx: WebexContext): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(rawBodyOf(req).toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  ctx.fail(res, 400, 'The request could not be understood by the server due to malformed syntax.');
  return undefined;
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Webex lists: `{ items: [...] }`, limited by `max`. */
/**
 * One page of a list, `max` items long: the default and the bounds are each list's own in
 * webex-openapi-specs public-spec/webex-messaging.json (messages 50, rooms, memberships and
 * webhooks 100; rooms allow 1 to 1000).
 */
export function listOf<T>(items: T[], req: Request, defaultMax = 100): { items: T[] } {
  const max = Number(requestQuery(req).get('max') ?? defaultMax);
  return { items: items.slice(0, Number.isFinite(max) && max > 0 ? max : defaultMax) };
}

/** A `max` query parameter outside `from`..`to`, as a refusal to send; undefined when absent or in range. */
export function maxOutside(req: Request, from: number, to: number): string | undefined {
  const raw = requestQuery(req).get('max');
  if (raw === null) return undefined;
  const max = Number(raw);
  return Number.isInteger(max) && max >= from && max <= to ? undefined : `max must be between ${from} and ${to}.`;
}

export function queryOf(req: Request): URLSearchParams {
  return requestQuery(req);
}
