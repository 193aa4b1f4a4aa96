import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';

/** GET /people/me, the shape of https://developer.webex.com/docs/api/v1/people/get-my-own-details */
export function peopleFeature(server: Server, base: string, ctx: WebexContext): void {
  server.get(`${base}/people/me`, ...ctx.authenticated((_req: Request, res: Response, person: WebexPerson) => {
    res.send(200, {
      id: person.id,
      emails: person.emails,
      displayName: person.displayName,
      firstName: person.firstName,
      lastName: person.lastName,
      orgId: person.orgId,
      type: person.type,
      created: '2026-01-01T00:00:00.000Z',
      status: 'active',
    });
  }));
}
