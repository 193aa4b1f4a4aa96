// The personal tab (entry of the browser bundle; teams-app/tab/bundle.ts builds it with esbuild).
// It runs in the Teams web/desktop client and talks to /api/tab/* with the Teams SSO token.
import { icon, type IconName } from './icons';
import { PAD_KEYS, callTime, padMove, surroundings, themeClasses, themeOf, type Theme } from './look';
import { onTeamsThemeChange, signIn, teamsContext } from './sign-in';
import { TabApi, type RecentCall } from './tab-api';
import { textsFor, type Texts } from './texts';

let currentCall: string | undefined;

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function applyTheme(theme: Theme): void {
  for (const [name, on] of Object.entries(themeClasses(theme))) document.documentElement.classList.toggle(name, on);
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The live region (role="status") says what happens; screen readers read it out politely. */
function show(text: string, isError = false): void {
  const status = $('status');
  status.textContent = text;
  status.className = isError ? 'status error' : 'status';
}

interface Page {
  t: Texts;
  api: TabApi;
  when: (iso: string) => string;
}

function watch(page: Page, callId: string): void {
  currentCall = callId;
  $('hangup').hidden = false;
  const poll = () => {
    if (currentCall !== callId) return;
    page.api.callState(callId).then((c) => {
      show(page.t.states[c.state] ?? c.state);
      if (c.state === 'Released') {
        $('hangup').hidden = true;
        currentCall = undefined;
        loadRecent(page);
      } else setTimeout(poll, 1000);
    }, (err: unknown) => show(messageOf(err), true));
  };
  setTimeout(poll, 1000);
}

function call(page: Page, target: string): void {
  show('…');
  page.api.placeCall(target).then((c) => {
    show(`${page.t.states.Alerting ?? c.state} ${c.target}`);
    watch(page, c.callId);
  }, (err: unknown) => show(messageOf(err), true));
}

function callButton(page: Page, target: string, who: string): HTMLButtonElement {
  const button = el('button', 'button subtle');
  button.type = 'button';
  button.append(icon('call'), el('span', '', page.t.call));
  button.setAttribute('aria-label', page.t.callWho(who));
  button.onclick = () => call(page, target);
  return button;
}

/** A list row: an icon, a name with a detail line under it, and a Call button when there is something to dial. */
function row(page: Page, symbol: IconName, symbolLabel: string | undefined, name: string, detail: (string | HTMLElement)[], target: string | null | undefined): HTMLLIElement {
  const li = el('li', 'row');
  const badge = icon(symbol);
  badge.classList.add(`kind-${symbol}`);
  if (symbolLabel) {
    badge.setAttribute('role', 'img');
    badge.setAttribute('aria-label', symbolLabel);
  }
  const text = el('div', 'row-text');
  const sub = el('div', 'row-detail');
  sub.append(...detail);
  text.append(el('div', 'row-name', name), sub);
  li.append(badge, text);
  if (target) li.appendChild(callButton(page, target, name));
  return li;
}

function emptyRow(text: string): HTMLLIElement {
  return el('li', 'empty', text);
}

function loadRecent(page: Page): void {
  page.api.recent().then((b) => {
    const ul = $('recent');
    ul.textContent = '';
    if (b.calls.length === 0) ul.appendChild(emptyRow(page.t.noRecent));
    for (const c of b.calls) ul.appendChild(recentRow(page, c));
  }, () => { /* the status line shows errors when the person acts */ });
}

function recentRow(page: Page, c: RecentCall): HTMLLIElement {
  const kind: IconName = c.type === 'received' || c.type === 'missed' ? c.type : 'placed';
  const time = el('time', '', page.when(c.time));
  time.dateTime = c.time;
  const detail: (string | HTMLElement)[] = c.name ? [`${c.phoneNumber} · `, time] : [time];
  return row(page, kind, c.type ? page.t.kinds[c.type] : undefined, c.name || c.phoneNumber, detail, c.phoneNumber);
}

/** The 3×4 pad: one tab stop, arrow keys move (roving tabindex), Enter/Space press, digits type. */
function buildPad(page: Page, number: HTMLInputElement): void {
  const pad = $('pad');
  pad.setAttribute('aria-label', page.t.pad);
  const buttons = PAD_KEYS.map(({ key, letters }, index) => {
    const b = el('button', 'key');
    b.type = 'button';
    b.tabIndex = index === 0 ? 0 : -1;
    b.dataset.key = key;
    const name = key === '*' ? `* ${page.t.star}` : key === '#' ? `# ${page.t.hash}` : letters ? `${key} ${letters}` : key;
    b.setAttribute('aria-label', name);
    b.append(el('span', 'key-digit', key), el('span', 'key-letters', letters));
    b.onclick = () => press(key);
    pad.appendChild(b);
    return b;
  });
  const focusKey = (index: number) => {
    buttons.forEach((b, i) => { b.tabIndex = i === index ? 0 : -1; });
    buttons[index]?.focus();
  };
  function press(key: string): void {
    if (number.value.length < number.maxLength) number.value += key;
  }
  pad.addEventListener('keydown', (e) => {
    const index = buttons.indexOf(e.target as HTMLButtonElement);
    if (index < 0) return;
    const next = padMove(index, e.key);
    if (next !== index || ['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(e.key)) {
      e.preventDefault();
      focusKey(next);
      return;
    }
    // Typing a digit on the pad presses that key, as on a phone.
    const typed = buttons.findIndex((b) => b.dataset.key === e.key);
    if (typed >= 0 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      focusKey(typed);
      press(e.key);
    }
  });
  const back = $('backspace');
  back.replaceChildren(icon('backspace'));
  back.setAttribute('aria-label', page.t.deleteDigit);
  back.onclick = () => { number.value = number.value.slice(0, -1); number.focus(); };
}

function labels(t: Texts): void {
  document.title = t.title;
  $('title').textContent = t.title;
  $('dial-title').textContent = t.dial;
  $('number-label').textContent = t.number;
  $<HTMLInputElement>('number').placeholder = t.numberHint;
  $('call').replaceChildren(icon('call'), el('span', '', t.call));
  $('hangup').replaceChildren(icon('hangup'), el('span', '', t.hangup));
  $('search-title').textContent = t.directory;
  $('query-label').textContent = t.searchLabel;
  const searchButton = $('search-button');
  searchButton.replaceChildren(icon('search'));
  searchButton.setAttribute('aria-label', t.search);
  $('recent-title').textContent = t.recent;
}

async function start(): Promise<void> {
  // Inside Teams the context decides; outside it (sandbox, a browser) the URL and the browser do.
  const context = await teamsContext().catch(() => undefined);
  const where = surroundings(context, new URLSearchParams(location.search), navigator.language);
  applyTheme(where.theme);
  if (context) onTeamsThemeChange((theme) => applyTheme(themeOf(theme)));

  const { lang, t } = textsFor(where.locale);
  document.documentElement.lang = lang;
  const page: Page = { t, api: new TabApi(signIn(), where.locale), when: callTime(where.locale, where.timeZone) };
  labels(t);

  const number = $<HTMLInputElement>('number');
  buildPad(page, number);
  $<HTMLFormElement>('dial').onsubmit = (e) => {
    e.preventDefault();
    call(page, number.value);
  };
  $('hangup').onclick = () => {
    const callId = currentCall;
    if (callId) page.api.hangUp(callId).then(() => show(t.states.Released ?? ''), (err: unknown) => show(messageOf(err), true));
  };
  $<HTMLFormElement>('search').onsubmit = (e) => {
    e.preventDefault();
    page.api.searchDirectory($<HTMLInputElement>('query').value).then((b) => {
      const ul = $('hits');
      ul.textContent = '';
      if (b.entries.length === 0) ul.appendChild(emptyRow(t.noHits));
      for (const p of b.entries) {
        const detail = [p.extension, p.number].filter(Boolean).join(' · ');
        ul.appendChild(row(page, 'person', undefined, p.displayName, [detail], p.extension || p.number));
      }
    }, (err: unknown) => show(messageOf(err), true));
  };
  page.api.me().then((me) => {
    $('me-name').textContent = me.displayName || me.email || '';
    const line = $('me-line');
    line.textContent = me.linked ? t.line(me.number ?? '') : t.notLinked;
    line.className = me.linked ? 'badge' : 'badge warning';
    // Only a linked person has calls to list (the API refuses the others).
    if (me.linked) loadRecent(page);
    else $('recent').replaceChildren(emptyRow(t.noRecent));
  }, (err: unknown) => show(messageOf(err), true));
  document.body.classList.add('ready');
}

void start();
