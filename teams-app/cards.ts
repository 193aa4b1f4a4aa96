import { meetingTime, translate, type CallLogEntry, type CallState, type DirectoryEntry, type Meeting, type MessageKey } from '../core';
import { escapeCardText } from './markdown';
import type { AdaptiveCard } from './turn';

/**
 * Adaptive Cards 1.4 (the version Teams renders on every client; adaptivecards.io schema).
 * Buttons are Action.Submit: in Teams their `data` comes back as the `value` of a message
 * activity, which the handler reads with parseCommand.
 */
function card(body: unknown[], actions: unknown[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

// Every TextBlock and FactSet value of every card is built here and escaped here, once: what
// they show (names from call logs and the directory, typed queries, error messages quoting
// input) is text, never markdown. Button titles are plain text in Adaptive Cards already.
const title = (text: string) => ({ type: 'TextBlock', text: escapeCardText(text), weight: 'Bolder', size: 'Medium', wrap: true });
const line = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: escapeCardText(text), wrap: true, ...extra });
const fact = (title: string, value: string) => ({ title: escapeCardText(title), value: escapeCardText(value) });

export interface CallCardState {
  callId: string;
  target: string;
  state: CallState;
}

/** The call status card: updated in place as the call goes Alerting -> Active -> Released. */
export function callStatusCard(locale: string | undefined, call: CallCardState): AdaptiveCard {
  const ended = call.state === 'Released';
  const status =
    call.state === 'Alerting' ? translate(locale, 'teams.card.alerting', { target: call.target })
    : ended ? translate(locale, 'teams.card.released', { target: call.target })
    : translate(locale, 'teams.card.active', { target: call.target });
  const actions = ended ? [] : [{ type: 'Action.Submit', title: translate(locale, 'teams.card.hangUp'), data: { action: 'hangup', callId: call.callId, target: call.target } }];
  return card([title(translate(locale, 'teams.card.calling', { target: call.target })), line(status, { isSubtle: ended })], actions);
}

/** Several directory hits for a name: one row per person, each with its own Call button. */
export function directoryChoiceCard(locale: string | undefined, query: string, entries: DirectoryEntry[], dialable: (e: DirectoryEntry) => string | undefined): AdaptiveCard {
  const rows = entries.flatMap((e) => {
    const target = dialable(e);
    if (!target) return [];
    return [{
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [line(e.displayName, { weight: 'Bolder' }), line([e.extension, e.number].filter(Boolean).join(' · '), { isSubtle: true, spacing: 'None' })] },
        {
          type: 'Column',
          width: 'auto',
          verticalContentAlignment: 'Center',
          items: [{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: translate(locale, 'teams.card.call'), data: { action: 'call', target } }] }],
        },
      ],
    }];
  });
  return card([line(translate(locale, 'teams.card.choose', { query })), ...rows]);
}

export function recentCallsCard(locale: string | undefined, entries: CallLogEntry[]): AdaptiveCard {
  if (entries.length === 0) return card([title(translate(locale, 'teams.card.recentTitle')), line(translate(locale, 'teams.card.noRecent'))]);
  const facts = entries.map((e) =>
    fact(
      translate(locale, e.type === 'placed' ? 'teams.card.placed' : e.type === 'received' ? 'teams.card.received' : 'teams.card.missed'),
      `${e.name ? `${e.name} · ` : ''}${e.phoneNumber} · ${when(locale, e.time)}`,
    ),
  );
  const redial = entries.slice(0, 5).map((e) => ({ type: 'Action.Submit', title: `${translate(locale, 'teams.card.call')} ${e.name ?? e.phoneNumber}`, data: { action: 'call', target: e.phoneNumber } }));
  return card([title(translate(locale, 'teams.card.recentTitle')), { type: 'FactSet', facts }], redial);
}

export function errorCard(locale: string | undefined, message: string): AdaptiveCard {
  return card([title(translate(locale, 'teams.card.errorTitle')), line(message, { color: 'Attention' })]);
}

/**
 * Written out here: the card's DATE()/TIME() functions work in TextBlocks only, not in
 * FactSet values. Dutch clock time, as KPN EEN users are in the Netherlands.
 */
function when(locale: string | undefined, time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return time;
  return new Intl.DateTimeFormat(locale?.startsWith('nl') ? 'nl-NL' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(ms);
}

/** One directory hit as a message-extension result: name, numbers and a Call button. */
export function directoryEntryCard(locale: string | undefined, entry: DirectoryEntry, target: string): AdaptiveCard {
  return card(
    [title(entry.displayName), line([entry.extension, entry.number, entry.email].filter(Boolean).join(' · '), { isSubtle: true })],
    [{ type: 'Action.Submit', title: translate(locale, 'teams.card.call'), data: { action: 'call', target } }],
  );
}

/** The numbers found in a message, each with a Call button (task module of the message action). */
export function numbersCard(locale: string | undefined, numbers: { display: string; target: string }[]): AdaptiveCard {
  return card(
    [title(translate(locale, 'teams.ext.chooseNumber'))],
    numbers.map((n) => ({ type: 'Action.Submit', title: `${translate(locale, 'teams.card.call')} ${n.display}`, data: { action: 'call', target: n.target } })),
  );
}

const openUrl = (text: string, url: string) => ({ type: 'Action.OpenUrl', title: text, url });

/** A Webex meeting that can be joined now or later: its title, time and a Join button (opens Webex). */
export function meetingCard(locale: string | undefined, meeting: Meeting, zone: string, heading: MessageKey): AdaptiveCard {
  return card(
    [title(translate(locale, heading, { title: meeting.title })), line(translate(locale, 'teams.meeting.when', { when: meetingTime(locale, meeting.start, zone), zone }), { isSubtle: true })],
    [openUrl(translate(locale, 'teams.meeting.join'), meeting.webLink)],
  );
}

/** The person's next meetings: each with Join (opens Webex) and Cancel (back to the bot with its number). */
export function meetingsListCard(locale: string | undefined, meetings: Meeting[], zone: string): AdaptiveCard {
  if (meetings.length === 0) return card([line(translate(locale, 'teams.meeting.none'))]);
  const rows = meetings.map((m, i) => ({
    type: 'Container',
    separator: i > 0,
    items: [
      line(`${i + 1}. ${m.title}`, { weight: 'Bolder' }),
      line(meetingTime(locale, m.start, zone), { isSubtle: true, spacing: 'None' }),
      {
        type: 'ActionSet',
        actions: [
          openUrl(translate(locale, 'teams.meeting.join'), m.webLink),
          { type: 'Action.Submit', title: translate(locale, 'teams.meeting.cancel'), data: { action: 'cancelMeeting', position: i + 1 } },
        ],
      },
    ],
  }));
  return card([title(translate(locale, 'teams.meeting.list', { count: meetings.length })), ...rows]);
}

/** Asks the person to connect their Webex account; the link is the same Connect link Slack gives. */
export function connectWebexCard(locale: string | undefined, url: string, reason: MessageKey): AdaptiveCard {
  return card([line(translate(locale, reason))], [openUrl(translate(locale, 'teams.meeting.connect'), url)]);
}
