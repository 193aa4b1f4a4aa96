/**
 * GET /meetingPreferences/personalMeetingRoom, the shape of
 * https://developer.webex.com/docs/api/v1/meeting-preferences/get-personal-meeting-room-options
 */
import { randomInt } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { WebexContext, WebexPerson } from './webex-emulator';

export function personalRoomFeature(server: Server, base: string, ctx: WebexContext): void {
  const pins = new Map<string, string>();
  server.get(`${base}/meetingPreferences/personalMeetingRoom`, ...ctx.authenticated((_req: Request, res: Response, person: WebexPerson) => {
    const local = (person.emails[0] ?? person.id).split('@')[0]!.replace(/[^a-z0-9.]/gi, '').toLowerCase() || 'room';
    const hostPin = pins.get(person.id) ?? String(randomInt(1000, 9999));
    pins.set(person.id, hostPin);
    res.send(200, {
      topic: `${person.displayName}'s Personal Room`,
      hostPin,
      personalMeetingRoomLink: `https://sandbox.webex.com/meet/${local}`,
      enabledAutoLock: false,
      autoLockMinutes: 10,
      enabledNotifyHost: true,
      supportCoHost: false,
      supportAnyoneAsCoHost: false,
      allowFirstUserToBeCoHost: false,
      allowAuthenticatedDevices: false,
      coHosts: [],
      sipAddress: `${local}@sandbox.webex.com`,
      dialInIpAddress: '173.243.2.68',
      telephony: {
        accessCode: String(randomInt(100_000_000, 999_999_999)),
        callInNumbers: [{ label: 'Call-in number (Netherlands)', callInNumber: '+31208080759', tollType: 'toll' }],
        links: [],
      },
    });
  }));
}
