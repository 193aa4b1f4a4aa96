import { dialableOf, translate, type CallLogEntry, type CallState, type DirectoryEntry } from '../core';
import { escapeMrkdwn, type SlackMessage } from './messages';

// Calling from Slack (issue 14) says the same things as the Teams cards, in Block Kit: the call
// texts are shared catalogue entries, only the rendering is Slack's.

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  text: { type: 'plain_text', text: text.slice(0, 75) },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

const section = (text: string, accessory?: unknown) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...(accessory ? { accessory } : {}) });

/** The call's state, with Hang up while it is not over; replaced in place as the call moves on. */
export function callStatusMessage(locale: string, call: { callId: string; target: string; state: CallState }): SlackMessage {
  const target = escapeMrkdwn(call.target);
  const ended = call.state === 'Released';
  const status =
    call.state === 'Alerting' ? translate(locale, 'teams.card.alerting', { target })
    : ended ? translate(locale, 'teams.card.released', { target })
    : translate(locale, 'teams.card.active', { target });
  const heading = `*${translate(locale, 'teams.card.calling', { target })}*`;
  return {
    text: `${heading}\n${status}`,
    blocks: [section(`${heading}\n${status}`, ended ? undefined : button(translate(locale, 'teams.card.hangUp'), 'webex_hangup', call.callId, 'danger'))],
    response_type: 'ephemeral',
    replace_original: true,
  };
}

/** Several directory hits for a name: one row per person with its own Call button. */
export function directoryChoiceMessage(locale: string, query: string, entries: DirectoryEntry[]): SlackMessage {
  const text = translate(locale, 'teams.card.choose', { query: escapeMrkdwn(query) });
  const rows = entries.flatMap((e, i) => {
    const target = dialableOf(e);
    if (!target) return [];
    const detail = [e.number, e.extension ? `ext. ${e.extension}` : undefined].filter(Boolean).join(' · ');
    return [section(`*${escapeMrkdwn(e.displayName)}*${detail ? `\n${escapeMrkdwn(detail)}` : ''}`, button(translate(locale, 'teams.card.call'), `webex_call_${i}`, target, 'primary'))];
  });
  return { text, blocks: [section(text), ...rows], response_type: 'ephemeral' };
}

/** Recent calls, each with Call back. */
export function recentCallsMessage(locale: string, calls: CallLogEntry[]): SlackMessage {
  if (calls.length === 0) return { text: translate(locale, 'teams.card.noRecent'), response_type: 'ephemeral' };
  const title = `*${translate(locale, 'teams.card.recentTitle')}*`;
  const kind = (c: CallLogEntry) => translate(locale, c.type === 'placed' ? 'teams.card.placed' : c.type === 'received' ? 'teams.card.received' : 'teams.card.missed');
  const rows = calls.map((c, i) =>
    section(`*${escapeMrkdwn(c.name ?? c.phoneNumber)}* ${escapeMrkdwn(c.phoneNumber)}\n${kind(c)} · ${escapeMrkdwn(c.time)}`, button(translate(locale, 'teams.card.call'), `webex_call_${i}`, c.phoneNumber)),
  );
  return { text: title, blocks: [section(title), ...rows], response_type: 'ephemeral' };
}
