import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';
import { jsonObject, listOf, maxOutside, messagingOf, queryOf, stringField } from './messaging-state';

/**
 * /v1/rooms: create, list, get, delete, with the shapes of
 * https://developer.webex.com/docs/api/v1/rooms. Only rooms the caller is a member of exist for them.
 */
export function roomsFeature(server: Server, base: string, ctx: WebexContext): void {
  const state = messagingOf(ctx);

  server.post(`${base}/rooms`, ...ctx.authenticated((req: Request, res: Response, person: WebexPerson) => {
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    const title = stringField(body, 'title');
    if (!title) return ctx.fail(res, 400, 'title cannot be null or empty.');
    res.send(200, state.createRoom(title, 'group', person));
  }));

  server.get(`${base}/rooms`, ...ctx.authenticated((req: Request, res: Response, person: WebexPerson) => {
    // "Value must be between 1 and 1000, inclusive" (List Rooms, public-spec/webex-messaging.json).
    const badMax = maxOutside(req, 1, 1000);
    if (badMax) return ctx.fail(res, 400, badMax);
    const type = queryOf(req).get('type');
    const rooms = [...state.rooms.values()]
      .filter((r) => state.membershipOf(r.id, person.id) && (!type || r.type === type))
      .sort((a, b) => b.lastActivity.localeCompare(a.lastActivity));
    res.send(200, listOf(rooms, req));
  }));

  server.get(`${base}/rooms/:roomId`, ...ctx.authenticated((req: Request, res: Response, person: WebexPerson) => {
    const room = state.roomFor(String(req.params.roomId), person);
    if (!room) return ctx.fail(res, 404, 'The requested resource could not be found.');
    res.send(200, room);
  }));

  // Update a Room: title, and isLocked (a moderated space); whoever locks it becomes its moderator.
  server.put(`${base}/rooms/:roomId`, ...ctx.authenticated((req: Request, res: Response, person: WebexPerson) => {
    const room = state.roomFor(String(req.params.roomId), person);
    if (!room) return ctx.fail(res, 404, 'The requested resource could not be found.');
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    const title = stringField(body, 'title');
    if (!title) return ctx.fail(res, 400, 'title cannot be null or empty.');
    const membership = state.membershipOf(room.id, person.id)!;
    if (room.isLocked && !membership.isModerator) return ctx.fail(res, 403, 'Only moderators can change a moderated space.');
    room.title = title;
    if (typeof body.isLocked === 'boolean') {
      room.isLocked = body.isLocked;
      if (room.isLocked) membership.isModerator = true;
    }
    res.send(200, room);
  }));

  server.del(`${base}/rooms/:roomId`, ...ctx.authenticated((req: Request, res: Response, person: WebexPerson) => {
    const room = state.roomFor(String(req.params.roomId), person);
    if (!room) return ctx.fail(res, 404, 'The requested resource could not be found.');
    state.rooms.delete(room.id);
    for (const [id, m] of state.memberships) if (m.roomId === room.id) state.memberships.delete(id);
    res.send(204);
  }));
}
