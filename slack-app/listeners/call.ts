import { UserError, type Actor, type CallState } from '../../core';
import { callStatusMessage, directoryChoiceMessage } from '../calling-messages';
import { plain } from '../messages';
import type { RespondFn, SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/**
 * Places a call for the person (the dial policy of their Slack workspace, as Teams uses its
 * tenant's) and keeps its status message current: Alerting, then Active, then ended. Slack
 * lets a response_url be used five times in 30 minutes (api.slack.com/interactivity/handling,
 * "Message responses"), enough for the three changes of a call. Several directory hits are
 * offered as Call buttons (call-button.ts).
 */
export async function placeCall(deps: SlackListenerDeps, actor: Actor, target: string, respond: RespondFn): Promise<void> {
  if (!deps.calling) throw new UserError('slack.calling.off');
  const calling = deps.calling;
  // The one Actor (issue 14): its organisation is the Slack team, the dial policy's tenant.
  const outcome = await calling.callNumberOrName(actor, target);
  if ('choices' in outcome) return void (await respond(directoryChoiceMessage(actor.locale, target, outcome.choices)));
  const { callId, target: dialled, name } = outcome.placed;
  const shown = name ? `${name} (${dialled.display})` : dialled.display;
  await respond(callStatusMessage(actor.locale, { callId, target: shown, state: 'Alerting' }));
  let last: CallState = 'Alerting';
  const started = Date.now();
  const poll = async (): Promise<void> => {
    const detail = await calling.callStatus(actor, callId).catch(() => undefined);
    const state: CallState = detail?.state ?? 'Released';
    if (state !== last) {
      last = state;
      await respond(callStatusMessage(actor.locale, { callId, target: shown, state })).catch((err: unknown) => deps.log.warn({ err }, 'could not update a call status in Slack'));
    }
    if (state !== 'Released' && Date.now() - started < 10 * 60_000) setTimeout(() => void poll(), deps.callPollMs ?? 1000).unref();
  };
  setTimeout(() => void poll(), deps.callPollMs ?? 1000).unref();
}

/** `/webex call <number or name>` (bel, bellen): the person's own KPN EEN line rings, then dials out. */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('call', async ({ who: { actor }, respond }, command) => {
    if (command.target === '') return void (await respond(plain(actor.locale, 'slack.call.usage')));
    await placeCall(deps, actor, command.target, respond);
  });
}
