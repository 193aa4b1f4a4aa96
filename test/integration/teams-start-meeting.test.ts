import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TeamsConnectorEmulator } from '../../sandbox/teams-connector/connector-emulator';
import { startTestService, type TestService } from '../helpers/service';
import { dialects } from '../helpers/stores';
import { openConnectLink } from '../slack/slack-helpers';

const fixture = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams/message-activity.json'), 'utf8')) as Record<string, unknown>;

type Card = { body: { text?: string }[]; actions?: { type: string; title: string; url?: string }[] };

/**
 * The message-extension action "Start a Webex meeting" (issue 14): composeExtension/submitAction
 * of the manifest's `startMeeting` command, answered with the Join card as the extension's result,
 * or with the Connect card while the person's Webex account is not linked.
 */
describe.each(dialects)('the Teams message-extension action "Start a Webex meeting" (%s)', (store) => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ store });
    await service.users.create({ email: 'anna.devries@sandbox.kpneen.nl', licenceTier: 'Premium' });
  });
  afterAll(() => service.dispose());

  const submit = async (data: unknown, locale = 'en-US', conversation?: Record<string, unknown>) => {
    const res = await fetch(`${service.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...fixture,
        type: 'invoke',
        name: 'composeExtension/submitAction',
        id: `${Date.now()}-${Math.random()}`,
        serviceUrl: `${service.url}/sandbox/teams/`,
        locale,
        ...(conversation ? { conversation: { ...(fixture.conversation as object), ...conversation } } : {}),
        value: { commandId: 'startMeeting', commandContext: 'compose', data },
      }),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
  };
  const creates = () => service.emulators.flatMap((e) => (e.serves.includes('webexMeetings') ? e.log.list() : [])).filter((r) => r.method === 'POST' && r.path.endsWith('/v1/meetings'));

  it('offers the Connect card in a task module first, then answers with the Join card as the result, in Dutch', async () => {
    const first = await submit({ title: 'Sprintreview' }, 'nl-NL');
    expect(first.status).toBe(200);
    const task = first.body!.task as { type: string; value: { title: string; card: { content: Card } } };
    expect(task.type).toBe('continue');
    expect(task.value.title).toBe('Start een Webex-vergadering');
    const connect = task.value.card.content.actions?.find((a) => a.type === 'Action.OpenUrl');
    expect(connect?.url).toContain('/oauth/webex/connect');
    expect(creates()).toHaveLength(0);
    expect((await openConnectLink(connect!.url!, 'anna.devries@sandbox.kpneen.nl')).status).toBe(200);

    const started = await submit({ title: 'Sprintreview' }, 'nl-NL');
    expect(started.status).toBe(200);
    const result = started.body!.composeExtension as { type: string; attachmentLayout: string; attachments: { contentType: string; content: Card }[] };
    expect(result.type).toBe('result');
    expect(result.attachments).toHaveLength(1);
    expect(result.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(result.attachments[0]!.content.body)).toContain('Webex-vergadering: Sprintreview');
    expect(result.attachments[0]!.content.actions).toEqual([expect.objectContaining({ type: 'Action.OpenUrl', title: 'Deelnemen', url: expect.stringMatching(/^https?:\/\//) })]);
    expect(creates()).toHaveLength(1);
  });

  it('starts one without a title under a default title, in English', async () => {
    const { body } = await submit({});
    const result = body!.composeExtension as { attachments: { content: Card }[] };
    expect(JSON.stringify(result.attachments[0]!.content.body)).toMatch(/Webex meeting: /);
    expect(result.attachments[0]!.content.actions?.[0]?.title).toBe('Join');
  });

  const invitedBy = (create: { body: string }) => ((JSON.parse(create.body) as { invitees?: { email: string }[] }).invitees ?? []).map((i) => i.email);

  it('invites the other members of a group chat the bot is in', async () => {
    const connector = service.emulators.find((e): e is TeamsConnectorEmulator => e instanceof TeamsConnectorEmulator)!;
    connector.addBotTo('19:sandbox-groupchat-start@thread.v2', ['29:1sandbox-anna', '29:1sandbox-pieter']);
    const { status, body } = await submit({ title: 'Overleg' }, 'en-US', { conversationType: 'groupChat', id: '19:sandbox-groupchat-start@thread.v2' });
    expect(status).toBe(200);
    expect(body!.composeExtension).toBeDefined();
    // Anna, who asked, is the host; Pieter is invited.
    expect(invitedBy(creates().at(-1)!)).toEqual(['pieter.bakker@sandbox.kpneen.nl']);
  });

  it('starts one inviting nobody in a chat the bot is not in (Teams refuses it the members)', async () => {
    const before = creates().length;
    const { status, body } = await submit({ title: 'Elsewhere' }, 'en-US', { conversationType: 'groupChat', id: '19:sandbox-groupchat-without-bot@thread.v2' });
    expect(status).toBe(200);
    expect(body!.composeExtension).toBeDefined();
    expect(creates()).toHaveLength(before + 1);
    expect(invitedBy(creates().at(-1)!)).toEqual([]);
  });

  it('answers 400 to a malformed action and starts nothing', async () => {
    const before = creates().length;
    expect((await submit({ title: 42 })).status).toBe(400);
    expect((await submit('x'.repeat(10))).status).toBe(400);
    expect(creates()).toHaveLength(before);
  });
});
