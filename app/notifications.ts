import { SANDBOX_JIRA_WEBHOOK_SECRET, SANDBOX_TRELLO_API_SECRET, type Config, type NotificationsOptions } from '../core';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../sandbox/webex-api/webex-emulator';
import type { Endpoints } from './endpoints';

/** The real Webex API, unless WEBEX_API_URL says otherwise. */
const WEBEX_API_URL = 'https://webexapis.com/v1';

/**
 * Which secret /hooks/jira checks and which Webex the outbox posts to: the configured ones in
 * real mode, the sandbox's fixed secret and the emulator on this process in sandbox mode,
 * nothing when the system is off.
 */
export function notificationSettings(config: Config, endpoints: Endpoints): Pick<NotificationsOptions, 'jiraSecret' | 'webex' | 'trello'> {
  const jira = config.systems.jira;
  const bot = config.systems.webexBot;
  const jiraSecret = jira.mode === 'real' ? jira.settings.JIRA_WEBHOOK_SECRET : jira.mode === 'sandbox' ? SANDBOX_JIRA_WEBHOOK_SECRET : undefined;
  let webex: NotificationsOptions['webex'];
  if (bot.mode === 'real') {
    const token = bot.settings.WEBEX_BOT_TOKEN!;
    const base = bot.settings.WEBEX_API_URL ?? WEBEX_API_URL;
    webex = { baseUrl: () => base, token: () => token };
  } else if (bot.mode === 'sandbox') {
    webex = { baseUrl: () => `${endpoints.sandbox('webex')}/v1`, token: () => SANDBOX_WEBEX_BOT_TOKEN };
  }
  // Trello signs body + the callback URL it was given, so that URL must be the public one in real mode.
  const trello = config.systems.trello;
  const callbackUrl = () => `${trello.mode === 'real' && config.publicUrl ? config.publicUrl : endpoints.self()}/hooks/trello`;
  const trelloHook =
    trello.mode === 'real'
      ? { secret: trello.settings.TRELLO_API_SECRET!, callbackUrl }
      : trello.mode === 'sandbox'
        ? { secret: SANDBOX_TRELLO_API_SECRET, callbackUrl }
        : undefined;
  return { jiraSecret, webex, trello: trelloHook };
}
