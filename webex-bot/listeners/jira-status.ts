import type { WebexCommandRouter } from './router';
import type { EventDeps } from './events';
import { replyAnswer } from './thread-reply';

/**
 * The "Change status" button of a reply card (Jira's transitions now, one button each) and a
 * "Move to …" button (that transition). Which issue: the pressed card's thread says (the inputs
 * only choose the move); the answer goes into that thread.
 */
export function register(router: WebexCommandRouter, deps: EventDeps): void {
  const replies = deps.replies;
  if (!replies) return;
  router.on('jiraStatus', async (space, author, pressedMessageId, action) => {
    const answer = action.action === 'jiraTransitions' ? await replies.transitions(author, pressedMessageId, action.lang) : await replies.transition(author, pressedMessageId, action.transitionId ?? '', action.lang);
    await space.say(replyAnswer(answer), threadOf(await deps.webex.get(pressedMessageId).catch(() => undefined)));
  });
}

/** Webex threads are one level deep: an answer to a message in a thread goes into that thread. */
function threadOf(message: { id: string; parentId?: string } | undefined): string | undefined {
  return message ? (message.parentId ?? message.id) : undefined;
}
