import { UserError, describeCadence, escapeMarkdown, localDueTime, parseDigestRequest, type DigestSchedule, type DigestSchedules, type Language, type MessageKey, type MessageParams } from '../core';
import type { BotReply } from './cards';

/** `digest …` and `timezone …` / `tijdzone …`: a space's scheduled digest (issue 15). */
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

/**
 * Carries out a digest command for a space, once the caller checked the person may change the
 * space. A bad schedule or zone changes nothing and is answered with what was wrong.
 */
export async function runDigestCommand(command: DigestCommand, spaceId: string, by: string, digests: DigestSchedules, language: Language, t: T): Promise<BotReply> {
  try {
    if (command.name === 'timeZone') {
      if (command.zone === undefined) return { markdown: t('digest.timeZoneUsage', { zone: (await digests.get(spaceId)).timeZone }) };
      const s = await digests.setTimeZone(spaceId, command.zone, by);
      return { markdown: s.cadence && s.nextDueAt ? t('digest.timeZoneMoved', { zone: s.timeZone, next: localDueTime(new Date(s.nextDueAt), s.timeZone) }) : t('digest.timeZoneSet', { zone: s.timeZone }) };
    }
    if (command.words.length === 0) {
      const s = await digests.get(spaceId);
      return { markdown: s.cadence ? digestStatus(s, language, t) : t('digest.usage') };
    }
    const request = parseDigestRequest(command.words);
    const before = await digests.get(spaceId);
    const s = await digests.set(spaceId, request, by);
    if (!s.cadence) return { markdown: before.waiting > 0 ? t('digest.stoppedFlush', { count: before.waiting }) : t('digest.stopped') };
    return { markdown: t('digest.scheduled', { schedule: describeCadence(s.cadence, language), zone: s.timeZone, next: localDueTime(new Date(s.nextDueAt!), s.timeZone) }) };
  } catch (err) {
    if (err instanceof UserError) return { markdown: t(err.key, Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, escapeMarkdown(String(v))]))) };
    throw err;
  }
}

/** "Digest: daily 09:00 (Europe/Amsterdam), next 2026-12-02 09:00; 3 changes collected." — or '' without one. */
export function digestStatus(s: DigestSchedule, language: Language, t: T): string {
  if (!s.cadence || !s.nextDueAt) return '';
  return t('digest.status', { schedule: describeCadence(s.cadence, language), zone: s.timeZone, next: localDueTime(new Date(s.nextDueAt), s.timeZone), count: s.waiting });
}
