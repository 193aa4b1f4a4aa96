import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';
import { queryOf } from './messaging-state';

/** A person as https://developer.webex.com/docs/api/v1/people/get-person-details returns them. */
function personJson(person: WebexPerson): object {
  return {
    id: person.id,
    emails: person.emails,
    displayName: person.displayName,
    nickName: person.firstName,
    firstName: person.firstName,
    lastName: person.lastName,
    orgId: person.orgId,
    type: person.type,
    created: '2026-01-01T00:00:00.000Z',
    status: 'active',
  };
}

/**
 * /v1/people: me, one person by id, and List People by `id` (comma-separated, at most 85) or
 * `email`. The list answers `notFoundIds` for ids it does not know, as the real API does; the
 * Webex JS SDK batches `people.get(id)` into exactly that list call.
 */
export function peopleFeature(server: Server, base: string, ctx: WebexContext): void {
  server.get(`${base}/people/me`, ...ctx.authenticated((_req: Request, res: Response, person: WebexPerson) => {
    res.send(200, personJson(person));
  }));

  const list = (req: Request, res: Response): void => {
    const q = queryOf(req);
    const ids = q.get('id')?.split(',').map((id) => id.trim()).filter(Boolean);
    const email = q.get('email')?.trim().toLowerCase();
    if (!ids && !email) return ctx.fail(res, 400, 'Either id, email or displayName is required.');
    if (ids && ids.length > 85) return ctx.fail(res, 400, 'At most 85 ids may be given.');
    if (ids) {
      const found = ids.map((id) => ctx.people.get(id)).filter((p): p is WebexPerson => p !== undefined);
      const notFoundIds = ids.filter((id) => !ctx.people.has(id));
      return res.send(200, { items: found.map(personJson), ...(notFoundIds.length > 0 ? { notFoundIds } : {}) });
    }
    const matches = [...ctx.people.values()].filter((p) => p.emails.includes(email!));
    res.send(200, { items: matches.map(personJson) });
  };

  server.get(`${base}/people`, ...ctx.authenticated(list));

  // The SDK asks for `people/?id=...`, which the router sees as this route with an empty id.
  server.get(`${base}/people/:personId`, ...ctx.authenticated((req: Request, res: Response) => {
    const personId = String(req.params.personId ?? '');
    if (personId === '') return list(req, res);
    const person = ctx.people.get(personId);
    if (!person) return ctx.fail(res, 404, 'The requested resource could not be found.');
    res.send(200, personJson(person));
  }));
}
