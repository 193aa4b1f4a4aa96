import type { webApi } from '@slack/bolt';
import { checkMeetingRequest, parseSchedule, presentFailure } from '../../core';
import { invitationMessage, say, scheduledMessage, type SlackMessage } from '../messages';
import { readScheduleSubmission, SCHEDULE_CALLBACK_ID } from '../schedule-modal';
import type { SlackRouter } from './router';
import { dmInvitees, failureMessage, hostName, inviteesFor, type SlackListenerDeps } from './turn';

/**
 * The schedule modal's submission (opened by `/webex schedule` without a time). A time that
 * does not parse or is longer than the licence allows keeps the modal open with the reason
 * under the time field (Slack's response_action "errors", answered in the acknowledgement);
 * otherwise the meeting is scheduled and its answer, or the failure, sent by direct message.
 */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.view(SCHEDULE_CALLBACK_ID, async ({ who: { user, actor }, client, view, slackUserId, ack }) => {
    const submission = readScheduleSubmission(view);
    try {
      parseSchedule(`${submission.date} ${submission.time} ${submission.lengthMinutes}m`, {
        now: new Date(),
        timeZone: actor.timeZone,
        locale: actor.locale,
        maxLengthMinutes: checkMeetingRequest(user.licenceTier, { kind: 'space', scheduled: true }).maxLengthMinutes,
      });
    } catch (err) {
      // The modal stays open with the reason under the time field (an unexpected one with its reference).
      const presented = presentFailure(err, deps.log, 'slack');
      await ack({ response_action: 'errors', errors: { time: say(actor.locale, presented.key, presented.params) } });
      return;
    }
    await ack();
    let message: SlackMessage;
    try {
      const { invitees, locales } = await inviteesFor(deps, client, submission.invitees);
      const meeting = await deps.meetings.scheduleMeeting(actor, {
        when: { date: submission.date, time: submission.time, lengthMinutes: submission.lengthMinutes },
        invitees,
        ...(submission.title ? { title: submission.title } : {}),
        ...(submission.password ? { password: submission.password } : {}),
      });
      message = scheduledMessage(actor.locale, meeting, actor.timeZone);
      await dmInvitees(deps, client, locales, (l) => invitationMessage(l, meeting, hostName(user)));
    } catch (err) {
      message = await failureMessage(deps, actor.locale, user, err);
    }
    await client.chat.postMessage({ channel: slackUserId, text: message.text, ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}) });
  });
}
