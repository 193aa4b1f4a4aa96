import { randomBytes } from 'node:crypto';
import { SANDBOX_SLACK_SIGNING_SECRET, SANDBOX_SLACK_TEAM_ID, type SlackCall, type SlackEmulator } from '../../sandbox/slack-api/slack-emulator';
import type { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { signSlackRequest } from '../../slack-app/signature';
import type { TestService } from '../helpers/service';

export const slackOf = (s: TestService) => s.emulators.find((e) => e.name === 'slack') as SlackEmulator;
export const webexOf = (s: TestService) => s.emulators.find((e) => e.name === 'webex') as WebexEmulator;

export interface SignOptions {
  timestamp?: number;
  secret?: string;
  signature?: string;
}

/** POSTs to /slack/events with a v0 signature computed here, as Slack would. */
export async function postSigned(service: TestService, body: string, contentType: string, options: SignOptions = {}): Promise<{ status: number; ms: number; text: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? signSlackRequest(options.secret ?? SANDBOX_SLACK_SIGNING_SECRET, timestamp, body);
  const began = performance.now();
  const res = await fetch(`${service.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
  const ms = performance.now() - began;
  return { status: res.status, ms, text: await res.text() };
}

export interface SlashCommand {
  form: string;
  responseId: string;
  triggerId: string;
}

export function slashCommand(service: TestService, text: string, user = 'U0ANNA', channel = 'C0GENERAL', team = SANDBOX_SLACK_TEAM_ID): SlashCommand {
  const responseId = randomBytes(6).toString('hex');
  const triggerId = `${Date.now()}.${randomBytes(4).toString('hex')}`;
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: team,
    team_domain: 'sandbox',
    channel_id: channel,
    channel_name: channel.startsWith('G') ? 'privategroup' : 'general',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/webex',
    text,
    api_app_id: 'A0SANDBOX',
    is_enterprise_install: 'false',
    response_url: `${service.url}/sandbox/slack/response/${responseId}`,
    trigger_id: triggerId,
  }).toString();
  return { form, responseId, triggerId };
}

/** Sends a slash command and waits for the answer that arrives through its response_url. */
export async function runCommand(
  service: TestService,
  text: string,
  user = 'U0ANNA',
  team = SANDBOX_SLACK_TEAM_ID,
  answerWithinMs?: number,
): Promise<{ ack: { status: number; ms: number }; answer: SlackCall }> {
  const cmd = slashCommand(service, text, user, 'C0GENERAL', team);
  const ack = await postSigned(service, cmd.form, 'application/x-www-form-urlencoded');
  const answer = await slackOf(service).waitFor((c) => c.method === `response:${cmd.responseId}`, answerWithinMs);
  return { ack, answer };
}

export const textOf = (call: SlackCall) => String(call.body.text ?? '');

/** A button press as Slack sends it: a signed block_actions payload with its own response_url. Returns that response id. */
export async function pressButton(service: TestService, actionId: string, value: string, user = 'U0ANNA', team = SANDBOX_SLACK_TEAM_ID): Promise<{ status: number; responseId: string }> {
  const responseId = randomBytes(6).toString('hex');
  const payload = {
    type: 'block_actions',
    team: { id: team, domain: 'sandbox' },
    user: { id: user, username: user.toLowerCase(), team_id: team },
    api_app_id: 'A0SANDBOX',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.1`,
    response_url: `${service.url}/sandbox/slack/response/${responseId}`,
    container: { type: 'message', message_ts: '1.1', channel_id: 'C0GENERAL', is_ephemeral: true },
    channel: { id: 'C0GENERAL', name: 'general' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, text: { type: 'plain_text', text: 'x' }, action_ts: `${Date.now() / 1000}` }],
  };
  const ack = await postSigned(service, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  return { status: ack.status, responseId };
}

/**
 * A modal's submission as Slack sends it: a signed view_submission payload whose view holds
 * `values` (block id → the input's state, https://api.slack.com/reference/interaction-payloads/views).
 * Answers the acknowledgement, whose body may carry a response_action.
 */
export function submitView(
  service: TestService,
  view: { callbackId: string; privateMetadata?: string; values: Record<string, Record<string, unknown>> },
  user = 'U0ANNA',
  team = SANDBOX_SLACK_TEAM_ID,
): Promise<{ status: number; ms: number; text: string }> {
  const payload = {
    type: 'view_submission',
    team: { id: team, domain: team.toLowerCase() },
    user: { id: user, team_id: team },
    api_app_id: 'A0SANDBOX',
    trigger_id: `${Date.now()}.1`,
    view: { id: 'V1', type: 'modal', callback_id: view.callbackId, private_metadata: view.privateMetadata ?? '', team_id: team, app_id: 'A0SANDBOX', state: { values: view.values } },
  };
  return postSigned(service, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
}

/** The URL of the first link button in a message. */
export function buttonUrl(call: SlackCall): string {
  const blocks = (call.body.blocks ?? []) as { accessory?: { url?: string } }[];
  const url = blocks.find((b) => b.accessory?.url)?.accessory?.url;
  if (!url) throw new Error(`no button in ${JSON.stringify(call.body)}`);
  return url;
}

/**
 * Follows the Connect button in one browser: een-bridge's Connect link sets the state cookie
 * and sends the browser to Webex (emulated), where the person signs in as `email` (the Slack
 * emulator's address for `user` by default) and consents; Webex sends the browser back to our
 * callback, cookie and all. Returns the callback's answer.
 */
export async function openConnectLink(link: string, email: string): Promise<Response> {
  const connect = await fetch(link, { redirect: 'manual' });
  if (connect.status !== 302) throw new Error(`the Connect link answered ${connect.status}: ${await connect.text()}`);
  const cookie = (connect.headers.get('set-cookie') ?? '').split(';')[0]!;
  const authorizeUrl = new URL(connect.headers.get('location')!);
  authorizeUrl.searchParams.set('email', email);
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
  return fetch(authorize.headers.get('location')!, { headers: { cookie } });
}

export async function connectWebex(service: TestService, user = 'U0ANNA', email = slackOf(service).profile(user).email): Promise<void> {
  // een-bridge checks the Webex account against the person's verified Slack address, which it
  // keeps only for a mail domain an administrator allowed (docs/security.md, "Identities").
  await service.organisations.allow('email-domain', email.slice(email.lastIndexOf('@') + 1), 'test:admin');
  const { answer } = await runCommand(service, 'connect', user);
  const callback = await openConnectLink(buttonUrl(answer), email);
  if (callback.status !== 200) throw new Error(`callback answered ${callback.status}: ${await callback.text()}`);
}

export async function webexMeetingCreates(service: TestService): Promise<number> {
  return webexOf(service).log.list().filter((r) => r.method === 'POST' && r.path === '/sandbox/webex/v1/meetings').length;
}
