import { checkMeetingRequest, meetingPolicies, translate, UserError, type LicenceTier, type MeetingRequest } from '../../core';

function refusal(tier: LicenceTier, request: MeetingRequest): UserError {
  try {
    checkMeetingRequest(tier, request);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('the request was allowed');
}

// One test per row of "De capaciteit van de pakketten van Webex" and per feature in the
// package lists of seed/dienstbeschrijving-kpn-een-met-webex.md.
describe('the licence policy follows the seed table', () => {
  it.each<[LicenceTier, number]>([['Basis', 25], ['Standaard', 100], ['Premium', 300]])(
    'space meeting participants: %s allows %i and not one more',
    (tier, limit) => {
      expect(meetingPolicies[tier].spaceMeetingParticipants).toBe(limit);
      expect(() => checkMeetingRequest(tier, { kind: 'space', participants: limit })).not.toThrow();
      const err = refusal(tier, { kind: 'space', participants: limit + 1 });
      expect(err.key).toBe('meetings.licence.participants');
      expect(err.params).toMatchObject({ limit, tier, requested: limit + 1 });
    },
  );

  it.each<[LicenceTier, number | undefined]>([['Basis', undefined], ['Standaard', 100], ['Premium', 1000]])(
    'personal room participants: %s allows %s',
    (tier, limit) => {
      expect(meetingPolicies[tier].personalRoomParticipants).toBe(limit);
      if (limit === undefined) {
        expect(refusal(tier, { kind: 'personalRoom', participants: 2 }).key).toBe('meetings.licence.personalRoom');
        return;
      }
      expect(() => checkMeetingRequest(tier, { kind: 'personalRoom', participants: limit })).not.toThrow();
      expect(refusal(tier, { kind: 'personalRoom', participants: limit + 1 }).params).toMatchObject({ limit, tier });
    },
  );

  it.each<[LicenceTier, number | undefined]>([['Basis', 1440], ['Standaard', 1440], ['Premium', undefined]])(
    'maximum length: %s allows %s minutes',
    (tier, limit) => {
      expect(meetingPolicies[tier].maxLengthMinutes).toBe(limit);
      if (limit === undefined) {
        expect(() => checkMeetingRequest(tier, { kind: 'space', lengthMinutes: 7 * 1440 })).not.toThrow();
        return;
      }
      expect(() => checkMeetingRequest(tier, { kind: 'space', lengthMinutes: limit })).not.toThrow();
      const err = refusal(tier, { kind: 'space', lengthMinutes: limit + 1 });
      expect(err.key).toBe('meetings.licence.length');
      expect(err.params).toMatchObject({ limit: '24h', tier, required: 'Premium' });
    },
  );

  it.each<[keyof MeetingRequest, string, LicenceTier]>([
    ['scheduled', 'meetings.licence.scheduling', 'Standaard'],
    ['password', 'meetings.licence.password', 'Standaard'],
    ['record', 'meetings.licence.recording', 'Premium'],
    ['transcribe', 'meetings.licence.transcription', 'Premium'],
  ])('%s needs %s from Webex %s up', (field, key, required) => {
    const request = { kind: 'space', [field]: true } as MeetingRequest;
    for (const tier of ['Basis', 'Standaard', 'Premium'] as const) {
      const allowed = tier === 'Premium' || (tier === 'Standaard' && required === 'Standaard');
      if (allowed) expect(() => checkMeetingRequest(tier, request)).not.toThrow();
      else expect(refusal(tier, request)).toMatchObject({ key, params: { tier, required } });
    }
  });

  it('a refusal names the limit and the licence that has it, in both languages', () => {
    const err = refusal('Basis', { kind: 'space', participants: 40 });
    expect(translate('en', err.key, err.params)).toBe('Webex Basis allows at most 25 participants; you asked for 40. Webex Standaard allows that many.');
    expect(translate('nl', err.key, err.params)).toBe('Webex Basis staat maximaal 25 deelnemers toe; je vroeg er 40. Webex Standaard staat er zoveel toe.');
    const big = refusal('Standaard', { kind: 'space', participants: 250 });
    expect(big.params.required).toBe('Premium');
    expect(translate('en', 'meetings.licence.scheduling', refusal('Basis', { kind: 'space', scheduled: true }).params)).toMatch(/Webex Standaard or higher; your licence is Webex Basis/);
  });
});
