import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TeamsConnectorEmulator, type ConnectorActivity } from '../../sandbox/teams-connector/connector-emulator';
import { connectHint, translate } from '../../core';
import { startTestService, type TestService } from '../helpers/service';
import { openConnectLink, runCommand, slackOf, textOf } from '../slack/slack-helpers';

const fixture = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams/message-activity.json'), 'utf8')) as Record<string, unknown>;

type Action = { type: string; title: string; url?: string; data?: Record<string, unknown> };
type Card = { body: unknown[]; actions?: Action[] };
const cardOf = (a: ConnectorActivity): Card | undefined =>
  (a.activity.attachments as { contentType: string; content: Card }[] | undefined)?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;

/**
 * Webex meetings from the Teams bot (issue 14): the same meetings core, licence rules, parser
 * and Webex account link as /webex in Slack, end to end through the Bot Connector and Webex
 * emulators over loopback.
 */
describe('Webex meetings from Teams', () => {
  let service: TestService;
  let connector: TeamsConnectorEmulator;

  beforeAll(async () => {
    service = await startTestService();
    connector = service.emulators.find((e): e is TeamsConnectorEmulator => e instanceof TeamsConnectorEmulator)!;
    // Anna, imported with a Premium licence; her Teams identity links to her by her user name.
    await service.users.create({ email: 'anna.devries@sandbox.kpneen.nl', licenceTier: 'Premium' });
  });
  afterAll(() => service.dispose());

  const say = async (text: string, locale = 'en-US', value?: unknown): Promise<Card> => {
    const before = connector.activities.length;
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...fixture, serviceUrl: `${service.url}/sandbox/teams/`, id: `${Date.now()}-${Math.random()}`, text, locale, ...(value ? { value } : {}) }),
    });
    expect(res.status).toBe(200);
    const reply = connector.activities.slice(before).find((a) => a.operation === 'reply' || a.operation === 'send');
    expect(reply).toBeDefined();
    return cardOf(reply!) ?? { body: [{ text: String(reply!.activity.text ?? '') }] };
  };
  const webexCreates = () => service.emulators.flatMap((e) => (e.serves.includes('webexMeetings') ? e.log.list() : [])).filter((r) => r.method === 'POST' && r.path.endsWith('/v1/meetings'));

  it('offers the Connect link before a first meeting, then starts one with a Join button', async () => {
    const first = await say('meet Sprint sync');
    const connect = first.actions?.find((a) => a.type === 'Action.OpenUrl');
    expect(JSON.stringify(first.body)).toContain('not connected yet');
    expect(connect?.title).toBe('Connect Webex');
    // The person signs in to Webex with their own address (the tenant's user name for Anna).
    const callback = await openConnectLink(connect!.url!, 'anna.devries@sandbox.kpneen.nl');
    expect(callback.status).toBe(200);

    const created = webexCreates().length;
    const started = await say('meet Sprint sync');
    expect(JSON.stringify(started.body)).toContain('Webex meeting: Sprint sync');
    expect(started.actions?.[0]).toMatchObject({ type: 'Action.OpenUrl', title: 'Join', url: expect.stringMatching(/^https?:\/\//) });
    expect(webexCreates().length).toBe(created + 1);
  });

  it('plans a meeting in Dutch from the same words as Slack, lists it and cancels it by its button', async () => {
    const planned = await say('vergader morgen 14:00 30m Sprintreview', 'nl-NL');
    expect(JSON.stringify(planned.body)).toContain('Gepland: Sprintreview');
    const list = await say('vergaderingen', 'nl-NL');
    const text = JSON.stringify(list);
    expect(text).toContain('Sprintreview');
    const cancelButton = JSON.stringify(list).match(/"title":"Annuleren","data":\{"action":"cancelMeeting","position":(\d+)\}/);
    expect(cancelButton).not.toBeNull();
    // Buttons on the list come back as the message's value; which one is the review depends on the instant meetings listed before it.
    const rows = (list.body as { type: string; items?: { text?: string }[] }[]).filter((b) => b.type === 'Container');
    const position = rows.findIndex((r) => r.items?.[0]?.text?.includes('Sprintreview')) + 1;
    expect(position).toBeGreaterThan(0);
    const cancelled = await say('', 'nl-NL', { action: 'cancelMeeting', position });
    expect(JSON.stringify(cancelled.body)).toContain('Geannuleerd: Sprintreview');
    expect(JSON.stringify(await say('vergaderingen', 'nl-NL'))).not.toContain('Sprintreview');
  });

  it('explains a time that has passed instead of starting a meeting', async () => {
    const card = await say('plan 2020-01-01 10:00 Old');
    expect(JSON.stringify(card)).toMatch(/already passed/);
  });

  it('is one connection for one person: Anna connected in Teams needs no second link in Slack', async () => {
    slackOf(service).addUser({ id: 'U0ANNAT', name: 'anna', realName: 'Anna de Vries', email: 'anna.devries@sandbox.kpneen.nl', tz: 'Europe/Amsterdam', locale: 'en-US' });
    const { answer } = await runCommand(service, 'list', 'U0ANNAT');
    expect(textOf(answer)).toMatch(/Sprint sync/);
    expect(textOf(answer)).not.toMatch(/Connect/);
  });
  it('words the pages of a Connect link made in Teams the Teams way, not Slack\'s "/webex connect", in Dutch', async () => {
    const before = connector.activities.length;
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...fixture,
        serviceUrl: `${service.url}/sandbox/teams/`,
        id: `${Date.now()}-${Math.random()}`,
        from: { id: '29:1sandbox-pieter', name: 'Pieter Bakker', aadObjectId: '6d3f1f5e-0000-4000-8000-00000000a003' },
        conversation: { conversationType: 'personal', tenantId: (fixture.conversation as { tenantId: string }).tenantId, id: 'a:1sandbox-personal-chat-pieter' },
        text: 'koppel',
        locale: 'nl-NL',
      }),
    });
    expect(res.status).toBe(200);
    const reply = connector.activities.slice(before).find((a) => a.operation === 'reply' || a.operation === 'send')!;
    const link = cardOf(reply)!.actions!.find((a) => a.type === 'Action.OpenUrl')!.url!;
    // Opened in one browser, then in another: refused, with the Teams way to ask for a new link.
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(302);
    const elsewhere = await fetch(link, { redirect: 'manual' });
    expect(elsewhere.status).toBe(403);
    const page = await elsewhere.text();
    expect(page).toContain(translate('nl-NL', 'meetings.oauth.otherBrowser', connectHint('nl-NL', 'teams')));
    expect(page).toContain('stuur koppel naar de een-bridge-bot in Teams');
    expect(page).not.toContain('/webex');
  });
});
