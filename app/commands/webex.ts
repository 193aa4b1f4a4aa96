import { DEFAULT_WEBEX_API_URL, WebexMessages, ensureBotWebhooks, UpstreamError } from '../../core';
import { UsageError, type Command } from './command';
import { printRows } from './output';

export const webexCommand: Command = {
  name: 'webex',
  summary: "Register (or update) the Webex bot's webhooks: webex setup.",
  usage: `een-bridge webex setup [--public-url https://een.example.nl] [--json]

Makes sure Webex sends the bot's messages and card actions to <public URL>/webex/events,
signed with WEBEX_WEBHOOK_SECRET. Existing registrations are updated in place, never
duplicated; extra copies are removed. Needs WEBEX_BOT_TOKEN and WEBEX_WEBHOOK_SECRET;
--public-url defaults to EEN_PUBLIC_URL. (The service also does this at start.)`,
  options: { 'public-url': { type: 'string' }, json: { type: 'boolean' } },
  async run(ctx) {
    const [sub, ...extra] = ctx.args;
    if (sub !== 'setup' || extra.length > 0) throw new UsageError(sub ? `unknown subcommand "${[sub, ...extra].join(' ')}"` : 'expected "setup"');
    const config = ctx.config();
    const bot = config.systems.webexBot;
    if (bot.mode !== 'real') throw new UsageError('needs WEBEX_BOT_TOKEN and WEBEX_WEBHOOK_SECRET (in sandbox mode the service registers with its emulator itself)');
    const publicUrl = (typeof ctx.flags['public-url'] === 'string' ? ctx.flags['public-url'] : config.publicUrl)?.replace(/\/+$/, '');
    if (!publicUrl) throw new UsageError('needs --public-url (or EEN_PUBLIC_URL): the https address Webex reaches een-bridge on');
    if (!/^https?:\/\/[^/]+$/.test(publicUrl)) throw new UsageError(`--public-url "${publicUrl}" must be an http(s) URL with no path`);
    const webex = new WebexMessages({
      baseUrl: () => bot.settings.WEBEX_API_URL ?? DEFAULT_WEBEX_API_URL,
      token: () => bot.settings.WEBEX_BOT_TOKEN!,
    });
    const targetUrl = `${publicUrl}/webex/events`;
    try {
      const result = await ensureBotWebhooks(webex, targetUrl, bot.settings.WEBEX_WEBHOOK_SECRET!);
      const rows = [
        ...result.created.map((name) => ({ webhook: name, action: 'created', targetUrl })),
        ...result.updated.map((name) => ({ webhook: name, action: 'updated', targetUrl })),
        ...result.unchanged.map((name) => ({ webhook: name, action: 'unchanged', targetUrl })),
        ...result.removed.map((name) => ({ webhook: name, action: 'removed (duplicate)', targetUrl: '' })),
      ];
      printRows(ctx, rows, ['webhook', 'action', 'targetUrl']);
      return 0;
    } catch (err) {
      if (err instanceof UpstreamError) {
        ctx.io.err(`een-bridge webex setup: Webex refused or did not answer: ${err.message}${err.status === 401 ? ' (check WEBEX_BOT_TOKEN)' : ''}`);
        return 1;
      }
      throw err;
    }
  },
};
