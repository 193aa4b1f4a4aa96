import { ConfigError } from '../core';
import {
  SANDBOX_SLACK_BOT_TOKEN,
  SANDBOX_SLACK_BOT_USER_ID,
  SANDBOX_SLACK_CLIENT_ID,
  SANDBOX_SLACK_CLIENT_SECRET,
  SANDBOX_SLACK_SIGNING_SECRET,
} from '../sandbox/slack-api/slack-emulator';
import type { SlackMeetingsOptions } from '../slack-app/mount';
import type { Endpoints } from './endpoints';

type SlackSettings = SlackMeetingsOptions['slack'];

/**
 * The real Slack: SLACK_SIGNING_SECRET plus SLACK_BOT_TOKEN (one workspace) and/or
 * SLACK_CLIENT_ID + SLACK_CLIENT_SECRET (OAuth install into any number of workspaces).
 */
export function realSlack(settings: Readonly<Record<string, string>>, publicUrl: string): SlackSettings {
  const { SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET } = settings;
  if (SLACK_CLIENT_ID && !SLACK_CLIENT_SECRET) throw new ConfigError('SLACK_CLIENT_SECRET', 'is required when SLACK_CLIENT_ID is set');
  if (SLACK_CLIENT_SECRET && !SLACK_CLIENT_ID) throw new ConfigError('SLACK_CLIENT_ID', 'is required when SLACK_CLIENT_SECRET is set');
  if (!SLACK_BOT_TOKEN && !SLACK_CLIENT_ID) {
    throw new ConfigError('SLACK_BOT_TOKEN', 'is required for Slack (or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install into workspaces)');
  }
  if (SLACK_CLIENT_ID && !publicUrl) throw new ConfigError('EEN_PUBLIC_URL', 'is required for the Slack install (SLACK_CLIENT_ID is set): it is the OAuth redirect');
  return {
    signingSecret: SLACK_SIGNING_SECRET!,
    singleToken: SLACK_BOT_TOKEN ? { botToken: SLACK_BOT_TOKEN } : undefined,
    apiUrl: () => undefined,
    responseUrlAllowed: isSlackResponseUrl,
    ...(SLACK_CLIENT_ID
      ? {
          install: {
            clientId: SLACK_CLIENT_ID,
            clientSecret: SLACK_CLIENT_SECRET!,
            authorizeUrl: () => 'https://slack.com/oauth/v2/authorize',
            apiUrl: () => 'https://slack.com/api/',
            redirectUri: () => `${publicUrl}/slack/oauth_redirect`,
          },
        }
      : {}),
  };
}

/**
 * Slack's response_url is on hooks.slack.com ("https://hooks.slack.com/commands/…" and
 * "…/actions/…", https://api.slack.com/interactivity/handling#message_responses); the bot
 * posts there without a token, so in real mode it follows no other URL (issue 13).
 */
export function isSlackResponseUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname === 'hooks.slack.com' && u.port === '';
  } catch {
    return false;
  }
}

/** Sandbox mode: the Slack emulator on this process, its signing secret and bot token, and its OAuth client. */
export function sandboxSlack(endpoints: Endpoints): SlackSettings {
  return {
    signingSecret: SANDBOX_SLACK_SIGNING_SECRET,
    singleToken: { botToken: SANDBOX_SLACK_BOT_TOKEN, botUserId: SANDBOX_SLACK_BOT_USER_ID, botId: 'B0SANDBOX' },
    apiUrl: () => `${endpoints.sandbox('slack')}/api/`,
    install: {
      clientId: SANDBOX_SLACK_CLIENT_ID,
      clientSecret: SANDBOX_SLACK_CLIENT_SECRET,
      authorizeUrl: () => `${endpoints.sandbox('slack')}/oauth/v2/authorize`,
      apiUrl: () => `${endpoints.sandbox('slack')}/api/`,
      redirectUri: () => `${endpoints.self()}/slack/oauth_redirect`,
    },
  };
}
