import { randomBytes } from 'node:crypto';
import { SANDBOX_DIRECTORY } from '../sandbox/broadworks-xsi/directory-seed';
import { SANDBOX_SLACK_MEMBERS, SANDBOX_SLACK_SIGNING_SECRET, SANDBOX_SLACK_TEAM_ID } from '../sandbox/slack-api/slack-emulator';
import { SANDBOX_TEAMS_MEMBERS } from '../sandbox/teams-connector/connector-emulator';
import { signSlackRequest } from '../slack-app/signature';
import { logSince } from './emulator-log';
import { expectStatus, postJson, request } from './http';
import { until } from './narrator';
import { slashWebex } from './slack-story';
import type { Story } from './story';
import { messageActivity } from './teams-story';

/**
 * A Slack button press as Slack sends it: a signed `block_actions` payload
 * (api.slack.com/reference/interaction-payloads/block-actions) with its own response_url.
 */
async function pressSlackButton(url: string, user: string, actionId: string, value: string): Promise<string> {
  const responseId = `demo-${randomBytes(6).toString('hex')}`;
  const payload = {
    type: 'block_actions',
    team: { id: SANDBOX_SLACK_TEAM_ID, domain: 'sandbox' },
    user: { id: user, username: user.toLowerCase(), team_id: SANDBOX_SLACK_TEAM_ID },
    api_app_id: 'A0SANDBOX',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    response_url: `${url}/sandbox/slack/response/${responseId}`,
    container: { type: 'message', message_ts: '1.1', channel_id: 'C0GENERAL', is_ephemeral: true },
    channel: { id: 'C0GENERAL', name: 'general' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, text: { type: 'plain_text', text: 'Call' }, action_ts: `${Date.now() / 1000}` }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const ack = await request(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(SANDBOX_SLACK_SIGNING_SECRET, timestamp, body) },
    body,
  });
  expectStatus(ack, 200, 'POST /slack/events (button)');
  return responseId;
}

type CardAction = { type: string; title: string; url?: string };

/** The Adaptive Card of the bot's next reply at the Bot Connector emulator after `since`. */
async function teamsReplyCard(url: string, since: string): Promise<{ text: string; actions: CardAction[] }> {
  const reply = await until('a reply activity at the Bot Connector emulator', async () =>
    (await logSince(url, 'teams', since)).find((r) => r.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(r.path)));
  const activity = JSON.parse(reply.body) as { text?: string; attachments?: { content?: { body?: { text?: string }[]; actions?: CardAction[] } }[] };
  const card = activity.attachments?.[0]?.content;
  return { text: (card?.body ?? []).map((b) => b.text ?? '').join(' ') || (activity.text ?? ''), actions: card?.actions ?? [] };
}

/** Signs in at the (emulated) Webex through een-bridge's Connect link, as the person's browser does. */
async function connectWebex(link: string, email: string): Promise<void> {
  const connect = await request(link, { redirect: 'manual' });
  expectStatus(connect, 302, 'GET /oauth/webex/connect');
  const cookie = (connect.headers.get('set-cookie') ?? '').split(';')[0]!;
  const authorizeUrl = new URL(connect.headers.get('location') ?? '');
  authorizeUrl.searchParams.set('email', email);
  const authorize = await request(authorizeUrl.toString(), { redirect: 'manual' });
  expectStatus(authorize, 302, 'the Webex authorize page');
  const back = await request(authorize.headers.get('location') ?? '', { headers: { cookie } });
  expectStatus(back, 200, 'GET /oauth/webex/callback');
}

/**
 * Story d (issue 14, every capability on every surface): calling from Slack by name, and a Webex
 * meeting from the Teams bot, through the same core façades as the other surfaces.
 */
export const crossSurfaceStory: Story = {
  id: 'd',
  title: 'A Slack user calls by name; a Teams user starts a Webex meeting',
  emulators: ['slack', 'xsi', 'teams', 'webex'],
  async run(url, n) {
    const since = new Date().toISOString();
    const sanne = SANDBOX_SLACK_MEMBERS[0]!;
    const anna = SANDBOX_DIRECTORY.find((p) => p.firstName === 'Anna')!;
    const annaName = `${anna.firstName} ${anna.lastName}`;
    // Sanne's own KPN EEN line, which een-bridge finds by her (Slack-confirmed) address.
    const line = SANDBOX_DIRECTORY.find((p) => p.emailAddress === sanne.email)!.userId;
    const first = await n.step(`${sanne.realName} (Slack ${sanne.id}, ${sanne.email}) types "/webex bel Anna"`, async () => {
      const answer = await slashWebex(url, 'bel Anna', sanne.id);
      n.note(`een-bridge answers: "${answer.text.split('\n')[0]}"`);
      return answer;
    });
    const choice = first.buttons.find((b) => b.actionId.startsWith('webex_call_') && b.label.includes(annaName));
    if (choice) {
      await n.step(`Several people match: she presses Call beside ${annaName}`, async () => {
        const pressed = await pressSlackButton(url, sanne.id, choice.actionId, choice.value);
        const status = await until('the call status at the response_url', async () => (await logSince(url, 'slack', since)).find((r) => r.path === `/sandbox/slack/response/${pressed}`));
        n.note(`een-bridge answers: "${(JSON.parse(status.body) as { text?: string }).text?.split('\n')[0] ?? ''}"`);
      });
    } else if (!/ringing|gaat over/.test(first.text)) {
      throw new Error(`the answer is neither a choice nor a ringing call: "${first.text.slice(0, 200)}"`);
    }
    await n.step(`KPN EEN (Xsi) rings Sanne's own line and dials ${annaName} (${anna.extension})`, async () => {
      const call = await until('a POST …/calls/new at the Xsi emulator', async () =>
        (await logSince(url, 'xsi', since)).find((r) => r.method === 'POST' && r.path.endsWith(`/user/${encodeURIComponent(line)}/calls/new`)));
      n.note(`Xsi received ${call.method} ${call.path}?address=${call.query.address ?? '(none)'}`);
      if (call.query.address !== anna.extension && call.query.address !== anna.number) throw new Error(`the call went to ${call.query.address ?? 'no address'}, not to ${annaName}`);
    });

    const pieter = SANDBOX_TEAMS_MEMBERS.find((m) => m.name.startsWith('Pieter'))!;
    const teams = `${url}/sandbox/teams/`;
    const meet = async (): Promise<{ text: string; actions: CardAction[] }> => {
      const asked = new Date().toISOString();
      const answer = await postJson(`${url}/api/messages`, messageActivity(teams, { id: pieter.id, name: pieter.name, aadObjectId: pieter.aadObjectId }, 'meet Sprint review'));
      expectStatus(answer, 200, 'POST /api/messages');
      return teamsReplyCard(url, asked);
    };
    let card = await n.step(`${pieter.name} types "meet Sprint review" to the een-bridge bot in Teams`, async () => {
      const reply = await meet();
      n.note(`the card says "${reply.text}"`);
      return reply;
    });
    const connect = card.actions.find((a) => a.type === 'Action.OpenUrl' && a.url?.includes('/oauth/webex/connect'));
    if (connect?.url) {
      const link = connect.url;
      card = await n.step('His Webex account is not connected yet: he presses Connect Webex, signs in at the (emulated) Webex as himself, and asks again', async () => {
        await connectWebex(link, pieter.userPrincipalName);
        const reply = await meet();
        n.note(`the card says "${reply.text}"`);
        return reply;
      });
    }
    await n.step('The meeting exists at Webex, and the Teams card has its Join button', async () => {
      const created = (await logSince(url, 'webex', since)).find((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/meetings');
      if (!created) throw new Error('the Webex emulator received no POST /v1/meetings');
      const title = (JSON.parse(created.body) as { title?: string }).title;
      if (title !== 'Sprint review') throw new Error(`the meeting is called "${title}", not "Sprint review"`);
      const join = card.actions.find((a) => a.type === 'Action.OpenUrl' && a.title === 'Join');
      if (!join?.url || !/Sprint review/.test(card.text)) throw new Error(`the card is not a Join card for Sprint review: "${card.text}"`);
      n.note(`Join opens ${join.url}`);
    });
  },
};
