// The console's browser code: the playground panes (sandbox mode) and the administrator's view.
// Bundled by console/bundle.ts into dist/console/console.js.
import { consoleTexts, type ConsoleLanguage, type ConsoleTexts } from '../texts';
import { el, mrkdwn, renderAdaptiveCard, renderBlocks, renderModalFields, richText, type BlockAction } from './render';
import { startAdmin } from './admin';
import { api } from './api';

interface Boot {
  lang: ConsoleLanguage;
  sandbox: boolean;
  surfaces: Record<'teams' | 'slack' | 'webex' | 'jira' | 'trello' | 'onedrive', boolean>;
  teamsMembers: { id: string; name: string }[];
}

interface ChatEntry {
  id: string;
  from: 'user' | 'bot';
  name: string;
  text?: string;
  attachments?: unknown[];
  blocks?: unknown[];
  view?: Record<string, unknown>;
  updated?: boolean;
}

const POLL_MS = 1500;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

function conversationId(): string {
  const key = 'een-console-conversation';
  let id = sessionStorage.getItem(key);
  if (!id) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem(key, id);
  }
  return id;
}

function showError(where: HTMLElement | null, t: ConsoleTexts, err: unknown): void {
  if (!where) return;
  const li = el('li', { class: 'error', role: 'alert' }, `${t.failed}: ${err instanceof Error ? err.message : String(err)}`);
  where.append(li);
}

/** Renders a chat transcript, only when it changed (so a card's inputs keep their focus and values). */
function chatRenderer(list: HTMLOListElement, t: ConsoleTexts, submit: (entry: ChatEntry, data: Record<string, unknown>, label: string) => void, onView?: (entry: ChatEntry) => void, format: (text: string) => DocumentFragment = richText, onAction?: BlockAction) {
  let shown = '';
  return (entries: ChatEntry[]) => {
    const json = JSON.stringify(entries);
    if (json === shown) return;
    shown = json;
    list.replaceChildren();
    if (entries.length === 0) list.append(el('li', { class: 'hint' }, t.nothingYet));
    for (const entry of entries) {
      const li = el('li', { class: entry.from === 'user' ? 'mine' : 'theirs' });
      li.append(el('span', { class: 'who' }, entry.from === 'user' ? `${entry.name} (${t.you})` : entry.name, entry.updated ? ` · ${t.updated}` : ''));
      // With blocks, Slack shows the blocks; the text is only the notification's fallback.
      if (entry.text && !entry.blocks) li.append(el('div', { class: 'text' }, format(entry.text)));
      for (const card of entry.attachments ?? []) li.append(renderAdaptiveCard(card, { submit: (data, label) => submit(entry, data, label) }));
      if (entry.blocks) li.append(renderBlocks(entry.blocks, onAction));
      if (entry.view && onView) {
        const title = typeof entry.view.title === 'object' && entry.view.title ? String((entry.view.title as { text?: unknown }).text ?? t.modal) : t.modal;
        const open = el('button', { type: 'button', class: 'secondary' }, title);
        open.addEventListener('click', () => onView(entry));
        li.append(open);
      }
      list.append(li);
    }
    list.scrollTop = list.scrollHeight;
  };
}

/** What the playground reloads when something changed: each pane's and the timeline's refresh. */
const refreshers: { ms: number; tick: () => void }[] = [];
let polling = false;

/** Refreshes now, then whenever the server says something changed, or every `ms` when polling. */
function every(ms: number, fn: () => Promise<void>): void {
  let running = false;
  let again = false;
  const tick = () => {
    if (document.hidden) return;
    // A change told while a refresh is under way may have come too late for it: refresh once more.
    if (running) {
      again = true;
      return;
    }
    running = true;
    fn().catch(() => undefined).finally(() => {
      running = false;
      if (again) {
        again = false;
        tick();
      }
    });
  };
  tick();
  refreshers.push({ ms, tick });
  if (polling) setInterval(tick, ms);
}

/** Polling, the fallback for browsers or proxies without Server-Sent Events. */
function poll(): void {
  if (polling) return;
  polling = true;
  for (const r of refreshers) setInterval(r.tick, r.ms);
}

/** Live updates by Server-Sent Events from /api/console/sandbox/events. */
function listen(): void {
  if (typeof EventSource !== 'function') return poll();
  const events = new EventSource('/api/console/sandbox/events');
  events.addEventListener('change', () => {
    for (const r of refreshers) r.tick();
  });
  // CLOSED: the browser gave up on the stream; CONNECTING: it retries by itself.
  events.addEventListener('error', () => {
    if (events.readyState === EventSource.CLOSED) poll();
  });
  // A tab that was hidden missed its refreshes: catch up when it is shown again.
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) for (const r of refreshers) r.tick();
  });
}

function teamsPane(t: ConsoleTexts, boot: Boot, conversation: string): void {
  const list = $<HTMLOListElement>('teams-chat');
  const form = $<HTMLFormElement>('teams-form');
  const input = $<HTMLInputElement>('teams-text');
  const member = $<HTMLSelectElement>('teams-member');
  if (!list || !form || !input || !member) return;
  const send = async (body: { text?: string; value?: Record<string, unknown>; label?: string }) => {
    const answer = await api<{ entries: ChatEntry[] }>('POST', 'sandbox/teams/messages', { conversation, member: member.value, locale: boot.lang === 'nl' ? 'nl-NL' : 'en-US', ...body });
    render(answer.entries);
  };
  const render = chatRenderer(list, t, (_entry, value, label) => void send({ value, label }).catch((err) => showError(list, t, err)));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ text }).catch((err) => showError(list, t, err));
  });
  every(POLL_MS, async () => render((await api<{ entries: ChatEntry[] }>('GET', `sandbox/teams/messages?conversation=${conversation}`)).entries));
}

function slackPane(t: ConsoleTexts, conversation: string): void {
  const list = $<HTMLOListElement>('slack-chat');
  const form = $<HTMLFormElement>('slack-form');
  const input = $<HTMLInputElement>('slack-text');
  const locale = $<HTMLSelectElement>('slack-locale');
  const zone = $<HTMLSelectElement>('slack-zone');
  const dialog = $<HTMLDialogElement>('slack-modal');
  const modalForm = $<HTMLFormElement>('slack-modal-form');
  const modalBody = $<HTMLDivElement>('slack-modal-body');
  const modalTitle = $<HTMLHeadingElement>('slack-modal-title');
  if (!list || !form || !input || !locale || !zone || !dialog || !modalForm || !modalBody || !modalTitle) return;
  const opened = new Set<string>();
  let current: { entry: ChatEntry; read: () => Record<string, string | string[]> } | undefined;
  const openView = (entry: ChatEntry) => {
    const view = entry.view!;
    modalTitle.textContent = typeof view.title === 'object' && view.title ? String((view.title as { text?: unknown }).text ?? t.modal) : t.modal;
    current = { entry, read: renderModalFields(view, modalBody) };
    if (!dialog.open) dialog.showModal();
  };
  const press: BlockAction = (action) => {
    api('POST', 'sandbox/slack/actions', { conversation, locale: locale.value, zone: zone.value, ...action }).catch((err) => showError(list, t, err));
  };
  const render = chatRenderer(list, t, () => undefined, openView, mrkdwn, press);
  const show = (entries: ChatEntry[]) => {
    render(entries);
    for (const e of entries) {
      if (e.view && !opened.has(e.id)) {
        opened.add(e.id);
        openView(e);
      }
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '/webex ';
    api<{ entries: ChatEntry[]; email?: string }>('POST', 'sandbox/slack/commands', { conversation, locale: locale.value, zone: zone.value, text })
      .then((a) => {
        show(a.entries);
        const who = $('slack-who');
        if (who && a.email) who.textContent = `${t.slackYou} ${a.email}`;
      }, (err) => showError(list, t, err));
  });
  $('slack-modal-cancel')?.addEventListener('click', () => dialog.close());
  modalForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!current) return;
    const { entry, read } = current;
    api<{ entries: ChatEntry[]; errors: Record<string, string> | null }>('POST', 'sandbox/slack/views', { conversation, locale: locale.value, zone: zone.value, entry: entry.id, values: read() })
      .then((a) => {
        if (a.errors) {
          modalBody.append(el('p', { class: 'error', role: 'alert' }, Object.values(a.errors).join(' ')));
          return;
        }
        dialog.close();
        show(a.entries);
      }, (err) => modalBody.append(el('p', { class: 'error', role: 'alert' }, `${t.failed}: ${err instanceof Error ? err.message : String(err)}`)));
  });
  // Dialogs opened before this page loaded are not opened again.
  api<{ entries: ChatEntry[] }>('GET', `sandbox/slack/messages?conversation=${conversation}`).then((a) => {
    for (const e of a.entries) if (e.view) opened.add(e.id);
    render(a.entries);
    every(POLL_MS, async () => show((await api<{ entries: ChatEntry[] }>('GET', `sandbox/slack/messages?conversation=${conversation}`)).entries));
  }, (err) => showError(list, t, err));
}

function webexPane(t: ConsoleTexts, conversation: string): void {
  const list = $<HTMLOListElement>('webex-chat');
  const form = $<HTMLFormElement>('webex-form');
  const input = $<HTMLInputElement>('webex-text');
  const select = $<HTMLSelectElement>('webex-space');
  const make = $<HTMLButtonElement>('webex-new-space');
  if (!list || !form || !input || !select || !make) return;
  const render = chatRenderer(list, t, (entry, inputs) => {
    api<{ entries: ChatEntry[] }>('POST', 'sandbox/webex/actions', { conversation, messageId: entry.id, inputs }).then((a) => render(a.entries), (err) => showError(list, t, err));
  });
  const addSpace = (space: { id: string; title: string }) => select.append(el('option', { value: space.id }, space.title));
  api<{ spaces: { id: string; title: string }[] }>('GET', `sandbox/webex/spaces?conversation=${conversation}`).then((a) => a.spaces.forEach(addSpace), () => undefined);
  make.addEventListener('click', () => {
    const n = select.options.length + 1;
    api<{ space: { id: string; title: string }; entries: ChatEntry[] }>('POST', 'sandbox/webex/spaces', { conversation, title: `${t.webexSpace} ${n}` }).then((a) => {
      addSpace(a.space);
      select.value = a.space.id;
      render(a.entries);
    }, (err) => showError(list, t, err));
  });
  select.addEventListener('change', () => void refresh());
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (!select.value) {
      showError(list, t, new Error(t.webexNoSpace));
      return;
    }
    input.value = '';
    api<{ entries: ChatEntry[] }>('POST', 'sandbox/webex/messages', { conversation, roomId: select.value, text }).then((a) => render(a.entries), (err) => showError(list, t, err));
  });
  const refresh = async () => {
    if (select.value) render((await api<{ entries: ChatEntry[] }>('GET', `sandbox/webex/messages?conversation=${conversation}&roomId=${encodeURIComponent(select.value)}`)).entries);
  };
  every(POLL_MS, refresh);
}

function sourcesPane(t: ConsoleTexts): void {
  const status = $('sources-status');
  for (const button of document.querySelectorAll<HTMLButtonElement>('#source-buttons button')) {
    button.addEventListener('click', () => {
      const source = button.dataset.source ?? '';
      button.disabled = true;
      api<{ status: number; answer: unknown }>('POST', `sandbox/sources/${source}`, {})
        .then((a) => {
          if (status) status.textContent = `${button.textContent}: HTTP ${a.status} ${typeof a.answer === 'object' ? JSON.stringify(a.answer).slice(0, 120) : ''}`;
        }, (err) => {
          if (status) status.textContent = `${t.failed}: ${err instanceof Error ? err.message : String(err)}`;
        })
        .finally(() => (button.disabled = false));
    });
  }
}

interface TimelineEntry { at: string; source: string; kind: 'received' | 'stored'; summary: string; detail: string }

function timelinePane(t: ConsoleTexts, lang: ConsoleLanguage): void {
  const list = $<HTMLOListElement>('timeline-list');
  if (!list) return;
  let shown = '';
  const time = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  every(POLL_MS * 2, async () => {
    const { entries } = await api<{ entries: TimelineEntry[] }>('GET', 'sandbox/timeline');
    const json = JSON.stringify(entries);
    if (json === shown) return;
    shown = json;
    list.replaceChildren(...entries.map((e) => {
      const li = el('li', { class: e.kind },
        el('time', { datetime: e.at }, time.format(new Date(e.at))), ' ',
        el('span', { class: 'src' }, `${e.source} ${e.kind === 'received' ? t.received : t.stored}`), ' ',
        e.summary);
      if (e.detail) li.append(el('details', {}, el('summary', {}, '…'), el('code', {}, e.detail)));
      return li;
    }));
  });
}

function start(): void {
  const bootNode = document.getElementById('boot');
  if (!bootNode?.textContent) return;
  const boot = JSON.parse(bootNode.textContent) as Boot;
  const t = consoleTexts[boot.lang];
  if (boot.sandbox) {
    const conversation = conversationId();
    if (boot.surfaces.teams) teamsPane(t, boot, conversation);
    if (boot.surfaces.slack) slackPane(t, conversation);
    if (boot.surfaces.webex) webexPane(t, conversation);
    sourcesPane(t);
    timelinePane(t, boot.lang);
    listen();
  }
  startAdmin(t, boot.lang);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
