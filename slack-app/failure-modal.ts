import type { types } from '@slack/bolt';
import { say, type SlackMessage } from './messages';

/**
 * What a modal shows when its submission cannot be handled at all (the person is refused, say):
 * the reason in their language, in place of the form (Slack's response_action "update" in the
 * acknowledgement replaces the view; https://api.slack.com/surfaces/modals#updating_response).
 * Without it Slack closes the modal on an empty acknowledgement, or shows its own error in no
 * one's language when none comes within 3 s, and nothing else would tell the person why.
 */
export function failureModal(locale: string, message: SlackMessage): types.ModalView {
  return {
    type: 'modal',
    // Slack allows at most 24 characters in a modal's title (Block Kit, view object).
    title: { type: 'plain_text', text: say(locale, 'slack.modal.title').slice(0, 24) },
    close: { type: 'plain_text', text: say(locale, 'slack.modal.dismiss') },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: message.text } }],
  };
}
