import { RestrictedItems } from '../../core/internal';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_TOKEN, TrelloEmulator } from '../../sandbox/trello-api/trello-emulator';
import { postJiraWebhook } from '../helpers/jira';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace } from '../helpers/webex-sandbox';
import { jiraIssueCreated, jiraRestrictedComment, jiraSecuredIssueCreated } from '../fixtures/jira-webhooks';
import { allRouted } from '../helpers/notifications';

/**
 * Issue 15, "Permission-safe": a Jira issue with a security level, a comment visible to a role
 * or group, and a card on a private Trello board reach a space only through a subscription an
 * administrator allowed to carry restricted items; otherwise the space is told how many changes
 * were not shown, and nothing else about them. End to end through the Jira webhook route, the
 * Trello emulator's signed webhooks and the Webex emulator, on SQLite and PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('restricted items on %s', (store) => {
  let service: TestService;
  let webex: string;
  let trello: TrelloEmulator;

  beforeAll(async () => {
    service = await startTestService({ store, env: { WEBEX_DIGEST_SECONDS: '0' } });
    webex = service.endpoints.sandbox('webex');
    trello = service.emulators.find((e): e is TrelloEmulator => e instanceof TrelloEmulator)!;
  });
  afterAll(() => service.dispose());

  const inSpace = (space: string) => acceptedMessages(service.emulators).filter((m) => m.roomId === space);
  async function messages(space: string, count: number): Promise<{ text?: string; markdown?: string; attachments?: unknown }[]> {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      await trello.settled();
      // Routed first, then counted: the router commits an event's deliveries as it takes it off its queue.
      const routed = await allRouted(service.store);
      const c = await service.notifications.outbox.counts();
      if (c.pending + c.sending === 0 && routed && inSpace(space).length >= count) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return inSpace(space);
  }
  const allow = (id: number, allowed: boolean) => new RestrictedItems(service.store.db, service.audit).set(id, allowed, 'admin@kpn.com');

  it('counts a secured Jira issue and a role-only comment without showing them, in the space language', async () => {
    const nl = await createSpace(webex, 'Klantportaal');
    const en = await createSpace(webex, 'Customer portal');
    await service.notifications.subscriptions.subscribe({ spaceId: nl, source: 'jira', sourceKey: 'KAN', locale: 'nl-NL' });
    await service.notifications.subscriptions.subscribe({ spaceId: en, source: 'jira', sourceKey: 'KAN', locale: 'en-GB' });

    expect((await postJiraWebhook(service.url, jiraSecuredIssueCreated)).status).toBe(202);
    const [secured] = await messages(nl, 1);
    expect(secured?.text).toBe(
      '1 afgeschermde wijziging niet getoond\nDie is bij de bron afgeschermd (een Jira-beveiligingsniveau, een opmerking alleen voor een rol of groep, een privé Trello-bord). Een beheerder kan dit abonnement afgeschermde items laten tonen.',
    );
    expect((await messages(en, 1))[0]?.text).toMatch(/^1 restricted change not shown\n/);

    expect((await postJiraWebhook(service.url, jiraRestrictedComment)).status).toBe(202);
    const both = await messages(nl, 2);
    expect(both[1]?.text).toMatch(/^1 afgeschermde wijziging niet getoond\n/);
    // Nothing of either change reaches the space: no key, title, link, person or comment text.
    const everything = JSON.stringify([...inSpace(nl), ...inSpace(en)]);
    for (const secret of ['KAN-22', 'Datalek', 'Hoogvliet', 'Klantnummer', '8812', 'Anouk', 'Pieter', 'atlassian.net']) expect(everything).not.toContain(secret);
  });

  it('shows restricted changes once an administrator allowed the subscription, audited; deny stops them again', async () => {
    const space = await createSpace(webex, 'Kernteam');
    const sub = await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'jira', sourceKey: 'KAN', locale: 'en-GB' });
    expect(await allow(sub.id, true)).toBe(true);
    const secured = { ...jiraSecuredIssueCreated, timestamp: jiraSecuredIssueCreated.timestamp + 1 };
    expect((await postJiraWebhook(service.url, secured)).status).toBe(202);
    const [shown] = await messages(space, 1);
    expect(shown?.text).toBe('Anouk de Jong created KAN-22: Datalek bij klant Hoogvliet');
    const audit = await service.audit.recent(20);
    expect(audit.find((e) => e.action === 'subscription.restricted')).toMatchObject({
      actor: 'admin@kpn.com',
      outcome: 'succeeded',
      detail: { subscription: sub.id, space, source: 'jira', key: 'KAN', allowed: true },
    });

    expect(await allow(sub.id, false)).toBe(true);
    expect((await postJiraWebhook(service.url, { ...jiraRestrictedComment, timestamp: jiraRestrictedComment.timestamp + 1 })).status).toBe(202);
    expect((await messages(space, 2))[1]?.text).toMatch(/^1 restricted change not shown\n/);
    expect(await allow(9_999_999, true)).toBe(false);
  });

  it('folds a withheld change into a digest as a count', async () => {
    const space = await createSpace(webex, 'Digest');
    await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'jira', sourceKey: 'KAN', locale: 'en-GB' });
    // Both queued before the worker runs, so they go out as one message.
    await service.notifications.worker!.stop();
    expect((await postJiraWebhook(service.url, { ...jiraIssueCreated, timestamp: jiraIssueCreated.timestamp + 7 })).status).toBe(202);
    expect((await postJiraWebhook(service.url, { ...jiraSecuredIssueCreated, timestamp: jiraSecuredIssueCreated.timestamp + 7 })).status).toBe(202);
    // Queued means routed: the router makes the deliveries just after each answer.
    while (!(await allRouted(service.store))) await new Promise((r) => setTimeout(r, 10));
    service.notifications.worker!.start();
    const [digest] = await messages(space, 1);
    expect(digest?.text?.split('\n')).toEqual(['Anouk de Jong created KAN-22: Klik-en-bel faalt voor nummers met 0031', '- 1 restricted change not shown']);
    expect(digest?.text).not.toContain('Datalek');
  });

  it('withholds cards of a private Trello board until the subscription is allowed', async () => {
    const api = `${service.endpoints.sandbox('trello')}/1`;
    const auth = `key=${SANDBOX_TRELLO_API_KEY}&token=${SANDBOX_TRELLO_TOKEN}`;
    const call = async <T>(method: string, path: string, params: Record<string, string>) =>
      (await (await fetch(`${api}${path}?${auth}&${new URLSearchParams(params)}`, { method })).json()) as T;
    const board = trello.addBoard('Salarissen 2027', 'private');
    const space = await createSpace(webex, 'HR');
    const sub = await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'trello', sourceKey: board.id, locale: 'nl-NL' });
    await call('POST', '/webhooks', { callbackURL: `${service.url}/hooks/trello`, idModel: board.id, description: 'een-bridge' });
    const todo = [...trello.lists.values()].find((l) => l.idBoard === board.id && l.name === 'To Do')!;

    await call('POST', '/cards', { idList: todo.id, name: 'Loonsverhoging Jan' });
    expect((await messages(space, 1))[0]?.text).toMatch(/^1 afgeschermde wijziging niet getoond\n/);

    await allow(sub.id, true);
    await call('POST', '/cards', { idList: todo.id, name: 'Bonus Marieke' });
    const got = await messages(space, 2);
    expect(got[1]?.text).toBe('Sandbox Gebruiker heeft #2 aangemaakt: Bonus Marieke');
    expect(JSON.stringify(got[0])).not.toContain('Loonsverhoging');
  });
});
