import { UserError } from '../../core';
import { connectWebexReply } from '../personal-cards';
import { personally, sentence, whoOf, type PersonalDeps } from './personal';
import type { WebexCommandRouter } from './router';

/**
 * `connect` / `koppel` in a 1:1 space: the Connect link for the person's Webex account, the same
 * OAuth flow and the same stored link as in Slack and Teams (WebexAccounts, one per core user), so
 * a person connected in one of them is connected here too. In a group space the link would be
 * anyone's to open: it is refused there.
 */
export function register(router: WebexCommandRouter, deps: PersonalDeps): void {
  router.command({ connect: 'en', koppel: 'nl', koppelen: 'nl' }, (turn) =>
    personally(turn, deps, 'connect', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.meetings.personalOnly'));
      if (!deps.meetings) throw new UserError('teams.meeting.off');
      const { user } = await whoOf(turn, deps);
      if (await deps.meetings.accounts.isConnected(user.id)) return turn.say(sentence(turn, 'teams.meeting.connected'));
      await turn.say(connectWebexReply(turn.language, await deps.meetings.accounts.beginConnect(user.id, 'webex'), 'webexbot.connect.prompt'));
    }),
  );
}
