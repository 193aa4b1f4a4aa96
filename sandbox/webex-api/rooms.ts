import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';
import { jsonObject, listOf, messagingOf, queryOf, stringField } from './messaging-state';

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

  server.del(`${base}/rooms/:roomId`, ...ctx.authenticated((req: Request, res: Response, person: WebexPerson) => {
    const room = state.roomFor(String(req.params.roomId), person);
    if (!room) return ctx.fail(res, 404, 'The requested resource could not be found.');
    state.rooms.delete(room.id);
    for (const [id, m] of state.memberships) if (m.roomId === room.id) state.memberships.delete(id);
    res.send(204);
  }));
}
