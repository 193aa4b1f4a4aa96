import { DateTime } from 'luxon';
import { languageOf } from '../i18n';

/** A meeting's time as every surface shows it: "Tue 1 Dec 2026 14:00" / "di 1 dec 2026 14:00", in the person's zone. */
export function meetingTime(locale: string | undefined, iso: string, zone: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zone).setLocale(languageOf(locale) === 'nl' ? 'nl' : 'en-GB').toFormat('ccc d LLL yyyy HH:mm');
}
