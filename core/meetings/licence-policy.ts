import { UserError } from '../errors';
import type { MessageKey } from '../i18n';
import { licenceTiers, type LicenceTier } from '../store/schema';

/**
 * What a KPN EEN Webex licence allows for meetings, from the capacity table in
 * seed/dienstbeschrijving-kpn-een-met-webex.md ("De capaciteit van de pakketten van Webex")
 * and the package lists above it (Standaard: personal room, scheduling, PIN; Premium:
 * recording and transcription).
 */
export interface MeetingPolicy {
  tier: LicenceTier;
  /** "Max. aantal deelnemers ruimte meeting (Space)". */
  spaceMeetingParticipants: number;
  /** "Max. aantal deelnemers persoonlijke meeting ruimte"; undefined: no personal room. */
  personalRoomParticipants: number | undefined;
  /** "Maximale lengte vergadering"; undefined: unlimited ("onbeperkt"). */
  maxLengthMinutes: number | undefined;
  personalRoom: boolean;
  /** "Persoonlijke ruimte om vergaderingen te plannen" (Standaard and up). */
  scheduling: boolean;
  /** "Meeting beveiligen met pincode" (Standaard and up). */
  pinOrPassword: boolean;
  /** "Mogelijkheid tot opnemen van vergaderingen" (Premium). */
  recording: boolean;
  /** "Transcriptie" (Premium). */
  transcription: boolean;
}

const DAY = 24 * 60;

export const meetingPolicies: Readonly<Record<LicenceTier, MeetingPolicy>> = {
  Basis: {
    tier: 'Basis', spaceMeetingParticipants: 25, personalRoomParticipants: undefined, maxLengthMinutes: DAY,
    personalRoom: false, scheduling: false, pinOrPassword: false, recording: false, transcription: false,
  },
  Standaard: {
    tier: 'Standaard', spaceMeetingParticipants: 100, personalRoomParticipants: 100, maxLengthMinutes: DAY,
    personalRoom: true, scheduling: true, pinOrPassword: true, recording: false, transcription: false,
  },
  Premium: {
    tier: 'Premium', spaceMeetingParticipants: 300, personalRoomParticipants: 1000, maxLengthMinutes: undefined,
    personalRoom: true, scheduling: true, pinOrPassword: true, recording: true, transcription: true,
  },
};

export function policyFor(tier: LicenceTier): MeetingPolicy {
  return meetingPolicies[tier];
}

/** What a person asks for; absent fields are not asked for. */
export interface MeetingRequest {
  kind: 'space' | 'personalRoom';
  scheduled?: boolean;
  /** Including the host. */
  participants?: number;
  lengthMinutes?: number;
  password?: boolean;
  record?: boolean;
  transcribe?: boolean;
}

type Feature = 'personalRoom' | 'scheduling' | 'pinOrPassword' | 'recording' | 'transcription';

/** The lowest tier that has a feature, so the refusal can say which licence to ask for. */
function lowestTierWith(test: (p: MeetingPolicy) => boolean): LicenceTier | undefined {
  return licenceTiers.find((t) => test(meetingPolicies[t]));
}

const featureMessages = {
  personalRoom: 'meetings.licence.personalRoom',
  scheduling: 'meetings.licence.scheduling',
  pinOrPassword: 'meetings.licence.password',
  recording: 'meetings.licence.recording',
  transcription: 'meetings.licence.transcription',
} as const satisfies Record<Feature, MessageKey>;

function refuseFeature(policy: MeetingPolicy, feature: Feature): never {
  throw new UserError(featureMessages[feature], {
    tier: policy.tier,
    required: lowestTierWith((p) => p[feature]) ?? 'Premium',
  }, 403);
}

/** Throws a UserError naming the limit and the licence that has it; returns the policy when allowed. */
export function checkMeetingRequest(tier: LicenceTier, request: MeetingRequest): MeetingPolicy {
  const policy = policyFor(tier);
  if (request.kind === 'personalRoom' && !policy.personalRoom) refuseFeature(policy, 'personalRoom');
  if (request.scheduled && !policy.scheduling) refuseFeature(policy, 'scheduling');
  if (request.password && !policy.pinOrPassword) refuseFeature(policy, 'pinOrPassword');
  if (request.record && !policy.recording) refuseFeature(policy, 'recording');
  if (request.transcribe && !policy.transcription) refuseFeature(policy, 'transcription');

  const limitOf = (p: MeetingPolicy) => (request.kind === 'space' ? p.spaceMeetingParticipants : p.personalRoomParticipants ?? 0);
  if (request.participants !== undefined && request.participants > limitOf(policy)) {
    const participants = request.participants;
    throw new UserError('meetings.licence.participants', {
      requested: participants,
      limit: limitOf(policy),
      tier: policy.tier,
      required: lowestTierWith((p) => limitOf(p) >= participants) ?? 'none',
    }, 403);
  }
  if (request.lengthMinutes !== undefined && policy.maxLengthMinutes !== undefined && request.lengthMinutes > policy.maxLengthMinutes) {
    throw new UserError('meetings.licence.length', {
      requested: formatLength(request.lengthMinutes),
      limit: formatLength(policy.maxLengthMinutes),
      tier: policy.tier,
      required: lowestTierWith((p) => p.maxLengthMinutes === undefined) ?? 'Premium',
    }, 403);
  }
  return policy;
}

/** "1h30", "45m", "24h": the same notation the schedule parser accepts. */
export function formatLength(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${String(m).padStart(2, '0')}`;
}
