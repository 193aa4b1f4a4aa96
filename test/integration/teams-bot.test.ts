import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { TeamsConnectorEmulator, type ConnectorActivity } from '../../sandbox/teams-connector/connector-emulator';
import { startTestService, type TestService } from '../helpers/service';

const fixture = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams/message-activity.json'), 'utf8')) as Record<string, unknown>;

type Card = { body: { type: string; text?: string }[]; actions?: { title: string; data: Record<string, string> }[] };
const cardOf = (a: ConnectorActivity): Card | undefined =>
  (a.activity.attachments as { contentType: string; content: Card }[] | undefined)?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
const textOf = (card: Card | undefined) => JSON.stringify(card ?? {});

async function until<T>(read: () => T | undefined, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the Teams bot in sandbox mode', () => {
  let service: TestService;
  let xsi: XsiEmulator;
  let connector: TeamsConnectorEmulator;

  beforeAll(async () => {
    xsi = new XsiEmulator({ alertingMs: 300, activeMs: 60_000 });
    connector = new TeamsConnectorEmulator();
    service = await startTestService({ emulators: [xsi, connector] });
  });
  afterAll(() => service.dispose());
  beforeEach(() => {
    xsi.log.clear();
    connector.activities.length = 0;
  });

  const send = (overrides: Record<string, unknown>) =>
    fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...fixture, serviceUrl: `${service.url}/sandbox/teams/`, id: `${Date.now()}`, ...overrides }),
    });
  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));

  it('places a call from a message activity and replies with a call status card that updates', async () => {
    const res = await send({ text: 'call 06 1234 5678' });
    expect(res.status).toBe(200);
    expect(callsNew()).toHaveLength(1);
    expect(callsNew()[0]!.query).toEqual({ address: '+31612345678' });
    const reply = connector.activities.find((a) => a.operation === 'reply');
    expect(reply).toBeDefined();
    expect(reply!.conversationId).toBe('a:1sandbox-personal-chat-anna');
    const card = cardOf(reply!);
    expect(card?.body[0]?.text).toBe('Calling 06 12345678');
    expect(textOf(card)).toContain('Your phone is ringing');
    expect(card?.actions?.[0]).toMatchObject({ title: 'Hang up', data: { action: 'hangup', callId: expect.stringMatching(/^callhalf-/), target: '06 12345678' } });
    // Alerting -> Active after 300 ms; the watcher polls every second and updates the card in place.
    const update = await until(() => connector.activities.find((a) => a.operation === 'update' && a.id === reply!.id));
    expect(textOf(cardOf(update))).toContain('Connected with 06 12345678');
  });

  it('hangs up from the card button and marks the card as ended', async () => {
    await send({ text: 'call 1003' });
    const reply = connector.activities.find((a) => a.operation === 'reply')!;
    const button = cardOf(reply)!.actions![0]!.data;
    const callId = button.callId!;
    // Teams sends the button's data back as the activity's value (Action.Submit).
    const res = await send({ text: undefined, value: button, replyToId: reply.id });
    expect(res.status).toBe(200);
    expect(xsi.log.list().some((r) => r.method === 'DELETE' && r.path.endsWith(`/calls/${encodeURIComponent(callId)}`))).toBe(true);
    const update = connector.activities.find((a) => a.operation === 'update' && a.id === reply.id);
    expect(textOf(cardOf(update!))).toContain('Call with 1003 ended.');
    expect(cardOf(update!)?.actions).toBeUndefined();
  });

  it('answers a name with several directory hits with a card holding a Call button per person', async () => {
    await send({ text: 'call ann' });
    expect(callsNew()).toHaveLength(0);
    const card = cardOf(connector.activities[0]!);
    expect(textOf(card)).toContain('Anna de Vries');
    expect(textOf(card)).toContain('Annelies Jansen');
    expect(textOf(card)).toContain('Sanne Visser');
    const buttons = JSON.stringify(card).match(/"action":"call"/g);
    expect(buttons).toHaveLength(3);
    // Pressing one of them places the call.
    await send({ text: undefined, value: { action: 'call', target: '1002' } });
    expect(callsNew()[0]!.query).toEqual({ address: '1002' });
  });

  it('calls a name with one directory hit and shows the name on the card', async () => {
    await send({ text: 'bel noor', locale: 'nl-NL' });
    expect(callsNew().map((r) => r.query)).toEqual([{ address: '1012' }]);
    const card = cardOf(connector.activities.find((a) => a.operation === 'reply')!);
    expect(card?.body[0]?.text).toBe('Noor van Dijk (1012) bellen');
    expect(card?.actions?.[0]?.title).toBe('Ophangen');
  });

  it('speaks Dutch to a Dutch client: bel, and an error card for a blocked number', async () => {
    await send({ text: 'bel 0900 1234567', locale: 'nl-NL' });
    expect(callsNew()).toHaveLength(0);
    const card = textOf(cardOf(connector.activities[0]!));
    expect(card).toContain('Dat lukte niet');
    expect(card).toContain('blokkeert gesprekken naar nummers die beginnen met 0900');
  });

  it('tells the user to dial 112 directly, in English', async () => {
    await send({ text: 'call 112' });
    expect(callsNew()).toHaveLength(0);
    expect(textOf(cardOf(connector.activities[0]!))).toContain('Dial 112 directly on your phone');
  });

  it('refuses malformed numbers without reaching KPN EEN', async () => {
    for (const text of ['call 06-12', 'call 📞📞', `call ${'9'.repeat(30)}`]) await send({ text });
    expect(callsNew()).toHaveLength(0);
    expect(connector.activities).toHaveLength(3);
    for (const a of connector.activities) expect(textOf(cardOf(a))).toContain('That did not work');
  });

  it('answers help and unknown commands in the user\'s language, mention stripped', async () => {
    await send({ text: '<at>een-bridge</at> help', locale: 'nl-NL' });
    await send({ text: 'dance', locale: 'en-GB' });
    expect(connector.activities[0]!.activity.text).toContain('Ik bel via je KPN EEN-lijn');
    expect(connector.activities[1]!.activity.text).toContain('I did not understand "dance"');
  });

  it('introduces itself when it is added to a conversation, and only then', async () => {
    await send({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c' }], locale: 'nl-NL' });
    await send({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '29:someone-else' }] });
    expect(connector.activities).toHaveLength(1);
    expect(connector.activities[0]!.activity.text).toContain('Ik bel via je KPN EEN-lijn');
  });

  it('shows recent calls as a card', async () => {
    await send({ text: 'recent' });
    const card = textOf(cardOf(connector.activities[0]!));
    expect(card).toContain('Recent calls');
    expect(card).toContain('Klant B.V.');
  });

  describe('in group chats and team channels (Microsoft Learn, "Channel and group chat conversations with a bot")', () => {
    const BOT = '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c';
    const tenant = { id: '72f988bf-0000-4000-8000-00000000e1e1' };
    const mention = { type: 'mention', text: '<at>een-bridge</at>', mentioned: { id: BOT, name: 'een-bridge' } };
    const groupChat = { conversationType: 'groupChat', id: '19:sandbox-groupchat-0002@thread.v2', isGroup: true, tenantId: tenant.id };
    const channel = { conversationType: 'channel', id: '19:sandbox-channel-0001@thread.tacv2;messageid=1764314400000', isGroup: true, tenantId: tenant.id };
    const channelData = { teamsChannelId: '19:sandbox-channel-0001@thread.tacv2', teamsTeamId: '19:sandbox-team-0001@thread.tacv2', channel: { id: '19:sandbox-channel-0001@thread.tacv2' }, team: { id: '19:sandbox-team-0001@thread.tacv2' }, tenant };

    it('places a call asked with an @mention in a group chat the bot is in, and answers in that chat', async () => {
      connector.addBotTo(groupChat.id);
      const res = await send({ conversation: groupChat, text: '<at>een-bridge</at>&nbsp;call 1002', entities: [mention], channelData: { tenant } });
      expect(res.status).toBe(200);
      expect(callsNew().map((r) => r.query)).toEqual([{ address: '1002' }]);
      expect(connector.activities[0]).toMatchObject({ conversationId: groupChat.id, operation: 'reply' });
    });

    it('answers in the thread of a team channel, the mention stripped', async () => {
      connector.addBotTo(channel.id);
      await send({ conversation: channel, text: '<at>een-bridge</at> help', entities: [mention], channelData, locale: 'nl-NL' });
      expect(connector.activities).toHaveLength(1);
      expect(connector.activities[0]).toMatchObject({ conversationId: channel.id });
      expect(connector.activities[0]!.activity.text).toContain('Ik bel via je KPN EEN-lijn');
    });

    it('introduces itself when installed in a group chat', async () => {
      const chat = { ...groupChat, id: '19:sandbox-groupchat-0003@thread.v2' };
      connector.addBotTo(chat.id);
      await send({ type: 'conversationUpdate', text: undefined, conversation: chat, membersAdded: [{ id: BOT }], channelData: { tenant } });
      expect(connector.activities.map((a) => a.conversationId)).toEqual([chat.id]);
    });

    it('the connector emulator refuses a chat the bot is not in, as Teams does', async () => {
      const base = `${service.url}/sandbox/teams/v3/conversations/${encodeURIComponent('19:not-a-member@thread.v2')}`;
      const post = await fetch(`${base}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'hoi' }) });
      expect(post.status).toBe(403);
      expect(await post.json()).toEqual({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
      const member = await fetch(`${base}/members/29:1sandbox-anna`);
      expect(member.status).toBe(403);
      expect(connector.activities).toHaveLength(0);
    });
  });

  it('refuses a sandbox activity whose serviceUrl is not on this machine, calling nothing', async () => {
    const res = await send({ text: 'call 0612345678', serviceUrl: 'https://evil.example/' });
    expect(res.status).toBe(400);
    expect(callsNew()).toHaveLength(0);
  });

  it('refuses a body that is not an activity', async () => {
    const res = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(res.status).toBe(400);
    expect(callsNew()).toHaveLength(0);
  });
});

describe('the Teams bot in real mode (MICROSOFT_APP_ID set)', () => {
  let service: TestService;
  let xsi: XsiEmulator;

  beforeAll(async () => {
    xsi = new XsiEmulator();
    service = await startTestService({
      env: { MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555', MICROSOFT_APP_PASSWORD: 'not-a-real-secret' },
      emulators: [xsi],
    });
  });
  afterAll(() => service.dispose());

  const post = (headers: Record<string, string>) =>
    fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ ...fixture, text: 'call 0612345678' }),
    });

  it('refuses an unsigned activity with 401 and places no call', async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect(xsi.log.list()).toEqual([]);
  });

  it('refuses an activity with a forged token with 401 and places no call', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const forged = [
      b64({ alg: 'RS256', typ: 'JWT', kid: 'forged' }),
      b64({ iss: 'https://api.botframework.com', aud: '11111111-2222-3333-4444-555555555555', exp: Math.floor(Date.now() / 1000) + 600, serviceurl: 'https://smba.trafficmanager.net/emea/' }),
      Buffer.from('not-a-signature').toString('base64url'),
    ].join('.');
    const res = await post({ authorization: `Bearer ${forged}` });
    expect(res.status).toBe(401);
    expect(xsi.log.list()).toEqual([]);
  });
});
