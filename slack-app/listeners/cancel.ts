import { escapeMrkdwn, plain, when } from '../messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** `/webex cancel <n>` (annuleer): cancels the n-th meeting of `list`; without a number, how to use it. */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('cancel', async ({ who: { actor }, respond }, command) => {
    const locale = actor.locale;
    if (command.number === undefined) return void (await respond(plain(locale, 'slack.cancel.usage')));
    const meeting = await deps.meetings.cancelMeeting(actor, command.number);
    await respond(plain(locale, 'slack.cancelled', { title: escapeMrkdwn(meeting.title), when: when(locale, meeting.start, actor.timeZone) }));
  });
}
