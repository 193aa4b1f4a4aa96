import { randomUUID } from 'node:crypto';
import { createEmulators } from '../../app/emulators';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { messagingOf, type EmulatedMessage } from '../../sandbox/webex-api/messaging-state';
import { WebexEmulator, type WebexPerson } from '../../sandbox/webex-api/webex-emulator';
import { startTestService, type TestService } from '../helpers/service';
import { dialects } from '../helpers/stores';
import { spacePerson, type SpacePerson } from '../helpers/webex-sandbox';
import { buttonUrl, openConnectLink, runCommand } from '../slack/slack-helpers';

type Action = { type: string; title: string; url?: string; data?: Record<string, unknown> };
type Card = { body: unknown[]; actions?: Action[]; speak?: string; fallbackText?: string };

/** Every Action (top-level and in ActionSets) of a card. */
function actionsOf(card: Card | undefined): Action[] {
  const found: Action[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Action.')) found.push(o as unknown as Action);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/**
 * Calling and meetings from Webex (issue 14), end to end over loopback: a person writes to the
 * bot through the Webex emulator, the bot's webhook delivers it, and the call is placed on the
 * Xsi emulator / the meeting on the Webex meetings emulator.
 */
describe.each(dialects)('calling and meetings from the Webex bot (%s)', (store) => {
  let service: TestService;
  let webex: WebexEmulator;
  let xsi: XsiEmulator;
  let anna: SpacePerson;
  let base: string;
  const botEmail = 'een-bridge@webex.bot';
  const state = () => messagingOf(webex.context);
  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));

  beforeAll(async () => {
    // The shipped emulators, with a KPN EEN whose calls are answered and end quickly.
    xsi = new XsiEmulator({ alertingMs: 1500, activeMs: 1500 });
    service = await startTestService({ store, emulators: [...createEmulators().filter((e) => !(e instanceof XsiEmulator)), xsi] });
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    base = `${service.endpoints.sandbox('webex')}/v1`;
    anna = spacePerson(webex, base, { token: `anna-${store}`, email: 'anna.devries@sandbox.kpneen.nl' });
  });
  afterAll(() => service.dispose());

  /** The bot's messages in `room` after `since`, once `count` of them are there (or after 6 s). */
  async function botMessages(room: string, since: number, count = 1): Promise<EmulatedMessage[]> {
    let found: EmulatedMessage[] = [];
    for (let i = 0; i < 300; i++) {
      await state().settled();
      found = state().messages.slice(since).filter((m) => m.roomId === room && m.personEmail === botEmail);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    return found;
  }
  /** What `read` gives once it gives something, within 30 s (a loaded machine is slow, not wrong). */
  async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 600; i++) {
      const found = await read();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('not within 30 s');
  }
  const cardOf = (m: EmulatedMessage | undefined): Card | undefined => m?.attachments?.[0]?.content as Card | undefined;

  /**
   * A 1:1 message to the bot (no mention there), and its answer: the first message after it that
   * is not a status update of an earlier call (those keep coming into the same space).
   */
  async function direct(text: string, token = `anna-${store}`): Promise<{ room: string; since: number; answer: EmulatedMessage | undefined }> {
    const since = state().messages.length;
    const sent = await anna.asPerson<{ roomId: string }>('POST', '/messages', { toPersonEmail: botEmail, text }, token);
    const earlierCall = (m: EmulatedMessage) => /Connected with|ended\.|Verbonden met|beëindigd\./.test(m.markdown ?? '');
    for (let i = 0; i < 300; i++) {
      const answer = (await botMessages(sent.roomId, since)).find((m) => !earlierCall(m));
      if (answer) return { room: sent.roomId, since, answer };
      await new Promise((r) => setTimeout(r, 20));
    }
    return { room: sent.roomId, since, answer: undefined };
  }

  it('rings Anna\'s own line for `call`, dials the number, posts the status as it moves on, in English', async () => {
    const before = callsNew().length;
    const logged = webex.log.list().length;
    const { room, since, answer } = await direct('call 06 1234 5678');
    expect(answer?.markdown).toContain('Your phone is ringing');
    const card = cardOf(answer);
    expect(card?.speak).toContain('Your phone is ringing');
    expect(card?.fallbackText).toBeTruthy();
    expect(actionsOf(card)).toEqual([expect.objectContaining({ type: 'Action.Submit', title: 'Hang up', data: expect.objectContaining({ action: 'hangup', lang: 'en' }) })]);
    expect(callsNew().slice(before)).toEqual([
      expect.objectContaining({ path: '/sandbox/xsi/com.broadsoft.xsi-actions/v2.0/user/0201234501%40sandbox.kpneen.nl/calls/new', query: { address: '+31612345678' } }),
    ]);
    // Answered, then over: the first change is posted below the card, the next edits that line
    // (Webex cannot edit a card: "Edits of messages containing files or attachments are not
    // currently supported", Edit a Message).
    const status = await eventually(async () => {
      const all = await botMessages(room, since, 2);
      return all.length === 2 && /ended/.test(all[1]!.markdown ?? '') ? all : undefined;
    });
    expect(status.map((m) => m.markdown)).toEqual([expect.stringContaining('ringing'), expect.stringContaining('ended')]);
    expect(status[1]!.updated).toBeDefined();
    expect(status[1]!.attachments).toBeUndefined();
    const said = webex.log.list().slice(logged).filter((r) => r.path.startsWith('/sandbox/webex/v1/messages') && /ringing|Connected with|ended/.test(r.body));
    expect(said.map((r) => [r.method, /Connected with/.test(r.body) ? 'connected' : /ended/.test(r.body) ? 'ended' : 'ringing'])).toEqual([
      ['POST', 'ringing'],
      ['POST', 'connected'],
      ['PUT', 'ended'],
    ]);
    expect(said[2]!.path).toBe(`/sandbox/webex/v1/messages/${encodeURIComponent(status[1]!.id)}`);
    // Anna is a user now, bound to her Webex person id, with her own line.
    const user = await service.users.byEmail('anna.devries@sandbox.kpneen.nl');
    expect(user?.webexPersonId).toBe(state().person({ personEmail: 'anna.devries@sandbox.kpneen.nl' })!.id);
    expect(user?.broadworksUserId).toBe('0201234501@sandbox.kpneen.nl');
  });

  it('offers a choice with Call buttons for `bel` with a name that matches several people, in Dutch, and the button dials', async () => {
    const { room, answer } = await direct('bel Ann');
    expect(answer?.markdown).toMatch(/Meerdere mensen passen bij "Ann"/);
    const buttons = actionsOf(cardOf(answer));
    expect(buttons.map((b) => b.title)).toEqual(expect.arrayContaining(['Bellen Anna de Vries', 'Bellen Annelies Jansen']));
    const annelies = buttons.find((b) => b.title === 'Bellen Annelies Jansen')!;
    const before = callsNew().length;
    const since = state().messages.length;
    await anna.asPerson('POST', '/attachment/actions', { type: 'submit', messageId: answer!.id, inputs: annelies.data });
    const [status] = await botMessages(room, since);
    expect(status?.markdown).toContain('Je telefoon gaat over');
    expect(callsNew().slice(before)).toEqual([expect.objectContaining({ query: { address: String(annelies.data!.target) } })]);
  });

  it('lists recent calls with Call back buttons, and hangs up a ringing call', async () => {
    const recent = await direct('recente gesprekken');
    expect(recent.answer?.markdown).toContain('Recente gesprekken');
    expect(actionsOf(cardOf(recent.answer)).some((a) => a.data?.action === 'call' && a.data.target === '+31612345678')).toBe(true);

    const placed = await direct('call 1003');
    const callId = String(actionsOf(cardOf(placed.answer))[0]?.data?.callId);
    expect(xsi.calls.get(callId)?.state).toBe('Alerting');
    const hung = await direct('hang up');
    expect(hung.answer?.markdown).toBe('Hung up.');
    expect(xsi.calls.get(callId)?.state ?? 'Released').toBe('Released');
  });

  it('escapes what was typed when it quotes it back, and dials nothing for it', async () => {
    const before = callsNew().length;
    const { answer } = await direct('call **[x](http://evil.example)** <@personEmail:a@b.c>');
    expect(answer?.markdown).toContain('\\*\\*\\[x\\]\\(http://evil.example\\)\\*\\*');
    expect(answer?.markdown).not.toMatch(/(?<!\\)\]\(http|(?<!\\)<@/);
    expect(callsNew().length).toBe(before);
  });

  it('refuses `call` in a group space, saying calling is personal, and dials nothing', async () => {
    const room = await anna.space(`Team ${store}`);
    const before = callsNew().length;
    expect(await anna.say(room, 'call 06 1234 5678')).toMatch(/^Calling is personal/);
    expect(await anna.say(room, 'bel Anna')).toMatch(/^Bellen is persoonlijk/);
    expect(callsNew().length).toBe(before);
  });

  it('refuses a person of an organisation that is not served, even with an address in a served mail domain, and links nobody', async () => {
    // Another company's Webex org; the address is in the sandbox's served mail domain, which
    // serves the space commands but never makes a person of another organisation a user.
    const stranger: WebexPerson = {
      id: webex.context.newId('PEOPLE'), emails: [`pieter.bakker.${store}@sandbox.kpneen.nl`], displayName: 'Pieter?', firstName: 'Pieter', lastName: '', type: 'person',
      orgId: Buffer.from(`ciscospark://us/ORGANIZATION/${randomUUID()}`).toString('base64url'),
    };
    webex.context.people.set(stranger.id, stranger);
    webex.context.tokens.set(`stranger-${store}`, stranger.id);
    const before = callsNew().length;
    const { answer } = await direct('call 06 1234 5678', `stranger-${store}`);
    expect(answer?.markdown).toMatch(/^Sorry, this service is only for the organisations it was set up for/);
    expect(callsNew().length).toBe(before);
    expect(await service.users.byWebexPersonId(stranger.id)).toBeUndefined();
    const refused = await service.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'identity.link').where('outcome', '=', 'denied').execute();
    expect(refused.some((r) => r.detail.includes(stranger.id))).toBe(true);
  });

  it('starts a meeting for a group space\'s members with `meet`, after connecting Webex by a 1:1 link', async () => {
    const room = await anna.space(`Sprint ${store}`);
    await anna.asPerson('POST', '/memberships', { roomId: room, personEmail: 'pieter.bakker@sandbox.kpneen.nl' });
    const first = await anna.say(room, 'meet Sprint review');
    expect(first).toMatch(/not connected yet\. I sent you the Connect link in our 1:1 space/);
    // The Connect link went to Anna alone, in her 1:1 space with the bot.
    const dm = state().messages.filter((m) => m.personEmail === botEmail && m.roomType === 'direct' && m.markdown?.includes('/oauth/webex/connect')).pop();
    expect(dm).toBeDefined();
    expect(state().membershipOf(dm!.roomId, state().person({ personEmail: 'anna.devries@sandbox.kpneen.nl' })!.id)).toBeDefined();
    const link = actionsOf(cardOf(dm)).find((a) => a.type === 'Action.OpenUrl')!.url!;
    expect((await openConnectLink(link, 'anna.devries@sandbox.kpneen.nl')).status).toBe(200);

    const creates = () => webex.log.list().filter((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/meetings');
    const before = creates().length;
    const since = state().messages.length;
    await anna.say(room, 'vergader Sprintreview');
    const [joinCard] = await botMessages(room, since);
    expect(joinCard?.markdown).toContain('Webex-vergadering: Sprintreview');
    expect(actionsOf(cardOf(joinCard))).toEqual([expect.objectContaining({ type: 'Action.OpenUrl', title: 'Deelnemen', url: expect.stringMatching(/^https?:\/\//) })]);
    expect(creates().length).toBe(before + 1);
    const body = JSON.parse(creates().pop()!.body) as { title: string; invitees?: { email: string }[] };
    expect(body.title).toBe('Sprintreview');
    // The space's other member is invited; the bot and Anna herself (the host) are not.
    expect(body.invitees?.map((i) => i.email)).toEqual(['pieter.bakker@sandbox.kpneen.nl']);
  });
  it('plans a meeting with `plan`, lists it with Join and Cancel, and cancels by button and by number, in a 1:1 space', async () => {
    // Anna connected her Webex account in the test before; a plan needs Standaard or higher.
    await service.users.update((await service.users.byEmail('anna.devries@sandbox.kpneen.nl'))!.id, { licenceTier: 'Premium' });
    const creates = () => webex.log.list().filter((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/meetings');
    const before = creates().length;
    const planned = await direct('plan tomorrow 14:00 30m Sprint review');
    expect(planned.answer?.markdown).toContain('Planned: Sprint review');
    expect(actionsOf(cardOf(planned.answer))).toEqual([expect.objectContaining({ type: 'Action.OpenUrl', title: 'Join' })]);
    expect(creates().length).toBe(before + 1);
    // The same parser as Slack and Teams: 30 minutes from 14:00 Amsterdam time.
    const body = JSON.parse(creates().pop()!.body) as { title: string; start: string; end: string };
    expect(body.title).toBe('Sprint review');
    expect(Date.parse(body.end) - Date.parse(body.start)).toBe(30 * 60_000);
    await direct('plannen morgen 16:00 1u Retro');

    const list = await direct('vergaderingen');
    expect(list.answer?.markdown).toMatch(/Je volgende \d+ Webex-vergaderingen/);
    const buttons = actionsOf(cardOf(list.answer));
    const cancels = buttons.filter((b) => b.type === 'Action.Submit');
    expect(cancels.map((b) => b.data)).toEqual(cancels.map((_, i) => ({ action: 'cancelMeeting', position: i + 1, lang: 'nl' })));
    expect(buttons.filter((b) => b.type === 'Action.OpenUrl').length).toBe(cancels.length);
    const retro = cancels.findIndex((_, i) => JSON.stringify(cardOf(list.answer)!.body).includes(`${i + 1}. Retro`));
    expect(retro).toBeGreaterThanOrEqual(0);

    // The Cancel button of Retro, pressed in the list.
    const deletes = () => webex.log.list().filter((r) => r.method === 'DELETE' && r.path.startsWith('/sandbox/webex/v1/meetings/'));
    const deleted = deletes().length;
    const since = state().messages.length;
    await anna.asPerson('POST', '/attachment/actions', { type: 'submit', messageId: list.answer!.id, inputs: cancels[retro]!.data });
    const [cancelled] = await botMessages(list.room, since);
    expect(cancelled?.markdown).toContain('Geannuleerd: Retro');
    expect(deletes().length).toBe(deleted + 1);
    // By number: the numbers of the list on screen stay; the cancelled one is gone.
    expect((await direct(`cancel ${retro + 1}`)).answer?.markdown).toMatch(/no meeting number/);
    expect((await direct('cancel')).answer?.markdown).toContain('Say which meeting to cancel');
  });

  it('keeps meetings personal: `meetings`, `plan` and `connect` are refused in a group space', async () => {
    const room = await anna.space(`Private ${store}`);
    expect(await anna.say(room, 'meetings')).toMatch(/^Your meetings are personal/);
    expect(await anna.say(room, 'plan tomorrow 9:00 Secret')).toMatch(/^Your meetings are personal/);
    expect(await anna.say(room, 'koppel')).toMatch(/^Je vergaderingen zijn persoonlijk/);
  });

  it('connects with `connect` in a 1:1 space through the same link as Slack and Teams, and knows a person connected in Slack', async () => {
    // Jan writes to the bot for the first time: the Connect card, then connected.
    const jan = spacePerson(webex, base, { token: `jan-${store}`, email: `jan.smit.${store}@sandbox.kpneen.nl` });
    const since = state().messages.length;
    const sent = await jan.asPerson<{ roomId: string }>('POST', '/messages', { toPersonEmail: botEmail, text: 'connect' });
    const [prompt] = await botMessages(sent.roomId, since);
    expect(prompt?.markdown).toContain('Connect your Webex account');
    const link = actionsOf(cardOf(prompt)).find((a) => a.type === 'Action.OpenUrl')!.url!;
    expect(link).toContain('/oauth/webex/connect');
    // A second browser is refused, told the Webex way to ask for a new link (not Slack's "/webex connect").
    const first = await fetch(link, { redirect: 'manual' });
    const elsewhere = await fetch(link, { redirect: 'manual' });
    expect(elsewhere.status).toBe(403);
    const page = await elsewhere.text();
    expect(page).toContain('send connect to the een-bridge bot in your 1:1 space with it in Webex');
    expect(page).not.toContain('/webex');
    // The first browser goes on to Webex and back.
    const authorizeUrl = new URL(first.headers.get('location')!);
    authorizeUrl.searchParams.set('email', `jan.smit.${store}@sandbox.kpneen.nl`);
    const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = await fetch(authorize.headers.get('location')!, { headers: { cookie: (first.headers.get('set-cookie') ?? '').split(';')[0]! } });
    expect(callback.status).toBe(200);
    const again = state().messages.length;
    await jan.asPerson('POST', '/messages', { toPersonEmail: botEmail, text: 'connect' });
    expect((await botMessages(sent.roomId, again))[0]?.markdown).toBe('Your Webex account is already connected.');

    // Sanne connects in Slack; in Webex she is the same core user (her address), so connected.
    const slackLink = buttonUrl((await runCommand(service, 'connect', 'U0SANDBOXSANNE')).answer);
    expect((await openConnectLink(slackLink, 'sanne.visser@sandbox.kpneen.nl')).status).toBe(200);
    const sanne = spacePerson(webex, base, { token: `sanne-${store}`, email: 'sanne.visser@sandbox.kpneen.nl' });
    const before = state().messages.length;
    const dm = await sanne.asPerson<{ roomId: string }>('POST', '/messages', { toPersonEmail: botEmail, text: 'koppel' });
    expect((await botMessages(dm.roomId, before))[0]?.markdown).toBe('Je Webex-account is al gekoppeld.');
  });
});
