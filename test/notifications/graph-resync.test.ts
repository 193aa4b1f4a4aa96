import { graphFolderKey, matchesFilter, renderNotification, resyncNotice } from '../../core/internal';
import { GraphEmulator, SANDBOX_GRAPH_DRIVE_ID, SANDBOX_GRAPH_TOKEN } from '../../sandbox/graph-api/graph-emulator';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace } from '../helpers/webex-sandbox';
import { allRouted } from '../helpers/notifications';

/**
 * "driveItem: delta" (https://learn.microsoft.com/graph/api/driveitem-delta, microsoftgraph/microsoft-graph-docs-contrib
 * api-reference/v1.0/api/driveitem-delta.md): when the service cannot list changes for a token "it returns an
 * HTTP 410 Gone error with an error response containing one of the error codes below
 * [resyncChangesApplyDifferences, resyncChangesUploadDifferences], and a Location header containing a new
 * nextLink that starts a fresh delta enumeration from scratch". A 410 is normal, not the end of a subscription.
 */
describe('Graph delta 410 Gone: resync from the Location Graph gives', () => {
  let service: TestService;
  let graph: GraphEmulator;
  let space: string;

  beforeAll(async () => {
    service = await startTestService({ store: 'sqlite' });
    graph = service.emulators.find((e): e is GraphEmulator => e instanceof GraphEmulator)!;
    graph.pageSize = 2;
    space = await createSpace(service.endpoints.sandbox('webex'), 'Offertes');
    const folderId = graph.folderId('Documenten')!;
    await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'graph', sourceKey: graphFolderKey({ driveId: SANDBOX_GRAPH_DRIVE_ID, folderId }), locale: 'en' });
    await service.notifications.graph!.watchDrive(SANDBOX_GRAPH_DRIVE_ID);
  });
  afterAll(() => service.dispose());

  const drive = (method: string, path: string, body?: unknown) =>
    fetch(`${service.endpoints.sandbox('graph')}/_drive${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const inSpace = () => acceptedMessages(service.emulators).filter((m) => m.roomId === space);
  const all = () => inSpace().map((m) => m.markdown ?? '').join('\n');
  const until = async (done: () => boolean) => {
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      await graph.settled();
      await service.notifications.graph!.idle();
      // Routed first, then counted: the router commits an event's deliveries as it takes it off its queue.
      const routed = await allRouted(service.store);
      const c = await service.notifications.outbox.counts();
      if (c.pending + c.sending === 0 && routed && done()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  /** How often a file was announced (its linked name opens each headline). */
  const count = (name: string) => all().split(`[${name}](`).length - 1;
  const notices = () => all().split('may have been missed').length - 1;

  it('answers a stale token with 410, a resync error code and a Location that starts over', async () => {
    const base = `${service.endpoints.sandbox('graph')}/v1.0/drives/${SANDBOX_GRAPH_DRIVE_ID}/root/delta`;
    const latest = (await (await fetch(`${base}?token=latest`, { headers: { authorization: `Bearer ${SANDBOX_GRAPH_TOKEN}` } })).json()) as { '@odata.deltaLink': string };
    graph.expireDeltaTokens();
    const gone = await fetch(latest['@odata.deltaLink'], { headers: { authorization: `Bearer ${SANDBOX_GRAPH_TOKEN}` } });
    expect(gone.status).toBe(410);
    const body = (await gone.json()) as { error: { code: string; message: string; innerError: object } };
    expect(body.error.code).toBe('resyncChangesApplyDifferences');
    expect(body.error.innerError).toBeDefined();
    const location = gone.headers.get('location');
    expect(location).toMatch(/\/root\/delta\?/);
    const fresh = await fetch(location!, { headers: { authorization: `Bearer ${SANDBOX_GRAPH_TOKEN}` } });
    expect(fresh.status).toBe(200);
  });

  it('recovers the changes since its last sync once, tells the space in its language, and carries on', async () => {
    await drive('POST', '/items', { parentPath: 'Documenten', name: 'Voor de storing.docx', by: 'Pieter Jansen' });
    await until(() => all().includes('Voor de storing.docx'));
    expect(count('Voor de storing.docx')).toBeGreaterThan(0);
    const seenBefore = count('Voor de storing.docx');
    // The first test made the watcher's link stale too: that resync has told the space already.
    const noticesBefore = notices();

    // A long gap: notifications lost and Graph forgets our delta token.
    graph.muted = true;
    await drive('POST', '/items', { parentPath: 'Documenten', name: 'Tijdens de storing.xlsx', by: 'Anouk Bakker' });
    graph.muted = false;
    graph.expireDeltaTokens();
    await drive('POST', '/items', { parentPath: 'Documenten', name: 'Na de storing.pdf', by: 'Anouk Bakker' });
    await until(() => all().includes('Na de storing.pdf') && notices() > noticesBefore);

    expect(all()).toContain('Tijdens de storing.xlsx');
    expect(all()).toContain('Na de storing.pdf');
    expect(notices()).toBe(noticesBefore + 1);
    // What the space already had is not repeated by the full enumeration.
    expect(count('Voor de storing.docx')).toBe(seenBefore);
    expect(count('Tijdens de storing.xlsx')).toBe(1);
    // The folders and files outside the watched one are not news either.
    expect(all()).not.toContain('Projecten');

    // Delta goes on from the new link: one more change, one more mention, no second resync.
    const gones = graph.goneAnswers;
    expect(gones).toBeGreaterThan(1);
    await drive('POST', '/items', { parentPath: 'Documenten', name: 'Daarna.txt' });
    await until(() => all().includes('Daarna.txt'));
    expect(count('Daarna.txt')).toBe(1);
    expect(graph.goneAnswers).toBe(gones);
    expect(notices()).toBe(noticesBefore + 1);
  });
});

describe('the resync notice', () => {
  const folder = { driveId: SANDBOX_GRAPH_DRIVE_ID, folderId: '01FOLDER', name: 'Offertes [2026]', webUrl: 'https://kpnsandbox.sharepoint.com/sites/x/Offertes' };

  it('speaks the space language, links the folder, escapes its name and passes every filter', () => {
    const notice = resyncNotice(folder, 'https://graph.microsoft.com/v1.0/drives/d/root/delta?token=old', '2026-12-01T12:00:00.000Z');
    expect(renderNotification(notice, 'nl').markdown).toBe(
      'OneDrive is de wijzigingen in [Offertes \\[2026\\]](https://kpnsandbox.sharepoint.com/sites/x/Offertes) kwijtgeraakt en een-bridge is opnieuw begonnen: wijzigingen in de tussentijd, vooral verwijderingen, zijn mogelijk gemist.',
    );
    expect(renderNotification(notice, 'en').text).toMatch(/^OneDrive lost track of changes in Offertes \[2026\] .* may have been missed\.$/);
    expect(matchesFilter({ kinds: ['issue.created'] }, notice)).toBe(true);
  });

  it('is keyed by the dead link, so a retried resync tells the space once', () => {
    const a = resyncNotice(folder, 'link-1', '2026-12-01T12:00:00.000Z');
    expect(resyncNotice(folder, 'link-1', '2026-12-01T12:05:00.000Z').deliveryKey).toBe(a.deliveryKey);
    expect(resyncNotice(folder, 'link-2', '2026-12-01T12:00:00.000Z').deliveryKey).not.toBe(a.deliveryKey);
  });
});
