import { JiraApi, UpstreamError } from '../../core/internal';
import { JiraEmulator, SANDBOX_JIRA_API_TOKEN, SANDBOX_JIRA_EMAIL } from '../../sandbox/jira-api/jira-emulator';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_BOARD_ID, SANDBOX_TRELLO_TOKEN, TrelloEmulator } from '../../sandbox/trello-api/trello-emulator';
import { messagingOf, type EmulatedMessage } from '../../sandbox/webex-api/messaging-state';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { postJiraWebhook } from '../helpers/jira';
import { startTestService, type TestService } from '../helpers/service';
import { allowSources, allowWriting, spacePerson, type SpacePerson } from '../helpers/webex-sandbox';

/**
 * Issue 15, "Replies reach the source", end to end through the emulators: a person replies in
 * Webex to a notification (a message with `parentId`), the bot finds the item through the outbox
 * and writes to the Jira or Trello emulator, then answers in the thread.
 */
describe.each(['sqlite', 'postgres'] as const)('replies in a notification thread reach Jira and Trello (%s)', (store) => {
  let service: TestService;
  let webex: WebexEmulator;
  let jira: JiraEmulator;
  let trello: TrelloEmulator;
  let anna: SpacePerson;
  const bot = 'een-bridge@webex.bot';
  const state = () => messagingOf(webex.context);
  let sent = 0;

  async function until<T>(find: () => T | undefined, what: string): Promise<T> {
    for (let i = 0; i < 300; i++) {
      await state().settled();
      const found = find();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state().messages.slice(-4).map((m) => [m.roomId.slice(-6), m.personEmail, m.markdown?.slice(0, 80)]))}`);
  }

  /** A space following Jira KAN, its notification about KAN-22 delivered; that message. */
  async function jiraNotification(title: string, command = 'abonneer jira KAN'): Promise<{ room: string; notification: EmulatedMessage }> {
    const room = await anna.space(title);
    await anna.say(room, command);
    // Another moment for each space: een-bridge drops a body it has seen before (a replay).
    expect((await postJiraWebhook(service.url, { ...jiraIssueUpdated, timestamp: jiraIssueUpdated.timestamp + ++sent })).status).toBe(202);
    const notification = await until(() => state().messages.find((m) => m.roomId === room && m.personEmail === bot && m.markdown?.includes('KAN-22')), 'the KAN-22 notification');
    return { room, notification };
  }

  /** Anna replies in the thread of `parentId`, mentioning the bot as Webex requires in a group space; the bot's answer. */
  async function reply(room: string, parentId: string, text: string): Promise<EmulatedMessage> {
    const before = state().messages.length;
    await anna.asPerson('POST', '/messages', { roomId: room, parentId, text: `een-bridge ${text}`, markdown: `<@personEmail:${bot}|een-bridge> ${text}` });
    return until(() => state().messages.slice(before).find((m) => m.roomId === room && m.personEmail === bot), `an answer to "${text}"`);
  }

  async function press(room: string, message: EmulatedMessage, title: string): Promise<EmulatedMessage> {
    const card = message.attachments?.[0]?.content as { actions?: { title: string; data?: unknown }[] } | undefined;
    const action = card?.actions?.find((a) => a.title === title);
    if (!action?.data) throw new Error(`no button "${title}" on the card`);
    const before = state().messages.length;
    await anna.asPerson('POST', '/attachment/actions', { type: 'submit', messageId: message.id, inputs: action.data });
    return until(() => state().messages.slice(before).find((m) => m.roomId === room && m.personEmail === bot), `an answer to pressing "${title}"`);
  }

  beforeAll(async () => {
    service = await startTestService({ store });
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    jira = service.emulators.find((e): e is JiraEmulator => e instanceof JiraEmulator)!;
    trello = service.emulators.find((e): e is TrelloEmulator => e instanceof TrelloEmulator)!;
    anna = spacePerson(webex, `${service.endpoints.sandbox('webex')}/v1`, { token: 'anna-token', email: 'anna@example.nl' });
    state().person({ personEmail: 'anna@example.nl' })!.displayName = 'Anna de Vries';
    await allowSources(service, [['jira', 'KAN'], ['trello', SANDBOX_TRELLO_BOARD_ID]]);
  });
  afterAll(() => service.dispose());
  beforeEach(() => {
    jira.issues.clear();
    jira.issue('KAN-22');
  });

  it('turns a reply into a Jira comment in ADF, attributed to its writer, and confirms in the thread with a link', async () => {
    const { room, notification } = await jiraNotification('Klantportaal');
    await allowWriting(service, room);
    const answer = await reply(room, notification.id, 'Klant gebeld.\nKomt morgen terug.');
    const comment = jira.issue('KAN-22').comments[0];
    expect(answer.parentId).toBe(notification.id);
    expect(answer.markdown).toBe(`Je reactie staat bij KAN-22: https://kpn-een-demo.atlassian.net/browse/KAN-22?focusedCommentId=${comment?.id}`);
    expect(comment?.body).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Anna de Vries via Webex:', marks: [{ type: 'strong' }] },
            { type: 'text', text: ' ' },
            { type: 'text', text: 'Klant gebeld.' },
            { type: 'hardBreak' },
            { type: 'text', text: 'Komt morgen terug.' },
          ],
        },
      ],
    });
    // A reply to the bot's own answer is in the same thread (Webex gives it the thread's first message as parent).
    const again = await reply(room, notification.id, 'Nog iets.');
    expect(again.markdown).toMatch(/^Je reactie staat bij KAN-22: /);
    expect(jira.issue('KAN-22').comments).toHaveLength(2);
  });

  it('moves the issue with the Change status button: the moves Jira allows, then the one pressed', async () => {
    const { room, notification } = await jiraNotification('Statusbord');
    await allowWriting(service, room, 'anna@example.nl');
    const offer = await press(room, notification, 'Status wijzigen');
    expect(offer.parentId).toBe(notification.id);
    expect(offer.markdown).toBe('Waar moet KAN-22 heen?');
    const buttons = (offer.attachments?.[0]?.content as { actions: { title: string }[] }).actions.map((a) => a.title);
    expect(buttons).toEqual(['Naar In Progress', 'Naar Done']);
    const moved = await press(room, offer, 'Naar Done');
    expect(moved.markdown).toBe('Anna de Vries heeft KAN-22 naar Done verplaatst.');
    expect(moved.parentId).toBe(notification.id);
    expect(jira.issue('KAN-22').status).toBe('Done');
    // The same button again: Done is no longer a move Jira offers from Done.
    expect((await press(room, offer, 'Naar Done')).markdown).toBe('Die stap kan voor KAN-22 niet meer. Druk opnieuw op "Status wijzigen" voor wat nu kan.');
  });

  it('refuses without a write grant for the space, in its language, and writes nothing', async () => {
    const { room, notification } = await jiraNotification('Zonder recht', 'subscribe jira KAN');
    const answer = await reply(room, notification.id, 'Dit mag niet.');
    expect(answer.markdown).toBe(
      "Replying to Jira from this space needs an administrator's permission (`een-bridge writers allow`), which this space (or you) does not have. Nothing was sent.",
    );
    expect((await press(room, notification, 'Change status')).markdown).toMatch(/^Replying to Jira from this space needs/);
    expect(jira.issue('KAN-22').comments).toHaveLength(0);
    expect(jira.issue('KAN-22').status).toBe('To Do');
  });

  it('moves nothing for a forged press: the issue comes from the card\'s thread, never from its inputs', async () => {
    const room = await anna.space('Vervalst');
    await anna.say(room, 'subscribe jira KAN');
    await allowWriting(service, room);
    // The subscription's confirmation card is ours but in no notification's thread.
    const card = state().messages.filter((m) => m.roomId === room && m.personEmail === bot && m.attachments).at(-1)!;
    const before = state().messages.length;
    await anna.asPerson('POST', '/attachment/actions', { type: 'submit', messageId: card.id, inputs: { action: 'jiraTransition', transitionId: '31', lang: 'en', key: 'KAN-22' } });
    const answer = await until(() => state().messages.slice(before).find((m) => m.roomId === room && m.personEmail === bot), 'an answer to the forged press');
    expect(answer.markdown).toBe('That card is not about a Jira issue this space was told about.');
    expect(jira.issue('KAN-22').status).toBe('To Do');
  });

  it("tells Jira's 403 and 404 clearly", async () => {
    const { room, notification } = await jiraNotification('Geweigerd');
    await allowWriting(service, room);
    jira.issue('KAN-22').canComment = false;
    expect((await reply(room, notification.id, 'Eerste poging.')).markdown).toBe(
      'Jira weigerde: het een-bridge-account mag dat niet bij KAN-22 (You do not have the permission to comment on this issue.).',
    );
    jira.issue('KAN-22').canBrowse = false;
    expect((await reply(room, notification.id, 'Tweede poging.')).markdown).toBe(
      'Jira zegt dat KAN-22 niet bestaat, of het een-bridge-account mag het niet zien. Er is niets verstuurd.',
    );
  });

  it('turns a reply to a Trello notification into a card comment', async () => {
    const room = await anna.space('Sprintbord');
    await anna.say(room, 'subscribe trello https://trello.com/b/SbxDemo1/een-bridge-demo');
    await allowWriting(service, room);
    const api = `${service.endpoints.sandbox('trello')}/1`;
    const auth = `key=${SANDBOX_TRELLO_API_KEY}&token=${SANDBOX_TRELLO_TOKEN}`;
    const lists = (await (await fetch(`${api}/boards/${SANDBOX_TRELLO_BOARD_ID}/lists?${auth}`)).json()) as { id: string; name: string }[];
    const card = (await (await fetch(`${api}/cards?${auth}&idList=${lists[0]!.id}&name=Offerte`, { method: 'POST' })).json()) as { id: string; shortUrl: string };
    await trello.settled();
    const notification = await until(() => state().messages.find((m) => m.roomId === room && m.personEmail === bot && m.markdown?.includes('Offerte')), 'the card notification');
    const answer = await reply(room, notification.id, 'Verstuurd naar de klant.');
    expect(answer.markdown).toBe(`Added your comment to \\#1: ${card.shortUrl}`);
    expect(trello.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/actions/comments')).map((r) => r.query.text)).toEqual(
      expect.arrayContaining([expect.stringContaining('Anna de Vries via Webex:** Verstuurd naar de klant.')]),
    );
  });

  it('treats a reply in a thread that is not a notification as a command', async () => {
    const room = await anna.space('Gewoon');
    const welcome = state().messages.find((m) => m.roomId === room && m.personEmail === bot)!;
    expect((await reply(room, welcome.id, 'abonnementen')).markdown).toBe('Deze space volgt nog niets. Probeer `abonneer jira SLEUTEL`.');
  });
});

describe('the Jira client against the Jira emulator', () => {
  let service: TestService;
  let jira: JiraEmulator;
  const api = (token = SANDBOX_JIRA_API_TOKEN) => new JiraApi({ baseUrl: () => service.endpoints.sandbox('jira'), email: SANDBOX_JIRA_EMAIL, apiToken: token, sleep: () => Promise.resolve() });

  beforeAll(async () => {
    service = await startTestService();
    jira = service.emulators.find((e): e is JiraEmulator => e instanceof JiraEmulator)!;
  });
  afterAll(() => service.dispose());

  it('waits out a 429 as Retry-After says, then succeeds', async () => {
    jira.issue('OPS-1');
    jira.faults.push({ status: 429, retryAfter: 1 });
    const slept: number[] = [];
    const client = new JiraApi({ baseUrl: () => service.endpoints.sandbox('jira'), email: SANDBOX_JIRA_EMAIL, apiToken: SANDBOX_JIRA_API_TOKEN, sleep: async (ms) => void slept.push(ms) });
    await client.addComment('OPS-1', { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hallo' }] }] });
    expect(slept).toEqual([1000]);
    expect(jira.issue('OPS-1').comments).toHaveLength(1);
  });

  it("gives up after its retries with Jira's words, and names a bad token as such", async () => {
    jira.faults.push({ status: 429, retryAfter: 1 }, { status: 429, retryAfter: 1 }, { status: 429, retryAfter: 1 });
    await expect(api().transitions('OPS-1')).rejects.toMatchObject({ status: 429, key: 'upstream.rateLimited', message: 'Jira 429: Rate limit exceeded.' });
    const refused = await api('wrong').transitions('OPS-1').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect(refused).toMatchObject({ status: 401, key: 'upstream.unauthorized', message: 'Jira 401: Client must be authenticated to access this resource.' });
  });

  it('refuses what Jira refuses, in its ErrorCollection shape', async () => {
    jira.issue('OPS-2');
    const base = `${service.endpoints.sandbox('jira')}/rest/api/3/issue/OPS-2`;
    const headers = { authorization: `Basic ${Buffer.from(`${SANDBOX_JIRA_EMAIL}:${SANDBOX_JIRA_API_TOKEN}`).toString('base64')}`, 'content-type': 'application/json' };
    const notAdf = await fetch(`${base}/comment`, { method: 'POST', headers, body: JSON.stringify({ body: 'plain text is API v2, not v3' }) });
    expect(notAdf.status).toBe(400);
    expect(await notAdf.json()).toEqual({ errorMessages: [], errors: { comment: 'INVALID_INPUT' } });
    const emptyText = await fetch(`${base}/comment`, { method: 'POST', headers, body: JSON.stringify({ body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] } }) });
    expect(emptyText.status).toBe(400);
    const unknown = await fetch(`${base}/transitions`, { method: 'POST', headers, body: JSON.stringify({ transition: { id: '99' } }) });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ errorMessages: ["Transition id '99' is not valid for this issue."], errors: {} });
    jira.issue('OPS-2').canTransition = false;
    expect(await api().transitions('OPS-2')).toEqual([]);
    await expect(api().transition('OPS-2', '31')).rejects.toMatchObject({ status: 403, message: 'Jira 403: You do not have permission to transition this issue.' });
    await expect(api().addComment('NOPE-1', { type: 'doc', version: 1, content: [] })).rejects.toMatchObject({
      status: 404,
      message: 'Jira 404: Issue does not exist or you do not have permission to see it.',
    });
  });
});
