import type { App } from '@slack/bolt';
import type { Server } from 'restify';
import { type Calling, type Identity, type Logger, type MeetingService, type SeenSignatures, type WebexAccounts, type WorkspaceInstallations } from '../core';
import { lazyRoute } from '../inbound';
import { SlackActors } from './actors';
import { installationAuthorize, type SlackAuthorization } from './installations';
import { mountSlackInstall, type SlackInstallOptions } from './oauth-install';
import { RestifyReceiver } from './receiver';
import { SLACK_SIGNATURE_WINDOW_SECONDS } from './signature';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackMeetingsOptions {
  server: Server;
  /** Installed workspaces with their sealed bot tokens, and used install states (core's store). */
  installations: WorkspaceInstallations;
  /** Signatures seen before, to refuse a replay (core's ReplayGuard), made for Slack's window. */
  seenSignatures: (windowSeconds: number) => SeenSignatures;
  /** The Identity façade: links a Slack identity (team + user id) to the person een-bridge knows. */
  identity: Identity;
  log: Logger;
  /** The meetings capability, wired once in the composition root and shared with Teams. */
  meetings: MeetingService;
  /** Webex account links; the Connect link and OAuth callback are mounted by the composition root. */
  accounts: WebexAccounts;
  /** KPN EEN calling, shared with Teams (`/webex call`); undefined when Xsi is off. */
  calling?: Calling | undefined;
  slack: {
    signingSecret: string;
    /** SLACK_BOT_TOKEN for a single workspace; installations in the store win over it. */
    singleToken: SlackAuthorization | undefined;
    /** The Slack Web API base; undefined for the real one. Asked once, at the first request. */
    apiUrl: () => string | undefined;
    /** Which response_url the app may follow (real mode: Slack's own host only); absent: any (sandbox). */
    responseUrlAllowed?: (url: string) => boolean;
    /** Multi-workspace OAuth install (SLACK_CLIENT_ID / SLACK_CLIENT_SECRET); absent: single workspace. */
    install?: Omit<SlackInstallOptions, 'installations' | 'log'>;
  };
}

export interface SlackMeetings {
  meetings: MeetingService;
  accounts: WebexAccounts;
  installations: WorkspaceInstallations;
  /**
   * The Bolt app, built at the first request: the sandbox API URL is known only after listen, and
   * @slack/bolt (about 300 modules) is loaded then, not before /readyz (issue 17).
   */
  app(): Promise<App>;
}

/** Mounts the /webex Slack app on the shared meetings capability (and the multi-workspace install). */
export function mountSlackMeetings(options: SlackMeetingsOptions): SlackMeetings {
  const { installations, log, server, meetings, accounts } = options;
  const receiver = new RestifyReceiver({
    signingSecret: options.slack.signingSecret,
    replay: options.seenSignatures(SLACK_SIGNATURE_WINDOW_SECONDS),
    log,
    ...(options.slack.responseUrlAllowed ? { responseUrlAllowed: options.slack.responseUrlAllowed } : {}),
  });
  let app: Promise<App> | undefined;
  const getApp = () =>
    (app ??= import('./slack-app').then(({ createSlackApp }) =>
      createSlackApp({
        receiver,
        authorize: installationAuthorize(installations, options.slack.singleToken),
        slackApiUrl: options.slack.apiUrl(),
        meetings,
        accounts,
        actors: new SlackActors(options.identity),
        calling: options.calling,
        log,
      }),
    )).catch((err: unknown) => {
      // Tried again at the next request.
      app = undefined;
      throw err;
    });

  const handle = receiver.handler();
  server.post(SLACK_EVENTS_PATH, lazyRoute(() => getApp().then(() => handle), log, 'slack'));
  if (options.slack.install) mountSlackInstall(server, { ...options.slack.install, installations, log, served: (teamId) => options.identity.organisationServed('slack-team', teamId) });
  return { meetings, accounts, installations, app: getApp };
}
