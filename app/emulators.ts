import type { Environment, SystemName } from '../core';
import { XsiEmulator } from '../sandbox/broadworks-xsi/xsi-emulator';
import type { Emulator } from '../sandbox/emulator';
import { TeamsConnectorEmulator } from '../sandbox/teams-connector/connector-emulator';
import { SlackEmulator } from '../sandbox/slack-api/slack-emulator';
import { meetingsFeature } from '../sandbox/webex-api/meetings';
import { oauthFeature } from '../sandbox/webex-api/oauth';
import { personalRoomFeature } from '../sandbox/webex-api/personal-room';
import { JiraEmulator } from '../sandbox/jira-api/jira-emulator';
import { TrelloEmulator } from '../sandbox/trello-api/trello-emulator';
import { GraphEmulator } from '../sandbox/graph-api/graph-emulator';
import { membershipsFeature } from '../sandbox/webex-api/memberships';
import { messagesFeature } from '../sandbox/webex-api/messages';
import { peopleFeature } from '../sandbox/webex-api/people';
import { roomsFeature } from '../sandbox/webex-api/rooms';
import { WebexEmulator } from '../sandbox/webex-api/webex-emulator';
import { webhooksFeature } from '../sandbox/webex-api/webhooks';
import { attachmentActionsFeature } from '../sandbox/webex-api/attachment-actions';
import { EntraEmulator } from '../sandbox/entra-id/entra-emulator';

/** A positive number from a sandbox tuning variable, or undefined. */
function tuning(env: Environment, name: string): number | undefined {
  const value = Number(env[name]);
  return env[name] !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Every emulator een-bridge ships, created fresh per service. The calling, meetings and
 * notifications work each add theirs here. SANDBOX_WEBEX_RATE_LIMIT (requests per second)
 * and SANDBOX_WEBEX_LATENCY_MS tune the Webex emulator for demos and benchmarks.
 */
export function createEmulators(env: Environment = process.env): Emulator[] {
  const rateLimitPerSecond = tuning(env, 'SANDBOX_WEBEX_RATE_LIMIT');
  const latencyMs = tuning(env, 'SANDBOX_WEBEX_LATENCY_MS');
  return [
    new WebexEmulator({
      ...(rateLimitPerSecond ? { rateLimitPerSecond } : {}),
      ...(latencyMs ? { latencyMs } : {}),
      features: [
        peopleFeature,
        meetingsFeature,
        personalRoomFeature,
        oauthFeature,
        roomsFeature,
        membershipsFeature,
        messagesFeature,
        webhooksFeature,
        attachmentActionsFeature,
      ],
    }),
    new SlackEmulator(),
    new XsiEmulator(),
    new TeamsConnectorEmulator(),
    new TrelloEmulator(),
    new JiraEmulator(),
    new GraphEmulator(),
    new EntraEmulator(),
  ];
}

/** The emulators needed by the systems that run in sandbox mode. */
export function emulatorsFor(all: Emulator[], sandboxed: ReadonlySet<SystemName>): Emulator[] {
  return all.filter((e) => e.serves.some((s) => sandboxed.has(s)));
}
