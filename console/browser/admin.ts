// The administrator's view: shown after sign-in with Microsoft (or the sandbox's issuer).
import type { ConsoleLanguage, ConsoleTexts } from '../texts';
import { api, ApiError } from './api';
import { el } from './render';

interface Session { signedIn: boolean; signInAvailable: boolean; name?: string; username?: string; admin?: boolean; csrf?: string }
interface Person { id: string; name: string | null; email: string | null; licence: string; line: { broadworksUserId: string; number: string | null } | null; apps: string[] }
interface Policy { tenantId: string; blockedPrefixes: string[]; blockPremiumRate: boolean; internationalAllowed: boolean; callsPerMinute: number }
interface Subscription { id: number; source: string; sourceKey: string; filter: Record<string, unknown>; locale: string; createdBy: string | null; createdAt: string }
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
    host.replaceChildren(who, status, people.root, policy.root, follow.root, subs.root, outbox.root, audit.root);

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
    people.body.replaceChildren(peopleList, el('p', { class: 'hint' }, t.addPersonHint), addForm);
    const loadPeople = async () => {
      const { people: list, licences } = await api<{ people: Person[]; licences: string[] }>('GET', 'admin/people');
      if (newLicence.options.length === 0) for (const l of licences) newLicence.append(el('option', { value: l }, l));
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
        return [p.name ?? '', p.email ?? '', el('span', {}, select, ' ', save), p.line ? `${p.line.broadworksUserId}${p.line.number ? ` · ${p.line.number}` : ''}` : t.none, p.apps.join(', ')];
      })));
    };

    const tenant = el('input', { id: 'policy-tenant', required: '', maxlength: '128', value: '72f988bf-0000-4000-8000-00000000e1e1' });
    const number = el('input', { id: 'policy-number', required: '', maxlength: '64', inputmode: 'tel' });
    const verdict = el('p', { id: 'policy-verdict', role: 'status' });
    const tester = el('form', { class: 'row' },
      el('span', {}, el('label', { for: 'policy-tenant' }, t.tenant), tenant),
      el('span', {}, el('label', { for: 'policy-number' }, t.tryNumber), number),
      el('button', { type: 'submit' }, t.check));
    tester.addEventListener('submit', (ev) => {
      ev.preventDefault();
      api<{ allowed: boolean; target?: string; reason?: string }>('POST', 'admin/policies/test', { tenant: tenant.value, number: number.value }).then((r) => {
        verdict.className = r.allowed ? 'ok' : 'error';
        verdict.textContent = r.allowed ? `${t.allowed}: ${r.target ?? ''}` : `${t.refused}: ${r.reason ?? ''}`;
      }, report);
    });
    const policyList = el('div');
    policy.body.replaceChildren(tester, verdict, policyList);
    const loadPolicies = async () => {
      const { policies, default: fallback } = await api<{ policies: Policy[]; default: Policy }>('GET', 'admin/policies');
      policyList.replaceChildren(table([t.tenant, t.blocked, t.premiumRate, t.international, t.perMinute], [{ ...fallback, tenantId: t.otherTenants }, ...policies].map((p) => [p.tenantId, p.blockedPrefixes.join(' '), p.blockPremiumRate ? t.refused : t.allowed, p.internationalAllowed ? t.allowed : t.refused, String(p.callsPerMinute)])));
    };

    const loadSubscriptions = async () => {
      const { spaces } = await api<{ spaces: { spaceId: string; subscriptions: Subscription[] }[] }>('GET', 'admin/subscriptions');
      subs.body.replaceChildren(spaces.length === 0 ? el('p', {}, t.nothingYet) : el('div', {}, ...spaces.map((s) => el('div', {},
        el('h4', {}, `${t.space} …${s.spaceId.slice(-10)}`),
        table(['#', t.source, t.key, t.filter, t.when], s.subscriptions.map((x) => [String(x.id), x.source, x.sourceKey, JSON.stringify(x.filter), date(x.createdAt)]))))));
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
    Promise.all([loadPeople(), loadPolicies(), loadRequests(), loadSubscriptions(), loadOutbox(), loadAudit()]).catch(report);
  }, (err) => {
    if (!(err instanceof ApiError)) report(err);
  });
}
