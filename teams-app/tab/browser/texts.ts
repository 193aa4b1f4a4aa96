/** The page's own words, in Dutch and English like every message a person reads. */
export interface Texts {
  dial: string;
  call: string;
  hangup: string;
  directory: string;
  search: string;
  recent: string;
  notLinked: string;
  /** Call states as /api/tab/calls/:id reports them (BroadWorks personality states). */
  states: Record<string, string>;
}

const en: Texts = {
  dial: 'Dial',
  call: 'Call',
  hangup: 'Hang up',
  directory: 'Directory',
  search: 'Search',
  recent: 'Recent calls',
  notLinked: 'Not linked to a KPN EEN line',
  states: { Alerting: 'Your phone is ringing…', Active: 'Connected', Held: 'On hold', Released: 'Call ended' },
};

const nl: Texts = {
  dial: 'Bellen',
  call: 'Bel',
  hangup: 'Ophangen',
  directory: 'Bedrijfsgids',
  search: 'Zoeken',
  recent: 'Recente gesprekken',
  notLinked: 'Niet gekoppeld aan een KPN EEN-lijn',
  states: { Alerting: 'Je telefoon gaat over…', Active: 'Verbonden', Held: 'In de wacht', Released: 'Gesprek beëindigd' },
};

export function textsFor(language: string): { lang: 'nl' | 'en'; t: Texts } {
  return /^nl/i.test(language) ? { lang: 'nl', t: nl } : { lang: 'en', t: en };
}
