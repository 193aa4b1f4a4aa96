import { createHmac } from 'node:crypto';
import { translate } from '../../core';
import { SANDBOX_TRELLO_BOARD_ID, TrelloEmulator } from '../../sandbox/trello-api/trello-emulator';
import { messagingOf, type EmulatedMessage } from '../../sandbox/webex-api/messaging-state';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { cardActionOf } from '../../webex-bot';
import { startTestService, type TestService } from '../helpers/service';
import { allowSources, allowWriting, spacePerson, type SpacePerson } from '../helpers/webex-sandbox';

interface CardJson {
  version: string;
  lang: string;
  speak: string;
  fallbackText: string;
  body: unknown[];
  actions?: { type: string; title: string; url?: string; data?: unknown }[];
}

/** Every action on a card, those inside ActionSets in columns included. */
function actionsOf(node: unknown): { type: string; title: string; url?: string; data?: Record<string, unknown> }[] {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap(actionsOf);
  const o = node as Record<string, unknown>;
  const own = typeof o.type === 'string' && o.type.startsWith('Action.') ? [o as { type: string; title: string; url?: string; data?: Record<string, unknown> }] : [];
  return [...own, ...Object.values(o).flatMap(actionsOf)];
}

const cardOf = (m: EmulatedMessage | undefined): CardJson | undefined => m?.attachments?.[0]?.content as CardJson | undefined;

describe('the Webex bot on webex-node-bot-framework (sandbox)', () => {
  let service: TestService;
  let webex: WebexEmulator;
  let base: string;
  let person: SpacePerson;
  const botEmail = 'een-bridge@webex.bot';
  const state = () => messagingOf(webex.context);
  const lastBotMessage = (room: string) => state().messages.filter((m) => m.roomId === room && m.personEmail === botEmail).at(-1);

  /** Presses a button on a card, as the Webex app does for the person, and waits for the bot's answer. */
  async function press(room: string, message: EmulatedMessage, title: string, token = 'jan-token'): Promise<EmulatedMessage> {
    const action = actionsOf(cardOf(message)).find((a) => a.title === title);
    if (!action?.data) throw new Error(`no button "${title}" on the card`);
    const before = state().messages.length;
    const res = await person.asPerson<{ id?: string }>('POST', '/attachment/actions', { type: 'submit', messageId: message.id, inputs: action.data }, token);
    expect(res.id).toBeDefined();
    for (let i = 0; i < 200; i++) {
      await state().settled();
      const reply = state().messages.slice(before).find((m) => m.roomId === room && m.personEmail === botEmail);
      if (reply) return reply;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no answer to pressing "${title}"`);
  }

  beforeAll(async () => {
    service = await startTestService();
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    base = `${service.endpoints.sandbox('webex')}/v1`;
    person = spacePerson(webex, base, { token: 'jan-token', email: 'jan@example.nl' });
    // Spaces follow only what an administrator listed (issue 13): these tests are about cards, not about asking.
    await allowSources(service, [['jira', 'KAN'], ['jira', 'OPS'], ['jira', 'MOD'], ['jira', 'GONE'], ['trello', SANDBOX_TRELLO_BOARD_ID]]);
  });
  afterAll(() => service.dispose());

  it("points the framework's webex SDK at the emulator (its calls carry the SDK's tracking id)", async () => {
    const log = (await (await fetch(`${service.endpoints.sandbox('webex')}/_log`)).json()) as { requests: { method: string; path: string; headers: Record<string, string> }[] };
    const sdk = log.requests.filter((r) => r.headers.trackingid?.startsWith('webex-js-sdk'));
    expect(sdk.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /sandbox/webex/v1/people/me', 'GET /sandbox/webex/v1/webhooks', 'POST /sandbox/webex/v1/webhooks']));
  });

  it("greets a space it is added to in Dutch, then English, as the space's language is not known yet", async () => {
    const room = await person.space('Welkom');
    const welcome = state().messages.filter((m) => m.roomId === room && m.personEmail === botEmail);
    expect(welcome).toHaveLength(1);
    expect(welcome[0]?.markdown).toBe(`${translate('nl', 'webexbot.welcome')}\n\n${translate('en', 'webexbot.welcome')}`);
    expect(welcome[0]?.markdown).toMatch(/^Hallo! .*Noem mij en zeg `hulp`.*\n\nHello! .*Mention me and say `help`/);
  });

  it('answers in a 1:1 space, where nobody mentions it (the framework finds that space on its first message)', async () => {
    const before = state().messages.length;
    const sent = await person.asPerson<{ roomId: string }>('POST', '/messages', { toPersonEmail: botEmail, text: 'abonnementen' });
    for (let i = 0; i < 200 && !lastBotMessage(sent.roomId); i++) {
      await state().settled();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(state().messages.slice(before).find((m) => m.roomId === sent.roomId && m.personEmail === botEmail)?.markdown).toBe(
      'Deze space volgt nog niets. Probeer `abonneer jira SLEUTEL`.',
    );
  });

  it('answers help with an accessible card in the language asked, with the markdown as fallback', async () => {
    const room = await person.space('Hulp');
    expect(await person.say(room, 'hulp')).toContain('`abonneer jira <SLEUTEL>');
    const card = cardOf(lastBotMessage(room))!;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.3', lang: 'nl-NL' });
    expect(card.speak).toContain('Noem mij en zeg hulp');
    expect(card.fallbackText).toBe('Je Webex-app kan deze kaart niet tonen; de tekst erboven zegt hetzelfde.');
  });

  it('lists subscriptions as a card with an Unsubscribe button per row, and a press unsubscribes', async () => {
    const room = await person.space('Kaarten');
    await person.say(room, 'subscribe jira KAN');
    const confirmation = lastBotMessage(room)!;
    expect(cardOf(confirmation)?.body).toEqual(expect.arrayContaining([expect.objectContaining({ text: 'This space now follows Jira project **KAN**.' })]));
    await person.say(room, 'subscribe jira OPS created');
    expect(await person.say(room, 'subscriptions')).toBe('This space follows:\n1. Jira KAN — working, no change yet\n2. Jira OPS (only issue.created) — working, no change yet');
    const list = lastBotMessage(room)!;
    expect(actionsOf(cardOf(list)).map((a) => a.title)).toEqual(['Unsubscribe 1', 'Unsubscribe 2']);
    expect(cardOf(list)?.speak).toContain('2. Jira OPS (only issue.created) — working, no change yet.');

    const answer = await press(room, list, 'Unsubscribe 2');
    expect(answer.markdown).toBe('Stopped: Jira OPS (only issue.created).');
    expect(await person.say(room, 'subscriptions')).toBe('This space follows:\n1. Jira KAN — working, no change yet');
    // The same button again: that one is already gone, and KAN (now number 1) stays.
    expect((await press(room, list, 'Unsubscribe 2')).markdown).toBe('That subscription was already stopped.');
    // The confirmation card's own button undoes that subscription.
    expect((await press(room, confirmation, 'Unsubscribe')).markdown).toBe('Stopped: Jira KAN.');
  });

  it('applies the moderator rule to card buttons too', async () => {
    const room = await person.space('Gemodereerde kaarten');
    await person.say(room, 'subscribe jira MOD');
    await person.say(room, 'subscriptions');
    const list = lastBotMessage(room)!;
    await person.asPerson('PUT', `/rooms/${room}`, { title: 'Gemodereerde kaarten', isLocked: true });
    const els = state().person({ personEmail: 'els@example.nl' })!;
    webex.context.tokens.set('els-token', els.id);
    await person.asPerson('POST', '/memberships', { roomId: room, personEmail: 'els@example.nl' });
    expect((await press(room, list, 'Unsubscribe 1', 'els-token')).markdown).toBe('This space is moderated: only its moderators can change what it follows.');
    expect(await person.say(room, 'subscriptions')).toBe('This space follows:\n1. Jira MOD — working, no change yet');
    expect((await press(room, list, 'Unsubscribe 1')).markdown).toBe('Stopped: Jira MOD.');
  });

  it('answers a new Trello card with an Open button to its link', async () => {
    const room = await person.space('Trello-kaarten');
    await allowWriting(service, room);
    // Following only Done, so the card's own notification (for Doing) does not cross the answer.
    await person.say(room, 'subscribe trello https://trello.com/b/SbxDemo1/een-bridge-demo Done');
    expect(await person.say(room, 'trello card Doing Kaart met knop')).toMatch(/^Card \*\*Kaart met knop\*\* is in Doing: https:\/\/trello\.com\/c\/\w+$/);
    const open = actionsOf(cardOf(lastBotMessage(room))).find((a) => a.type === 'Action.OpenUrl');
    expect(open).toMatchObject({ title: 'Open in Trello', url: expect.stringMatching(/^https:\/\/trello\.com\/c\/\w+$/) });
  });

  it('drops the subscriptions of a space it is removed from', async () => {
    const room = await person.space('Weg');
    await person.say(room, 'subscribe jira GONE');
    const membership = state().membershipOf(room, state().person({ personEmail: botEmail })!.id)!;
    const removed = await fetch(`${base}/memberships/${membership.id}`, { method: 'DELETE', headers: { authorization: 'Bearer jan-token' } });
    expect(removed.status).toBe(204);
    for (let i = 0; i < 200 && (await service.notifications.subscriptions.forSpace(room)).length > 0; i++) {
      await state().settled();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await service.notifications.subscriptions.forSpace(room)).toEqual([]);
  });

  it('ignores button data that is not ours', () => {
    expect(cardActionOf({ action: 'unsubscribe', subscriptionId: '3' })).toBeUndefined();
    expect(cardActionOf({ action: 'dance' })).toBeUndefined();
    expect(cardActionOf({ action: 'unsubscribe', subscriptionId: 3, lang: 'nl' })).toEqual({ action: 'unsubscribe', subscriptionId: 3, lang: 'nl' });
  });

  it('survives signed events for things that do not exist (the framework looks them up and finds nothing)', async () => {
    const hooks = (await (await fetch(`${base}/webhooks`, { headers: { authorization: 'Bearer sandbox-webex-bot-token' } })).json()) as { items: { name: string; resource: string; secret: string }[] };
    const firehose = hooks.items.find((h) => h.resource === 'all')!;
    const cards = hooks.items.find((h) => h.resource === 'attachmentActions')!;
    const events = [
      // With `created` now, as Webex sends it: a command without it (or older than the replay window) is dropped before the framework.
      { name: firehose.name, resource: 'messages', event: 'created', data: { id: 'no-such-message', roomId: 'no-such-room', personId: 'nobody', created: new Date().toISOString() } },
      { name: firehose.name, resource: 'memberships', event: 'created', data: { id: 'no-such-membership', roomId: 'no-such-room', personId: 'nobody' } },
      { name: firehose.name, resource: 'memberships', event: 'deleted', data: { id: 'no-such-membership', roomId: 'no-such-room', personId: 'nobody' } },
      { name: firehose.name, resource: 'rooms', event: 'updated', data: { id: 'no-such-room' } },
      { name: cards.name, resource: 'attachmentActions', event: 'created', data: { id: 'no-such-action', roomId: 'no-such-room', personId: 'nobody', created: new Date().toISOString() } },
    ];
    for (const [i, e] of events.entries()) {
      const body = JSON.stringify({ id: `evt-${i}`, targetUrl: `${service.url}/webex/events`, ...e });
      const res = await fetch(`${service.url}/webex/events`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-spark-signature': createHmac('sha1', firehose.secret).update(body).digest('hex') },
      });
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    // And it still answers.
    const room = await person.space('Nog steeds');
    expect(await person.say(room, 'subscriptions')).toBe('This space follows nothing yet. Try `subscribe jira KEY`.');
  });

  describe('a Trello board that Trello no longer has (404/410)', () => {
    it('stops every space following it, tells each space once, and answers the one that asked', async () => {
      const trello = service.emulators.find((e): e is TrelloEmulator => e instanceof TrelloEmulator)!;
      const asking = await person.space('Bord weg A');
      const other = await person.space('Bord weg B');
      await allowWriting(service, asking);
      await person.say(asking, 'subscribe trello https://trello.com/b/SbxDemo1/een-bridge-demo');
      await person.say(other, 'abonneer trello https://trello.com/b/SbxDemo1/een-bridge-demo');
      const board = trello.boards.get(SANDBOX_TRELLO_BOARD_ID)!;
      trello.boards.delete(SANDBOX_TRELLO_BOARD_ID);
      try {
        expect(await person.say(asking, 'trello card Doing Iets')).toBe(`Trello says board ${SANDBOX_TRELLO_BOARD_ID} no longer exists (or this service lost access), so this space stopped following it.`);
        expect(await service.notifications.subscriptions.anyFor('trello', SANDBOX_TRELLO_BOARD_ID)).toBe(false);
        const told = state().messages.filter((m) => m.roomId === other && m.markdown?.startsWith('Trello meldt dat bord'));
        expect(told).toHaveLength(1);
        // Asking again finds no board to follow: nobody is told twice.
        expect(await person.say(asking, 'trello card Doing Iets')).toBe('This space follows no Trello board yet; `subscribe trello <board link>` first.');
        expect(state().messages.filter((m) => m.roomId === other && m.markdown?.startsWith('Trello meldt dat bord'))).toHaveLength(1);
      } finally {
        trello.boards.set(board.id, board);
      }
    });
  });
});
