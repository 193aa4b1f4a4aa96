/**
 * The `Meetings` port: what een-bridge needs from Webex Meetings, in its own words. The REST
 * implementation is webex-meetings.ts; field names follow
 * https://developer.webex.com/docs/api/v1/meetings.
 */
export interface MeetingInvitee {
  email: string;
  displayName?: string;
}

export interface NewMeeting {
  title: string;
  start: Date;
  end: Date;
  /** IANA zone; Webex shows start and end in it. */
  timeZone: string;
  password?: string;
  invitees: MeetingInvitee[];
  /** Webex `enabledAutoRecordMeeting`. */
  autoRecord: boolean;
}

export interface Meeting {
  id: string;
  title: string;
  /** ISO-8601 as Webex returns it. */
  start: string;
  end: string;
  timeZone: string;
  webLink: string;
  meetingNumber: string;
  password: string | undefined;
  state: string;
  hostEmail: string | undefined;
  sipAddress: string | undefined;
}

export interface PersonalRoom {
  link: string;
  topic: string | undefined;
  sipAddress: string | undefined;
}

export interface WebexIdentity {
  id: string;
  emails: string[];
  displayName: string;
}

/** A person's Webex access: the current token, and one forced refresh after a 401. */
export interface WebexCredentials {
  accessToken(): Promise<string>;
  /** Refreshes and returns the new token; throws UserError('meetings.reconnect') when it cannot. */
  refresh(): Promise<string>;
}

export interface Meetings {
  create(credentials: WebexCredentials, meeting: NewMeeting): Promise<Meeting>;
  /** Scheduled meetings (not series) starting in [from, to), soonest first. */
  listUpcoming(credentials: WebexCredentials, range: { from: Date; to: Date; max: number }): Promise<Meeting[]>;
  get(credentials: WebexCredentials, id: string): Promise<Meeting>;
  delete(credentials: WebexCredentials, id: string): Promise<void>;
  personalRoom(credentials: WebexCredentials): Promise<PersonalRoom>;
  me(credentials: WebexCredentials): Promise<WebexIdentity>;
}
