import { callStatusReply } from '../personal-cards';
import { callingOf } from './call';
import { actorOf, personally, sentence, type PersonalDeps } from './personal';
import type { WebexCommandRouter } from './router';

/**
 * `hangup` / `hang up` / `ophangen` in a 1:1 space ends every call on the person's line; the Hang
 * up button of a status card ends that call (only the person's own: calls are addressed under
 * their line, so another's is "not found").
 */
export function register(router: WebexCommandRouter, deps: PersonalDeps): void {
  router.command({ hangup: 'en', ophangen: 'nl' }, (turn) =>
    personally(turn, deps, 'hangup', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.call.personalOnly'));
      await callingOf(deps).hangUpCurrent(await actorOf(turn, deps));
      await turn.say(sentence(turn, 'teams.hungUp'));
    }),
  );

  router.action('hangup', (turn, action) =>
    personally(turn, deps, 'card:hangup', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.call.personalOnly'));
      await callingOf(deps).hangUp(await actorOf(turn, deps), action.callId);
      await turn.say(callStatusReply(turn.language, { callId: action.callId, target: action.target, state: 'Released' }));
    }),
  );
}
