import { callStatusCard } from '../cards';
import { teamsText } from '../markdown';
import type { TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/**
 * `hangup` / `hang up` / `ophangen` ends every call on the person's line; the Hang up button of a
 * status card ends that call, and the card it sits on is shown as ended.
 */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('hangup', async (turn, command) => {
    const { io, locale } = turn;
    const actor = await turn.actor();
    if (!command.callId) {
      await deps.calling.hangUpCurrent(actor);
      await io.send({ text: teamsText(locale, 'teams.hungUp') });
      return;
    }
    await deps.calling.hangUp(actor, command.callId);
    // The button sits on the status card it came from: show that card as ended.
    if (turn.turn.replyToId) await io.update(turn.turn.replyToId, { card: callStatusCard(locale, { callId: command.callId, target: command.target ?? '', state: 'Released' }) });
    else await io.send({ text: teamsText(locale, 'teams.hungUp') });
  });
}
