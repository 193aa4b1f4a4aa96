import { z } from 'zod';
import { safeParseOwn } from '../core';

export type BotCommand =
  | { kind: 'help' }
  | { kind: 'call'; target: string }
  | { kind: 'hangup'; callId: string | undefined; target?: string | undefined }
  | { kind: 'recent' }
  | { kind: 'unknown'; text: string };

/** Data of the Action.Submit buttons on our cards. */
const cardAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('call'), target: z.string().min(1).max(64) }),
  z.object({ action: z.literal('hangup'), callId: z.string().min(1).max(128), target: z.string().max(100).optional() }),
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
    return action.data.action === 'call'
      ? { kind: 'call', target: action.data.target }
      : { kind: 'hangup', callId: action.data.callId, ...(action.data.target ? { target: action.data.target } : {}) };
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
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', text: plain.slice(0, 60) };
  }
}
