import { createHmac, randomUUID } from 'node:crypto';
import { runCli } from '../../app/cli';
import { SANDBOX_TRELLO_BOARD_ID, TrelloEmulator } from '../../sandbox/trello-api/trello-emulator';
import { messagingOf } from '../../sandbox/webex-api/messaging-state';
import { WebexEmulator, type WebexPerson } from '../../sandbox/webex-api/webex-emulator';
import { startTestService, type TestService } from '../helpers/service';
import { allowSources, allowWriting, spacePerson, type SpacePerson } from '../helpers/webex-sandbox';

/**
 * Issue 13, must-fix 2: whoever could message the bot (someone of another organisation in a 1:1
 * space too) could follow any Jira project, Trello board or OneDrive folder and create Trello
 * cards as the service's account; and a captured Webex event ran its command again.
 */
describe('who may use the Webex bot, follow what and write where (sandbox)', () => {
  let service: TestService;
  let webex: WebexEmulator;
  let trello: TrelloEmulator;
  let base: string;
  let anouk: SpacePerson;
  const botEmail = 'een-bridge@webex.bot';
  const state = () => messagingOf(webex.context);
  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env: { EEN_DATA_DIR: service.dataDir }, cwd: service.dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const audit = async (action: string) =>
    (await service.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute()).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));

  /** Waits for the bot's next message in `room` after `since` messages (or undefined after 4 s). */
  async function botSays(room: string, since: number): Promise<string | undefined> {
    for (let i = 0; i < 200; i++) {
      await state().settled();
      const m = state().messages.slice(since).find((x) => x.roomId === room && x.personEmail === botEmail);
      if (m) return m.markdown ?? '';
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  }

  beforeAll(async () => {
    service = await startTestService();
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    trello = service.emulators.find((e): e is TrelloEmulator => e instanceof TrelloEmulator)!;
    base = `${service.endpoints.sandbox('webex')}/v1`;
    anouk = spacePerson(webex, base, { token: 'anouk-token', email: 'anouk@example.nl' });
  });
  afterAll(() => service.dispose());

  describe('a person of another organisation', () => {
    // Another company's Webex user: their own org (base64 of ciscospark://us/ORGANIZATION/<uuid>,
    // as GET /people/{id} returns `orgId`) and their own mail domain.
    const foreignOrg = Buffer.from(`ciscospark://us/ORGANIZATION/${randomUUID()}`).toString('base64url');
    let mallory: WebexPerson;

    beforeAll(async () => {
      mallory = { id: webex.context.newId('PEOPLE'), emails: ['mallory@concurrent.example'], displayName: 'Mallory', firstName: 'Mallory', lastName: '', type: 'person', orgId: foreignOrg };
      webex.context.people.set(mallory.id, mallory);
      webex.context.tokens.set('mallory-token', mallory.id);
      // Listed for every served organisation: the refusal below is about who asks, not what.
      await allowSources(service, [['jira', 'KAN'], ['trello', SANDBOX_TRELLO_BOARD_ID]]);
    });

    /** Mallory writes to the bot in a 1:1 space (no mention needed there). */
    async function malloryDirect(text: string): Promise<{ room: string; answer: string | undefined }> {
      const before = state().messages.length;
      const sent = await anouk.asPerson<{ roomId: string }>('POST', '/messages', { toPersonEmail: botEmail, text }, 'mallory-token');
      return { room: sent.roomId, answer: await botSays(sent.roomId, before) };
    }

    it('is refused politely in their language, and nothing is followed or written', async () => {
      const en = await malloryDirect('subscribe jira KAN');
      expect(en.answer).toBe('Sorry, this service is only for the organisations it was set up for, and yours is not one of them. Ask your own administrator if you think it should be.');
      const nl = await malloryDirect('abonneer trello https://trello.com/b/SbxDemo1/een-bridge-demo');
      expect(nl.answer).toMatch(/^Sorry, deze service is alleen voor de organisaties waarvoor hij is ingericht/);
      const cardsBefore = trello.cards.size;
      expect((await malloryDirect('trello card Doing Ingebroken')).answer).toMatch(/^Sorry, this service/);
      expect(await malloryDirect('subscriptions').then((r) => r.answer)).toMatch(/^Sorry, this service/);

      expect(await service.notifications.subscriptions.forSpace(en.room)).toEqual([]);
      expect(trello.cards.size).toBe(cardsBefore);
      expect(trello.webhooks.size).toBe(0);
      const refusals = await audit('webex.space.serve');
      expect(refusals.map((r) => [r.outcome, r.actor, r.detail.command])).toEqual([
        ['denied', 'mallory@concurrent.example', 'subscribe'],
        ['denied', 'mallory@concurrent.example', 'subscribe'],
        ['denied', 'mallory@concurrent.example', 'trelloCard'],
        ['denied', 'mallory@concurrent.example', 'subscriptions'],
      ]);
    });

    it('who adds the bot to a group space hears the refusal (in both languages) instead of a welcome', async () => {
      const room = await anouk.asPerson<{ id: string }>('POST', '/rooms', { title: 'Van buiten' }, 'mallory-token');
      const before = state().messages.length;
      await anouk.asPerson('POST', '/memberships', { roomId: room.id, personEmail: botEmail }, 'mallory-token');
      expect(await botSays(room.id, before)).toMatch(/^Sorry, deze service is alleen voor de organisaties[\s\S]*\n\nSorry, this service is only for the organisations/);
      expect((await audit('webex.space.serve')).at(-1)).toMatchObject({ outcome: 'denied', detail: { space: room.id, command: 'added the bot' } });
    });

    it('is served once an administrator allows their organisation or their mail domain', async () => {
      expect((await cli('orgs', 'allow', 'webex-org', foreignOrg)).code).toBe(0);
      expect((await malloryDirect('subscriptions')).answer).toBe('This space follows nothing yet. Try `subscribe jira KEY`.');
      expect((await cli('orgs', 'revoke', 'webex-org', foreignOrg)).code).toBe(0);
      expect((await malloryDirect('subscriptions')).answer).toMatch(/^Sorry, this service/);
      expect((await cli('orgs', 'allow', 'email-domain', 'concurrent.example')).code).toBe(0);
      expect((await malloryDirect('subscriptions')).answer).toBe('This space follows nothing yet. Try `subscribe jira KEY`.');
      expect((await cli('orgs', 'revoke', 'email-domain', 'concurrent.example')).code).toBe(0);
    });
  });

  it('turns a source not on the allow-list into a request; approved with the CLI, the space follows it and is told in its language', async () => {
    const room = await anouk.space('Verzoeken');
    expect(await anouk.say(room, 'abonneer jira OPS gewijzigd')).toBe(
      'Voor het volgen van Jira-project **OPS** is eerst toestemming van een beheerder nodig. Ik heb het verzoek (nummer 1) doorgegeven en meld het hier zodra erover besloten is.',
    );
    expect(await anouk.say(room, 'abonneer jira OPS')).toBe('Het verzoek om Jira-project **OPS** te volgen (nummer 1) wacht nog op een beheerder.');
    expect(await service.notifications.subscriptions.forSpace(room)).toEqual([]);

    const listed = await cli('sources', 'requests', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: 1, status: 'pending', source: 'jira', sourceKey: 'OPS', space: room, requestedBy: 'anouk@example.nl' })]);
    expect(await cli('sources', 'approve', '1')).toMatchObject({ code: 0 });
    expect(await cli('sources', 'approve', '1')).toMatchObject({ code: 1, err: 'There is no pending request 1.' });

    const before = state().messages.length;
    expect(await service.webexBot!.applyDecidedRequests()).toBe(1);
    expect(await botSays(room, before)).toBe('Een beheerder heeft het volgen van Jira-project **OPS** goedgekeurd: deze space volgt het nu.');
    expect((await service.notifications.subscriptions.forSpace(room)).map((s) => [s.source, s.sourceKey, s.filter, s.locale])).toEqual([['jira', 'OPS', { kinds: ['issue.updated'] }, 'nl-NL']]);
    expect(await service.webexBot!.applyDecidedRequests()).toBe(0);

    // Approval listed OPS for Anouk's organisation: another of its spaces follows it at once.
    const other = await anouk.space('Nog een');
    expect(await anouk.say(other, 'subscribe jira OPS')).toBe('This space now follows Jira project **OPS**.');

    // A denied request is told too, and nothing is followed.
    expect(await anouk.say(other, 'subscribe jira SEC')).toBe(
      "Following Jira project **SEC** needs an administrator's approval first. I have passed on the request (number 2) and will say so here once it is decided.",
    );
    expect(await cli('sources', 'deny', '2')).toMatchObject({ code: 0 });
    const since = state().messages.length;
    expect(await service.webexBot!.applyDecidedRequests()).toBe(1);
    expect(await botSays(other, since)).toBe('An administrator declined following Jira project **SEC** (request 2).');
    expect((await service.notifications.subscriptions.forSpace(other)).map((s) => s.sourceKey)).toEqual(['OPS']);
    expect(await anouk.say(other, 'subscribe jira SEC')).toMatch(/^Following Jira project \*\*SEC\*\* needs an administrator's approval first\. I have passed on the request \(number 3\)/);

    const follows = await audit('source.follow');
    expect(follows.map((e) => [e.outcome, e.detail.key])).toEqual([['denied', 'OPS'], ['denied', 'OPS'], ['allowed', 'OPS'], ['denied', 'SEC'], ['denied', 'SEC']]);
    expect((await audit('source.request.approve')).map((e) => [e.outcome, e.detail.id])).toEqual([['succeeded', 1], ['failed', 1]]);
    expect((await audit('source.request.deny')).map((e) => [e.outcome, e.detail.id])).toEqual([['succeeded', 2]]);
  });

  it('refuses creating a Trello card without a write grant for the space, in the person\'s language', async () => {
    await allowSources(service, [['trello', 'SbxDemo1']]);
    const room = await anouk.space('Schrijven');
    expect(await anouk.say(room, 'subscribe trello https://trello.com/b/SbxDemo1/een-bridge-demo')).toBe('This space now follows Trello board **een-bridge demo**.');
    const cards = trello.cards.size;
    expect(await anouk.say(room, 'trello kaart Doing Zonder toestemming')).toBe('Voor het maken van Trello-kaarten vanuit deze space is toestemming van een beheerder nodig, en die heeft deze space (of jij) niet.');
    expect(await anouk.say(room, 'trello card Doing Without permission')).toBe("Creating Trello cards from this space needs an administrator's permission, which this space (or you) does not have.");
    expect(trello.cards.size).toBe(cards);

    // A grant for someone else does not count; one for Anouk does.
    expect((await cli('writers', 'allow', room, 'pieter@example.nl')).code).toBe(0);
    expect(await anouk.say(room, 'trello card Doing Nog steeds niet')).toMatch(/^Creating Trello cards from this space needs/);
    expect((await cli('writers', 'allow', room, 'Anouk@example.nl')).code).toBe(0);
    expect(await anouk.say(room, 'trello card Doing Met toestemming')).toMatch(/^Card \*\*Met toestemming\*\* is in Doing: /);
    expect(trello.cards.size).toBe(cards + 1);
    expect((await cli('writers', 'revoke', room, 'anouk@example.nl')).code).toBe(0);
    expect(await anouk.say(room, 'trello card Doing Weer niet')).toMatch(/^Creating Trello cards from this space needs/);

    expect((await audit('space.write')).filter((e) => e.detail.space === room).map((e) => e.outcome)).toEqual(['denied', 'denied', 'denied', 'allowed', 'denied']);
    expect((await audit('space.write.grant')).map((e) => e.detail.person)).toEqual(['pieter@example.nl', 'anouk@example.nl']);
  });

  it('does not run a captured Webex event again', async () => {
    await allowSources(service, [['trello', SANDBOX_TRELLO_BOARD_ID]]);
    const room = await anouk.space('Herhaling');
    await allowWriting(service, room);
    await anouk.say(room, 'subscribe trello https://trello.com/b/SbxDemo1/een-bridge-demo');
    const cards = trello.cards.size;
    expect(await anouk.say(room, 'trello card Doing Eenmalig')).toMatch(/^Card \*\*Eenmalig\*\*/);
    expect(trello.cards.size).toBe(cards + 1);
    // The space follows the board, so the new card comes back as a notification; wait for it first.
    await trello.settled();
    for (let i = 0; i < 200 && !state().messages.some((m) => m.roomId === room && m.markdown?.includes('created') && m.markdown.includes('Eenmalig')); i++) await new Promise((r) => setTimeout(r, 20));

    // What an eavesdropper on the delivery kept: the body exactly as Webex signed it (the
    // emulator's envelope, developer.webex.com/docs/api/guides/webhooks), posted again.
    const asked = state().messages.filter((m) => m.roomId === room && m.personEmail === 'anouk@example.nl').at(-1)!;
    const hook = [...state().webhooks.values()].find((h) => h.resource === 'all')!;
    const body = JSON.stringify({
      id: hook.id, name: hook.name, targetUrl: hook.targetUrl, resource: 'messages', event: 'created',
      orgId: hook.orgId, createdBy: hook.createdBy, appId: hook.appId, ownedBy: 'creator', status: 'active', created: hook.created,
      actorId: asked.personId,
      data: { id: asked.id, roomId: room, roomType: 'group', personId: asked.personId, personEmail: asked.personEmail, mentionedPeople: asked.mentionedPeople, created: asked.created },
    });
    const signature = createHmac('sha1', hook.secret!).update(body).digest('hex');
    const before = state().messages.length;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(hook.targetUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-spark-signature': signature }, body });
      expect(res.status).toBe(200);
    }
    const replays = () => service.logLines().filter((l) => String(l.msg).includes('a replay')).length;
    for (let i = 0; i < 200 && replays() < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(replays()).toBe(3);
    await trello.settled();
    expect(state().messages.slice(before).filter((m) => m.roomId === room)).toEqual([]);
    expect(trello.cards.size).toBe(cards + 1);
  });

  it('does not drop a space\'s subscriptions on a replayed "bot left the space" older than the replay window', async () => {
    await allowSources(service, [['jira', 'KAN']]);
    const room = await anouk.space('Blijft');
    expect(await anouk.say(room, 'subscribe jira KAN')).toBe('This space now follows Jira project **KAN**.');
    const bot = state().person({ personEmail: botEmail })!;
    const membership = state().membershipOf(room, bot.id)!;
    const hook = [...state().webhooks.values()].find((h) => h.resource === 'all')!;
    // A memberships:deleted event for the bot's own membership, as Webex would send it when the
    // bot is removed; one the store no longer remembers (captured long ago, or a membership of
    // an earlier stay), so only asking Webex tells that the bot is still there.
    const body = JSON.stringify({
      id: hook.id, name: hook.name, targetUrl: hook.targetUrl, resource: 'memberships', event: 'deleted',
      orgId: hook.orgId, createdBy: hook.createdBy, appId: hook.appId, ownedBy: 'creator', status: 'active', created: hook.created,
      actorId: state().person({ personEmail: 'anouk@example.nl' })!.id,
      data: { ...membership, id: webex.context.newId('MEMBERSHIP') },
    });
    const res = await fetch(hook.targetUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-spark-signature': createHmac('sha1', hook.secret!).update(body).digest('hex') }, body });
    expect(res.status).toBe(200);
    const ignored = () => service.logLines().some((l) => String(l.msg).includes('the bot left a space it is still in'));
    for (let i = 0; i < 200 && !ignored(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(ignored()).toBe(true);
    expect((await service.notifications.subscriptions.forSpace(room)).map((s) => s.sourceKey)).toEqual(['KAN']);
  });
});
