import type { Logger, Replies, Subscriptions, WebexMessages, Identity } from '../../core';

/** What the bot's event listeners use: façades and the bot's own Webex client. */
export interface EventDeps {
  subscriptions: Subscriptions;
  identity: Identity;
  webex: WebexMessages;
  /** Replies in a notification's thread to Jira and Trello; absent: a reply in a thread is a command like any other. */
  replies: Replies | undefined;
  log: Logger;
}
