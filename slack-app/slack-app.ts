import { App, type RespondFn } from '@slack/bolt';
import { IdentityRefused, type Calling, type Logger, type MeetingService, type WebexAccounts } from '../core';
import type { SlackActors } from './actors';
import { boltLogger } from './bolt-logger';
import { failureModal } from './failure-modal';
import { parseWebexCommand } from './command-text';
import type { SlackAuthorization } from './installations';
import type { RestifyReceiver } from './receiver';
import { failureMessage, slackListeners, type SlackListenerDeps, type Who } from './listeners';

export interface SlackAppOptions {
  receiver: RestifyReceiver;
  authorize: (source: { teamId?: string | undefined; enterpriseId?: string | undefined }) => Promise<SlackAuthorization>;
  /** The Slack Web API base (…/api/); the Slack emulator in sandbox mode. */
  slackApiUrl: string | undefined;
  meetings: MeetingService;
  accounts: WebexAccounts;
  actors: SlackActors;
  /** KPN EEN click-to-dial, shared with Teams; undefined when Xsi is off. */
  calling?: Calling | undefined;
  /** How often a placed call's state is read back for its status message; tests shorten it. */
  callPollMs?: number;
  log: Logger;
}

/**
 * The /webex app: every listener acknowledges first, then works and answers through
 * response_url. The subcommands, buttons, modal and App Home are files in slack-app/listeners/
 * (issue 14); this only acknowledges, finds the person (SlackActors) and renders a failure
 * through the one presenter (core/failure.ts) as mrkdwn.
 */
export function createSlackApp(options: SlackAppOptions): App {
  const { actors, log } = options;
  const deps: SlackListenerDeps = { meetings: options.meetings, accounts: options.accounts, actors, calling: options.calling, callPollMs: options.callPollMs, log };
  const router = slackListeners(deps);
  const app = new App({
    receiver: options.receiver,
    authorize: options.authorize,
    logger: boltLogger(log),
    clientOptions: {
      ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
      // The answer is already late by Slack's clock; a few quick retries, not half an hour of them.
      retryConfig: { retries: 2, factor: 1.5, minTimeout: 200, maxTimeout: 1000 },
      timeout: 10_000,
    },
  });

  /**
   * A failure of a slash command or a button, through response_url, in the person's language:
   * their actor's; a refused link has no actor, so the language Slack gave for the person, which
   * the refusal carries (core/identity/linking.ts IdentityRefused).
   */
  async function answerFailure(respond: RespondFn, who: Who | undefined, err: unknown): Promise<void> {
    const locale = failureLocale(who, err);
    await respond(await failureMessage(deps, locale, who?.user, err)).catch((e: unknown) => log.error({ err: e }, 'could not answer through response_url'));
  }

  app.command('/webex', async ({ command, ack, respond, client }) => {
    await ack();
    let who: Who | undefined;
    try {
      who = await actors.actor(client, command.team_id, command.user_id);
      await router.run({ who, client, respond, triggerId: command.trigger_id, channelId: command.channel_id }, parseWebexCommand(command.text));
    } catch (err) {
      await answerFailure(respond, who, err);
    }
  });

  for (const { id, handler } of router.actions()) {
    app.action(id, async ({ ack, body, action, client, respond }) => {
      await ack();
      const value = (action as { value?: string }).value ?? '';
      const teamId = body.team?.id ?? '';
      // Found when the listener asks (a link button never does), once.
      let who: Who | undefined;
      const find = async (): Promise<Who> => (who ??= await actors.actor(client, teamId, body.user.id));
      try {
        await handler({ client, respond, who: find }, value);
      } catch (err) {
        await answerFailure(respond, who, err);
      }
    });
  }

  for (const [callbackId, handler] of router.modals()) {
    app.view(callbackId, async ({ ack, body, view, client }) => {
      let who: Who;
      try {
        // Mostly a local lookup: whoever opened the modal was found then.
        who = await actors.actor(client, body.team?.id ?? '', body.user.id);
      } catch (err) {
        // Refused (their workspace is not served, say) or the store failed: the modal says why.
        const locale = failureLocale(undefined, err);
        await ack({ response_action: 'update', view: failureModal(locale, await failureMessage(deps, locale, undefined, err)) });
        return;
      }
      await handler({ who, client, view, slackUserId: body.user.id, ack });
    });
  }

  const home = router.homeOpened();
  if (home) {
    app.event('app_home_opened', async ({ event, body, client }) => {
      const teamId = (body as { team_id?: string }).team_id ?? '';
      await home({ tab: event.tab, slackUserId: event.user, client, who: () => actors.actor(client, teamId, event.user) });
    });
  }

  app.error(async (err) => {
    log.error({ err }, 'slack app error');
  });
  return app;
}

/** The language of a failure: the person's, else the one Slack gave for them, which a refused link carries. */
function failureLocale(who: Who | undefined, err: unknown): string {
  return who?.actor.locale ?? (err instanceof IdentityRefused ? err.locale : 'en');
}
