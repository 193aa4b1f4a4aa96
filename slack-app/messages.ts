import { meetingTime, translate, type Meeting, type MessageKey, type MessageParams } from '../core';

/** Slack's mrkdwn control characters (api.slack.com/reference/surfaces/formatting#escaping). */
export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface SlackMessage {
  text: string;
  blocks?: unknown[];
  response_type?: 'in_channel' | 'ephemeral';
  replace_original?: boolean;
}

export function say(locale: string, key: MessageKey, params: MessageParams = {}): string {
  return translate(locale, key, params);
}

export function when(locale: string, iso: string, zone: string): string {
  return meetingTime(locale, iso, zone);
}

function section(text: string, button?: { text: string; url: string; actionId: string }): unknown {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text },
    ...(button ? { accessory: { type: 'button', text: { type: 'plain_text', text: button.text }, url: button.url, action_id: button.actionId, style: 'primary' } } : {}),
  };
}

export function plain(locale: string, key: MessageKey, params: MessageParams = {}): SlackMessage {
  return { response_type: 'ephemeral', text: say(locale, key, params) };
}

/** The Join message for a meeting that starts now. */
export function startedMessage(locale: string, meeting: Meeting, host: string, inChannel: boolean): SlackMessage {
  const text = say(locale, 'slack.meeting.started', { name: escapeMrkdwn(host), title: escapeMrkdwn(meeting.title) });
  return {
    response_type: inChannel ? 'in_channel' : 'ephemeral',
    text: `${text} ${meeting.webLink}`,
    blocks: [section(text, { text: say(locale, 'slack.button.join'), url: meeting.webLink, actionId: 'webex_join' })],
  };
}

export function invitationMessage(locale: string, meeting: Meeting, host: string): SlackMessage {
  const text = say(locale, 'slack.meeting.invited', { name: escapeMrkdwn(host), title: escapeMrkdwn(meeting.title) });
  return { text: `${text} ${meeting.webLink}`, blocks: [section(text, { text: say(locale, 'slack.button.join'), url: meeting.webLink, actionId: 'webex_join' })] };
}

export function scheduledMessage(locale: string, meeting: Meeting, zone: string): SlackMessage {
  const minutes = Math.round((Date.parse(meeting.end) - Date.parse(meeting.start)) / 60_000);
  const text = say(locale, 'slack.meeting.scheduled', { title: escapeMrkdwn(meeting.title), when: when(locale, meeting.start, zone), zone, minutes });
  return {
    response_type: 'ephemeral',
    text: `${text} ${meeting.webLink}`,
    blocks: [section(text, { text: say(locale, 'slack.button.join'), url: meeting.webLink, actionId: 'webex_join' })],
  };
}

export function listMessage(locale: string, meetings: Meeting[], zone: string): SlackMessage {
  if (meetings.length === 0) return plain(locale, 'slack.list.empty');
  const lines = meetings.map((m, i) =>
    section(say(locale, 'slack.list.item', { number: i + 1, when: when(locale, m.start, zone), title: escapeMrkdwn(m.title) }), {
      text: say(locale, 'slack.button.join'),
      url: m.webLink,
      actionId: `webex_join_${i + 1}`,
    }),
  );
  const header = say(locale, 'slack.list.header', { count: meetings.length });
  return {
    response_type: 'ephemeral',
    text: [header, ...meetings.map((m, i) => `${i + 1}. ${when(locale, m.start, zone)} ${escapeMrkdwn(m.title)}`)].join('\n'),
    blocks: [section(header), ...lines, { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(say(locale, 'slack.list.cancelHint')) }] }],
  };
}

export function connectMessage(locale: string, url: string, reason: MessageKey = 'slack.connect.prompt'): SlackMessage {
  const text = say(locale, reason);
  return { response_type: 'ephemeral', text: `${text} ${url}`, blocks: [section(text, { text: say(locale, 'slack.button.connect'), url, actionId: 'webex_connect' })] };
}

export function helpMessage(locale: string, unknown?: string): SlackMessage {
  const intro = unknown ? `${say(locale, 'slack.help.unknown', { word: escapeMrkdwn(unknown) })}\n\n` : '';
  return { response_type: 'ephemeral', text: intro + say(locale, 'slack.help') };
}
