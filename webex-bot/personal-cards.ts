import { dialableOf, escapeMarkdown, meetingTime, own, translate, type CallLogEntry, type CallState, type DirectoryEntry, type Language, type Meeting, type MessageKey } from '../core';
import { card, heading, paragraph, type BotReply } from './cards';

// Calling and meetings in Webex (issue 14) say the same things as the Teams cards and the Slack
// messages: the texts are the shared catalogue entries (teams.card.*, teams.meeting.*), only the
// rendering is Webex's. Every reply is markdown first (what clients without cards, screen
// readers and search get) with an Adaptive Card 1.3 beside it whose `speak` says the same.
// Webex renders Adaptive Cards of that version, with Action.Submit (back to the bot as an
// attachmentActions event) and Action.OpenUrl, also inside an ActionSet ("Buttons and Cards",
// https://developer.webex.com/docs/buttons-and-cards).

/** The `data` of the buttons on these cards; read back by personalActionOf. */
export type PersonalAction =
  | { action: 'call'; target: string; lang: Language }
  | { action: 'hangup'; callId: string; target: string; lang: Language }
  /** Cancel button of the meetings list: its number in that list (MeetingService keeps the list). */
  | { action: 'cancelMeeting'; position: number; lang: Language };

const submit = (title: string, data: PersonalAction, style?: 'positive' | 'destructive') => ({ type: 'Action.Submit', title: title.slice(0, 80), data, ...(style ? { style } : {}) });
const openUrl = (title: string, url: string) => ({ type: 'Action.OpenUrl', title, url });

/** The call's state, with Hang up while it is not over; a new one is posted as the call moves on. */
export function callStatusReply(language: Language, call: { callId: string; target: string; state: CallState }): BotReply {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(language, key, params);
  const ended = call.state === 'Released';
  const statusKey: MessageKey = call.state === 'Alerting' ? 'teams.card.alerting' : ended ? 'teams.card.released' : 'teams.card.active';
  const title = t('teams.card.calling', { target: call.target });
  const status = t(statusKey, { target: call.target });
  const actions = ended ? [] : [submit(t('teams.card.hangUp'), { action: 'hangup', callId: call.callId, target: call.target.slice(0, 100), lang: language }, 'destructive')];
  return {
    markdown: `**${escapeMarkdown(title)}**\n\n${escapeMarkdown(status)}${ended ? '' : `\n\n${escapeMarkdown(t('webexbot.call.hangUpHint'))}`}`,
    card: card(language, `${title}. ${status}`, [heading(title), paragraph(status)], actions),
  };
}

/** Several directory hits for a name: one row per person, each with its own Call button. */
export function directoryChoiceReply(language: Language, query: string, entries: DirectoryEntry[]): BotReply {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(language, key, params);
  const rows = entries.flatMap((e) => {
    const target = dialableOf(e);
    return target ? [{ entry: e, target, detail: [e.extension, e.number].filter(Boolean).join(' · ') }] : [];
  });
  const intro = t('teams.card.choose', { query });
  const lines = rows.map((r, i) => `${i + 1}. **${escapeMarkdown(r.entry.displayName)}**${r.detail ? ` ${escapeMarkdown(r.detail)}` : ''}`);
  return {
    markdown: `${escapeMarkdown(intro)}\n\n${lines.join('\n')}\n\n${escapeMarkdown(t('webexbot.call.chooseHint'))}`,
    card: card(language, `${intro} ${rows.map((r) => r.entry.displayName).join(', ')}.`, [
      paragraph(intro),
      ...rows.map((r) => ({
        type: 'ColumnSet',
        separator: true,
        columns: [
          { type: 'Column', width: 'stretch', verticalContentAlignment: 'Center', items: [{ ...paragraph(r.entry.displayName), weight: 'Bolder' }, { ...paragraph(r.detail), isSubtle: true, spacing: 'None' }] },
          { type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [submit(`${t('teams.card.call')} ${r.entry.displayName}`, { action: 'call', target: r.target, lang: language }, 'positive')] }] },
        ],
      })),
    ]),
  };
}

/** Recent calls, the first five with Call back. */
export function recentCallsReply(language: Language, calls: CallLogEntry[]): BotReply {
  const t = (key: MessageKey, params?: Record<string, string>) => translate(language, key, params);
  const title = t('teams.card.recentTitle');
  if (calls.length === 0) return { markdown: escapeMarkdown(t('teams.card.noRecent')) };
  const kind = (c: CallLogEntry) => t(c.type === 'placed' ? 'teams.card.placed' : c.type === 'received' ? 'teams.card.received' : 'teams.card.missed');
  const line = (c: CallLogEntry) => `${kind(c)}: ${c.name ? `${c.name} · ` : ''}${c.phoneNumber} · ${when(language, c.time)}`;
  return {
    markdown: `**${escapeMarkdown(title)}**\n\n${calls.map((c) => `- ${escapeMarkdown(line(c))}`).join('\n')}`,
    card: card(
      language,
      `${title}. ${calls.map(line).join('. ')}.`,
      [heading(title), ...calls.map((c) => ({ ...paragraph(line(c)), spacing: 'Small' }))],
      calls.slice(0, 5).map((c) => submit(`${t('teams.card.call')} ${c.name ?? c.phoneNumber}`, { action: 'call', target: c.phoneNumber.slice(0, 64), lang: language })),
    ),
  };
}

/** A meeting that can be joined now: its title, time and a Join button (opens Webex). */
export function meetingReply(language: Language, meeting: Meeting, zone: string, invited: number): BotReply {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
  const title = t('teams.meeting.started', { title: meeting.title });
  const time = t('teams.meeting.when', { when: meetingTime(language, meeting.start, zone), zone });
  const who = t('webexbot.meet.invited', { count: invited });
  return {
    markdown: `**${escapeMarkdown(title)}**\n\n${escapeMarkdown(time)} · ${escapeMarkdown(who)}\n\n[${escapeMarkdown(t('teams.meeting.join'))}](${meeting.webLink})`,
    card: card(language, `${title}. ${time}. ${who}.`, [heading(title), paragraph(time), paragraph(who)], [openUrl(t('teams.meeting.join'), meeting.webLink)]),
  };
}

/** A planned (or cancelled) meeting: title, time, and Join while it is still on. */
export function plannedReply(language: Language, meeting: Meeting, zone: string, kind: 'teams.meeting.scheduled' | 'teams.meeting.cancelled'): BotReply {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
  const title = t(kind, { title: meeting.title });
  const time = t('teams.meeting.when', { when: meetingTime(language, meeting.start, zone), zone });
  const join = kind === 'teams.meeting.scheduled';
  return {
    markdown: `**${escapeMarkdown(title)}**\n\n${escapeMarkdown(time)}${join ? `\n\n[${escapeMarkdown(t('teams.meeting.join'))}](${meeting.webLink})` : ''}`,
    card: card(language, `${title}. ${time}.`, [join ? heading(title) : paragraph(title), paragraph(time)], join ? [openUrl(t('teams.meeting.join'), meeting.webLink)] : []),
  };
}

/** The person's next meetings, numbered: each with Join (opens Webex) and Cancel (back to the bot with its number). */
export function meetingsListReply(language: Language, meetings: Meeting[], zone: string): BotReply {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(language, key, params);
  if (meetings.length === 0) return { markdown: escapeMarkdown(t('teams.meeting.none')) };
  const title = t('teams.meeting.list', { count: meetings.length });
  const line = (m: Meeting, i: number) => `${i + 1}. ${m.title} · ${meetingTime(language, m.start, zone)}`;
  return {
    markdown: `**${escapeMarkdown(title)}**\n\n${meetings.map((m, i) => `${escapeMarkdown(line(m, i))} · [${escapeMarkdown(t('teams.meeting.join'))}](${m.webLink})`).join('\n')}\n\n${escapeMarkdown(t('webexbot.meetings.cancelHint'))}`,
    card: card(language, `${title}. ${meetings.map(line).join('. ')}.`, [
      heading(title),
      ...meetings.map((m, i) => ({
        type: 'Container',
        separator: i > 0,
        items: [
          { ...paragraph(`${i + 1}. ${m.title}`), weight: 'Bolder' },
          { ...paragraph(meetingTime(language, m.start, zone)), isSubtle: true, spacing: 'None' },
          {
            type: 'ActionSet',
            actions: [
              openUrl(t('teams.meeting.join'), m.webLink),
              submit(`${t('teams.meeting.cancel')} ${i + 1}`, { action: 'cancelMeeting', position: i + 1, lang: language }, 'destructive'),
            ],
          },
        ],
      })),
    ]),
  };
}

/** Asks the person to connect their Webex account: the same Connect link Slack and Teams give. */
export function connectWebexReply(language: Language, url: string, reason: MessageKey): BotReply {
  const t = (key: MessageKey) => translate(language, key);
  return {
    markdown: `${escapeMarkdown(t(reason))}\n\n[${escapeMarkdown(t('teams.meeting.connect'))}](${url})`,
    card: card(language, t(reason), [paragraph(t(reason))], [openUrl(t('teams.meeting.connect'), url)]),
  };
}

/** The `data` of a pressed button, if it is one of these cards'; anything else is undefined. */
export function personalActionOf(inputs: unknown): PersonalAction | undefined {
  if (!inputs || typeof inputs !== 'object') return undefined;
  const lang: Language = own(inputs, 'lang') === 'nl' ? 'nl' : 'en';
  const target = own(inputs, 'target');
  if (own(inputs, 'action') === 'call' && typeof target === 'string' && target.length > 0 && target.length <= 64) return { action: 'call', target, lang };
  const position = own(inputs, 'position');
  if (own(inputs, 'action') === 'cancelMeeting' && typeof position === 'number' && Number.isInteger(position) && position >= 1 && position <= 100) return { action: 'cancelMeeting', position, lang };
  const callId = own(inputs, 'callId');
  if (own(inputs, 'action') === 'hangup' && typeof callId === 'string' && callId.length > 0 && callId.length <= 128) {
    return { action: 'hangup', callId, target: typeof target === 'string' ? target.slice(0, 100) : '', lang };
  }
  return undefined;
}

/** Dutch clock time, as KPN EEN users are in the Netherlands (the same as the Teams card). */
function when(language: Language, time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return time;
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(ms);
}
