import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';
import { jsonObject, listOf, maxOutside, messagingOf, queryOf, stringField, type EmulatedMessage, type InjectedFault } from './messaging-state';

/** Webex refuses text or markdown over this many bytes (https://developer.webex.com/docs/api/v1/messages/create-a-message). */
const MAX_MESSAGE_BYTES = 7439;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** "The maximum currently supported is 10 edits per message" (Edit a Message). */
const MAX_EDITS = 10;

/**
 * /v1/messages: create (text, markdown, one adaptive-card attachment), list, get, edit, delete, as in
 * https://developer.webex.com/docs/api/v1/messages. Bots see group-space messages only when
 * they list with `mentionedPeople=me`, as the real API requires. `POST /sandbox/webex/_faults`
 * makes the next POSTs fail with a given status, to show retries and 429 handling.
 */
export function messagesFeature(server: Server, base: string, ctx: WebexContext): void {
  const state = messagingOf(ctx);
  const sandboxBase = base.replace(/\/v1$/, '');
  /** How often each message was edited (Webex allows 10). */
  const edits = new Map<string, number>();

  server.post(`${sandboxBase}/_faults`, (req: Request, res: Response, next: () => void) => {
    const body = jsonObject(req, res, ctx);
    if (body) {
      const fault: InjectedFault = { status: Number(body.status), times: Math.max(1, Number(body.times ?? 1)) };
      if (body.retryAfter !== undefined) fault.retryAfter = Number(body.retryAfter);
      if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) ctx.fail(res, 400, 'status must be 400-599');
      else {
        state.faults.push(fault);
        res.send(201, { queued: state.faults.length });
      }
    }
    next();
  });

  server.post(`${base}/messages`, ...ctx.authenticated((req: Request, res: Response, sender: WebexPerson) => {
    const fault = state.faults[0];
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) state.faults.shift();
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
      return ctx.fail(res, fault.status, fault.status === 429 ? 'Too many requests have been made.' : 'Service Unavailable');
    }
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    const roomId = stringField(body, 'roomId');
    const toPersonId = stringField(body, 'toPersonId');
    const toPersonEmail = stringField(body, 'toPersonEmail');
    if ([roomId, toPersonId, toPersonEmail].filter(Boolean).length !== 1) {
      return ctx.fail(res, 400, 'Exactly one of roomId, toPersonId or toPersonEmail is required.');
    }
    const text = stringField(body, 'text');
    const markdown = stringField(body, 'markdown');
    const attachments = body.attachments;
    if (!text && !markdown && attachments === undefined && body.files === undefined) {
      return ctx.fail(res, 400, 'Message must contain text, markdown, files or attachments.');
    }
    for (const v of [text, markdown]) {
      if (v && Buffer.byteLength(v) > MAX_MESSAGE_BYTES) return ctx.fail(res, 400, `Message length exceeds the ${MAX_MESSAGE_BYTES} byte limit.`);
    }
    // "Only one file is allowed per message" (Create a Message, public-spec/webex-messaging.json).
    if (body.files !== undefined && (!Array.isArray(body.files) || body.files.length > 1)) return ctx.fail(res, 400, 'Only one file is allowed per message.');
    if (attachments !== undefined) {
      const problem = attachmentProblem(attachments);
      if (problem) return ctx.fail(res, 400, problem);
    }

    let room = roomId ? state.roomFor(roomId, sender) : undefined;
    if (roomId && !room) return ctx.fail(res, 404, 'Could not find a room with provided ID.');
    if (!room) {
      const to = state.person({ personId: toPersonId, personEmail: toPersonEmail });
      if (!to) return ctx.fail(res, 404, 'Could not find a person with provided ID.');
      room = state.directRoom(sender, to);
    }
    // `parentId`: "The parent message to reply to" (Create a Message, webex/webex-openapi-specs
    // public-spec/webex-messaging.json). Webex threads are one level deep: the parent must be a
    // top-level message of the same space, and a reply cannot be a parent (the Webex app offers no
    // "reply" on a reply). The spec publishes the field and the status codes (400 Bad Request, 404
    // Not Found) but not the wording, so the messages below are ours, in Webex's error shape
    // ({ message, errors[{ description }], trackingId }).
    const parentId = stringField(body, 'parentId');
    if (body.parentId !== undefined && !parentId) return ctx.fail(res, 400, 'parentId must be a message ID.');
    if (parentId) {
      const parent = state.messages.find((m) => m.id === parentId);
      if (!parent || parent.roomId !== room.id) return ctx.fail(res, 404, 'Could not find the parent message in this room.');
      if (parent.parentId) return ctx.fail(res, 400, 'Cannot reply to a reply: the parent must be the first message of a thread.');
    }
    const message: EmulatedMessage = {
      id: ctx.newId('MESSAGE'),
      ...(parentId ? { parentId } : {}),
      roomId: room.id,
      ...(parentId ? { parentId } : {}),
      roomType: room.type,
      ...(toPersonId ? { toPersonId } : {}),
      ...(toPersonEmail ? { toPersonEmail } : {}),
      ...(text ? { text } : markdown ? { text: markdown } : {}),
      ...(markdown ? { markdown } : {}),
      personId: sender.id,
      personEmail: sender.emails[0] ?? '',
      ...(attachments !== undefined ? { attachments: attachments as EmulatedMessage['attachments'] } : {}),
      ...(Array.isArray(body.files) && body.files.length > 0 ? { files: body.files.map(String) } : {}),
      created: new Date().toISOString(),
    };
    const mentioned = mentionsIn(markdown ?? '', state);
    if (mentioned.length > 0) message.mentionedPeople = mentioned;
    state.messages.push(message);
    room.lastActivity = message.created;
    res.send(200, message);
    state.messageCreated(message);
  }));

  server.get(`${base}/messages`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const q = queryOf(req);
    const roomId = q.get('roomId');
    if (!roomId) return ctx.fail(res, 400, 'roomId is required.');
    const room = state.roomFor(roomId, caller);
    if (!room) return ctx.fail(res, 404, 'Could not find a room with provided ID.');
    const mentionedPeople = q.get('mentionedPeople');
    if (caller.type === 'bot' && room.type === 'group' && !mentionedPeople) {
      return ctx.fail(res, 403, 'Bots must include mentionedPeople=me to list messages in group rooms.');
    }
    // "Cannot exceed 100 if used with mentionedPeople"; 50 by default (List Messages, public-spec/webex-messaging.json).
    const badMax = mentionedPeople ? maxOutside(req, 1, 100) : undefined;
    if (badMax) return ctx.fail(res, 400, badMax);
    const me = mentionedPeople === 'me' ? caller.id : mentionedPeople;
    const items = state.messages
      .filter((m) => m.roomId === roomId && (!me || m.mentionedPeople?.includes(me)))
      .reverse();
    res.send(200, listOf(items, req, 50));
  }));

  server.get(`${base}/messages/:messageId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const message = state.messages.find((m) => m.id === req.params.messageId);
    if (!message || !state.roomFor(message.roomId, caller)) return ctx.fail(res, 404, 'The requested resource could not be found.');
    res.send(200, message);
  }));

  // Edit a Message (PUT /messages/{messageId}; webex/webex-openapi-specs public-spec/webex-messaging.json,
  // https://developer.webex.com/docs/api/v1/messages/edit-a-message): "Update a message you have
  // posted not more than 10 times"; `roomId` is required, with `text` or `markdown`; "Edits of
  // messages containing files or attachments are not currently supported" (400), nor more than 10
  // edits (400); a markdown edit must not carry `html`. The answer is the message with `updated`,
  // "only present when the message contents have changed". The spec gives the statuses, not the
  // wording: the messages below are ours, in Webex's error shape.
  server.put(`${base}/messages/:messageId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    const message = state.messages.find((m) => m.id === req.params.messageId);
    if (!message || !state.roomFor(message.roomId, caller)) return ctx.fail(res, 404, 'The requested resource could not be found.');
    if (message.personId !== caller.id) return ctx.fail(res, 403, 'You can only edit your own messages.');
    const roomId = stringField(body, 'roomId');
    if (!roomId) return ctx.fail(res, 400, 'roomId is required.');
    if (roomId !== message.roomId) return ctx.fail(res, 400, 'roomId does not match the room of the message.');
    const text = stringField(body, 'text');
    const markdown = stringField(body, 'markdown');
    if (!text && !markdown) return ctx.fail(res, 400, 'text or markdown is required.');
    if (markdown && body.html !== undefined) return ctx.fail(res, 400, 'A markdown edit must not contain html.');
    if (body.attachments !== undefined || body.files !== undefined) return ctx.fail(res, 400, 'Editing files or attachments is currently unsupported.');
    if (message.attachments?.length || message.files?.length) return ctx.fail(res, 400, 'Editing a message with files or attachments is currently unsupported.');
    if ((edits.get(message.id) ?? 0) >= MAX_EDITS) return ctx.fail(res, 400, `The edit limit of ${MAX_EDITS} has been reached for this message.`);
    for (const v of [text, markdown]) {
      if (v && Buffer.byteLength(v) > MAX_MESSAGE_BYTES) return ctx.fail(res, 400, `Message length exceeds the ${MAX_MESSAGE_BYTES} byte limit.`);
    }
    message.text = text ?? markdown;
    if (markdown) message.markdown = markdown;
    else delete message.markdown;
    edits.set(message.id, (edits.get(message.id) ?? 0) + 1);
    message.updated = new Date().toISOString();
    res.send(200, message);
  }));

  server.del(`${base}/messages/:messageId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const at = state.messages.findIndex((m) => m.id === req.params.messageId);
    const message = state.messages[at];
    if (!message || !state.roomFor(message.roomId, caller)) return ctx.fail(res, 404, 'The requested resource could not be found.');
    if (message.personId !== caller.id) return ctx.fail(res, 403, 'You can only delete your own messages.');
    state.messages.splice(at, 1);
    res.send(204);
  }));
}

/** One adaptive card at most, per https://developer.webex.com/docs/api/guides/cards. */
function attachmentProblem(attachments: unknown): string | undefined {
  if (!Array.isArray(attachments)) return 'attachments must be an array.';
  if (attachments.length > 1) return 'Only one attachment per message is supported.';
  const [a] = attachments as { contentType?: unknown; content?: { type?: unknown; version?: unknown; body?: unknown } }[];
  if (!a) return undefined;
  if (a.contentType !== ADAPTIVE_CARD) return `contentType must be ${ADAPTIVE_CARD}.`;
  if (a.content?.type !== 'AdaptiveCard' || typeof a.content.version !== 'string' || !Array.isArray(a.content.body)) {
    return 'Adaptive Card content must have type AdaptiveCard, a version and a body.';
  }
  return undefined;
}

/** `<@personId:ID|name>` and `<@personEmail:email|name>` mentions in markdown, as person ids. */
function mentionsIn(markdown: string, state: ReturnType<typeof messagingOf>): string[] {
  const ids: string[] = [];
  for (const m of markdown.matchAll(/(?<!\\)<@(personId|personEmail):([^|>]+)(?:\|[^>]*)?>/g)) {
    const person = m[1] === 'personId' ? state.person({ personId: m[2] }) : state.person({ personEmail: m[2] });
    if (person) ids.push(person.id);
  }
  return ids;
}
