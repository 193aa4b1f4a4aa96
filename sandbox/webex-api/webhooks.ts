import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';
import { jsonObject, listOf, messagingOf, stringField, type EmulatedWebhook } from './messaging-state';

const resources = ['all', 'messages', 'memberships', 'rooms', 'attachmentActions', 'meetings', 'recordings'];
const events = ['all', 'created', 'updated', 'deleted', 'started', 'ended'];

/** /v1/webhooks registrations (https://developer.webex.com/docs/api/v1/webhooks); kept, listed and deleted. */
export function webhooksFeature(server: Server, base: string, ctx: WebexContext): void {
  const state = messagingOf(ctx);
  const mine = (caller: WebexPerson) => [...state.webhooks.values()].filter((w) => w.createdBy === caller.id);

  server.post(`${base}/webhooks`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    const name = stringField(body, 'name');
    const targetUrl = stringField(body, 'targetUrl');
    const resource = stringField(body, 'resource');
    const event = stringField(body, 'event');
    if (!name || !targetUrl || !resource || !event) return ctx.fail(res, 400, 'name, targetUrl, resource and event are required.');
    if (!/^https?:\/\//.test(targetUrl)) return ctx.fail(res, 400, 'targetUrl must be an http(s) URL.');
    if (!resources.includes(resource) || !events.includes(event)) return ctx.fail(res, 400, 'Unsupported resource or event.');
    const hook: EmulatedWebhook = {
      id: ctx.newId('WEBHOOK'),
      name,
      targetUrl,
      resource,
      event,
      ...(stringField(body, 'filter') ? { filter: stringField(body, 'filter') } : {}),
      ...(stringField(body, 'secret') ? { secret: stringField(body, 'secret') } : {}),
      status: 'active',
      created: new Date().toISOString(),
      ownerId: ctx.orgId,
      orgId: ctx.orgId,
      createdBy: caller.id,
      appId: Buffer.from('ciscospark://us/APPLICATION/sandbox').toString('base64url'),
    };
    state.webhooks.set(hook.id, hook);
    res.send(200, hook);
  }));

  server.get(`${base}/webhooks`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    res.send(200, listOf(mine(caller), req));
  }));

  server.get(`${base}/webhooks/:webhookId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const hook = state.webhooks.get(String(req.params.webhookId));
    if (!hook || hook.createdBy !== caller.id) return ctx.fail(res, 404, 'The requested resource could not be found.');
    res.send(200, hook);
  }));

  // PUT /webhooks/{webhookId}: name and targetUrl required; secret and status may change.
  server.put(`${base}/webhooks/:webhookId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const hook = state.webhooks.get(String(req.params.webhookId));
    if (!hook || hook.createdBy !== caller.id) return ctx.fail(res, 404, 'The requested resource could not be found.');
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    const name = stringField(body, 'name');
    const targetUrl = stringField(body, 'targetUrl');
    if (!name || !targetUrl) return ctx.fail(res, 400, 'name and targetUrl are required.');
    if (!/^https?:\/\//.test(targetUrl)) return ctx.fail(res, 400, 'targetUrl must be an http(s) URL.');
    const status = stringField(body, 'status');
    if (status !== undefined && status !== 'active' && status !== 'inactive') return ctx.fail(res, 400, 'status must be active or inactive.');
    const secret = stringField(body, 'secret');
    const updated: EmulatedWebhook = { ...hook, name, targetUrl, ...(secret ? { secret } : {}), ...(status ? { status } : {}) };
    state.webhooks.set(hook.id, updated);
    res.send(200, updated);
  }));

  server.del(`${base}/webhooks/:webhookId`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const hook = state.webhooks.get(String(req.params.webhookId));
    if (!hook || hook.createdBy !== caller.id) return ctx.fail(res, 404, 'The requested resource could not be found.');
    state.webhooks.delete(hook.id);
    res.send(204);
  }));
}
