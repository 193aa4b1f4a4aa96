import { randomBytes } from 'node:crypto';
import type { Environment } from '../core';
import { SANDBOX_SLACK_SIGNING_SECRET, SANDBOX_SLACK_TEAM_ID } from '../sandbox/slack-api/slack-emulator';
import { signSlackRequest } from '../slack-app/signature';
import { allowMailDomain, grantLicence } from './admin';
import { logSince } from './emulator-log';
import { expectStatus, request } from './http';
import { until } from './narrator';
import type { Story } from './story';

/** A Slack user the emulator does not know by name: users.info gives `<id in lower case>@example.com`. */
const SLACK_USER = 'U0DEMOFLEUR';
const SLACK_EMAIL = `${SLACK_USER.toLowerCase()}@example.com`;

interface SlackAnswer {
  text: string;
  buttonUrl: string | undefined;
  /** The answer's buttons (action id and value), with the text of the row they sit on. */
  buttons: { label: string; actionId: string; value: string }[];
}

/**
 * Sends `/webex <text>` as Slack does (form body per api.slack.com/interactivity/slash-commands,
 * v0 signature per api.slack.com/authentication/verifying-requests-from-slack) and waits for
 * the answer een-bridge posts to the response_url (the Slack emulator's /response/<id>).
 */
export async function slashWebex(url: string, text: string, user = SLACK_USER): Promise<SlackAnswer> {
  const responseId = `demo-${randomBytes(6).toString('hex')}`;
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: SANDBOX_SLACK_TEAM_ID,
    team_domain: 'sandbox',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: user,
    user_name: user === SLACK_USER ? 'fleur' : user.toLowerCase(),
    command: '/webex',
    text,
    api_app_id: 'A0SANDBOX',
    is_enterprise_install: 'false',
    response_url: `${url}/sandbox/slack/response/${responseId}`,
    trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
  }).toString();
  const since = new Date().toISOString();
  const timestamp = Math.floor(Date.now() / 1000);
  const ack = await request(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(SANDBOX_SLACK_SIGNING_SECRET, timestamp, body),
    },
    body,
  });
  expectStatus(ack, 200, 'POST /slack/events');
  const posted = await until(`the answer at the response_url of /webex ${text}`, async () =>
    (await logSince(url, 'slack', since)).find((r) => r.path === `/sandbox/slack/response/${responseId}`));
  const message = JSON.parse(posted.body) as { text?: string; blocks?: { text?: { text?: string }; accessory?: { url?: string; action_id?: string; value?: string } }[] };
  return {
    text: message.text ?? '',
    buttonUrl: message.blocks?.find((b) => b.accessory?.url)?.accessory?.url,
    buttons: (message.blocks ?? []).flatMap((b) => (b.accessory?.action_id && b.accessory.value ? [{ label: b.text?.text ?? '', actionId: b.accessory.action_id, value: b.accessory.value }] : [])),
  };
}

export function slackStory(storeEnv: Environment): Story {
  return {
    id: 'b',
    title: 'A Slack user schedules a meeting',
    emulators: ['webex', 'slack'],
    async run(url, n) {
      const since = new Date().toISOString();
      await n.step(`The administrator gives ${SLACK_EMAIL} the Standaard licence (scheduling needs Standaard or Premium)`, () =>
        grantLicence(storeEnv, SLACK_EMAIL, 'Standaard'));
      await n.step('The administrator lets een-bridge link example.com addresses (een-bridge orgs allow email-domain example.com)', () =>
        allowMailDomain(storeEnv, 'example.com'));
      const connect = await n.step(`Slack user ${SLACK_USER} types "/webex connect" (signed with the sandbox signing secret)`, async () => {
        const answer = await slashWebex(url, 'connect');
        n.note(`een-bridge answers: "${answer.text}"`);
        return answer;
      });
      if (connect.buttonUrl) {
        const buttonUrl = connect.buttonUrl;
        await n.step('They press Connect: een-bridge binds the browser (a state cookie), they sign in at the (emulated) Webex as themselves and consent, and Webex sends the browser back with a code', async () => {
          const link = await request(buttonUrl, { redirect: 'manual' });
          expectStatus(link, 302, 'GET /oauth/webex/connect');
          const cookie = (link.headers.get('set-cookie') ?? '').split(';')[0]!;
          const authorizeUrl = new URL(link.headers.get('location') ?? '');
          // The emulator's stand-in for signing in at Webex: the same e-mail address as in Slack.
          authorizeUrl.searchParams.set('email', SLACK_EMAIL);
          const authorize = await request(authorizeUrl.toString(), { redirect: 'manual' });
          expectStatus(authorize, 302, 'the Webex authorize page');
          const callback = authorize.headers.get('location');
          if (!callback) throw new Error('the Webex authorize page did not redirect');
          const back = await request(callback, { headers: { cookie } });
          expectStatus(back, 200, 'GET /oauth/webex/callback');
          n.note('een-bridge checked the Webex account has the Slack e-mail address, exchanged the code for tokens and keeps them sealed in its store');
        });
      } else {
        n.note('(already connected: no OAuth needed)');
      }
      await n.step('They type "/webex schedule tomorrow 14:00 30m Sprint review"', async () => {
        const answer = await slashWebex(url, 'schedule tomorrow 14:00 30m Sprint review');
        n.note(`een-bridge answers through the response_url: "${answer.text}"`);
        if (!/Sprint review/.test(answer.text) || !/14:00/.test(answer.text)) throw new Error(`the answer does not confirm the meeting: "${answer.text}"`);
      });
      await n.step('The meeting exists at Webex (POST /v1/meetings at the Webex emulator)', async () => {
        const created = (await logSince(url, 'webex', since)).find((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/meetings');
        if (!created) throw new Error('the Webex emulator received no POST /v1/meetings');
        const meeting = JSON.parse(created.body) as { title?: string; start?: string; end?: string };
        n.note(`Webex received "${meeting.title}" from ${meeting.start} to ${meeting.end}`);
        if (meeting.title !== 'Sprint review') throw new Error(`the meeting is called "${meeting.title}", not "Sprint review"`);
      });
    },
  };
}
