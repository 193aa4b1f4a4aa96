import { recentCallsReply } from '../personal-cards';
import { callingOf } from './call';
import { actorOf, personally, sentence, type PersonalDeps } from './personal';
import type { WebexCommandRouter } from './router';

/** `recent` / `recente gesprekken` in a 1:1 space: the person's recent calls, each with Call back. */
export function register(router: WebexCommandRouter, deps: PersonalDeps): void {
  router.command({ recent: 'en', recents: 'en', recente: 'nl', gesprekken: 'nl' }, (turn) =>
    personally(turn, deps, 'recent', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.call.personalOnly'));
      const calls = await callingOf(deps).recentCalls(await actorOf(turn, deps));
      await turn.say(recentCallsReply(turn.language, calls));
    }),
  );
}
