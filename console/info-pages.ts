import type { ConsoleLanguage } from './texts';

/**
 * /about, /privacy and /terms: the pages the Teams manifest's developer.websiteUrl, privacyUrl
 * and termsOfUseUrl point at (Teams app manifest schema, "developer": each an https URL that
 * Teams shows in the app's details). Small, in Dutch and English, plain HTML with the console's
 * stylesheet, no script.
 */
export type InfoPage = 'about' | 'privacy' | 'terms';
export const infoPages: readonly InfoPage[] = ['about', 'privacy', 'terms'];

interface PageText {
  title: string;
  paragraphs: string[];
  list?: string[];
}

const pages: Record<ConsoleLanguage, Record<InfoPage, PageText>> = {
  en: {
    about: {
      title: 'About een-bridge',
      paragraphs: [
        'een-bridge connects KPN EEN telephony to Microsoft Teams, Slack and Webex: click to call from Teams through your own KPN EEN line, schedule Webex meetings from Slack, and follow Jira, Trello and OneDrive changes in Webex spaces.',
        'Your organisation runs this service itself; its administrator decides who may use it and with which licence. Ask them for help.',
      ],
    },
    privacy: {
      title: 'Privacy',
      paragraphs: [
        'een-bridge is run by your organisation, which is responsible for the data it keeps. It stores only what it needs to do its work, in its own database:',
        'It does not record calls or their content. Access tokens are stored encrypted. Your administrator can tell you how long data is kept and can remove it on request.',
      ],
      list: [
        'who you are in each system: your e-mail address and name, your ids in Teams, Slack and Webex, and your KPN EEN line and number;',
        'your licence, language and time zone;',
        'the subscriptions of Webex spaces and the changes waiting to be delivered to them;',
        'an audit log of changes and decisions (who, what, when).',
      ],
    },
    terms: {
      title: 'Terms of use',
      paragraphs: [
        'Use een-bridge for your work, within your organisation\'s rules. Calls are placed from your own KPN EEN line and follow your organisation\'s dial policy; emergency numbers are always dialled directly, never through een-bridge.',
        'The service is provided by your organisation as it is. For questions, faults or to stop using it, contact your administrator.',
      ],
    },
  },
  nl: {
    about: {
      title: 'Over een-bridge',
      paragraphs: [
        'een-bridge verbindt KPN EEN-telefonie met Microsoft Teams, Slack en Webex: bel vanuit Teams via je eigen KPN EEN-lijn, plan Webex-vergaderingen vanuit Slack, en volg wijzigingen in Jira, Trello en OneDrive in Webex-ruimtes.',
        'Je organisatie draait deze dienst zelf; de beheerder bepaalt wie hem mag gebruiken en met welke licentie. Vraag hem of haar om hulp.',
      ],
    },
    privacy: {
      title: 'Privacy',
      paragraphs: [
        'een-bridge wordt gedraaid door je organisatie, die verantwoordelijk is voor de gegevens die het bewaart. Het bewaart alleen wat het nodig heeft, in een eigen database:',
        'Het neemt geen gesprekken of hun inhoud op. Toegangstokens worden versleuteld bewaard. Je beheerder kan je vertellen hoe lang gegevens bewaard blijven en kan ze op verzoek verwijderen.',
      ],
      list: [
        'wie je bent in elk systeem: je e-mailadres en naam, je id\'s in Teams, Slack en Webex, en je KPN EEN-lijn en -nummer;',
        'je licentie, taal en tijdzone;',
        'de abonnementen van Webex-ruimtes en de wijzigingen die nog bezorgd moeten worden;',
        'een auditlog van wijzigingen en beslissingen (wie, wat, wanneer).',
      ],
    },
    terms: {
      title: 'Gebruiksvoorwaarden',
      paragraphs: [
        'Gebruik een-bridge voor je werk, binnen de regels van je organisatie. Gesprekken gaan via je eigen KPN EEN-lijn en volgen het belbeleid van je organisatie; alarmnummers worden altijd direct gebeld, nooit via een-bridge.',
        'De dienst wordt door je organisatie geleverd zoals hij is. Voor vragen, storingen of om ermee te stoppen neem je contact op met je beheerder.',
      ],
    },
  },
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderInfoPage(page: InfoPage, lang: ConsoleLanguage): string {
  const p = pages[lang][page];
  const other: ConsoleLanguage = lang === 'nl' ? 'en' : 'nl';
  const nav = infoPages.map((name) => `<a href="/${name}"${name === page ? ' aria-current="page"' : ''}>${escape(pages[lang][name].title)}</a>`).join(' · ');
  const [first, ...rest] = p.paragraphs;
  const list = p.list ? `<ul>${p.list.map((li) => `<li>${escape(li)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(p.title)} · een-bridge</title>
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<header><nav aria-label="een-bridge">${nav} · <a href="/${page}?lang=${other}" hreflang="${other}" lang="${other}">${other === 'nl' ? 'Nederlands' : 'English'}</a></nav></header>
<main id="main" class="card">
<h1>${escape(p.title)}</h1>
<p>${escape(first ?? '')}</p>
${list}
${rest.map((x) => `<p>${escape(x)}</p>`).join('\n')}
</main>
</body>
</html>
`;
}
