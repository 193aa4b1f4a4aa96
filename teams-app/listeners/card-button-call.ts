import { errorCard } from '../cards';
import { parseCommand } from '../commands';
import { INVOKE_DEADLINE_MS, LATE, withinDeadline } from '../invoke-deadline';
import { failureText, type TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/**
 * The Call button of a directory card a user put into a chat with the message extension.
 * Teams sends the button's data as the invoke value and expects 200 without a body
 * (botbuilder-js teamsActivityHandler.ts: handleTeamsMessagingExtensionCardButtonClicked, then
 * createInvokeResponse()). The clicker's own phone rings; that is the confirmation. A refusal
 * can only be told in the chat: the bot tries, and when it is not a member of that chat the Bot
 * Connector refuses (403 BotNotInConversationRoster) and the refusal is only logged.
 */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.invoke('composeExtension/onCardButtonClicked', async (turn) => {
    const { io, locale } = turn;
    const command = parseCommand(undefined, turn.turn.value);
    if (command.kind !== 'call') return { status: 400 };
    try {
      const placing = turn.actor().then((actor) => deps.calling.placeCall(actor, command.target));
      // Answered before Teams sends the invoke (and so the call) again; a late refusal is logged.
      const placed = await withinDeadline(placing, INVOKE_DEADLINE_MS, (err) => failureText(deps, locale, err));
      if (placed === LATE) deps.log.warn({ conversationType: turn.turn.conversationType }, 'card button call still being placed at the invoke deadline');
    } catch (err) {
      const message = failureText(deps, locale, err);
      await io.send({ card: errorCard(locale, message) }).catch((sendErr: unknown) => {
        deps.log.warn({ err: sendErr, conversationType: turn.turn.conversationType }, 'could not tell a card button refusal in the chat');
      });
    }
    return { status: 200 };
  });
}
