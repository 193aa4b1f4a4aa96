import { UserError } from '../../core';
import { callStatusReply, directoryChoiceReply } from '../personal-cards';
import { actorOf, personally, sentence, type PersonalDeps } from './personal';
import type { ListenerTurn, WebexCommandRouter } from './router';

/**
 * `call <number or name>` / `bel …` in a 1:1 space, and the Call buttons of the directory and
 * recent-calls cards: the same use case, number handling, dial policy and directory lookup as in
 * Teams and Slack (Calling.callNumberOrName). The person's own line rings first; the status is
 * posted as the call moves on, with Hang up while it lasts. Calling is personal: in a group space
 * it is refused, as the status and the buttons would be everyone's.
 */
export function register(router: WebexCommandRouter, deps: PersonalDeps): void {
  router.command({ call: 'en', dial: 'en', bel: 'nl', bellen: 'nl' }, (turn) =>
    personally(turn, deps, 'call', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.call.personalOnly'));
      if (turn.text === '') return turn.say(sentence(turn, 'webexbot.call.usage'));
      const calling = callingOf(deps);
      const actor = await actorOf(turn, deps);
      const outcome = await calling.callNumberOrName(actor, turn.text.slice(0, 200));
      if ('choices' in outcome) return turn.say(directoryChoiceReply(turn.language, turn.text.slice(0, 64), outcome.choices));
      const { callId, target, name } = outcome.placed;
      await follow(turn, deps, actor, callId, name ? `${name} (${target.display})` : target.display);
    }),
  );

  router.action('call', (turn, action) =>
    personally(turn, deps, 'card:call', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.call.personalOnly'));
      const actor = await actorOf(turn, deps);
      const placed = await callingOf(deps).placeCall(actor, action.target);
      await follow(turn, deps, actor, placed.callId, placed.target.display);
    }),
  );
}

export function callingOf(deps: PersonalDeps): NonNullable<PersonalDeps['calling']> {
  if (!deps.calling) throw new UserError('slack.calling.off');
  return deps.calling;
}

/**
 * Posts the ringing status with Hang up, then follows the call (CallWatcher, as in Teams): the
 * first change is posted once, and every later one edits that message in place (Edit a Message,
 * PUT /messages/{messageId}, https://developer.webex.com/docs/api/v1/messages/edit-a-message).
 * The card itself cannot be the one edited: "Edits of messages containing files or attachments
 * are not currently supported" (400), so the card stays as the call's start and its Hang up
 * button, and the line below it says how the call is now. Should an edit be refused (Webex allows
 * 10 per message), the state is posted anew rather than lost.
 */
async function follow(turn: ListenerTurn, deps: PersonalDeps, actor: Awaited<ReturnType<typeof actorOf>>, callId: string, shown: string): Promise<void> {
  await turn.say(callStatusReply(turn.language, { callId, target: shown, state: 'Alerting' }));
  let statusId: string | undefined;
  deps.watcher.watch('Alerting', () => callingOf(deps).callStatus(actor, callId), async (state) => {
    const { markdown } = callStatusReply(turn.language, { callId, target: shown, state });
    if (statusId) {
      const edited = await turn.edit(statusId, markdown).then(
        () => true,
        (err: unknown) => {
          deps.log.warn({ err }, 'could not edit a call status in Webex; posting it anew');
          return false;
        },
      );
      if (edited) return;
    }
    statusId = await turn.post(markdown);
  });
}
