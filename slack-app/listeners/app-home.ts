import type { webApi } from '@slack/bolt';
import { IdentityRefused } from '../../core';
import { homeView } from '../home-tab';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/**
 * App Home (Slack's app_home_opened event, tab "home"): connection state, licence and upcoming
 * meetings. Events are acknowledged by Bolt before this runs; a slow or failing Webex only
 * leaves the list out.
 */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.onHomeOpened(async ({ tab, slackUserId, client, who }) => {
    if (tab !== 'home') return;
    try {
      const { user, actor } = await who();
      const connected = await deps.accounts.isConnected(user.id);
      const meetingsNow = connected
        ? await deps.meetings.listMeetings(actor).catch((err: unknown) => {
            deps.log.warn({ err }, 'app home: webex list failed');
            return undefined;
          })
        : undefined;
      const connectUrl = connected ? undefined : await deps.accounts.beginConnect(user.id, 'slack');
      await client.views.publish({ user_id: slackUserId, view: homeView(user, { connected, connectUrl, meetings: meetingsNow }) as unknown as webApi.HomeView });
    } catch (err) {
      // A refused link is a decision (audited), not a failure; the person is told at their next command.
      if (err instanceof IdentityRefused) deps.log.info({ key: err.key }, 'app home: identity not linked');
      else deps.log.error({ err }, 'app home failed');
    }
  });
}
