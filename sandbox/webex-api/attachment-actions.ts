import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';
import { jsonObject, messagingOf, stringField, type EmulatedAttachmentAction } from './messaging-state';

/**
 * /v1/attachment/actions (https://developer.webex.com/docs/api/v1/attachment-actions): a person
 * presses an Action.Submit button on a card (POST, as the Webex app does for them), and the card's
 * author reads the inputs (GET) after its `attachmentActions:created` webhook.
 */
export function attachmentActionsFeature(server: Server, base: string, ctx: WebexContext): void {
  const state = messagingOf(ctx);

  server.post(`${base}/attachment/actions`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const body = jsonObject(req, res, ctx);
    if (!body) return;
    if (body.type !== 'submit') return ctx.fail(res, 400, 'type must be submit.');
    const messageId = stringField(body, 'messageId');
    const message = state.messages.find((m) => m.id === messageId);
    if (!message || !state.roomFor(message.roomId, caller)) return ctx.fail(res, 404, 'Could not find a message with provided ID.');
    if (!message.attachments?.length) return ctx.fail(res, 400, 'The message has no card to act on.');
    const inputs = body.inputs;
    if (inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) return ctx.fail(res, 400, 'inputs must be an object.');
    const action: EmulatedAttachmentAction = {
      id: ctx.newId('ATTACHMENT_ACTION'),
      type: 'submit',
      messageId: message.id,
      inputs: (inputs as Record<string, unknown> | undefined) ?? {},
      personId: caller.id,
      roomId: message.roomId,
      created: new Date().toISOString(),
    };
    state.attachmentActions.set(action.id, action);
    res.send(200, action);
    state.attachmentActionCreated(action, message.personId);
  }));

  server.get(`${base}/attachment/actions/:id`, ...ctx.authenticated((req: Request, res: Response, caller: WebexPerson) => {
    const action = state.attachmentActions.get(String(req.params.id));
    if (!action || !state.roomFor(action.roomId, caller)) return ctx.fail(res, 404, 'The requested resource could not be found.');
    res.send(200, action);
  }));
}
