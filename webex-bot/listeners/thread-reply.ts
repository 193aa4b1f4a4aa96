import type { ReplyAnswer } from '../../core';
import { replyCard, transitionsCard, type BotReply } from '../cards';
import type { WebexCommandRouter } from './router';
import type { EventDeps } from './events';

/**
 * A reply in a thread: to one of our notifications, it goes to Jira or Trello as a comment and
 * the answer goes into that thread; any other thread message is a command like any other.
 */
export function register(router: WebexCommandRouter, deps: EventDeps): void {
  const replies = deps.replies;
  if (!replies) return;
  router.on('threadReply', async (space, author, parentId, text) => {
    const reply = await replies.reply(author, parentId, text);
    if (!reply) return false;
    await space.say(replyAnswer(reply), parentId);
    return true;
  });
}

/** A reply's answer as the bot says it: markdown, and a card with its buttons where there are some. */
export function replyAnswer(answer: ReplyAnswer): BotReply {
  if (answer.transitions) return { markdown: answer.markdown, card: transitionsCard(answer.language, answer.markdown, answer.transitions) };
  if (answer.url) return { markdown: answer.markdown, card: replyCard(answer.language, answer.markdown, answer.url, answer.jiraIssue !== undefined) };
  return { markdown: answer.markdown };
}
