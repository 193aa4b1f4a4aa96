import { webApi } from '@slack/bolt';
import { createHttpServer, type HttpServer } from '../../inbound';
import { mountEmulator } from '../../sandbox/emulator';
import { SANDBOX_SLACK_BOT_TOKEN, SlackEmulator } from '../../sandbox/slack-api/slack-emulator';
import { memoryLogger } from '../helpers/service';

/**
 * The Slack emulator refuses what Slack refuses, in Slack's shape, as @slack/web-api's
 * WebClient (the client Bolt hands our listeners) receives it: a platform error whose `data`
 * is Slack's body. Limits and codes: docs.slack.dev/reference/methods/chat.postMessage,
 * views.open, and the Block Kit reference (see sandbox/slack-api/block-kit.ts).
 */
describe('the Slack emulator against the published Web API contract', () => {
  let server: HttpServer;
  let client: webApi.WebClient;

  beforeAll(async () => {
    server = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
    mountEmulator(server.restify, new SlackEmulator());
    const { port } = await server.listen(0, '127.0.0.1');
    client = new webApi.WebClient(SANDBOX_SLACK_BOT_TOKEN, { slackApiUrl: `http://127.0.0.1:${port}/sandbox/slack/api/`, retryConfig: { retries: 0 } });
  });
  afterAll(() => server.close(100));

  async function refusedWith(call: Promise<unknown>): Promise<{ error: string; response_metadata?: { messages?: string[] } }> {
    const err = (await call.then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: string; data?: { error: string; response_metadata?: { messages?: string[] } } } | undefined;
    expect(err?.code).toBe('slack_webapi_platform_error');
    return err!.data!;
  }

  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('takes a message as our app sends it: text plus section, context, actions with a button', async () => {
    const res = await client.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'Sprint review',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Sprint review' } },
        section('*Sprint review* begins at 14:00'),
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Webex Standaard' }] },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Join' }, url: 'https://sandbox.webex.com/meet/x', style: 'primary', action_id: 'join' }] },
        { type: 'divider' },
      ],
    });
    expect(res.ok).toBe(true);
  });

  it.each([
    ['a section text over 3000 characters', [section('x'.repeat(3001))], '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    ['more than 50 blocks', Array.from({ length: 51 }, () => section('x')), '[ERROR] must provide no more than 50 items [json-pointer:/blocks]'],
    ['a header over 150 characters', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    ['a header in mrkdwn', [{ type: 'header', text: { type: 'mrkdwn', text: '*h*' } }], '[ERROR] must be one of plain_text [json-pointer:/blocks/0/text/type]'],
    ['a button text over 75 characters', [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) }, action_id: 'a' }] }], '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
    ['an unknown block type', [{ type: 'paragraph', text: 'x' }], '[ERROR] unsupported type [json-pointer:/blocks/0/type]'],
    ['an empty section', [{ type: 'section' }], '[ERROR] must provide text or fields [json-pointer:/blocks/0]'],
  ])('refuses %s with invalid_blocks and the JSON pointer', async (_what, blocks, message) => {
    const data = await refusedWith(client.chat.postMessage({ channel: 'C0GENERAL', text: 'fallback', blocks }));
    expect(data.error).toBe('invalid_blocks');
    expect(data.response_metadata?.messages).toContain(message);
  });

  it('refuses a message with nothing to show (no_text), on chat.postEphemeral too', async () => {
    expect((await refusedWith(client.chat.postMessage({ channel: 'C0GENERAL', text: ' ' }))).error).toBe('no_text');
    expect((await refusedWith(client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0ANNA', text: '' }))).error).toBe('no_text');
  });

  it('truncates text over 40,000 characters and says so with message_truncated, as Slack does', async () => {
    const res = (await client.chat.postMessage({ channel: 'C0GENERAL', text: 'é'.repeat(40_001) })) as { ok: boolean; warning?: string; message?: { text?: string } };
    expect(res.ok).toBe(true);
    expect(res.warning).toBe('message_truncated');
    expect(res.message?.text).toHaveLength(40_000);
  });

  it('refuses a modal whose title is over 24 characters, or without a trigger_id, with invalid_arguments', async () => {
    const view = (title: string) => ({ type: 'modal' as const, title: { type: 'plain_text' as const, text: title }, blocks: [section('x')] });
    const long = await refusedWith(client.views.open({ trigger_id: '1.2', view: view('Webex-vergadering plannen') }));
    expect(long).toMatchObject({ error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] } });
    const missing = await refusedWith(client.apiCall('views.open', { view: view('Plannen') }));
    expect(missing.error).toBe('invalid_arguments');
    expect((await client.views.open({ trigger_id: '1.2', view: view('Vergadering plannen') })).ok).toBe(true);
  });

  it('refuses a Home tab published as a modal, or over 100 blocks', async () => {
    const home = (n: number) => ({ type: 'home' as const, blocks: Array.from({ length: n }, () => section('x')) });
    expect((await client.views.publish({ user_id: 'U0ANNA', view: home(100) })).ok).toBe(true);
    expect((await refusedWith(client.views.publish({ user_id: 'U0ANNA', view: home(101) }))).response_metadata?.messages).toEqual([
      '[ERROR] must provide no more than 100 items [json-pointer:/view/blocks]',
    ]);
  });
});
