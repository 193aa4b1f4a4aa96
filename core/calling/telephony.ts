/**
 * The `Telephony` port: what the calling use cases need from KPN EEN. The BroadWorks
 * Xsi-Actions client implements it; tests may pass a fake. `userId` is always the
 * BroadWorks user id of the line that acts (e.g. 0201234567@kpneen.nl).
 */
export interface Telephony {
  /** Click-to-dial: rings the user's own device, then dials `address`. Never retried. */
  placeCall(userId: string, address: string): Promise<CallStart>;
  activeCalls(userId: string): Promise<string[]>;
  /** Undefined when the call no longer exists (released). */
  call(userId: string, callId: string): Promise<CallDetail | undefined>;
  hangUp(userId: string, callId: string): Promise<void>;
  callLogs(userId: string): Promise<CallLogEntry[]>;
  /** Enterprise directory as seen by `userId`; every given field must match. */
  searchDirectory(userId: string, query: DirectoryQuery): Promise<DirectoryEntry[]>;
}

export interface CallStart {
  callId: string;
  externalTrackingId: string | undefined;
}

/** Xsi call states (Xsi spec, Call element): Alerting, Active, Held, Released, … */
export type CallState = 'Alerting' | 'Active' | 'Held' | 'Detached' | 'Released' | (string & {});

export interface CallDetail {
  callId: string;
  state: CallState;
  /** tel:+31612345678 or the extension. */
  remoteAddress: string | undefined;
  remoteName: string | undefined;
  startTime: Date | undefined;
  answerTime: Date | undefined;
}

export interface CallLogEntry {
  type: 'placed' | 'received' | 'missed';
  callLogId: string;
  phoneNumber: string;
  countryCode: string | undefined;
  name: string | undefined;
  time: string;
}

export interface DirectoryQuery {
  name?: string;
  number?: string;
  extension?: string;
  email?: string;
  /** At most this many entries (Xsi `results`). */
  limit?: number;
}

export interface DirectoryEntry {
  userId: string;
  firstName: string | undefined;
  lastName: string | undefined;
  displayName: string;
  number: string | undefined;
  extension: string | undefined;
  mobile: string | undefined;
  email: string | undefined;
  groupId: string | undefined;
}
