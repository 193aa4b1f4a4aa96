import { startTestService, type TestService } from '../helpers/service';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { spacePerson, webexCall } from '../helpers/webex-sandbox';

interface Room { id: string; type: string; title: string; lastActivity: string }
interface Message { id: string; roomId: string; roomType: string; text?: string; markdown?: string; personEmail: string; mentionedPeople?: string[] }
interface WebexError { message: string; errors: { description: string }[]; trackingId: string }

describe('the Webex emulator: rooms, memberships, messages, webhooks', () => {
  let service: TestService;
  let webex: string;
  const call = <T>(method: string, path: string, body?: unknown) => webexCall<T>(webex, method, path, body);

  beforeAll(async () => {
    service = await startTestService();
    webex = service.endpoints.sandbox('webex');
  });
  afterAll(() => service.dispose());

  it('creates a group space with the bot in it, and lists it', async () => {
    const created = await call<Room>('POST', '/rooms', { title: 'Team Klantportaal' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: expect.any(String), title: 'Team Klantportaal', type: 'group', isLocked: false });
    expect(Buffer.from(created.body.id, 'base64url').toString()).toMatch(/^ciscospark:\/\/us\/ROOM\//);
    const list = await call<{ items: Room[] }>('GET', '/rooms');
    expect(list.body.items.map((r) => r.id)).toContain(created.body.id);
    const members = await call<{ items: { personEmail: string }[] }>('GET', `/memberships?roomId=${created.body.id}`);
    expect(members.body.items.map((m) => m.personEmail)).toEqual(['een-bridge@webex.bot']);
  });

  it('adds a moderator by email', async () => {
    const room = (await call<Room>('POST', '/rooms', { title: 'Moderated' })).body;
    const added = await call<{ isModerator: boolean; personEmail: string; roomType: string }>('POST', '/memberships', { roomId: room.id, personEmail: 'Anouk@Example.nl', isModerator: true });
    expect(added.body).toMatchObject({ isModerator: true, personEmail: 'anouk@example.nl', roomType: 'group' });
    expect((await call('POST', '/memberships', { roomId: room.id, personEmail: 'anouk@example.nl' })).status).toBe(409);
  });

  it('posts markdown with an adaptive card and updates the space activity', async () => {
    const room = (await call<Room>('POST', '/rooms', { title: 'Cards' })).body;
    const card = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'hi' }] };
    const res = await call<Message & { attachments: unknown[] }>('POST', '/messages', {
      roomId: room.id,
      text: 'hi',
      markdown: '**hi** <@personEmail:een-bridge@webex.bot|bot>',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ roomId: room.id, roomType: 'group', text: 'hi', personEmail: 'een-bridge@webex.bot', attachments: [{ content: card }] });
    expect(res.body.mentionedPeople).toHaveLength(1);
    const after = (await call<Room>('GET', `/rooms/${room.id}`)).body;
    expect(after.lastActivity >= room.lastActivity).toBe(true);
  });

  // Edit a Message (public-spec/webex-messaging.json, PUT /messages/{messageId}).
  it('edits a message its author posted, text or markdown only, at most 10 times', async () => {
    const room = (await call<Room>('POST', '/rooms', { title: 'Edits' })).body;
    const posted = (await call<Message>('POST', '/messages', { roomId: room.id, markdown: 'Ringing' })).body;
    const edited = await call<Message & { updated?: string }>('PUT', `/messages/${posted.id}`, { roomId: room.id, markdown: '**Connected**' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: posted.id, markdown: '**Connected**', updated: expect.any(String) });
    expect((await call<Message>('GET', `/messages/${posted.id}`)).body.markdown).toBe('**Connected**');
    // roomId is required, with text or markdown; html beside markdown is refused.
    expect((await call('PUT', `/messages/${posted.id}`, { markdown: 'x' })).status).toBe(400);
    expect((await call('PUT', `/messages/${posted.id}`, { roomId: room.id })).status).toBe(400);
    expect((await call('PUT', `/messages/${posted.id}`, { roomId: room.id, markdown: 'x', html: '<p>x</p>' })).status).toBe(400);
    expect((await call('PUT', '/messages/no-such-message', { roomId: room.id, markdown: 'x' })).status).toBe(404);
    // "Edits of messages containing files or attachments are not currently supported."
    const card = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'hi' }] };
    const withCard = (await call<Message>('POST', '/messages', { roomId: room.id, text: 'hi', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] })).body;
    expect((await call('PUT', `/messages/${withCard.id}`, { roomId: room.id, markdown: 'x' })).status).toBe(400);
    // "The maximum currently supported is 10 edits per message": this is the second to the tenth, then no more.
    for (let i = 2; i <= 10; i++) expect((await call('PUT', `/messages/${posted.id}`, { roomId: room.id, text: `edit ${i}` })).status).toBe(200);
    const eleventh = await call<WebexError>('PUT', `/messages/${posted.id}`, { roomId: room.id, text: 'edit 11' });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.message).toMatch(/edit limit/);
  });

  it('lets only the author edit a message', async () => {
    const emulator = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    const anna = spacePerson(emulator, `${webex}/v1`, { token: 'anna-edits', email: 'anna.devries@sandbox.kpneen.nl' });
    const roomId = await anna.space('Not yours');
    const hers = await anna.asPerson<Message>('POST', '/messages', { roomId, text: 'mine' });
    expect((await call('PUT', `/messages/${hers.id}`, { roomId, text: 'the bot edits it' })).status).toBe(403);
  });

  it('refuses what Webex refuses, in its error shape', async () => {
    const room = (await call<Room>('POST', '/rooms', { title: 'Refusals' })).body;
    const tooLong = await call<WebexError>('POST', '/messages', { roomId: room.id, markdown: 'x'.repeat(7440) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ message: expect.stringContaining('7439'), errors: [{ description: expect.any(String) }], trackingId: expect.any(String) });
    const twoCards = await call('POST', '/messages', { roomId: room.id, text: 'x', attachments: [{}, {}] });
    expect(twoCards.status).toBe(400);
    const notACard = await call('POST', '/messages', { roomId: room.id, text: 'x', attachments: [{ contentType: 'text/html', content: {} }] });
    expect(notACard.status).toBe(400);
    expect((await call('POST', '/messages', { roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vbm9wZQ', text: 'x' })).status).toBe(404);
    expect((await call('POST', '/messages', { roomId: room.id })).status).toBe(400);
  });

  it('keeps to the list and file limits of webex-openapi-specs public-spec/webex-messaging.json', async () => {
    const room = (await call<Room>('POST', '/rooms', { title: 'Limits' })).body;
    // "Only one file is allowed per message."
    const twoFiles = await call<WebexError>('POST', '/messages', { roomId: room.id, files: ['https://example.com/a.png', 'https://example.com/b.png'] });
    expect(twoFiles).toMatchObject({ status: 400, body: { message: 'Only one file is allowed per message.', trackingId: expect.any(String) } });
    // List Messages: max "cannot exceed 100 if used with mentionedPeople"; 50 by default.
    expect((await call('GET', `/messages?roomId=${room.id}&mentionedPeople=me&max=101`)).status).toBe(400);
    expect((await call('GET', `/messages?roomId=${room.id}&mentionedPeople=me&max=100`)).status).toBe(200);
    const direct = (await call<{ roomId: string }>('POST', '/messages', { toPersonEmail: 'limits@example.nl', text: '1' })).body.roomId;
    for (let i = 2; i <= 60; i++) await call('POST', '/messages', { roomId: direct, text: String(i) });
    expect((await call<{ items: unknown[] }>('GET', `/messages?roomId=${direct}`)).body.items).toHaveLength(50);
    // List Rooms: max "must be between 1 and 1000, inclusive".
    expect((await call('GET', '/rooms?max=0')).status).toBe(400);
    expect((await call('GET', '/rooms?max=1001')).status).toBe(400);
    expect((await call('GET', '/rooms?max=1000')).status).toBe(200);
  });

  it('lets a bot list a group space only for its mentions, and a 1:1 space fully', async () => {
    const room = (await call<Room>('POST', '/rooms', { title: 'Listing' })).body;
    await call('POST', '/messages', { roomId: room.id, text: 'one' });
    expect((await call('GET', `/messages?roomId=${room.id}`)).status).toBe(403);
    expect((await call<{ items: unknown[] }>('GET', `/messages?roomId=${room.id}&mentionedPeople=me`)).body.items).toEqual([]);

    const direct = await call<Message>('POST', '/messages', { toPersonEmail: 'pieter@example.nl', text: 'first' });
    expect(direct.body.roomType).toBe('direct');
    await call('POST', '/messages', { roomId: direct.body.roomId, text: 'second' });
    const listed = await call<{ items: Message[] }>('GET', `/messages?roomId=${direct.body.roomId}&max=10`);
    expect(listed.body.items.map((m) => m.text)).toEqual(['second', 'first']);
  });

  it('answers injected faults with Retry-After, then recovers', async () => {
    const room = (await call<Room>('POST', '/rooms', { title: 'Faults' })).body;
    await fetch(`${webex}/_faults`, { method: 'POST', body: JSON.stringify({ status: 429, retryAfter: 7, times: 1 }) });
    const res = await fetch(`${webex}/v1/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-webex-bot-token', 'content-type': 'application/json' },
      body: JSON.stringify({ roomId: room.id, text: 'x' }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await call('POST', '/messages', { roomId: room.id, text: 'x' })).status).toBe(200);
  });

  it('registers, lists and deletes webhooks', async () => {
    const hook = await call<{ id: string; status: string; resource: string }>('POST', '/webhooks', {
      name: 'een-bridge messages',
      targetUrl: 'https://een-bridge.example.nl/webex/events',
      resource: 'messages',
      event: 'created',
      secret: 'shh',
    });
    expect(hook.body).toMatchObject({ status: 'active', resource: 'messages' });
    expect((await call<{ items: { id: string }[] }>('GET', '/webhooks')).body.items.map((h) => h.id)).toContain(hook.body.id);
    expect((await call('DELETE', `/webhooks/${hook.body.id}`)).status).toBe(204);
    expect((await call('GET', `/webhooks/${hook.body.id}`)).status).toBe(404);
    expect((await call('POST', '/webhooks', { name: 'x', targetUrl: 'ftp://x', resource: 'messages', event: 'created' })).status).toBe(400);
  });

  it('wants a bearer token', async () => {
    expect((await fetch(`${webex}/v1/rooms`)).status).toBe(401);
  });
});
