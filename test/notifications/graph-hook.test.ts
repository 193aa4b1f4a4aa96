import { graphFolderKey } from '../../core';
import { GraphEmulator, SANDBOX_GRAPH_DRIVE_ID } from '../../sandbox/graph-api/graph-emulator';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace, postedMessages } from '../helpers/webex-sandbox';
import { graphChangeNotification } from '../fixtures/graph-notifications';
import { allRouted } from '../helpers/notifications';

describe.each(['sqlite', 'postgres'] as const)('OneDrive folders through Microsoft Graph in sandbox mode (%s)', (storeKind) => {
  let service: TestService;
  let graph: GraphEmulator;
  let space: string;
  let folderId: string;

  beforeAll(async () => {
    service = await startTestService({ store: storeKind });
    graph = service.emulators.find((e): e is GraphEmulator => e instanceof GraphEmulator)!;
    graph.pageSize = 2;
    space = await createSpace(service.endpoints.sandbox('webex'), 'Offertes');
    folderId = graph.folderId('Documenten')!;
    await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'graph', sourceKey: graphFolderKey({ driveId: SANDBOX_GRAPH_DRIVE_ID, folderId }), locale: 'en' });
    await service.notifications.graph!.watchDrive(SANDBOX_GRAPH_DRIVE_ID);
  });
  afterAll(() => service.dispose());

  const hook = () => `${service.url}/hooks/graph`;
  const drive = (method: string, path: string, body?: unknown) =>
    fetch(`${service.endpoints.sandbox('graph')}/_drive${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  /** Waits until Graph's POSTs are answered, the delta runs are done and the outbox is empty. */
  const inSpace = () => acceptedMessages(service.emulators).filter((m) => m.roomId === space);
  const settled = async () => {
    await graph.settled();
    await service.notifications.graph!.idle();
  };
  const messages = async (count: number, done: (texts: string) => boolean = () => true) => {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      await settled();
      // Routed first, then counted: the router commits an event's deliveries as it takes it off its queue.
      const routed = await allRouted(service.store);
      const c = await service.notifications.outbox.counts();
      if (c.pending + c.sending === 0 && routed && inSpace().length >= count && done(inSpace().map((m) => m.markdown ?? '').join('\n'))) return inSpace();
      await new Promise((r) => setTimeout(r, 25));
    }
    return inSpace();
  };

  it('echoes the validationToken as text/plain with 200 (the handshake)', async () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 3b3f9821';
    const res = await fetch(`${hook()}?validationToken=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(token);
  });

  it('created the drive subscription through the handshake, with a clientState it does not store in clear', () => {
    const [sub] = [...graph.subscriptions.values()];
    expect(sub).toMatchObject({ resource: `drives/${SANDBOX_GRAPH_DRIVE_ID}/root`, notificationUrl: hook(), lifecycleNotificationUrl: hook() });
    expect(sub?.clientState).toMatch(/^[\w-]{40,}$/);
    const validations = graph.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/v1.0/subscriptions'));
    expect(validations).toHaveLength(1);
  });

  it('a file created, changed and deleted in the folder ends up in the space, in order, through the outbox', async () => {
    const created = (await (await drive('POST', '/items', { parentPath: 'Documenten', name: 'Offerte KPN EEN.docx', by: 'Pieter Jansen' })).json()) as { id: string };
    expect((await messages(1)).map((m) => m.text?.split('\n')[0])).toEqual(['Pieter Jansen created Offerte KPN EEN.docx: Offerte KPN EEN.docx']);
    const logged = await postedMessages(service.endpoints.sandbox('webex'));
    expect(logged.at(-1)?.body).toContain('Offerte KPN EEN.docx');

    // Files elsewhere in the drive are not this space's business.
    await drive('POST', '/items', { parentPath: 'Projecten', name: 'Elders.txt' });
    await drive('PATCH', `/items/${created.id}`, { content: 'v2', by: 'Anouk Bakker' });
    expect(await messages(2)).toHaveLength(2);
    await drive('DELETE', `/items/${created.id}`);
    // Graph retrying a notification runs delta again and finds nothing new: still one message per change.
    await fetch(hook(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: [{ ...graphChangeNotification.value[0], subscriptionId: [...graph.subscriptions.values()][0]!.id, clientState: [...graph.subscriptions.values()][0]!.clientState }] }) });
    // The file's thread (issue 15): the first message starts it, the others reply in it, and the
    // deletion (important by default) is also summarised in one line at the top of the space.
    const got = await messages(4);
    expect(got.map((m) => m.text?.split('\n')[0]?.split(':')[0])).toEqual([
      'Pieter Jansen created Offerte KPN EEN.docx',
      'Anouk Bakker updated Offerte KPN EEN.docx',
      'Someone deleted Offerte KPN EEN.docx',
      'Someone deleted Offerte KPN EEN.docx',
    ]);
    expect(got.map((m) => m.parentId)).toEqual([undefined, got[0]!.id, got[0]!.id, undefined]);
    expect(got[0]?.markdown).toContain('kpnsandbox.sharepoint.com');
    expect(graph.deliveries.every((d) => d.status === 202)).toBe(true);
  });

  it('after a `missed` lifecycle event, one delta run finds every change, following @odata.nextLink', async () => {
    const before = inSpace().length;
    graph.muted = true;
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await drive('POST', '/items', { parentPath: 'Documenten', name });
    graph.muted = false;
    await settled();
    expect(inSpace()).toHaveLength(before);
    const [sub] = [...graph.subscriptions.values()];
    await fetch(`${service.endpoints.sandbox('graph')}/_subscriptions/${sub!.id}/lifecycle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lifecycleEvent: 'missed' }) });
    const names = ['a.txt', 'b.txt', 'c.txt'];
    const got = await messages(before + 1, (texts) => names.every((n) => texts.includes(n)));
    const texts = got.slice(before).map((m) => m.markdown ?? '').join('\n');
    for (const name of names) expect(texts).toContain(name);
    // Pages of 2: the three files took a nextLink.
    expect(graph.log.list().some((r) => r.path.endsWith('/root/delta') && '$skiptoken' in r.query)).toBe(true);
  });

  it('ignores a notification with the wrong clientState (202, as Graph expects) and stores nothing', async () => {
    await messages(0);
    const before = await service.notifications.outbox.counts();
    const [sub] = [...graph.subscriptions.values()];
    const deltaCalls = graph.log.list().filter((r) => r.path.includes('/delta')).length;
    const forged = { value: [{ ...graphChangeNotification.value[0], subscriptionId: sub!.id, clientState: 'guessed' }] };
    const res = await fetch(hook(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forged) });
    expect(res.status).toBe(202);
    await settled();
    expect(await service.notifications.outbox.counts()).toEqual(before);
    expect(graph.log.list().filter((r) => r.path.includes('/delta')).length).toBe(deltaCalls);
  });

  it('answers 400 to a body that is not a notification collection', async () => {
    const before = await service.notifications.outbox.counts();
    for (const body of ['{not json', JSON.stringify({ value: [] }), JSON.stringify({ value: [{ changeType: 'updated' }] })]) {
      const res = await fetch(hook(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBeDefined();
    }
    expect(await service.notifications.outbox.counts()).toEqual(before);
  });

  it('renews on reauthorizationRequired and recreates on subscriptionRemoved', async () => {
    const [sub] = [...graph.subscriptions.values()];
    const lifecycle = (id: string, lifecycleEvent: string) =>
      fetch(`${service.endpoints.sandbox('graph')}/_subscriptions/${id}/lifecycle`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lifecycleEvent }) });
    expect((await lifecycle(sub!.id, 'reauthorizationRequired')).status).toBe(202);
    await settled();
    expect(graph.log.list().some((r) => r.method === 'PATCH' && r.path.endsWith(`/subscriptions/${sub!.id}`))).toBe(true);

    expect((await lifecycle(sub!.id, 'subscriptionRemoved')).status).toBe(202);
    await settled();
    const now = [...graph.subscriptions.values()];
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(sub!.id);

    // The new subscription carries on where delta left off.
    const before = inSpace().length;
    await drive('POST', '/items', { parentPath: 'Documenten', name: 'Na herstel.pdf' });
    const got = await messages(before + 1);
    expect(got.at(-1)?.text).toContain('Na herstel.pdf');
  });
});
