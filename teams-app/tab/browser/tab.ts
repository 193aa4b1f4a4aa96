// The personal tab (entry of the browser bundle; teams-app/tab/bundle.ts builds it with esbuild).
// It runs in the Teams web/desktop client and talks to /api/tab/* with the Teams SSO token.
import { signIn } from './sign-in';
import { TabApi } from './tab-api';
import { textsFor } from './texts';

const language = navigator.language || 'en';
const { lang, t } = textsFor(language);
const api = new TabApi(signIn(), language);
let currentCall: string | undefined;

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function show(text: string, isError = false): void {
  const status = $('status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

function watch(callId: string): void {
  currentCall = callId;
  $('hangup').hidden = false;
  const poll = () => {
    if (currentCall !== callId) return;
    api.callState(callId).then((c) => {
      show(t.states[c.state] ?? c.state);
      if (c.state === 'Released') {
        $('hangup').hidden = true;
        currentCall = undefined;
        loadRecent();
      } else setTimeout(poll, 1000);
    }, (err: unknown) => show(messageOf(err), true));
  };
  setTimeout(poll, 1000);
}

function call(target: string): void {
  show('…');
  api.placeCall(target).then((c) => {
    show(`${t.states.Alerting ?? c.state} ${c.target}`);
    watch(c.callId);
  }, (err: unknown) => show(messageOf(err), true));
}

/** A list item with a Call button when there is something to dial. */
function item(text: string, target: string | null | undefined): HTMLLIElement {
  const li = document.createElement('li');
  li.appendChild(document.createTextNode(`${text} `));
  if (target) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = t.call;
    button.onclick = () => call(target);
    li.appendChild(button);
  }
  return li;
}

function loadRecent(): void {
  api.recent().then((b) => {
    const ul = $('recent');
    ul.textContent = '';
    for (const c of b.calls) ul.appendChild(item(`${c.name ? `${c.name} · ` : ''}${c.phoneNumber} · ${new Date(c.time).toLocaleString(language)}`, c.phoneNumber));
  }, () => { /* the status line shows errors when the person acts */ });
}

function start(): void {
  document.documentElement.lang = lang;
  $('dial-title').textContent = t.dial;
  $('call').textContent = t.call;
  $('hangup').textContent = t.hangup;
  $('search-title').textContent = t.directory;
  $('search-button').setAttribute('aria-label', t.search);
  $('recent-title').textContent = t.recent;

  const number = $<HTMLInputElement>('number');
  for (const digit of '123456789+0') {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = digit;
    b.onclick = () => { number.value += digit; };
    $('pad').appendChild(b);
  }
  $<HTMLFormElement>('dial').onsubmit = (e) => {
    e.preventDefault();
    call(number.value);
  };
  $('hangup').onclick = () => {
    const callId = currentCall;
    if (callId) api.hangUp(callId).then(() => show(t.states.Released ?? ''), (err: unknown) => show(messageOf(err), true));
  };
  $<HTMLFormElement>('search').onsubmit = (e) => {
    e.preventDefault();
    api.searchDirectory($<HTMLInputElement>('query').value).then((b) => {
      const ul = $('hits');
      ul.textContent = '';
      for (const p of b.entries) ul.appendChild(item([p.displayName, p.extension, p.number].filter(Boolean).join(' · '), p.extension || p.number));
    }, (err: unknown) => show(messageOf(err), true));
  };
  api.me().then((me) => {
    $('me').textContent = `${me.displayName || me.email || ''} · ${me.linked ? me.number ?? '' : t.notLinked}`;
    loadRecent();
  }, (err: unknown) => show(messageOf(err), true));
}

start();
