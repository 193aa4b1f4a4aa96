import { UpstreamError } from '../../../core/errors';
import { DEFAULT_WEBEX_API_URL } from '../../../core/meetings/webex-meetings';
import { applyBotWebhookPlan, planBotWebhooks, type WebhookAction } from '../../../core/notifications/bot-webhooks';
import { WebexMessages } from '../../../core/notifications/webex-messages';
import { UsageError, type CommandContext } from '../command';
import { printRows } from '../output';

/** What setup says it did, per planned action. */
const DONE: Record<WebhookAction, string> = {
  create: 'created',
  update: 'updated',
  keep: 'unchanged',
  'remove duplicate': 'removed (duplicate)',
  'remove old een-bridge webhook': 'removed (old een-bridge webhook)',
  'remove, other host': 'removed (other host)',
  'leave, other host': 'left alone (other host; --prune-other-hosts removes it)',
  'leave, not een-bridge': 'left alone (not een-bridge)',
};

/** `een-bridge webex` (metadata and help: app/commands/webex.ts). */
export async function run(ctx: CommandContext): Promise<number> {
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
  const dryRun = ctx.flags['dry-run'] === true;
  try {
    const me = await webex.me();
    const botEmail = me.emails[0];
    if (!botEmail) {
      ctx.io.err('een-bridge webex setup: Webex did not say the bot\'s address (GET /people/me), which names its webhooks');
      return 1;
    }
    const options = {
      targetUrl: `${publicUrl}/webex/events`,
      secret: bot.settings.WEBEX_WEBHOOK_SECRET!,
      botEmail,
      pruneOtherHosts: ctx.flags['prune-other-hosts'] === true,
    };
    const plan = planBotWebhooks((await webex.listWebhooks()).items, options);
    if (!dryRun) await applyBotWebhookPlan(webex, plan, options);
    const rows = plan.map((s) => ({
      webhook: s.label,
      resource: `${s.resource}/${s.event}`,
      targetUrl: s.targetUrl,
      [dryRun ? 'plan' : 'action']: dryRun ? s.action : DONE[s.action],
    }));
    printRows(ctx, rows, ['webhook', 'resource', 'targetUrl', dryRun ? 'plan' : 'action']);
    return 0;
  } catch (err) {
    if (err instanceof UpstreamError) {
      ctx.io.err(`een-bridge webex setup: Webex refused or did not answer: ${err.message}${err.status === 401 ? ' (check WEBEX_BOT_TOKEN)' : ''}`);
      return 1;
    }
    throw err;
  }
}
