import { createHmac } from 'node:crypto';
import { SANDBOX_TRELLO_BOARD_ID, TrelloEmulator, SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_TOKEN } from '../../sandbox/trello-api/trello-emulator';
import { messagingOf } from '../../sandbox/webex-api/messaging-state';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { SANDBOX_WEBEX_WEBHOOK_SECRET, parseCommand, verifySparkSignature, withoutMention } from '../../webex-bot';
import { postJiraWebhook } from '../helpers/jira';
import { startTestService, type TestService } from '../helpers/service';
import { allowSources, allowWriting, spacePerson, type SpacePerson } from '../helpers/webex-sandbox';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';

describe('parsing space commands', () => {
  it('reads English and Dutch, with Jira filters', () => {
    expect(parseCommand('subscribe jira kan created commented type=Bug,Story priority=high')).toEqual({
      language: 'en',
      command: { name: 'subscribe', source: 'jira', key: 'KAN', filter: { kinds: ['issue.created', 'comment.created', 'comment.updated'], issueTypes: ['Bug', 'Story'], minPriority: 'High' } },
    });
    expect(parseCommand('abonneer jira OPS gewijzigd prioriteit=Highest')).toMatchObject({ language: 'nl', command: { source: 'jira', key: 'OPS', filter: { kinds: ['issue.updated'], minPriority: 'Highest' } } });
    expect(parseCommand('subscribe trello https://trello.com/b/SbxDemo1/demo Doing, Code review')).toMatchObject({ command: { source: 'trello', board: 'https://trello.com/b/SbxDemo1/demo', filter: { lists: ['Doing', 'Code review'] } } });
    expect(parseCommand('Opzeggen 2')).toEqual({ language: 'nl', command: { name: 'unsubscribe', number: 2 } });
    expect(parseCommand('abonnementen').command).toEqual({ name: 'subscriptions' });
    expect(parseCommand('hulp')).toEqual({ language: 'nl', command: { name: 'help' } });
    expect(parseCommand('trello card "Code review" Fix the *login*')).toEqual({ language: 'en', command: { name: 'trelloCard', list: 'Code review', title: 'Fix the *login*' } });
    expect(parseCommand('trello kaart Doing Demo')).toEqual({ language: 'nl', command: { name: 'trelloCard', list: 'Doing', title: 'Demo' } });
  });
  it('reads format, skip-own and important in both languages', () => {
    expect(parseCommand('format compact')).toEqual({ language: 'en', command: { name: 'configure', setting: 'format', number: undefined, settings: { format: 'compact' } } });
    expect(parseCommand('formaat 2 volledig')).toEqual({ language: 'nl', command: { name: 'configure', setting: 'format', number: 2, settings: { format: 'full' } } });
    expect(parseCommand('skip-own on').command).toMatchObject({ setting: 'skipOwn', settings: { skipOwn: true } });
    expect(parseCommand('eigen-overslaan 1 uit')).toMatchObject({ language: 'nl', command: { number: 1, settings: { skipOwn: false } } });
    expect(parseCommand('belangrijk status, toegewezen').command).toMatchObject({ setting: 'important', settings: { important: ['status', 'assignee'] } });
    expect(parseCommand('format tiny').command).toMatchObject({ name: 'configure', settings: undefined });
    expect(parseCommand('important weather').command).toMatchObject({ name: 'configure', settings: undefined });
  });
  it('says what is wrong with bad arguments', () => {
    expect(parseCommand('subscribe jira 12-3').command).toMatchObject({ name: 'invalid', key: 'webexbot.badJiraKey' });
    expect(parseCommand('subscribe jira KAN priority=urgent').command).toMatchObject({ name: 'invalid', key: 'webexbot.badOption' });
    expect(parseCommand('subscribe').command).toEqual({ name: 'subscribe', source: undefined });
    expect(parseCommand('dance').command).toEqual({ name: 'unknown', word: 'dance' });
  });
  it('drops the mention that starts a group-space message', () => {
    expect(withoutMention('een-bridge subscribe jira KAN', 'een-bridge')).toBe('subscribe jira KAN');
    expect(withoutMention('subscriptions', 'een-bridge')).toBe('subscriptions');
  });
});

describe('the Webex bot in a space (sandbox)', () => {
  let service: TestService;
  let webex: WebexEmulator;
  let base: string;
  const person = { token: 'anouk-token', email: 'anouk@example.nl' };
  let asPerson: SpacePerson['asPerson'];
  let space: SpacePerson['space'];
  let say: SpacePerson['say'];

  beforeAll(async () => {
    service = await startTestService();
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    base = `${service.endpoints.sandbox('webex')}/v1`;
    ({ asPerson, space, say } = spacePerson(webex, base, person));
    // Spaces follow only what an administrator listed (issue 13; test/security/webex-authorisation.test.ts asks for the rest).
    await allowSources(service, [['jira', 'KAN'], ['jira', 'OPS'], ['trello', 'SbxDemo1']]);
  });
  afterAll(() => service.dispose());

  it('registers its webhook with Webex at start', async () => {
    const hooks = await fetch(`${base}/webhooks`, { headers: { authorization: 'Bearer sandbox-webex-bot-token' } }).then((r) => r.json() as Promise<{ items: { targetUrl: string; resource: string }[] }>);
    // webex-node-bot-framework registers them: every event (messages, memberships for spawn,
    // rooms), and buttons pressed on its cards, which "all" does not include. One of each.
    expect(hooks.items.map((h) => `${h.resource} -> ${h.targetUrl}`).sort()).toEqual([
      `all -> ${service.url}/webex/events`,
      `attachmentActions -> ${service.url}/webex/events`,
    ]);
  });

  it('subscribes a space to a Jira project, lists it, and the space then gets notifications in its language', async () => {
    const room = await space('Klantportaal');
    expect(await say(room, 'abonneer jira KAN gewijzigd')).toBe('Deze space volgt nu Jira-project **KAN** (alleen issue.updated).');
    expect(await say(room, 'subscriptions')).toBe('This space follows:\n1. Jira KAN (only issue.updated) — working, no change yet');
    expect((await postJiraWebhook(service.url, jiraIssueUpdated)).status).toBe(202);
    const state = messagingOf(webex.context);
    for (let i = 0; i < 200 && !state.messages.some((m) => m.roomId === room && m.markdown?.includes('gewijzigd:')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(state.messages.filter((m) => m.roomId === room).at(-1)?.markdown).toContain('**Pieter Visser** heeft [KAN-22]');
    expect(await say(room, 'opzeggen 1')).toBe('Gestopt: Jira KAN (alleen issue.updated).');
    expect(await say(room, 'abonnementen')).toBe('Deze space volgt nog niets. Probeer `abonneer jira SLEUTEL`.');
  });

  it('subscribes to a Trello board by its link, registering the board webhook', async () => {
    const room = await space('Sprintbord');
    expect(await say(room, 'subscribe trello https://trello.com/b/SbxDemo1/een-bridge-demo Doing')).toBe('This space now follows Trello board **een-bridge demo** (lists Doing).');
    const trello = service.emulators.find((e): e is TrelloEmulator => e instanceof TrelloEmulator)!;
    expect([...trello.webhooks.values()]).toEqual([expect.objectContaining({ idModel: SANDBOX_TRELLO_BOARD_ID, callbackURL: `${service.url}/hooks/trello` })]);
    const api = `${service.endpoints.sandbox('trello')}/1`;
    const auth = `key=${SANDBOX_TRELLO_API_KEY}&token=${SANDBOX_TRELLO_TOKEN}`;
    const lists = (await (await fetch(`${api}/boards/${SANDBOX_TRELLO_BOARD_ID}/lists?${auth}`)).json()) as { id: string; name: string }[];
    await fetch(`${api}/cards?${auth}&idList=${lists.find((l) => l.name === 'Doing')!.id}&name=Bot-kaart`, { method: 'POST' });
    await trello.settled();
    const state = messagingOf(webex.context);
    for (let i = 0; i < 200 && !state.messages.some((m) => m.roomId === room && m.markdown?.includes('Bot-kaart')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(state.messages.filter((m) => m.roomId === room).at(-1)?.markdown).toContain('Sandbox Gebruiker** created');
    expect(await say(room, 'subscribe trello not-a-board')).toBe('"not-a-board" is not a Trello board link or id.');

    // Creating cards takes an administrator's grant for the space (issue 13).
    await allowWriting(service, room);

    const made = await say(room, 'trello kaart "To Do" Demo voorbereiden');
    expect(made).toMatch(/^Kaart \*\*Demo voorbereiden\*\* staat in To Do: https:\/\/trello\.com\/c\/\w+$/);
    expect([...trello.cards.values()].map((c) => c.name)).toContain('Demo voorbereiden');
    expect(await say(room, 'trello card Backlog Iets')).toBe('The board has no list "Backlog"; its lists are: To Do, Doing, Done.');
    expect(await say(room, 'trello card')).toBe('Say `trello card <list> <title>`; put a list name with spaces in quotes.');
  });

  it('sets a subscription compact, skipping own changes, and shows it in `subscriptions`, in English and Dutch', async () => {
    const room = await space('Instellingen');
    expect(await say(room, 'format compact')).toBe('This space follows nothing yet. Try `subscribe jira KEY`.');
    await say(room, 'subscribe jira KAN');
    expect(await say(room, 'format compact')).toBe('Changed: Jira KAN — compact.');
    expect(await say(room, 'eigen-overslaan aan')).toBe('Gewijzigd: Jira KAN — kort, eigen wijzigingen overgeslagen.');
    expect(await say(room, 'belangrijk status,reactie')).toBe('Gewijzigd: Jira KAN — kort, eigen wijzigingen overgeslagen, samengevat: status, reactie.');
    expect(await say(room, 'formaat lang')).toContain('Zeg `formaat kort`');
    await say(room, 'subscribe jira OPS');
    expect(await say(room, 'format full')).toBe('This space follows more than one thing: put the number from `subscriptions` first, such as `format 2 compact`.');
    expect(await say(room, 'format 3 full')).toBe('There is no subscription 3; `subscriptions` shows the numbers.');
    expect(await say(room, 'format 1 full')).toBe('Changed: Jira KAN — own changes skipped, summarised: status, comment.');
    expect(await say(room, 'subscriptions')).toMatch(/^This space follows:\n1\. Jira KAN — own changes skipped, summarised: status, comment — working, (last change .*|no change yet)\n2\. Jira OPS — working, no change yet$/);
    expect(await say(room, 'help')).toContain('`format [number] compact|full`');
  });

  it('lets only moderators change a moderated space', async () => {
    const room = await space('Gemodereerd');
    await asPerson('PUT', `/rooms/${room}`, { title: 'Gemodereerd', isLocked: true });
    const pieter = messagingOf(webex.context).person({ personEmail: 'pieter@example.nl' })!;
    webex.context.tokens.set('pieter-token', pieter.id);
    await asPerson('POST', '/memberships', { roomId: room, personEmail: 'pieter@example.nl' });
    const state = messagingOf(webex.context);
    const before = state.messages.length;
    await asPerson('POST', '/messages', { roomId: room, text: 'een-bridge subscribe jira OPS', markdown: '<@personEmail:een-bridge@webex.bot|een-bridge> subscribe jira OPS' }, 'pieter-token');
    for (let i = 0; i < 200 && !state.messages.slice(before).some((m) => m.personEmail === 'een-bridge@webex.bot'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(state.messages.slice(before).find((m) => m.personEmail === 'een-bridge@webex.bot')?.markdown).toBe('This space is moderated: only its moderators can change what it follows.');
    expect(await say(room, 'subscribe jira OPS')).toBe('This space now follows Jira project **OPS**.');
    expect(await say(room, 'help')).toContain('`subscribe jira <KEY>');
  });

  describe('POST /webex/events refuses', () => {
    const body = JSON.stringify({ id: 'x', resource: 'messages', event: 'created', data: { id: 'm', roomId: 'r', personId: 'p' } });
    const sign = (b: string, secret = SANDBOX_WEBEX_WEBHOOK_SECRET) => createHmac('sha1', secret).update(b).digest('hex');
    const post = (b: string, signature?: string) =>
      fetch(`${service.url}/webex/events`, { method: 'POST', body: b, headers: { 'content-type': 'application/json', ...(signature ? { 'x-spark-signature': signature } : {}) } });

    it('a wrong secret, a changed body or no signature with 401', async () => {
      expect((await post(body, sign(body, 'wrong'))).status).toBe(401);
      expect((await post(body.replace('"m"', '"n"'), sign(body))).status).toBe(401);
      expect((await post(body)).status).toBe(401);
      expect(verifySparkSignature(Buffer.from(body), sign(body), SANDBOX_WEBEX_WEBHOOK_SECRET)).toBe(true);
    });
    it('a signed body that is not a Webex webhook with 400', async () => {
      const bad = JSON.stringify({ resource: 'messages' });
      expect((await post(bad, sign(bad))).status).toBe(400);
    });
  });
});
