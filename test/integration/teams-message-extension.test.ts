import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { TeamsConnectorEmulator } from '../../sandbox/teams-connector/connector-emulator';
import { startTestService, type TestService } from '../helpers/service';

const load = (name: string) => JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams', name), 'utf8')) as Record<string, unknown>;

describe('the Teams message extension in sandbox mode', () => {
  let service: TestService;
  let xsi: XsiEmulator;
  let connector: TeamsConnectorEmulator;

  beforeAll(async () => {
    xsi = new XsiEmulator();
    connector = new TeamsConnectorEmulator();
    service = await startTestService({ emulators: [xsi, connector] });
  });
  afterAll(() => service.dispose());
  beforeEach(() => xsi.log.clear());

  const invoke = async (activity: Record<string, unknown>) => {
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...activity, serviceUrl: `${service.url}/sandbox/teams/` }),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
  };
  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));

  it('answers composeExtension/query with a card per directory hit, each with a Call button', async () => {
    const { status, body } = await invoke(load('compose-extension-query.json'));
    expect(status).toBe(200);
    const result = body!.composeExtension as { type: string; attachments: { content: unknown; preview: { content: { title: string } } }[] };
    expect(result.type).toBe('result');
    expect(result.attachments.map((a) => a.preview.content.title)).toEqual(['Annelies Jansen', 'Thijs Jansen']);
    expect(JSON.stringify(result.attachments[0]!.content)).toContain('"data":{"action":"call","target":"1002"}');
  });

  it('answers a request for a further page (queryOptions.skip) without repeating the first page', async () => {
    const activity = load('compose-extension-query.json');
    const { status, body } = await invoke({ ...activity, value: { ...(activity.value as object), queryOptions: { skip: 25, count: 25 } } });
    expect(status).toBe(200);
    expect(body).toEqual({ composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } });
    expect(xsi.log.list()).toHaveLength(0);
  });

  it('asks for more characters on a too short search', async () => {
    const activity = load('compose-extension-query.json');
    const { body } = await invoke({ ...activity, value: { commandId: 'searchDirectory', parameters: [{ name: 'query', value: 'a' }] } });
    expect(body).toEqual({ composeExtension: { type: 'message', text: expect.stringContaining('at least 2 characters') } });
  });

  it('finds the numbers in a message (not 112) and offers them in a task module', async () => {
    const { status, body } = await invoke(load('message-action-fetch-task.json'));
    expect(status).toBe(200);
    const task = body!.task as { type: string; value: { card: { content: { actions: { title: string; data: unknown }[] } } } };
    expect(task.type).toBe('continue');
    expect(task.value.card.content.actions.map((a) => a.title)).toEqual(['Bellen 06 12345678', 'Bellen 020 123 4567']);
    expect(callsNew()).toHaveLength(0);
  });

  it('places the call chosen in the task module', async () => {
    const activity = load('message-action-fetch-task.json');
    const { status, body } = await invoke({ ...activity, name: 'composeExtension/submitAction', value: { commandId: 'callNumberInMessage', data: { action: 'call', target: '+31612345678' } } });
    expect(status).toBe(200);
    expect(body).toEqual({ task: { type: 'message', value: expect.stringContaining('Je telefoon gaat over') } });
    expect(callsNew().map((r) => r.query)).toEqual([{ address: '+31612345678' }]);
  });

  it('refuses a blocked number from the task module in the user\'s language, calling nothing', async () => {
    const activity = load('message-action-fetch-task.json');
    const { body } = await invoke({ ...activity, name: 'composeExtension/submitAction', value: { commandId: 'callNumberInMessage', data: { action: 'call', target: '0900 1234567' } } });
    expect(body).toEqual({ task: { type: 'message', value: expect.stringContaining('blokkeert') } });
    expect(callsNew()).toHaveLength(0);
  });

  it('dials from the Call button of a directory card inserted into a chat (composeExtension/onCardButtonClicked), answering 200 without a body', async () => {
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...load('card-button-clicked.json'), serviceUrl: `${service.url}/sandbox/teams/` }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(callsNew()).toEqual([expect.objectContaining({ path: expect.stringContaining('/user/0201234501%40sandbox.kpneen.nl/calls/new'), query: { address: '1002' } })]);
  });

  it('answers a refused card button 200 too, telling nobody in a chat the bot is not in (403 from the connector)', async () => {
    connector.activities.length = 0;
    const { status } = await invoke({ ...load('card-button-clicked.json'), value: { action: 'call', target: '0900 1234567' } });
    expect(status).toBe(200);
    expect(callsNew()).toHaveLength(0);
    expect(connector.activities).toHaveLength(0);
    expect(connector.log.list().some((r) => r.method === 'POST' && r.path.includes(encodeURIComponent('19:sandbox-groupchat-0001@thread.v2')))).toBe(true);
  });

  it('tells a refused card button in a chat the bot is in', async () => {
    connector.activities.length = 0;
    connector.addBotTo('19:sandbox-groupchat-0001@thread.v2');
    const { status } = await invoke({ ...load('card-button-clicked.json'), value: { action: 'call', target: '0900 1234567' } });
    expect(status).toBe(200);
    expect(JSON.stringify(connector.activities.map((a) => a.activity))).toContain('blocks calls to numbers starting with 0900');
  });

  it('answers 400 to a card button whose data is not ours, dialling nothing', async () => {
    const { status } = await invoke({ ...load('card-button-clicked.json'), value: { action: 'call', target: '' } });
    expect(status).toBe(400);
    expect(callsNew()).toHaveLength(0);
  });

  it.each(['adaptiveCard/action', 'composeExtension/selectItem', 'task/fetch', 'config/fetch', 'some/unknownInvoke'])(
    'answers %s, which een-bridge does not support, with status 501 as botbuilder does, never 500',
    async (name) => {
      const { status } = await invoke({ ...load('compose-extension-query.json'), name, value: { action: { type: 'Action.Execute', verb: 'x', data: {} }, trigger: 'manual' } });
      expect(status).toBe(501);
      expect(callsNew()).toHaveLength(0);
    },
  );

  it('answers 400 to malformed invoke values', async () => {
    const activity = load('compose-extension-query.json');
    const { status } = await invoke({ ...activity, value: { commandId: 42 } });
    expect(status).toBe(400);
  });
});

describe('the Teams message extension with a slow KPN EEN', () => {
  let service: TestService;
  let xsi: XsiEmulator;

  beforeAll(async () => {
    xsi = new XsiEmulator({ latencyMs: 4700 });
    service = await startTestService({ emulators: [xsi, new TeamsConnectorEmulator()] });
    // Link Anna first (one directory search), so only calls/new is slow in the tests below.
    await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...load('compose-extension-query.json'), serviceUrl: `${service.url}/sandbox/teams/` }),
    });
  }, 20_000);
  afterAll(() => service.dispose());

  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));

  it.each([
    ['composeExtension/submitAction', { commandId: 'callNumberInMessage', data: { action: 'call', target: '+31612345678' } }],
    ['composeExtension/onCardButtonClicked', { action: 'call', target: '1002' }],
  ])('answers %s within the five seconds Teams waits (it sends the invoke again after that, ringing twice), saying the phone may still ring', async (name, value) => {
    xsi.log.clear();
    const started = Date.now();
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...load('card-button-clicked.json'), name, value, serviceUrl: `${service.url}/sandbox/teams/` }),
    });
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(4600);
    if (name === 'composeExtension/submitAction') expect(body).toContain('Your phone may still ring');
    // The call goes on after the answer (a short number is first looked up in the directory,
    // as slow as the rest of this KPN EEN): it is placed once, not twice.
    for (let i = 0; i < 120 && callsNew().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect(callsNew()).toHaveLength(1);
  }, 25_000);
});

