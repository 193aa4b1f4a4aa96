import type { Server } from 'restify';
import { TrelloApi, ensureBotWebhooks, type GraphDriveWatcher, type Logger, type SubscriptionRepository, type WebexMessages } from '../core';
import { mountWebexEvents } from './events';
import { SpaceCommands } from './space-commands';

export { SANDBOX_WEBEX_WEBHOOK_SECRET, verifySparkSignature, withoutMention } from './events';
export { parseCommand } from './command-parser';
export { SpaceCommands } from './space-commands';

export interface WebexBotOptions {
  server: Server;
  webex: WebexMessages;
  /** WEBEX_WEBHOOK_SECRET, or the sandbox's. */
  webhookSecret: string;
  subscriptions: SubscriptionRepository;
  trello: { baseUrl: () => string; key: string; token: string; callbackUrl: () => string } | undefined;
  /** The OneDrive folder watcher; absent when Microsoft Graph is off. */
  graph?: GraphDriveWatcher | undefined;
  log: Logger;
}

export interface WebexBot {
  /** Makes sure Webex sends this service the messages said to the bot (once the URL is known). */
  registerWebhook(targetUrl: string): Promise<void>;
}

/** The Webex bot's space commands on POST /webex/events. */
export function mountWebexBot(options: WebexBotOptions): WebexBot {
  const { trello } = options;
  const commands = new SpaceCommands({
    subscriptions: options.subscriptions,
    webex: options.webex,
    trello: trello ? { api: new TrelloApi({ baseUrl: trello.baseUrl, key: trello.key, token: trello.token }), callbackUrl: trello.callbackUrl } : undefined,
    graph: options.graph,
    log: options.log,
  });
  mountWebexEvents(options.server, { secret: () => options.webhookSecret, webex: options.webex, commands, log: options.log });
  return {
    async registerWebhook(targetUrl) {
      await ensureBotWebhooks(options.webex, targetUrl, options.webhookSecret);
    },
  };
}
