import { describeCadence, localDueTime, type DigestSchedule, type Language, type MessageKey, type MessageParams } from '../core';

/** `digest …` and `timezone …` / `tijdzone …`: a space's scheduled digest (issue 15); carried out by webex-bot/listeners/digest.ts and time-zone.ts. */
export type DigestCommand = { name: 'digest'; words: string[] } | { name: 'timeZone'; zone: string | undefined };

const dutchCadence = new Set(['dagelijks', 'wekelijks', 'uit']);

/**
 * Reads a digest command, or answers undefined for any other. `digest` is the same word in both
 * languages, so the word after it says which one the person speaks (`digest dagelijks 09:00`).
 */
export function parseDigestCommand(first: string, rest: string[]): { language: Language; command: DigestCommand } | undefined {
  if (first === 'digest') {
    const language: Language = dutchCadence.has((rest[0] ?? '').toLowerCase()) ? 'nl' : 'en';
    return { language, command: { name: 'digest', words: rest } };
  }
  if (first === 'timezone' || first === 'tijdzone') return { language: first === 'tijdzone' ? 'nl' : 'en', command: { name: 'timeZone', zone: rest.join(' ').trim() || undefined } };
  return undefined;
}

/** The words `framework.hears` listens for besides the other commands. */
export const DIGEST_COMMAND_WORDS = ['digest', 'timezone', 'tijdzone'] as const;

type T = (key: MessageKey, params?: MessageParams) => string;

/** "Digest: daily 09:00 (Europe/Amsterdam), next 2026-12-02 09:00; 3 changes collected." — or '' without one. */
export function digestStatus(s: DigestSchedule, language: Language, t: T): string {
  if (!s.cadence || !s.nextDueAt) return '';
  return t('digest.status', { schedule: describeCadence(s.cadence, language), zone: s.timeZone, next: localDueTime(new Date(s.nextDueAt), s.timeZone), count: s.waiting });
}
