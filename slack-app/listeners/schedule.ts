import type { webApi } from '@slack/bolt';
import { checkMeetingRequest } from '../../core';
import { invitationMessage, scheduledMessage } from '../messages';
import { scheduleModal } from '../schedule-modal';
import type { SlackRouter } from './router';
import { dmInvitees, hostName, inviteesFor, type SlackListenerDeps } from './turn';

/**
 * `/webex schedule <when> [@someone …]` (plan, plannen): a meeting at the time typed, with
 * invitations by direct message. Without a time it opens the schedule modal (its submission is
 * schedule-submit.ts), once the licence allows scheduling at all.
 */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('schedule', async ({ who: { user, actor }, client, respond, triggerId, channelId }, command) => {
    const zone = actor.timeZone;
    if (command.text === '') {
      checkMeetingRequest(user.licenceTier, { kind: 'space', scheduled: true });
      await client.views.open({ trigger_id: triggerId, view: scheduleModal(actor.locale, zone, { channelId }) as unknown as webApi.View });
      return;
    }
    const { invitees, locales } = await inviteesFor(deps, client, command.mentions);
    const meeting = await deps.meetings.scheduleMeeting(actor, { when: { text: command.text }, invitees });
    await respond(scheduledMessage(actor.locale, meeting, zone));
    await dmInvitees(deps, client, locales, (l) => invitationMessage(l, meeting, hostName(user)));
  });
}
