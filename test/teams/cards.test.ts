import type { CallLogEntry, DirectoryEntry } from '../../core';
import { callStatusCard, directoryChoiceCard, recentCallsCard } from '../../teams-app/cards';

const entry = (firstName: string, extension: string | undefined, number: string | undefined): DirectoryEntry => ({
  userId: `${firstName}@k`, firstName, lastName: 'X', displayName: `${firstName} X`, number, extension, mobile: undefined, email: undefined, groupId: undefined,
});

describe('Teams cards', () => {
  it('offers Hang up until the call is released', () => {
    const live = callStatusCard('en-US', { callId: 'c1', target: '06 12345678', state: 'Active' });
    expect(JSON.stringify(live)).toContain('Connected with 06 12345678.');
    expect(live.actions).toEqual([{ type: 'Action.Submit', title: 'Hang up', data: { action: 'hangup', callId: 'c1', target: '06 12345678' } }]);
    const ended = callStatusCard('nl-NL', { callId: 'c1', target: '06 12345678', state: 'Released' });
    expect(JSON.stringify(ended)).toContain('Gesprek met 06 12345678 beëindigd.');
    expect(ended.actions).toBeUndefined();
    expect(ended).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
  });

  it('lists only people it can dial, each with its own Call button', () => {
    const card = directoryChoiceCard('en', 'x', [entry('A', '1001', undefined), entry('B', undefined, undefined), entry('C', undefined, '+31201234567')], (e) => e.extension ?? e.number);
    const text = JSON.stringify(card);
    expect(text.match(/"action":"call"/g)).toHaveLength(2);
    expect(text).toContain('"target":"1001"');
    expect(text).toContain('"target":"+31201234567"');
    expect(text).not.toContain('B X');
  });

  it('writes recent call times in Dutch time and offers redial', () => {
    const calls: CallLogEntry[] = [{ type: 'missed', callLogId: '1', phoneNumber: '0612345678', countryCode: '31', name: 'Klant', time: '2026-11-27T09:30:00.000Z' }];
    const card = JSON.stringify(recentCallsCard('nl-NL', calls));
    expect(card).toContain('Gemist');
    expect(card).toMatch(/Klant · 0612345678 · 27-11-2026,? 10:30/);
    expect(card).toContain('"target":"0612345678"');
    expect(JSON.stringify(recentCallsCard('en', []))).toContain('You have no recent calls.');
  });
});
