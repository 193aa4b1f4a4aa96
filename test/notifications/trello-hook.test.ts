import { SANDBOX_TRELLO_API_SECRET, signTrelloBody } from '../../core';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_BOARD_ID, SANDBOX_TRELLO_TOKEN, TrelloEmulator } from '../../sandbox/trello-api/trello-emulator';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace } from '../helpers/webex-sandbox';
import { trelloCreateCard } from '../fixtures/trello-webhooks';
import { allRouted } from '../helpers/notifications';

describe('Trello board webhooks in sandbox mode', () => {
  let service: TestService;
  let trello: TrelloEmulator;
  let api: string;
  let space: string;
  const auth = `key=${SANDBOX_TRELLO_API_KEY}&token=${SANDBOX_TRELLO_TOKEN}`;

  beforeAll(async () => {
    service = await startTestService();
    trello = service.emulators.find((e): e is TrelloEmulator => e instanceof TrelloEmulator)!;
    api = `${service.endpoints.sandbox('trello')}/1`;
    space = await createSpace(service.endpoints.sandbox('webex'), 'Sprint');
    await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'trello', sourceKey: SANDBOX_TRELLO_BOARD_ID, locale: 'en', filter: { lists: ['Doing', 'Done'] } });
  });
  afterAll(() => service.dispose());

  const trelloCall = async <T>(method: string, path: string, params: Record<string, string> = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${api}${path}?${auth}&${new URLSearchParams(params)}`, { method });
    const text = await res.text();
    return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
  };
  const messages = async (count: number) => {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      await trello.settled();
      // Routed first, then counted: the router commits an event's deliveries as it takes it off its queue.
      const routed = await allRouted(service.store);
      const c = await service.notifications.outbox.counts();
      const inSpace = acceptedMessages(service.emulators).filter((m) => m.roomId === space);
      if (c.pending + c.sending === 0 && routed && inSpace.length >= count) return inSpace;
      await new Promise((r) => setTimeout(r, 25));
    }
    return acceptedMessages(service.emulators).filter((m) => m.roomId === space);
  };

  it('answers the HEAD check Trello makes before it creates a webhook', async () => {
    expect((await fetch(`${service.url}/hooks/trello`, { method: 'HEAD' })).status).toBe(200);
  });

  it('registers a board webhook, then a card moved into a watched list ends up in the space', async () => {
    const hook = await trelloCall<{ id: string; active: boolean }>('POST', '/webhooks', { callbackURL: `${service.url}/hooks/trello`, idModel: SANDBOX_TRELLO_BOARD_ID, description: 'een-bridge' });
    expect(hook.status).toBe(200);
    const lists = (await trelloCall<{ id: string; name: string }[]>('GET', `/boards/${SANDBOX_TRELLO_BOARD_ID}/lists`)).body;
    const [todo, doing] = [lists.find((l) => l.name === 'To Do')!, lists.find((l) => l.name === 'Doing')!];
    const card = (await trelloCall<{ id: string }>('POST', '/cards', { idList: todo.id, name: 'Demo *kaart*' })).body;
    await trelloCall('PUT', `/cards/${card.id}`, { idList: doing.id });
    // Delivered before the comment is made, so the two are not folded into one digest.
    expect(await messages(1)).toHaveLength(1);
    await trelloCall('POST', `/cards/${card.id}/actions/comments`, { text: 'Klaar voor review' });

    const got = await messages(2);
    // The card was created in "To Do", which this space does not watch; the move and the comment it does.
    expect(got.map((m) => m.text?.split('\n')[0])).toEqual([
      'Sandbox Gebruiker updated #1: Demo *kaart*',
      'Sandbox Gebruiker commented on #1: Demo *kaart*',
    ]);
    expect(got[0]?.markdown).toContain('- List: To Do → Doing');
    expect(got[0]?.markdown).toContain('Demo \\*kaart\\*');
    expect(trello.deliveries.map((d) => d.status)).toEqual([202, 202, 202]);
  });

  it('refuses wrong secrets, changed bodies and missing signatures (401) and bad bodies (400), storing nothing', async () => {
    const before = await service.notifications.outbox.counts();
    const url = `${service.url}/hooks/trello`;
    const raw = JSON.stringify(trelloCreateCard);
    const post = (body: string, signature?: string) =>
      fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature ? { 'x-trello-webhook': signature } : {}) } });
    expect((await post(raw, signTrelloBody(raw, url, 'wrong'))).status).toBe(401);
    expect((await post(raw.replace('Anouk', 'Anna'), signTrelloBody(raw, url, SANDBOX_TRELLO_API_SECRET))).status).toBe(401);
    expect((await post(raw)).status).toBe(401);
    expect((await post(raw, signTrelloBody(raw, 'https://other.example/hooks/trello', SANDBOX_TRELLO_API_SECRET))).status).toBe(401);
    const bad = JSON.stringify({ action: { id: 'nope' }, model: {} });
    expect((await post(bad, signTrelloBody(bad, url, SANDBOX_TRELLO_API_SECRET))).status).toBe(400);
    expect(await service.notifications.outbox.counts()).toEqual(before);
  });

  it('answers 410 for a board no space follows, and Trello then deletes its webhook', async () => {
    const url = `${service.url}/hooks/trello`;
    const raw = JSON.stringify(trelloCreateCard);
    const res = await fetch(url, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-trello-webhook': signTrelloBody(raw, url, SANDBOX_TRELLO_API_SECRET) } });
    expect(res.status).toBe(410);

    await service.notifications.subscriptions.unsubscribe(space, (await service.notifications.subscriptions.forSpace(space))[0]!.id);
    const lists = (await trelloCall<{ id: string; name: string }[]>('GET', `/boards/${SANDBOX_TRELLO_BOARD_ID}/lists`)).body;
    await trelloCall('POST', '/cards', { idList: lists[0]!.id, name: 'Niemand kijkt' });
    await trello.settled();
    expect(trello.deliveries.at(-1)?.status).toBe(410);
    expect(trello.webhooks.size).toBe(0);
  });

  it('refuses a Trello call without a valid token, as text', async () => {
    const res = await fetch(`${api}/boards/${SANDBOX_TRELLO_BOARD_ID}?key=${SANDBOX_TRELLO_API_KEY}&token=wrong`);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('invalid token');
  });
});
