import { z } from 'zod';
import { safeParseOwn } from '../core';

export type BotCommand =
  | { kind: 'help' }
  | { kind: 'call'; target: string }
  | { kind: 'hangup'; callId: string | undefined; target?: string | undefined }
  | { kind: 'recent' }
  /** `meet [title]` starts a meeting now; `meet tomorrow 14:00 30m Review` plans one (the text decides). */
  | { kind: 'meet'; text: string }
  /** `plan …` always plans a meeting. */
  | { kind: 'plan'; text: string }
  | { kind: 'meetings' }
  | { kind: 'cancelMeeting'; position: number | undefined }
  | { kind: 'connectWebex' }
  | { kind: 'unknown'; text: string };

/** Data of the Action.Submit buttons on our cards. */
const cardAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('call'), target: z.string().min(1).max(64) }),
  z.object({ action: z.literal('hangup'), callId: z.string().min(1).max(128), target: z.string().max(100).optional() }),
  z.object({ action: z.literal('cancelMeeting'), position: z.number().int().min(1).max(100) }),
]);

const words: Record<string, BotCommand['kind']> = {
  call: 'call',
  bel: 'call',
  bellen: 'call',
  dial: 'call',
  hangup: 'hangup',
  ophangen: 'hangup',
  recent: 'recent',
  recents: 'recent',
  meet: 'meet',
  vergader: 'meet',
  vergaderen: 'meet',
  plan: 'plan',
  plannen: 'plan',
  schedule: 'plan',
  meetings: 'meetings',
  vergaderingen: 'meetings',
  cancel: 'cancelMeeting',
  annuleer: 'cancelMeeting',
  annuleren: 'cancelMeeting',
  connect: 'connectWebex',
  koppel: 'connectWebex',
  koppelen: 'connectWebex',
  help: 'help',
  hulp: 'help',
  '?': 'help',
};

/**
 * Reads a command in English or Dutch. In channels Teams puts the bot's mention in the
 * text as <at>name</at> (Teams docs, "Channel and group chat conversations with a bot"),
 * which is dropped with any other markup.
 */
export function parseCommand(text: string | undefined, value: unknown): BotCommand {
  const action = safeParseOwn(cardAction, value);
  if (action.success) {
    switch (action.data.action) {
      case 'call':
        return { kind: 'call', target: action.data.target };
      case 'cancelMeeting':
        return { kind: 'cancelMeeting', position: action.data.position };
      case 'hangup':
        return { kind: 'hangup', callId: action.data.callId, ...(action.data.target ? { target: action.data.target } : {}) };
    }
  }
  const plain = (text ?? '')
    .slice(0, 500)
    .replace(/<at>.*?<\/at>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain === '') return { kind: 'help' };
  const normalised = plain.replace(/^hang up\b/i, 'hangup');
  const [first = '', ...rest] = normalised.split(' ');
  const kind = words[first.toLowerCase()];
  switch (kind) {
    case 'call':
      return { kind: 'call', target: rest.join(' ') };
    case 'hangup':
      return { kind: 'hangup', callId: undefined };
    case 'recent':
      return { kind: 'recent' };
    case 'meet':
    case 'plan':
      return { kind, text: rest.join(' ') };
    case 'meetings':
      return { kind: 'meetings' };
    case 'cancelMeeting': {
      const n = /^#?(\d{1,3})$/.exec(rest.join(' ').trim());
      return { kind: 'cancelMeeting', position: n ? Number(n[1]) : undefined };
    }
    case 'connectWebex':
      return { kind: 'connectWebex' };
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', text: plain.slice(0, 60) };
  }
}
