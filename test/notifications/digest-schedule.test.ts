import { UserError, translate } from '../../core';
import { describeCadence, nextDueAt, parseDigestRequest, parseTimeOfDay, parseTimeZone, type DigestCadence } from '../../core/notifications/digests/schedule';

const ams = 'Europe/Amsterdam';
const at = (iso: string) => new Date(iso);
const next = (cadence: DigestCadence, zone: string, after: string) => nextDueAt(cadence, zone, at(after)).toISOString();

describe('when a scheduled digest is next due', () => {
  const daily9: DigestCadence = { kind: 'daily', at: '09:00' };

  it('is later today before the time, tomorrow at or after it', () => {
    expect(next(daily9, ams, '2026-12-01T07:59:00Z')).toBe('2026-12-01T08:00:00.000Z');
    // Exactly at the due time: the one due now is being sent, the next is tomorrow.
    expect(next(daily9, ams, '2026-12-01T08:00:00Z')).toBe('2026-12-02T08:00:00.000Z');
    expect(next(daily9, ams, '2026-12-01T15:00:00Z')).toBe('2026-12-02T08:00:00.000Z');
  });

  it('stays at 09:00 on the wall clock across both DST changes (Amsterdam: 07:00 UTC in summer, 08:00 in winter)', () => {
    // Spring forward: Sunday 29 March 2026, 02:00 → 03:00.
    expect(next(daily9, ams, '2026-03-28T09:00:00Z')).toBe('2026-03-29T07:00:00.000Z');
    expect(next(daily9, ams, '2026-03-29T07:00:00Z')).toBe('2026-03-30T07:00:00.000Z');
    // Fall back: Sunday 25 October 2026, 03:00 → 02:00.
    expect(next(daily9, ams, '2026-10-24T07:00:00Z')).toBe('2026-10-25T08:00:00.000Z');
    expect(next(daily9, ams, '2026-10-25T08:00:00Z')).toBe('2026-10-26T08:00:00.000Z');
  });

  it('moves a time inside the spring-forward gap to just after it, and keeps the usual time the next day', () => {
    const daily0230: DigestCadence = { kind: 'daily', at: '02:30' };
    // 02:30 does not exist on 29 March 2026 in Amsterdam: luxon gives 03:30 CEST (01:30 UTC).
    expect(next(daily0230, ams, '2026-03-28T12:00:00Z')).toBe('2026-03-29T01:30:00.000Z');
    expect(next(daily0230, ams, '2026-03-29T01:30:00Z')).toBe('2026-03-30T00:30:00.000Z');
  });

  it('is the named weekday, this week if still ahead, otherwise next week', () => {
    const monday9: DigestCadence = { kind: 'weekly', weekday: 1, at: '09:00' };
    // Tuesday 1 December 2026 → Monday 7 December.
    expect(next(monday9, ams, '2026-12-01T10:00:00Z')).toBe('2026-12-07T08:00:00.000Z');
    // Monday 7 December before 09:00 → that day; after → the Monday after.
    expect(next(monday9, ams, '2026-12-07T07:00:00Z')).toBe('2026-12-07T08:00:00.000Z');
    expect(next(monday9, ams, '2026-12-07T08:00:00Z')).toBe('2026-12-14T08:00:00.000Z');
    // Across the spring change: Monday 23 March 09:00 CET, then Monday 30 March 09:00 CEST.
    expect(next(monday9, ams, '2026-03-23T08:00:00Z')).toBe('2026-03-30T07:00:00.000Z');
  });

  it('follows the space’s own zone', () => {
    expect(next(daily9, 'Europe/London', '2026-12-01T10:00:00Z')).toBe('2026-12-02T09:00:00.000Z');
    expect(next(daily9, 'America/New_York', '2026-12-01T10:00:00Z')).toBe('2026-12-01T14:00:00.000Z');
  });
});

describe('reading a digest schedule', () => {
  it.each([
    [['daily', '09:00'], { kind: 'daily', at: '09:00' }],
    [['Daily', '9:00'], { kind: 'daily', at: '09:00' }],
    [['dagelijks', '17.30'], { kind: 'daily', at: '17:30' }],
    [['weekly', 'monday', '09:00'], { kind: 'weekly', weekday: 1, at: '09:00' }],
    [['wekelijks', 'vrijdag', '16:00'], { kind: 'weekly', weekday: 5, at: '16:00' }],
    [['weekly', 'SUNDAY', '0:05'], { kind: 'weekly', weekday: 7, at: '00:05' }],
    [['off'], { kind: 'off' }],
    [['uit'], { kind: 'off' }],
  ])('%j', (words, expected) => {
    expect(parseDigestRequest(words)).toEqual(expected);
  });

  const refusal = (fn: () => unknown): UserError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof UserError) return err;
      throw err;
    }
    throw new Error('not refused');
  };

  it.each([
    [['daily', '25:00'], 'digest.badTime'],
    [['daily', '09:60'], 'digest.badTime'],
    [['daily', 'nine'], 'digest.badTime'],
    [['weekly', 'someday', '09:00'], 'digest.badWeekday'],
    [['weekly', '09:00'], 'digest.usage'],
    [['daily'], 'digest.usage'],
    [['hourly', '09:00'], 'digest.usage'],
    [['off', 'now'], 'digest.usage'],
    [[], 'digest.usage'],
  ])('refuses %j with %s, in both languages', (words, key) => {
    const err = refusal(() => parseDigestRequest(words));
    expect(err.key).toBe(key);
    const en = translate('en', err.key, err.params);
    const nl = translate('nl', err.key, err.params);
    expect(en).not.toBe(nl);
    // Every parameter is filled in, and what the person typed is named back.
    for (const text of [en, nl]) expect(text).not.toMatch(/\{\w+\}/);
    if (key === 'digest.badTime') expect(en).toContain(words[1]);
  });

  it('checks time zones with luxon and spells them canonically', () => {
    expect(parseTimeZone('Europe/London')).toBe('Europe/London');
    expect(parseTimeZone('europe/amsterdam')).toBe('Europe/Amsterdam');
    for (const bad of ['Mars/Olympus', 'CET', '+02:00', 'Europe/London; drop table', '', 'x'.repeat(500)]) {
      const err = refusal(() => parseTimeZone(bad));
      expect(err.key).toBe('digest.badTimeZone');
      expect(translate('nl', err.key, err.params)).toContain('tijdzone');
    }
  });

  it('reads only real times of day', () => {
    expect(parseTimeOfDay('23:59')).toBe('23:59');
    expect(() => parseTimeOfDay('24:00')).toThrow(UserError);
  });

  it('describes a schedule in the space’s language', () => {
    expect(describeCadence({ kind: 'weekly', weekday: 1, at: '09:00' }, 'en')).toBe('weekly monday 09:00');
    expect(describeCadence({ kind: 'weekly', weekday: 1, at: '09:00' }, 'nl')).toBe('wekelijks maandag 09:00');
    expect(describeCadence({ kind: 'daily', at: '07:30' }, 'nl')).toBe('dagelijks 07:30');
  });
});
