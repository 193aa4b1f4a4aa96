// The administrator's view: shown after sign-in with Microsoft (or the sandbox's issuer).
import type { ConsoleLanguage, ConsoleTexts } from '../texts';
import { api, ApiError } from './api';
import { el } from './render';

interface Session { signedIn: boolean; signInAvailable: boolean; name?: string; username?: string; admin?: boolean; csrf?: string }
interface Person { id: string; name: string | null; email: string | null; licence: string; line: { broadworksUserId: string; number: string | null } | null; apps: string[] }
interface Policy { tenantId: string; blockedPrefixes: string[]; extensionPlan: string[]; blockPremiumRate: boolean; internationalAllowed: boolean; callsPerMinute: number }
interface Subscription { id: number; source: string; sourceKey: string; filter: Record<string, unknown>; filterShown?: { en: string; nl: string } | null; locale: string; createdBy: string | null; createdAt: string; lastEvent: string | null }

/** The JSON filter (when set, or when there is nothing else) and the filter expression in the page's language. */
function filterCell(x: Subscription, lang: ConsoleLanguage): string {
  const json = JSON.stringify(x.filter);
  const shown = x.filterShown?.[lang];
  if (!shown) return json;
  return json === '{}' ? shown : `${json} + ${shown}`;
}
interface SpaceHealth { lastDelivery: string | null; delivered: number; waiting: number; dead: number }
interface PreviewRow { line: number; email: string; broadworksUserId: string; number: string; licence: string; problems: string[]; action?: 'add' | 'change' }
interface Preview { separator: string; rows: PreviewRow[]; fileProblems: string[] }
interface PolicyChanged { differences: { setting: string }[] }
interface DoctorRow { check: string; status: string; detail: string }
interface Dead { id: number; source: string; kind: string; subjectKey: string; spaceId: string; attempts: number; lastError: string | null; createdAt: string }
interface FollowRequest { id: number; spaceId: string; source: string; sourceKey: string; label: string; requestedBy: string; createdAt: string }
interface AuditEntry { id: number; at: string; actor: string; action: string; outcome: string; detail: Record<string, unknown> }

function table(headers: string[], rows: (Node | string)[][]): HTMLTableElement {
  return el('table', { class: 'data' },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
}

function section(id: string, title: string): { root: HTMLElement; body: HTMLElement } {
  const body = el('div', { id: `${id}-body` });
  const root = el('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, el('h3', { id: `${id}-title` }, title), body);
  return { root, body };
}

export function startAdmin(t: ConsoleTexts, lang: ConsoleLanguage): void {
  const host = document.getElementById('admin-body');
  if (!host) return;
  const status = el('p', { role: 'status', id: 'admin-status' });
  const when = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' });
  const date = (iso: string) => {
    const d = new Date(iso.includes('T') ? iso : `${iso.replace(' ', 'T')}Z`);
    return Number.isNaN(d.getTime()) ? iso : when.format(d);
  };
  const report = (err: unknown) => {
    status.className = 'error';
    status.textContent = `${t.failed}: ${err instanceof Error ? err.message : String(err)}`;
  };
  const done = (text: string) => {
    status.className = 'ok';
    status.textContent = text;
  };

  api<Session>('GET', 'session').then((session) => {
    if (!session.signedIn) {
      if (!session.signInAvailable) host.replaceChildren(el('p', { class: 'hint', id: 'sign-in-unavailable' }, t.signInUnavailable));
      return;
    }
    const signOut = el('button', { type: 'button', class: 'secondary', id: 'sign-out' }, t.signOut);
    signOut.addEventListener('click', () => {
      fetch('/console/sign-out', { method: 'POST', headers: { 'x-csrf-token': session.csrf ?? '' } }).then(() => location.assign('/'), report);
    });
    const who = el('p', { id: 'signed-in-as' }, `${t.signedInAs} ${session.name ?? ''} (${session.username ?? ''}) `, signOut);
    if (!session.admin) {
      host.replaceChildren(who, el('p', { class: 'error', role: 'alert', id: 'not-admin' }, t.notAdmin));
      return;
    }
    const change = <T>(method: string, path: string, body: unknown) => api<T>(method, `admin/${path}`, body, { 'x-csrf-token': session.csrf ?? '' });
    const people = section('people', t.people);
    const policy = section('policies', t.policies);
    const subs = section('subscriptions', t.subscriptions);
    const follow = section('follow-requests', t.followRequests);
    const outbox = section('outbox', t.outbox);
    const audit = section('audit', t.audit);
    const doctor = section('doctor', t.doctor);
    const live = el('p', { class: 'hint', id: 'admin-live', 'aria-live': 'off' });
    host.replaceChildren(who, live, status, people.root, policy.root, follow.root, subs.root, outbox.root, doctor.root, audit.root);

    const newEmail = el('input', { id: 'person-email', type: 'email', required: '', maxlength: '254', autocomplete: 'off' });
    const newLicence = el('select', { id: 'person-licence' });
    const addForm = el('form', { class: 'row', id: 'add-person' },
      el('span', {}, el('label', { for: 'person-email' }, t.email), newEmail),
      el('span', {}, el('label', { for: 'person-licence' }, t.licence), newLicence),
      el('button', { type: 'submit' }, t.addPerson));
    addForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      change('POST', 'people', { email: newEmail.value, licence: newLicence.value })
        .then(() => done(`${t.saved}: ${newEmail.value} → ${newLicence.value}`), report)
        .then(() => Promise.all([loadPeople(), loadAudit()]));
    });
    const peopleList = el('div');
    // Link a line: choose the person, give the line (an administrator's word, like `users import`).
    const linkWho = el('select', { id: 'link-person' });
    const linkId = el('input', { id: 'link-line', required: '', maxlength: '128', autocomplete: 'off' });
    const linkNumber = el('input', { id: 'link-number', maxlength: '32', inputmode: 'tel', autocomplete: 'off' });
    const linkForm = el('form', { class: 'row', id: 'link-form' },
      el('span', {}, el('label', { for: 'link-person' }, t.name), linkWho),
      el('span', {}, el('label', { for: 'link-line' }, t.lineId), linkId),
      el('span', {}, el('label', { for: 'link-number' }, t.lineNumber), linkNumber),
      el('button', { type: 'submit' }, t.linkLine));
    linkForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const label = linkWho.selectedOptions[0]?.textContent ?? '';
      change('PUT', `people/${encodeURIComponent(linkWho.value)}/line`, { broadworksUserId: linkId.value, ...(linkNumber.value ? { number: linkNumber.value } : {}) })
        .then(() => done(`${t.linked}: ${label} → ${linkId.value}`), report)
        .then(() => Promise.all([loadPeople(), loadAudit()]));
    });
    // Import a CSV: check first (every row's problems, nothing changes), then import.
    const csvFile = el('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv' });
    const csvText = el('textarea', { id: 'import-text', rows: '4', spellcheck: 'false' });
    const checkImport = el('button', { type: 'submit', id: 'import-check' }, t.checkImport);
    const commitImport = el('button', { type: 'button', id: 'import-commit', disabled: '' }, t.commitImport);
    const previewBox = el('div', { id: 'import-preview' });
    const importForm = el('form', { id: 'import-form' },
      el('h4', {}, t.importTitle), el('p', { class: 'hint' }, t.importHint),
      el('p', { class: 'row' }, el('label', { for: 'import-file' }, t.csvFile), csvFile),
      el('p', {}, el('label', { for: 'import-text' }, t.csvText), el('br'), csvText),
      el('p', { class: 'row' }, checkImport, commitImport), previewBox);
    csvFile.addEventListener('change', () => {
      const file = csvFile.files?.[0];
      if (file) file.text().then((text) => (csvText.value = text), report);
    });
    let checked = '';
    csvText.addEventListener('input', () => commitImport.setAttribute('disabled', ''));
    importForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const csv = csvText.value;
      api<Preview>('POST', 'admin/people/import/preview', { csv }).then((p) => {
        const bad = p.fileProblems.length + p.rows.filter((r) => r.problems.length > 0).length;
        previewBox.replaceChildren(
          el('p', { id: 'import-separator' }, `${t.separator}: ${p.separator === ';' ? ';' : ','}`),
          ...p.fileProblems.map((f) => el('p', { class: 'error' }, f)),
          table([t.row, t.email, t.lineId, t.lineNumber, t.licence, t.problems], p.rows.map((r) => [
            String(r.line), r.email, r.broadworksUserId, r.number, r.licence,
            r.problems.length > 0 ? el('span', { class: 'error' }, r.problems.join('; ')) : el('span', { class: 'ok' }, r.action === 'add' ? t.willAdd : t.willChange),
          ])),
          el('p', { role: 'status', id: 'import-verdict', class: bad > 0 ? 'error' : 'ok' }, bad > 0 ? t.importBlocked : `${p.rows.length} ✓`));
        checked = csv;
        if (bad === 0 && p.rows.length > 0) commitImport.removeAttribute('disabled');
        else commitImport.setAttribute('disabled', '');
      }, report);
    });
    commitImport.addEventListener('click', () => {
      change<{ created: number; updated: number }>('POST', 'people/import', { csv: checked })
        .then((r) => {
          done(`${t.imported}: +${r.created}, ~${r.updated}`);
          commitImport.setAttribute('disabled', '');
        }, report)
        .then(() => Promise.all([loadPeople(), loadAudit()]));
    });
    people.body.replaceChildren(peopleList, el('p', { class: 'hint' }, t.addPersonHint), addForm, linkForm, importForm);
    let shownPeople = '';
    const loadPeople = async () => {
      const { people: list, licences } = await api<{ people: Person[]; licences: string[] }>('GET', 'admin/people');
      if (newLicence.options.length === 0) for (const l of licences) newLicence.append(el('option', { value: l }, l));
      // A live update must not undo a licence chosen but not saved yet: redraw only what changed.
      const json = JSON.stringify(list);
      if (json === shownPeople) return;
      shownPeople = json;
      peopleList.replaceChildren(list.length === 0 ? el('p', {}, t.nothingYet) : table([t.name, t.email, t.licence, t.line, t.apps], list.map((p) => {
        const label = `${t.licence}: ${p.name ?? p.email ?? p.id}`;
        const select = el('select', { 'aria-label': label, 'data-person': p.id });
        for (const l of licences) select.append(el('option', { value: l }, l));
        select.value = p.licence;
        const save = el('button', { type: 'button', 'aria-label': `${t.setLicence}: ${p.name ?? p.email ?? p.id}` }, t.setLicence);
        save.addEventListener('click', () => {
          change('PUT', `people/${encodeURIComponent(p.id)}/licence`, { licence: select.value })
            .then(() => done(`${t.saved}: ${p.name ?? p.email ?? p.id} → ${select.value}`), report)
            .then(() => void loadAudit());
        });
        const who = p.name ?? p.email ?? p.id;
        let line: Node | string = t.none;
        if (p.line) {
          const unlink = el('button', { type: 'button', class: 'secondary', 'aria-label': `${t.unlinkLine}: ${who}` }, t.unlinkLine);
          unlink.addEventListener('click', () => {
            change('DELETE', `people/${encodeURIComponent(p.id)}/line`, undefined)
              .then(() => done(`${t.unlinked}: ${who}`), report)
              .then(() => Promise.all([loadPeople(), loadAudit()]));
          });
          line = el('span', {}, `${p.line.broadworksUserId}${p.line.number ? ` · ${p.line.number}` : ''} `, unlink);
        }
        return [p.name ?? '', p.email ?? '', el('span', {}, select, ' ', save), line, p.apps.join(', ')];
      })));
      const chosen = linkWho.value;
      linkWho.replaceChildren(...list.map((p) => el('option', { value: p.id }, p.name ?? p.email ?? p.id)));
      if (chosen) linkWho.value = chosen;
    };

    const tenant = el('input', { id: 'policy-tenant', required: '', maxlength: '128', value: '72f988bf-0000-4000-8000-00000000e1e1' });
    const number = el('input', { id: 'policy-number', required: '', maxlength: '64', inputmode: 'tel' });
    const verdict = el('p', { id: 'policy-verdict', role: 'status' });
    const tester = el('form', { class: 'row' },
      el('span', {}, el('label', { for: 'policy-tenant' }, t.tenant), tenant),
      el('span', {}, el('label', { for: 'policy-number' }, t.tryNumber), number),
      el('button', { type: 'submit', id: 'policy-check' }, t.check));
    tester.addEventListener('submit', (ev) => {
      ev.preventDefault();
      api<{ allowed: boolean; target?: string; reason?: string }>('POST', 'admin/policies/test', { tenant: tenant.value, number: number.value }).then((r) => {
        verdict.className = r.allowed ? 'ok' : 'error';
        verdict.textContent = r.allowed ? `${t.allowed}: ${r.target ?? ''}` : `${t.refused}: ${r.reason ?? ''}`;
      }, report);
    });
    const policyList = el('div');
    const field = (id: string, label: string, input: HTMLElement) => el('span', {}, el('label', { for: id }, label), input);
    const block = el('input', { id: 'policy-block', maxlength: '300', autocomplete: 'off' });
    const unblock = el('input', { id: 'policy-unblock', maxlength: '300', autocomplete: 'off' });
    const extensions = el('input', { id: 'policy-extensions', maxlength: '300', autocomplete: 'off' });
    const choice = (id: string, options: [string, string][]) => {
      const select = el('select', { id });
      for (const [value, label] of options) select.append(el('option', { value }, label));
      return select;
    };
    const international = choice('policy-international', [['', t.unchanged], ['true', t.allowed], ['false', t.refused]]);
    const premium = choice('policy-premium', [['', t.unchanged], ['false', t.allowed], ['true', t.refused]]);
    const perMinute = el('input', { id: 'policy-per-minute', type: 'number', min: '1', max: '120', step: '1' });
    const editForm = el('form', { id: 'policy-edit' }, el('h4', {}, `${t.editPolicy} (${t.tenant})`),
      el('p', { class: 'row' }, field('policy-block', t.blockPrefix, block), field('policy-unblock', t.unblockPrefix, unblock)),
      el('p', { class: 'row' }, field('policy-extensions', t.extensions, extensions), field('policy-international', t.international, international),
        field('policy-premium', t.premiumRate, premium), field('policy-per-minute', t.perMinute, perMinute)),
      el('button', { type: 'submit' }, t.savePolicy));
    const words = (v: string) => v.split(/[\s,;]+/).filter(Boolean);
    editForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const body: Record<string, unknown> = {};
      if (words(block.value).length > 0) body.block = words(block.value);
      if (words(unblock.value).length > 0) body.unblock = words(unblock.value);
      if (words(extensions.value).length > 0) body.extensionPlan = words(extensions.value);
      if (international.value) body.internationalAllowed = international.value === 'true';
      if (premium.value) body.blockPremiumRate = premium.value === 'true';
      if (perMinute.value) body.callsPerMinute = Number(perMinute.value);
      change<PolicyChanged>('PUT', `policies/${encodeURIComponent(tenant.value.trim())}`, body)
        .then((r) => done(r.differences.length > 0 ? `${t.saved}: ${tenant.value.trim()} (${r.differences.map((d) => d.setting).join(', ')})` : t.noChange), report)
        .then(() => Promise.all([loadPolicies(), loadAudit()]))
        // The tester answers for the policy as it is now.
        .then(() => (number.value ? tester.requestSubmit() : undefined));
    });
    policy.body.replaceChildren(tester, verdict, editForm, policyList);
    const loadPolicies = async () => {
      const { policies, default: fallback } = await api<{ policies: Policy[]; default: Policy }>('GET', 'admin/policies');
      policyList.replaceChildren(table([t.tenant, t.blocked, t.extensions, t.premiumRate, t.international, t.perMinute], [{ ...fallback, tenantId: t.otherTenants }, ...policies].map((p) => [p.tenantId, p.blockedPrefixes.join(' '), p.extensionPlan.join(' '), p.blockPremiumRate ? t.refused : t.allowed, p.internationalAllowed ? t.allowed : t.refused, String(p.callsPerMinute)])));
    };

    const loadSubscriptions = async () => {
      const { spaces } = await api<{ spaces: { spaceId: string; health: SpaceHealth; subscriptions: Subscription[] }[] }>('GET', 'admin/subscriptions');
      subs.body.replaceChildren(spaces.length === 0 ? el('p', {}, t.nothingYet) : el('div', {}, ...spaces.map((s) => el('div', {},
        el('h4', {}, `${t.space} …${s.spaceId.slice(-10)}`),
        el('p', { class: s.health.dead > 0 ? 'error' : 'hint', 'data-health': s.spaceId },
          `${t.health}: ${t.deliveryStates.delivered ?? ''} ${s.health.delivered} · ${t.deliveryStates.pending ?? ''} ${s.health.waiting} · ${t.deliveryStates.dead ?? ''} ${s.health.dead}${s.health.lastDelivery ? ` · ${t.lastDelivery} ${date(s.health.lastDelivery)}` : ''}`),
        table(['#', t.source, t.key, t.filter, t.lastEvent, t.when], s.subscriptions.map((x) => [String(x.id), x.source, x.sourceKey, filterCell(x, lang), x.lastEvent ? date(x.lastEvent) : t.none, date(x.createdAt)]))))));
    };

    const loadRequests = async () => {
      const { requests } = await api<{ requests: FollowRequest[] }>('GET', 'admin/follow-requests');
      follow.body.replaceChildren(requests.length === 0 ? el('p', {}, t.nothingYet) : table(['#', t.source, t.key, t.requestedBy, t.when, ''], requests.map((r) => {
        const buttons = el('span');
        for (const [decision, label, cls] of [['approve', t.approve, ''], ['deny', t.deny, 'secondary']] as const) {
          const b = el('button', { type: 'button', class: cls, 'data-decide': `${decision}-${r.id}` }, label);
          b.addEventListener('click', () => change('POST', `follow-requests/${r.id}/${decision}`, {}).then(() => done(`${label}: ${r.source} ${r.sourceKey}`), report).then(() => Promise.all([loadRequests(), loadSubscriptions(), loadAudit()])));
          buttons.append(b, ' ');
        }
        return [String(r.id), r.source, `${r.sourceKey} (${r.label})`, r.requestedBy, date(r.createdAt), buttons];
      })));
    };

    const loadOutbox = async () => {
      const { counts, dead } = await api<{ counts: Record<string, number>; dead: Dead[] }>('GET', 'admin/outbox');
      const rows = dead.map((d) => {
        const retry = el('button', { type: 'button', 'data-retry': String(d.id) }, t.retry);
        const purge = el('button', { type: 'button', class: 'secondary', 'data-purge': String(d.id) }, t.purge);
        retry.addEventListener('click', () => change<{ retried: number }>('POST', 'outbox/retry', { ids: [d.id] }).then((r) => done(`${t.retry}: ${r.retried}`), report).then(() => Promise.all([loadOutbox(), loadAudit()])));
        purge.addEventListener('click', () => change<{ purged: number }>('POST', 'outbox/purge', { ids: [d.id] }).then((r) => done(`${t.purge}: ${r.purged}`), report).then(() => Promise.all([loadOutbox(), loadAudit()])));
        return [String(d.id), `${d.source} ${d.kind} ${d.subjectKey}`, String(d.attempts), d.lastError ?? '', el('span', {}, retry, ' ', purge)];
      });
      outbox.body.replaceChildren(
        el('p', { id: 'outbox-counts' }, Object.entries(counts).map(([k, v]) => `${t.deliveryStates[k] ?? k}: ${v}`).join(' · ')),
        rows.length === 0 ? el('p', {}, t.nothingYet) : table(['#', t.what, 'n', t.cause, ''], rows));
    };

    const q = el('input', { id: 'audit-q', type: 'search', maxlength: '100' });
    const search = el('form', { class: 'row', role: 'search' }, el('label', { for: 'audit-q' }, t.search), q, el('button', { type: 'submit' }, t.search));
    const auditList = el('div');
    audit.body.replaceChildren(search, auditList);
    const loadAudit = async () => {
      const { entries } = await api<{ entries: AuditEntry[] }>('GET', `admin/audit?q=${encodeURIComponent(q.value)}`);
      auditList.replaceChildren(entries.length === 0 ? el('p', {}, t.nothingYet) : table([t.when, t.who, t.what, t.outcome, ''], entries.map((e) => [date(e.at), e.actor, e.action, e.outcome, el('code', {}, JSON.stringify(e.detail))])));
    };
    search.addEventListener('submit', (ev) => {
      ev.preventDefault();
      loadAudit().catch(report);
    });
    const runDoctor = el('button', { type: 'button', id: 'run-doctor' }, t.runDoctor);
    const doctorList = el('div');
    doctor.body.replaceChildren(runDoctor, doctorList);
    runDoctor.addEventListener('click', () => {
      runDoctor.setAttribute('disabled', '');
      api<{ checks: DoctorRow[] }>('GET', 'admin/doctor')
        .then(({ checks }) => doctorList.replaceChildren(table([t.check, t.status, t.detail], checks.map((c) => [c.check, el('span', { class: c.status === 'failing' ? 'error' : c.status === 'ok' ? 'ok' : '' }, c.status), c.detail]))), report)
        .finally(() => runDoctor.removeAttribute('disabled'));
    });

    const reload = () => Promise.all([loadPeople(), loadRequests(), loadSubscriptions(), loadOutbox(), loadAudit()]).catch(report);
    // Live: the server says when something changed (Server-Sent Events); without them, poll.
    let polling: number | undefined;
    const poll = () => {
      if (polling !== undefined) return;
      live.textContent = t.polling;
      polling = window.setInterval(() => {
        if (!document.hidden) void reload();
      }, 5000);
    };
    if (typeof EventSource === 'function') {
      const events = new EventSource('/api/console/admin/events');
      events.addEventListener('open', () => (live.textContent = t.live));
      events.addEventListener('change', () => void reload());
      events.addEventListener('error', () => {
        // CLOSED: the browser gave up (the server refused the stream); CONNECTING: it retries itself.
        if (events.readyState === EventSource.CLOSED) poll();
      });
    } else poll();
    Promise.all([loadPeople(), loadPolicies(), loadRequests(), loadSubscriptions(), loadOutbox(), loadAudit()]).catch(report);
  }, (err) => {
    if (!(err instanceof ApiError)) report(err);
  });
}
