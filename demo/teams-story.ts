import { randomUUID } from 'node:crypto';
import { SANDBOX_DIRECTORY } from '../sandbox/broadworks-xsi/directory-seed';
import { SANDBOX_TEAMS_MEMBERS, SANDBOX_TEAMS_TENANT_ID } from '../sandbox/teams-connector/connector-emulator';
import { expectStatus, postJson } from './http';
import { logSince } from './emulator-log';
import { until } from './narrator';
import type { Story } from './story';

/**
 * A Teams personal-chat `message` activity, shaped as in Microsoft Learn, "Messages in bot
 * conversations" (Receive a message) and the Bot Framework Activity schema
 * (botframework-sdk specs/botframework-activity), like test/fixtures/teams/message-activity.json.
 */
export function messageActivity(serviceUrl: string, from: { id: string; name: string; aadObjectId: string }, text: string): Record<string, unknown> {
  return {
    type: 'message',
    id: `${Date.now()}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from,
    conversation: { conversationType: 'personal', tenantId: SANDBOX_TEAMS_TENANT_ID, id: `a:1demo-personal-chat-${randomUUID()}` },
    recipient: { id: '28:c9e8c047-2a74-40a2-b28a-b162d5f5327c', name: 'een-bridge' },
    textFormat: 'plain',
    text,
    locale: 'en-US',
    entities: [{ type: 'clientInfo', locale: 'en-US', country: 'NL', platform: 'Web', timezone: 'Europe/Amsterdam' }],
    channelData: { tenant: { id: SANDBOX_TEAMS_TENANT_ID } },
  };
}

export const teamsStory: Story = {
  id: 'a',
  title: 'A Teams user calls a colleague by name',
  emulators: ['xsi', 'teams'],
  async run(url, n) {
    const since = new Date().toISOString();
    // Anna is a Teams member of the sandbox tenant whose e-mail is in the KPN EEN directory,
    // so een-bridge links her to her line on first contact.
    const anna = SANDBOX_TEAMS_MEMBERS[0]!;
    const colleague = SANDBOX_DIRECTORY.find((p) => p.firstName === 'Fleur')!;
    const name = `${colleague.firstName} ${colleague.lastName}`;
    await n.step(`${anna.name} types "call ${name}" to the een-bridge bot in Teams (POST /api/messages, serviceUrl = the sandbox Bot Connector)`, async () => {
      const answer = await postJson(`${url}/api/messages`, messageActivity(`${url}/sandbox/teams/`, { id: anna.id, name: anna.name, aadObjectId: anna.aadObjectId }, `call ${name}`));
      expectStatus(answer, 200, 'POST /api/messages');
    });
    await n.step(`een-bridge finds ${name} in the KPN EEN directory and asks KPN EEN (Xsi) to ring Anna's phone and connect her to ${colleague.extension}`, async () => {
      const call = await until('a POST …/calls/new at the Xsi emulator', async () =>
        (await logSince(url, 'xsi', since)).find((r) => r.method === 'POST' && r.path.endsWith('/calls/new')));
      n.note(`Xsi received ${call.method} ${call.path}?address=${call.query.address ?? '(none)'}`);
      if (call.query.address !== colleague.extension && call.query.address !== colleague.number) {
        throw new Error(`the call went to ${call.query.address ?? 'no address'}, not to ${name} (${colleague.extension} / ${colleague.number})`);
      }
    });
    await n.step('een-bridge answers Anna in Teams with a call status card (through the Bot Connector)', async () => {
      const reply = await until('a reply activity at the Bot Connector emulator', async () =>
        (await logSince(url, 'teams', since)).find((r) => r.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities\/[^/]+$/.test(r.path)));
      const card = /"text":"(Calling[^"]*)"/.exec(reply.body)?.[1];
      if (!card) throw new Error(`the reply holds no "Calling …" card: ${reply.body.slice(0, 200)}`);
      n.note(`the card says "${card}"`);
    });
  },
};
