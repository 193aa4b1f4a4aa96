import { WebexMessages, webexDeliverySender, type ClaimedDelivery } from '../../core/internal';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { jiraEvent } from '../helpers/notifications';
import { memoryLogger, startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace, webexCall } from '../helpers/webex-sandbox';

describe('sending a delivery that is in doubt after a crash', () => {
  let service: TestService;
  let webex: string;
  let send: ReturnType<typeof webexDeliverySender>;
  const { log, lines } = memoryLogger();

  beforeAll(async () => {
    service = await startTestService();
    webex = service.endpoints.sandbox('webex');
    send = webexDeliverySender(new WebexMessages({ baseUrl: () => `${webex}/v1`, token: () => SANDBOX_WEBEX_BOT_TOKEN }), log);
  });
  afterAll(() => service.dispose());

  const delivery = (id: number, spaceId: string, inDoubt: boolean, previousClaimAt: string | null = null): ClaimedDelivery => ({
    id,
    eventId: `e-${id}`,
    spaceId,
    locale: 'en',
    attempts: 0,
    inDoubt,
    previousClaimAt,
    event: jiraEvent(`d-${id}`, `KAN-${id}`),
    folded: [],
  });
  const inRoom = (roomId: string) => acceptedMessages(service.emulators).filter((m) => m.roomId === roomId);

  it('finds its card in a 1:1 space and does not post it again', async () => {
    const hello = await webexCall<{ roomId: string }>(webex, 'POST', '/messages', { toPersonEmail: 'anouk@example.nl', text: 'Hoi' });
    const room = hello.body.roomId;
    const first = await send(delivery(101, room, false));
    const again = await send(delivery(101, room, true, new Date(Date.now() - 1000).toISOString()));
    expect(again).toBe(first);
    expect(inRoom(room)).toHaveLength(2);
  });

  it('finds a digest that carries it, by the list of ids on the card', async () => {
    const hello = await webexCall<{ roomId: string }>(webex, 'POST', '/messages', { toPersonEmail: 'digest@example.nl', text: 'Hoi' });
    const room = hello.body.roomId;
    const head = delivery(201, room, false);
    const digestId = await send({ ...head, folded: [delivery(202, room, false), delivery(203, room, false)] });
    const posted = inRoom(room).at(-1)!;
    expect(posted.markdown?.split('\n')).toEqual([
      '**3 changes, oldest first**',
      expect.stringContaining('[KAN-201]'),
      expect.stringContaining('[KAN-202]'),
      expect.stringContaining('[KAN-203]'),
    ]);
    expect(await send(delivery(202, room, true, new Date(Date.now() - 1000).toISOString()))).toBe(digestId);
    expect(inRoom(room)).toHaveLength(2);
  });

  it('sends in a 1:1 space when its card is not there', async () => {
    const hello = await webexCall<{ roomId: string }>(webex, 'POST', '/messages', { toPersonEmail: 'pieter@example.nl', text: 'Hoi' });
    await send(delivery(102, hello.body.roomId, true, new Date().toISOString()));
    expect(inRoom(hello.body.roomId)).toHaveLength(2);
  });

  it('sends in a group space that has been quiet since the earlier attempt began, without a warning', async () => {
    const room = await createSpace(webex, 'Quiet');
    await new Promise((r) => setTimeout(r, 5));
    await send(delivery(103, room, true, new Date().toISOString()));
    expect(inRoom(room)).toHaveLength(1);
    expect(lines().filter((l) => l.delivery === 103)).toEqual([]);
  });

  it('sends again in a group space with activity since, and logs that it may duplicate', async () => {
    const room = await createSpace(webex, 'Busy');
    const since = new Date(Date.now() - 60_000).toISOString();
    await send(delivery(104, room, false));
    await send(delivery(104, room, true, since));
    expect(inRoom(room)).toHaveLength(2);
    expect(lines().find((l) => l.delivery === 104)).toMatchObject({ msg: expect.stringContaining('may duplicate') });
  });
});
