/**
 * The console's own words, in Dutch and English like everything a person reads. Shared by the
 * server (which renders the page shell in the chosen language) and the browser bundle, so it
 * stays free of Node and DOM types.
 */
export type ConsoleLanguage = 'nl' | 'en';

export interface ConsoleTexts {
  title: string;
  skip: string;
  language: string;
  otherLanguage: string;
  otherLanguageName: string;
  sandboxBadge: string;
  realBadge: string;
  playground: string;
  admin: string;
  playgroundIntro: string;
  teams: string;
  slack: string;
  webex: string;
  sources: string;
  timeline: string;
  timelineIntro: string;
  send: string;
  message: string;
  teamsAs: string;
  teamsHint: string;
  slackCommand: string;
  slackLocale: string;
  slackZone: string;
  slackHint: string;
  slackYou: string;
  webexSpace: string;
  webexNewSpace: string;
  webexHint: string;
  webexNoSpace: string;
  jiraSend: string;
  trelloSend: string;
  onedriveSend: string;
  sourcesHint: string;
  you: string;
  bot: string;
  updated: string;
  modal: string;
  submit: string;
  cancel: string;
  nothingYet: string;
  failed: string;
  received: string;
  stored: string;
  signIn: string;
  signOut: string;
  signedInAs: string;
  adminIntro: string;
  notAdmin: string;
  people: string;
  licence: string;
  line: string;
  setLicence: string;
  policies: string;
  tenant: string;
  tryNumber: string;
  allowed: string;
  refused: string;
  subscriptions: string;
  space: string;
  outbox: string;
  retry: string;
  purge: string;
  audit: string;
  search: string;
  when: string;
  who: string;
  what: string;
  outcome: string;
  email: string;
  name: string;
  status: string;
  cause: string;
  none: string;
  saved: string;
  check: string;
  apps: string;
  blocked: string;
  premiumRate: string;
  international: string;
  perMinute: string;
  source: string;
  key: string;
  filter: string;
  signInUnavailable: string;
  followRequests: string;
  approve: string;
  deny: string;
  requestedBy: string;
  otherTenants: string;
  addPerson: string;
  addPersonHint: string;
  linkLine: string;
  unlinkLine: string;
  lineId: string;
  lineNumber: string;
  linked: string;
  unlinked: string;
  importTitle: string;
  importHint: string;
  csvFile: string;
  csvText: string;
  checkImport: string;
  commitImport: string;
  separator: string;
  row: string;
  problems: string;
  willAdd: string;
  willChange: string;
  imported: string;
  importBlocked: string;
  editPolicy: string;
  blockPrefix: string;
  unblockPrefix: string;
  extensions: string;
  unchanged: string;
  savePolicy: string;
  noChange: string;
  doctor: string;
  runDoctor: string;
  detail: string;
  health: string;
  lastEvent: string;
  lastDelivery: string;
  live: string;
  polling: string;
  deliveryStates: Record<string, string>;
}

const en: ConsoleTexts = {
  title: 'een-bridge console',
  skip: 'Skip to content',
  language: 'Language',
  otherLanguage: 'Nederlands',
  otherLanguageName: 'nl',
  sandboxBadge: 'Sandbox: every external system is emulated on this machine',
  realBadge: 'Connected to the real systems',
  playground: 'Playground',
  admin: 'Administration',
  playgroundIntro: 'Act as a Teams, Slack or Webex user, or as Jira, Trello or OneDrive. The server signs each request with the sandbox secrets and sends it to een-bridge as the real platform would.',
  teams: 'Microsoft Teams',
  slack: 'Slack',
  webex: 'Webex space',
  sources: 'Jira, Trello and OneDrive',
  timeline: 'Timeline',
  timelineIntro: 'What each emulator received and what een-bridge stored, newest first.',
  send: 'Send',
  message: 'Message',
  teamsAs: 'Teams user',
  teamsHint: 'Try: bel Anna, call 06 1234 5678, recent, help',
  slackCommand: 'Slash command',
  slackLocale: 'Slack language',
  slackZone: 'Time zone',
  slackHint: 'Try: /webex help, /webex connect, /webex schedule tomorrow 10:00 stand-up, /webex list',
  slackYou: 'Your address in Slack (sign in to Webex with it when you connect):',
  webexSpace: 'Space',
  webexNewSpace: 'New space with the bot',
  webexHint: 'The message mentions the bot. Try: help, subscribe jira KAN, subscriptions',
  webexNoSpace: 'Make a space first.',
  jiraSend: 'Jira: create issue in KAN',
  trelloSend: 'Trello: add a card',
  onedriveSend: 'OneDrive: add a file to Documenten',
  sourcesHint: 'A change reaches a Webex space that subscribed to it (and whose source an administrator allowed).',
  you: 'You',
  bot: 'een-bridge',
  updated: 'updated',
  modal: 'Dialog',
  submit: 'Submit',
  cancel: 'Cancel',
  nothingYet: 'Nothing yet.',
  failed: 'That did not work',
  received: 'received',
  stored: 'stored',
  signIn: 'Sign in with Microsoft',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  adminIntro: 'People, licences, dial policies, subscriptions, the outbox and the audit log. Only members of the administrators group may sign in.',
  notAdmin: 'You are signed in, but not a member of the administrators group.',
  people: 'People',
  licence: 'Licence',
  line: 'KPN EEN line',
  setLicence: 'Save licence',
  policies: 'Dial policy',
  tenant: 'Tenant',
  tryNumber: 'Would this number be allowed?',
  allowed: 'Allowed',
  refused: 'Refused',
  subscriptions: 'Subscriptions',
  space: 'Space',
  outbox: 'Outbox',
  retry: 'Retry',
  purge: 'Purge',
  audit: 'Audit log',
  search: 'Search',
  when: 'When',
  who: 'Who',
  what: 'What',
  outcome: 'Outcome',
  email: 'E-mail',
  name: 'Name',
  status: 'Status',
  cause: 'Cause',
  none: 'none',
  saved: 'Saved',
  check: 'Check',
  apps: 'Apps',
  blocked: 'Blocked prefixes',
  premiumRate: 'Premium-rate numbers',
  international: 'International numbers',
  perMinute: 'Calls per minute',
  source: 'Source',
  key: 'Project, board or folder',
  filter: 'Filter',
  signInUnavailable: 'Sign-in is not configured: set CONSOLE_TENANT_ID, CONSOLE_CLIENT_ID, CONSOLE_CLIENT_SECRET and CONSOLE_ADMIN_GROUP.',
  followRequests: 'Follow requests from Webex spaces',
  approve: 'Approve',
  deny: 'Deny',
  requestedBy: 'Asked by',
  otherTenants: '(every other tenant)',
  addPerson: 'Give licence',
  linkLine: 'Link line',
  unlinkLine: 'Unlink line',
  lineId: 'BroadWorks user id',
  lineNumber: 'Number or extension',
  linked: 'Linked',
  unlinked: 'Unlinked',
  importTitle: 'Import people from a CSV file',
  importHint: 'Columns email, broadworksUserId, number, licence (any case), separated by comma or semicolon. Check shows every row\'s problems; nothing changes until you import.',
  csvFile: 'CSV file',
  csvText: 'Or paste the CSV',
  checkImport: 'Check',
  commitImport: 'Import',
  separator: 'Separator',
  row: 'Row',
  problems: 'Problems',
  willAdd: 'adds this person',
  willChange: 'changes this person',
  imported: 'Imported',
  importBlocked: 'Fix the problems first; nothing is imported while any row has one.',
  editPolicy: 'Change a policy',
  blockPrefix: 'Block prefixes (comma separated)',
  unblockPrefix: 'Unblock prefixes (comma separated)',
  extensions: 'Extensions (e.g. 2000-2999, 100; empty leaves them)',
  unchanged: 'unchanged',
  savePolicy: 'Save policy',
  noChange: 'No change',
  doctor: 'Checks (doctor)',
  runDoctor: 'Run the checks',
  detail: 'Detail',
  health: 'Health',
  lastEvent: 'Last change',
  lastDelivery: 'last delivered',
  live: 'Live updates',
  polling: 'Updated every few seconds',
  deliveryStates: { pending: 'waiting', sending: 'sending', delivered: 'delivered', dead: 'dead letters' },
  addPersonHint: 'Someone who has not used een-bridge yet gets their licence by e-mail address, and has it from their first message in Teams or Slack.',
};

const nl: ConsoleTexts = {
  title: 'een-bridge-console',
  skip: 'Naar de inhoud',
  language: 'Taal',
  otherLanguage: 'English',
  otherLanguageName: 'en',
  sandboxBadge: 'Sandbox: elk extern systeem wordt op deze machine nagebootst',
  realBadge: 'Verbonden met de echte systemen',
  playground: 'Speeltuin',
  admin: 'Beheer',
  playgroundIntro: 'Doe je voor als gebruiker van Teams, Slack of Webex, of als Jira, Trello of OneDrive. De server ondertekent elk verzoek met de sandboxgeheimen en stuurt het naar een-bridge zoals het echte platform dat zou doen.',
  teams: 'Microsoft Teams',
  slack: 'Slack',
  webex: 'Webex-ruimte',
  sources: 'Jira, Trello en OneDrive',
  timeline: 'Tijdlijn',
  timelineIntro: 'Wat elke emulator ontving en wat een-bridge opsloeg, nieuwste eerst.',
  send: 'Verstuur',
  message: 'Bericht',
  teamsAs: 'Teams-gebruiker',
  teamsHint: 'Probeer: bel Anna, bel 06 1234 5678, recent, hulp',
  slackCommand: 'Slash-opdracht',
  slackLocale: 'Taal in Slack',
  slackZone: 'Tijdzone',
  slackHint: 'Probeer: /webex hulp, /webex koppel, /webex plan morgen 10:00 overleg, /webex lijst',
  slackYou: 'Je adres in Slack (meld je daarmee aan bij Webex als je koppelt):',
  webexSpace: 'Ruimte',
  webexNewSpace: 'Nieuwe ruimte met de bot',
  webexHint: 'Het bericht noemt de bot. Probeer: hulp, abonneer jira KAN, abonnementen',
  webexNoSpace: 'Maak eerst een ruimte.',
  jiraSend: 'Jira: issue aanmaken in KAN',
  trelloSend: 'Trello: kaart toevoegen',
  onedriveSend: 'OneDrive: bestand toevoegen aan Documenten',
  sourcesHint: 'Een wijziging bereikt een Webex-ruimte die erop geabonneerd is (en waarvan een beheerder de bron toestond).',
  you: 'Jij',
  bot: 'een-bridge',
  updated: 'bijgewerkt',
  modal: 'Dialoog',
  submit: 'Verstuur',
  cancel: 'Annuleer',
  nothingYet: 'Nog niets.',
  failed: 'Dat lukte niet',
  received: 'ontving',
  stored: 'opgeslagen',
  signIn: 'Aanmelden met Microsoft',
  signOut: 'Afmelden',
  signedInAs: 'Aangemeld als',
  adminIntro: 'Mensen, licenties, belbeleid, abonnementen, de outbox en het auditlogboek. Alleen leden van de beheerdersgroep kunnen zich aanmelden.',
  notAdmin: 'Je bent aangemeld, maar geen lid van de beheerdersgroep.',
  people: 'Mensen',
  licence: 'Licentie',
  line: 'KPN EEN-lijn',
  setLicence: 'Licentie opslaan',
  policies: 'Belbeleid',
  tenant: 'Tenant',
  tryNumber: 'Zou dit nummer mogen?',
  allowed: 'Toegestaan',
  refused: 'Geweigerd',
  subscriptions: 'Abonnementen',
  space: 'Ruimte',
  outbox: 'Outbox',
  retry: 'Opnieuw',
  purge: 'Wissen',
  audit: 'Auditlogboek',
  search: 'Zoeken',
  when: 'Wanneer',
  who: 'Wie',
  what: 'Wat',
  outcome: 'Uitkomst',
  email: 'E-mail',
  name: 'Naam',
  status: 'Status',
  cause: 'Oorzaak',
  none: 'geen',
  saved: 'Opgeslagen',
  check: 'Controleer',
  apps: 'Apps',
  blocked: 'Geblokkeerde voorvoegsels',
  premiumRate: 'Betaalnummers',
  international: 'Buitenlandse nummers',
  perMinute: 'Oproepen per minuut',
  source: 'Bron',
  key: 'Project, bord of map',
  filter: 'Filter',
  signInUnavailable: 'Aanmelden is niet ingesteld: zet CONSOLE_TENANT_ID, CONSOLE_CLIENT_ID, CONSOLE_CLIENT_SECRET en CONSOLE_ADMIN_GROUP.',
  followRequests: 'Volgverzoeken van Webex-ruimtes',
  approve: 'Goedkeuren',
  deny: 'Afwijzen',
  requestedBy: 'Gevraagd door',
  otherTenants: '(elke andere tenant)',
  addPerson: 'Licentie geven',
  linkLine: 'Lijn koppelen',
  unlinkLine: 'Lijn ontkoppelen',
  lineId: 'BroadWorks-gebruikers-id',
  lineNumber: 'Nummer of toestel',
  linked: 'Gekoppeld',
  unlinked: 'Ontkoppeld',
  importTitle: 'Mensen importeren uit een CSV-bestand',
  importHint: 'Kolommen email, broadworksUserId, number, licence (hoofdletters maken niet uit), gescheiden door komma of puntkomma. Controleren toont de problemen van elke rij; er verandert niets tot je importeert.',
  csvFile: 'CSV-bestand',
  csvText: 'Of plak de CSV',
  checkImport: 'Controleren',
  commitImport: 'Importeren',
  separator: 'Scheidingsteken',
  row: 'Rij',
  problems: 'Problemen',
  willAdd: 'voegt deze persoon toe',
  willChange: 'wijzigt deze persoon',
  imported: 'Geïmporteerd',
  importBlocked: 'Los eerst de problemen op; er wordt niets geïmporteerd zolang een rij er een heeft.',
  editPolicy: 'Beleid wijzigen',
  blockPrefix: 'Voorvoegsels blokkeren (met komma\'s)',
  unblockPrefix: 'Voorvoegsels deblokkeren (met komma\'s)',
  extensions: 'Toestelnummers (bijv. 2000-2999, 100; leeg laat ze zo)',
  unchanged: 'ongewijzigd',
  savePolicy: 'Beleid opslaan',
  noChange: 'Geen wijziging',
  doctor: 'Controles (doctor)',
  runDoctor: 'Controles uitvoeren',
  detail: 'Toelichting',
  health: 'Gezondheid',
  lastEvent: 'Laatste wijziging',
  lastDelivery: 'laatst bezorgd',
  live: 'Live bijgewerkt',
  polling: 'Elke paar seconden bijgewerkt',
  deliveryStates: { pending: 'wachtend', sending: 'wordt verstuurd', delivered: 'bezorgd', dead: 'onbestelbaar' },
  addPersonHint: 'Iemand die een-bridge nog niet gebruikt krijgt een licentie op e-mailadres, en heeft die vanaf het eerste bericht in Teams of Slack.',
};

export const consoleTexts: Record<ConsoleLanguage, ConsoleTexts> = { en, nl };

/**
 * The language for an Accept-Language header: the first `nl*` or `en*` range in order of
 * preference (RFC 9110 §12.5.4, q-values), English when neither is asked for.
 */
export function languageFromHeader(header: string | undefined): ConsoleLanguage {
  if (!header) return 'en';
  const ranges = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: (tag ?? '').trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (/^nl(?:-|$)/.test(r.tag)) return 'nl';
    if (/^en(?:-|$)/.test(r.tag)) return 'en';
  }
  return 'en';
}
