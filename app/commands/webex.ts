import type { Command } from './command';

export const webexCommand: Command = {
  name: 'webex',
  summary: "Check and tidy the Webex bot's webhooks: webex setup.",
  actions: ['setup'],
  usage: `een-bridge webex setup [--public-url https://een.example.nl] [--dry-run] [--prune-other-hosts] [--json]

The service registers the bot's two webhooks itself at start (webex-node-bot-framework: all
events, and card actions, to <public URL>/webex/events, signed with WEBEX_WEBHOOK_SECRET).
setup makes the same two now, so Webex and the credentials are proven before the service
runs, updates stale ones in place, removes duplicates and the webhooks older een-bridge
versions made ("een-bridge messages", "een-bridge card actions"), and lists every webhook
the bot has. --dry-run only lists, with what setup would do. The bot's webhooks for another
host (an earlier public URL) are kept unless --prune-other-hosts. Needs WEBEX_BOT_TOKEN and
WEBEX_WEBHOOK_SECRET; --public-url defaults to EEN_PUBLIC_URL.`,
  options: { 'public-url': { type: 'string' }, 'dry-run': { type: 'boolean' }, 'prune-other-hosts': { type: 'boolean' }, json: { type: 'boolean' } },
  run: async (ctx) => (await import('./impl/webex')).run(ctx),
};
