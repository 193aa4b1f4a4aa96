import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';
import { jsonObject, listOf, messagingOf, queryOf, stringField } from './messaging-state';

/** /v1/memberships: who is in a space and who moderates it (https://developer.webex.com/docs/api/v1/memberships). */
export function membershipsFeature(server: Server, base: string, ctx: WebexContext): void {
  const state = messagingOf(ctx);

  server.post(`${base}/memberships`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    const room = state.roomFor(stringField(body, 'roomId') ?? '', caller);
    if (!room) return ctx.fail(res, 404, 'The requested resource could not be found.');
    if (room.type === 'direct') return ctx.fail(res, 409, 'Cannot add people to a 1:1 space.');
    const person = state.person({ personId: stringField(body, 'personId'), personEmail: stringField(body, 'personEmail') });
    if (!person) return ctx.fail(res, 400, 'personId or personEmail is required.');
    if (state.membershipOf(room.id, person.id)) return ctx.fail(res, 409, 'Person is already in the room.');
    const membership = state.join(room, person, body.isModerator === true);
    res.send(200, membership);
    state.membershipChanged(membership, 'created', caller.id);
  }));

  server.get(`${base}/memberships`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const roomId = queryOf(req).get('roomId');
    const personEmail = queryOf(req).get('personEmail')?.toLowerCase();
    const personId = queryOf(req).get('personId');
    const items = [...state.memberships.values()].filter((m) =>
      roomId ? state.roomFor(roomId, caller) !== undefined && m.roomId === roomId : m.personId === caller.id,
    ).filter((m) => (!personEmail || m.personEmail === personEmail) && (!personId || m.personId === personId));
    res.send(200, listOf(items, req));
  }));

  // Get Membership Details: the caller must be in the space.
  server.get(`${base}/memberships/:membershipId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const m = state.memberships.get(String(req.params.membershipId));
    if (!m || !state.roomFor(m.roomId, caller)) return ctx.fail(res, 404, 'The requested resource could not be found.');
    res.send(200, m);
  }));

  server.del(`${base}/memberships/:membershipId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const m = state.memberships.get(String(req.params.membershipId));
    if (!m || !state.roomFor(m.roomId, caller)) return ctx.fail(res, 404, 'The requested resource could not be found.');
    state.memberships.delete(m.id);
    res.send(204);
    state.membershipChanged(m, 'deleted', caller.id);
  }));
}
