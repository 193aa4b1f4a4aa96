import { DateTime } from 'luxon';
import type { MessageKey } from '../core';
import { say } from './messages';

export const SCHEDULE_CALLBACK_ID = 'webex_schedule';
const LENGTHS = [15, 30, 45, 60, 90, 120];

const label = (locale: string, key: MessageKey) => ({ type: 'plain_text', text: say(locale, key) });

/** The `/webex schedule` modal (api.slack.com/reference/surfaces/views, block kit inputs). */
export function scheduleModal(locale: string, timeZone: string, metadata: { channelId: string }): Record<string, unknown> {
  const tomorrow = DateTime.now().setZone(timeZone).plus({ days: 1 }).toISODate();
  const option = (m: number) => ({ text: { type: 'plain_text', text: say(locale, 'slack.modal.minutes', { minutes: m }) }, value: String(m) });
  return {
    type: 'modal',
    callback_id: SCHEDULE_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: label(locale, 'slack.modal.title'),
    submit: label(locale, 'slack.modal.submit'),
    close: label(locale, 'slack.modal.close'),
    blocks: [
      { type: 'input', block_id: 'date', label: label(locale, 'slack.modal.date'), element: { type: 'datepicker', action_id: 'value', initial_date: tomorrow } },
      { type: 'input', block_id: 'time', label: label(locale, 'slack.modal.time'), element: { type: 'timepicker', action_id: 'value', initial_time: '10:00' } },
      {
        type: 'input',
        block_id: 'length',
        label: label(locale, 'slack.modal.length'),
        element: { type: 'static_select', action_id: 'value', initial_option: option(30), options: LENGTHS.map(option) },
      },
      { type: 'input', block_id: 'title', label: label(locale, 'slack.modal.titleField'), element: { type: 'plain_text_input', action_id: 'value', max_length: 128 } },
      { type: 'input', block_id: 'invitees', optional: true, label: label(locale, 'slack.modal.invitees'), element: { type: 'multi_users_select', action_id: 'value' } },
      { type: 'input', block_id: 'password', optional: true, label: label(locale, 'slack.modal.password'), element: { type: 'plain_text_input', action_id: 'value', max_length: 64 } },
    ],
  };
}

export interface ScheduleSubmission {
  date: string;
  time: string;
  lengthMinutes: number;
  title: string | undefined;
  invitees: string[];
  password: string | undefined;
  channelId: string | undefined;
}

type StateValues = Record<string, Record<string, { selected_date?: string; selected_time?: string; selected_option?: { value?: string }; value?: string | null; selected_users?: string[] }>>;

/** Reads `view.state.values` of a view_submission; anything missing comes back empty. */
export function readScheduleSubmission(view: { state?: { values?: unknown }; private_metadata?: string }): ScheduleSubmission {
  const values = (view.state?.values ?? {}) as StateValues;
  const v = (block: string) => values[block]?.value;
  let channelId: string | undefined;
  try {
    channelId = (JSON.parse(view.private_metadata ?? '{}') as { channelId?: string }).channelId;
  } catch {
    channelId = undefined;
  }
  return {
    date: v('date')?.selected_date ?? '',
    time: v('time')?.selected_time ?? '',
    lengthMinutes: Number(v('length')?.selected_option?.value ?? 30),
    title: v('title')?.value?.trim() || undefined,
    invitees: (v('invitees')?.selected_users ?? []).filter((u) => /^[UW][A-Z0-9]+$/.test(u)),
    password: v('password')?.value?.trim() || undefined,
    channelId,
  };
}
