/** What a `/webex …` line asks for. Slack escapes mentions as `<@U123|name>` (api.slack.com/interactivity/slash-commands, "escaping"). */
export type WebexCommand =
  | { kind: 'start'; mentions: string[]; private: boolean; title: string | undefined }
  | { kind: 'schedule'; text: string; mentions: string[] }
  | { kind: 'list' }
  | { kind: 'cancel'; number: number | undefined }
  | { kind: 'connect' }
  | { kind: 'disconnect' }
  | { kind: 'room' }
  /** Calling from Slack (issue 14): ring the person's KPN EEN line, then dial. */
  | { kind: 'call'; target: string }
  | { kind: 'recent' }
  | { kind: 'hangup' }
  | { kind: 'help'; unknown: string | undefined };

const mentionPattern = /<@([UW][A-Z0-9]{2,20})(?:\|[^>]*)?>/g;

function mentionsIn(text: string): { ids: string[]; rest: string } {
  const ids = [...text.matchAll(mentionPattern)].map((m) => m[1]!);
  return { ids: [...new Set(ids)], rest: text.replace(mentionPattern, ' ').replace(/\s+/g, ' ').trim() };
}

const words: Record<string, WebexCommand['kind']> = {
  schedule: 'schedule', plan: 'schedule', plannen: 'schedule',
  list: 'list', lijst: 'list',
  cancel: 'cancel', annuleer: 'cancel', annuleren: 'cancel',
  connect: 'connect', koppel: 'connect', koppelen: 'connect',
  disconnect: 'disconnect', ontkoppel: 'disconnect', ontkoppelen: 'disconnect',
  room: 'room', ruimte: 'room',
  call: 'call', bel: 'call', bellen: 'call',
  recent: 'recent', recents: 'recent',
  hangup: 'hangup', ophangen: 'hangup',
  help: 'help', hulp: 'help', '?': 'help',
};

const privateWords = new Set(['private', 'privé', 'prive']);

export function parseWebexCommand(text: string | undefined): WebexCommand {
  const trimmed = (text ?? '').trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const remainder = rest.join(' ');
  const kind = words[first.toLowerCase()];
  switch (kind) {
    case 'schedule': {
      const { ids, rest: scheduleText } = mentionsIn(remainder);
      return { kind: 'schedule', text: scheduleText, mentions: ids };
    }
    case 'cancel': {
      const n = /^#?(\d{1,3})$/.exec(remainder.trim());
      return { kind: 'cancel', number: n ? Number(n[1]) : undefined };
    }
    case 'call':
      return { kind: 'call', target: remainder.trim() };
    case 'recent':
    case 'hangup':
    case 'list':
    case 'connect':
    case 'disconnect':
    case 'room':
      return { kind };
    case 'help':
      return { kind: 'help', unknown: undefined };
    default:
      break;
  }
  // No subcommand: an instant meeting, with whoever is mentioned and an optional title.
  const { ids, rest: afterMentions } = mentionsIn(trimmed);
  const tokens = afterMentions.split(/\s+/).filter(Boolean);
  const isPrivate = tokens.some((t) => privateWords.has(t.toLowerCase()));
  const titleWords = tokens.filter((t) => !privateWords.has(t.toLowerCase()));
  // A single unknown word with no mentions is more likely a mistyped subcommand than a title.
  if (ids.length === 0 && titleWords.length === 1 && !isPrivate) return { kind: 'help', unknown: titleWords[0] };
  return { kind: 'start', mentions: ids, private: isPrivate, title: titleWords.length > 0 ? titleWords.join(' ') : undefined };
}
