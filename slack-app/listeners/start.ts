import { invitationMessage, startedMessage } from '../messages';
import type { SlackRouter } from './router';
import { dmInvitees, hostName, inviteesFor, type SlackListenerDeps } from './turn';

/**
 * `/webex [@someone …] [private] [title]`: an instant meeting. Its link is posted (in the
 * channel unless `private`), and each mentioned person gets an invitation by direct message.
 */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('start', async ({ who: { user, actor }, client, respond }, command) => {
    const host = hostName(user);
    const { invitees, locales } = await inviteesFor(deps, client, command.mentions);
    const meeting = await deps.meetings.startMeeting(actor, { invitees, ...(command.title ? { title: command.title } : {}) });
    await respond(startedMessage(actor.locale, meeting, host, !command.private));
    await dmInvitees(deps, client, locales, (l) => invitationMessage(l, meeting, host));
  });
}
