import { consoleTexts, type ConsoleLanguage, type ConsoleTexts } from './texts';

/** What the page needs to know before its script runs (embedded as JSON, never executed). */
export interface ConsoleBoot {
  lang: ConsoleLanguage;
  sandbox: boolean;
  surfaces: { teams: boolean; slack: boolean; webex: boolean; jira: boolean; trello: boolean; onedrive: boolean };
  teamsMembers: { id: string; name: string }[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside <script type="application/json">: `<` escaped so no `</script>` can end it early. */
function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const LOCALES = [['nl-NL', 'Nederlands (nl-NL)'], ['en-US', 'English (en-US)'], ['en-GB', 'English (en-GB)']] as const;
const ZONES = ['Europe/Amsterdam', 'Europe/London', 'America/New_York', 'Asia/Tokyo'] as const;

/**
 * The console's one page, in the chosen language. The playground is rendered only in sandbox
 * mode; in real mode the page is the administrator's view alone.
 */
export function renderConsolePage(boot: ConsoleBoot): string {
  const t = consoleTexts[boot.lang];
  const e = escapeHtml;
  const other = t.otherLanguageName;
  const nav = [
    boot.sandbox ? `<li><a href="#playground">${e(t.playground)}</a></li>` : '',
    `<li><a href="#admin">${e(t.admin)}</a></li>`,
  ].join('');
  return `<!doctype html>
<html lang="${boot.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/console.css">
<script src="/console/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${e(t.skip)}</a>
<header>
<h1>${e(t.title)}</h1>
<p class="badge ${boot.sandbox ? 'sandbox' : 'real'}">${e(boot.sandbox ? t.sandboxBadge : t.realBadge)}</p>
<nav aria-label="${e(t.title)}"><ul>${nav}<li><a id="switch-language" href="?lang=${other}" lang="${other}" hreflang="${other}">${e(t.otherLanguage)}</a></li></ul></nav>
</header>
<main id="main">
${boot.sandbox ? playground(t, boot) : ''}
<section id="admin" aria-labelledby="admin-title">
<h2 id="admin-title">${e(t.admin)}</h2>
<p>${e(t.adminIntro)}</p>
<div id="admin-body"><a class="button" id="sign-in" href="/console/sign-in">${e(t.signIn)}</a></div>
</section>
</main>
<script type="application/json" id="boot">${inertJson(boot)}</script>
</body>
</html>
`;
}

function playground(t: ConsoleTexts, boot: ConsoleBoot): string {
  const e = escapeHtml;
  const s = boot.surfaces;
  // One chat pane's conversation and compose form (Teams, Slack, Webex): the same markup, its own ids.
  const chat = (id: string, label: string, inputLabel: string, hint: string, value?: string) => `<ol class="chat" id="${id}-chat" aria-live="polite" aria-label="${e(label)}"></ol>
<form id="${id}-form" class="compose">
<label for="${id}-text">${e(inputLabel)}</label>
<input id="${id}-text" autocomplete="off" maxlength="500" required${value ? ` value="${e(value)}"` : ''} aria-describedby="${id}-hint">
<button type="submit">${e(t.send)}</button>
</form>
<p class="hint" id="${id}-hint">${e(hint)}</p>`;
  const teams = s.teams ? `
<section class="pane" id="teams" aria-labelledby="teams-title">
<h3 id="teams-title">${e(t.teams)}</h3>
<label for="teams-member">${e(t.teamsAs)}</label>
<select id="teams-member">${boot.teamsMembers.map((m) => `<option value="${e(m.id)}">${e(m.name)}</option>`).join('')}</select>
${chat('teams', t.teams, t.message, t.teamsHint)}
</section>` : '';
  const slack = s.slack ? `
<section class="pane" id="slack" aria-labelledby="slack-title">
<h3 id="slack-title">${e(t.slack)}</h3>
<div class="row">
<span><label for="slack-locale">${e(t.slackLocale)}</label>
<select id="slack-locale">${LOCALES.map(([v, label]) => `<option value="${v}"${(boot.lang === 'nl') === v.startsWith('nl') && v !== 'en-GB' ? ' selected' : ''}>${e(label)}</option>`).join('')}</select></span>
<span><label for="slack-zone">${e(t.slackZone)}</label>
<select id="slack-zone">${ZONES.map((z) => `<option>${z}</option>`).join('')}</select></span>
</div>
${chat('slack', t.slack, t.slackCommand, t.slackHint, '/webex ')}
<p class="hint" id="slack-who" aria-live="polite"></p>
<dialog id="slack-modal" aria-labelledby="slack-modal-title"><form id="slack-modal-form" method="dialog"><h4 id="slack-modal-title">${e(t.modal)}</h4><div id="slack-modal-body"></div>
<div class="row"><button type="submit" id="slack-modal-submit">${e(t.submit)}</button><button type="button" id="slack-modal-cancel">${e(t.cancel)}</button></div></form></dialog>
</section>` : '';
  const webex = s.webex ? `
<section class="pane" id="webex" aria-labelledby="webex-title">
<h3 id="webex-title">${e(t.webex)}</h3>
<div class="row">
<span><label for="webex-space">${e(t.webexSpace)}</label> <select id="webex-space"></select></span>
<button type="button" id="webex-new-space">${e(t.webexNewSpace)}</button>
</div>
${chat('webex', t.webex, t.message, t.webexHint)}
</section>` : '';
  const buttons = [
    s.jira ? `<button type="button" data-source="jira">${e(t.jiraSend)}</button>` : '',
    s.trello ? `<button type="button" data-source="trello">${e(t.trelloSend)}</button>` : '',
    s.onedrive ? `<button type="button" data-source="onedrive">${e(t.onedriveSend)}</button>` : '',
  ].join('');
  const sources = buttons ? `
<section class="pane" id="sources" aria-labelledby="sources-title">
<h3 id="sources-title">${e(t.sources)}</h3>
<p class="hint">${e(t.sourcesHint)}</p>
<div class="row" id="source-buttons">${buttons}</div>
<p id="sources-status" role="status"></p>
</section>` : '';
  return `<section id="playground" aria-labelledby="playground-title">
<h2 id="playground-title">${e(t.playground)}</h2>
<p>${e(t.playgroundIntro)}</p>
<div class="panes">${teams}${slack}${webex}${sources}</div>
<section id="timeline" aria-labelledby="timeline-title">
<h3 id="timeline-title">${e(t.timeline)}</h3>
<p class="hint">${e(t.timelineIntro)}</p>
<ol id="timeline-list"></ol>
</section>
</section>`;
}

/**
 * The look: Microsoft Teams' palette (Fluent UI v9 tokens: brand #5b5fc7, neutral foreground
 * #242424 on #ffffff/#f5f5f5), every text colour at WCAG AA contrast (4.5:1) or better, and a
 * visible focus ring for keyboard users.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light; --brand: #4f52b2; --fg: #242424; --muted: #595959; --bg: #f5f5f5; --card: #fff; --line: #d1d1d1; --bad: #b10e1c; --good: #0e700e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 "Segoe UI", system-ui, -apple-system, sans-serif; color: var(--fg); background: var(--bg); }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .4rem; z-index: 9; }
header { background: var(--brand); color: #fff; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; }
header h1 { font-size: 1.2rem; margin: 0; } header a { color: #fff; }
header nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
.badge { margin: 0; font-size: .85rem; padding: .1rem .5rem; border-radius: 1rem; background: rgba(0,0,0,.25); }
main { padding: 1rem; max-width: 90rem; margin: 0 auto; }
h2 { font-size: 1.15rem; } h3 { font-size: 1rem; margin: 0 0 .5rem; }
.panes { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
.pane, #timeline, #admin .card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .8rem; }
#timeline { margin-top: 1rem; }
.chat { list-style: none; padding: .4rem; margin: .5rem 0; min-height: 8rem; max-height: 26rem; overflow-y: auto; background: var(--bg); border-radius: 4px; }
.chat > li { margin: .35rem 0; padding: .45rem .6rem; border-radius: 6px; background: var(--card); border: 1px solid var(--line); }
.chat > li.mine { background: #e8ebfa; margin-left: 2rem; }
.chat .text, .card-view p { white-space: pre-wrap; margin: .25rem 0; }
code { font-family: Consolas, "Courier New", monospace; font-size: .9em; }
td code { white-space: pre-wrap; word-break: break-all; }
#admin .card { margin: .8rem 0; }
.who { font-weight: 600; font-size: .85rem; display: block; }
.card-view { border-left: 3px solid var(--brand); padding-left: .5rem; margin-top: .3rem; }
.card-view table { border-collapse: collapse; } .card-view th { text-align: left; padding-right: .8rem; font-weight: 600; }
.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .3rem 0; }
.compose { display: flex; gap: .4rem; align-items: center; flex-wrap: wrap; }
.compose input { flex: 1; min-width: 10rem; }
label { font-weight: 600; font-size: .9rem; margin-right: .3rem; }
input, select, button, .button { font: inherit; padding: .35rem .6rem; border: 1px solid #8a8a8a; border-radius: 4px; background: #fff; color: var(--fg); }
button, .button { background: var(--brand); color: #fff; border-color: var(--brand); cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: #fff; color: var(--brand); }
:focus-visible { outline: 3px solid #000; outline-offset: 2px; }
.hint { color: var(--muted); font-size: .85rem; margin: .3rem 0; }
.error { color: var(--bad); } .ok { color: var(--good); }
#timeline-list { list-style: none; padding: 0; margin: 0; max-height: 30rem; overflow-y: auto; font-size: .85rem; }
#timeline-list li { border-bottom: 1px solid var(--line); padding: .25rem 0; }
#timeline-list .src { font-weight: 600; display: inline-block; min-width: 6rem; }
#timeline-list code { white-space: pre-wrap; word-break: break-all; color: var(--muted); }
table.data { border-collapse: collapse; width: 100%; } table.data th, table.data td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
dialog { border: 1px solid var(--line); border-radius: 6px; max-width: 32rem; width: 95vw; }
dialog .field { margin: .4rem 0; display: flex; flex-direction: column; }
`;
