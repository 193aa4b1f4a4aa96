import { recentCallsCard } from '../cards';
import type { TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/** `recent` / `recents`: the person's recent calls, each with Call back. */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('recent', async (turn) => {
    const actor = await turn.actor();
    await turn.io.send({ card: recentCallsCard(turn.locale, await deps.calling.recentCalls(actor)) });
  });
}
