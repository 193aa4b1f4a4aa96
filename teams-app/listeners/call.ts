import { dialableOf } from '../../core';
import { callStatusCard, directoryChoiceCard } from '../cards';
import type { TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/**
 * `call <number or name>` / `bel …`, and the Call button of the directory and recent-calls
 * cards: the person's own line rings, then dials out (Calling.callNumberOrName: number handling,
 * dial policy, directory lookup). Several directory hits are offered as a card to choose from;
 * the status card is updated in place as the call moves on (CallWatcher).
 */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('call', async (turn, command) => {
    const { io, locale } = turn;
    const actor = await turn.actor();
    const outcome = await deps.calling.callNumberOrName(actor, command.target);
    if ('choices' in outcome) {
      await io.send({ card: directoryChoiceCard(locale, command.target, outcome.choices, dialableOf) });
      return;
    }
    const { callId, target, name } = outcome.placed;
    const shown = { callId, target: name ? `${name} (${target.display})` : target.display, state: 'Alerting' as const };
    const activityId = await io.send({ card: callStatusCard(locale, shown) });
    if (activityId) {
      const later = io.later();
      deps.watcher.watch('Alerting', () => deps.calling.callStatus(actor, callId), (state) => later(activityId, { card: callStatusCard(locale, { ...shown, state }) }));
    }
  });
}
