/** The page's own words, in Dutch and English like every message a person reads. */
export interface Texts {
  title: string;
  dial: string;
  number: string;
  numberHint: string;
  pad: string;
  /** Accessible names of the pad's keys that are not digits. */
  star: string;
  hash: string;
  deleteDigit: string;
  call: string;
  /** "Call Anna de Vries": a Call button's accessible name says whom it calls. */
  callWho: (who: string) => string;
  hangup: string;
  directory: string;
  searchLabel: string;
  search: string;
  noHits: string;
  recent: string;
  noRecent: string;
  line: (number: string) => string;
  notLinked: string;
  /** Call log kinds (BroadWorks CallLogs: placed, received, missed). */
  kinds: Record<string, string>;
  /** Call states as /api/tab/calls/:id reports them (BroadWorks personality states). */
  states: Record<string, string>;
}

const en: Texts = {
  title: 'KPN EEN calling',
  dial: 'Dial',
  number: 'Number',
  numberHint: 'Number or extension',
  pad: 'Dial pad',
  star: 'star',
  hash: 'hash',
  deleteDigit: 'Delete last digit',
  call: 'Call',
  callWho: (who) => `Call ${who}`,
  hangup: 'Hang up',
  directory: 'Directory',
  searchLabel: 'Search the directory',
  search: 'Search',
  noHits: 'Nobody found.',
  recent: 'Recent calls',
  noRecent: 'No recent calls.',
  line: (number) => `Line ${number}`,
  notLinked: 'Not linked to a KPN EEN line',
  kinds: { placed: 'Outgoing', received: 'Incoming', missed: 'Missed' },
  states: { Alerting: 'Your phone is ringing…', Active: 'Connected', Held: 'On hold', Released: 'Call ended' },
};

const nl: Texts = {
  title: 'Bellen met KPN EEN',
  dial: 'Bellen',
  number: 'Nummer',
  numberHint: 'Nummer of toestelnummer',
  pad: 'Kiestoetsen',
  star: 'sterretje',
  hash: 'hekje',
  deleteDigit: 'Laatste cijfer wissen',
  call: 'Bel',
  callWho: (who) => `Bel ${who}`,
  hangup: 'Ophangen',
  directory: 'Bedrijfsgids',
  searchLabel: 'Zoeken in de bedrijfsgids',
  search: 'Zoeken',
  noHits: 'Niemand gevonden.',
  recent: 'Recente gesprekken',
  noRecent: 'Geen recente gesprekken.',
  line: (number) => `Lijn ${number}`,
  notLinked: 'Niet gekoppeld aan een KPN EEN-lijn',
  kinds: { placed: 'Uitgaand', received: 'Inkomend', missed: 'Gemist' },
  states: { Alerting: 'Je telefoon gaat over…', Active: 'Verbonden', Held: 'In de wacht', Released: 'Gesprek beëindigd' },
};

export function textsFor(language: string): { lang: 'nl' | 'en'; t: Texts } {
  return /^nl/i.test(language) ? { lang: 'nl', t: nl } : { lang: 'en', t: en };
}
