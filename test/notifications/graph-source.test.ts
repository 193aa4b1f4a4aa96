import { clientStateHash, clientStateMatches, deltaItem, deltaItemToEvent, graphFolderKey, parseGraphFolderKey, parseGraphNotifications } from '../../core/internal';
import { graphChangeNotification, graphClientState, graphDeltaPage, graphDriveId, graphFolderId, graphReauthorizationRequired } from '../fixtures/graph-notifications';

const raw = (body: unknown) => Buffer.from(JSON.stringify(body));

describe('Graph change notifications', () => {
  it('reads a driveItem change notification and a lifecycle notification', () => {
    const change = parseGraphNotifications(raw(graphChangeNotification));
    expect(change).toEqual({ outcome: 'notifications', notifications: [expect.objectContaining({ changeType: 'updated', clientState: graphClientState })] });
    const lifecycle = parseGraphNotifications(raw(graphReauthorizationRequired));
    expect(lifecycle.outcome === 'notifications' && lifecycle.notifications[0]?.lifecycleEvent).toBe('reauthorizationRequired');
  });

  it('calls anything else invalid: not JSON, no value, an empty value, no subscriptionId, an unknown lifecycle event', () => {
    for (const body of ['{', JSON.stringify({}), JSON.stringify({ value: [] }), JSON.stringify({ value: [{ clientState: 'x' }] }), JSON.stringify({ value: [{ subscriptionId: 'a', lifecycleEvent: 'exploded' }] })]) {
      expect(parseGraphNotifications(Buffer.from(body)).outcome).toBe('invalid');
    }
  });

  it('compares the clientState with the stored hash only', () => {
    const stored = clientStateHash(graphClientState);
    expect(stored).not.toContain(graphClientState);
    expect(clientStateMatches(graphClientState, stored)).toBe(true);
    expect(clientStateMatches(`${graphClientState}x`, stored)).toBe(false);
    expect(clientStateMatches(undefined, stored)).toBe(false);
    expect(clientStateMatches(null, stored)).toBe(false);
  });

  it('keys a folder by drive and item id', () => {
    const key = graphFolderKey({ driveId: graphDriveId, folderId: graphFolderId });
    expect(parseGraphFolderKey(key)).toEqual({ driveId: graphDriveId, folderId: graphFolderId });
  });
});

describe('driveItem delta to SourceEvent', () => {
  const events = graphDeltaPage.value.map((v) => deltaItemToEvent(graphDriveId, deltaItem.parse(v), '2026-11-27T10:00:00.000Z'));

  it('tells created, modified and deleted files apart, with who, name and link', () => {
    const [created, modified, deleted, folder] = events;
    expect(created).toMatchObject({
      source: 'graph',
      kind: 'issue.created',
      sourceKey: `${graphDriveId}/${graphFolderId}`,
      actor: 'Pieter Jansen',
      occurredAt: '2026-11-27T09:12:45.000Z',
      subject: { title: 'Offerte KPN EEN.docx', url: expect.stringContaining('Offerte%20KPN%20EEN.docx') },
    });
    expect(modified).toMatchObject({ kind: 'issue.updated', actor: 'Pieter Jansen', subject: { title: 'Planning Q1.xlsx' } });
    expect(deleted).toMatchObject({ kind: 'issue.deleted', actor: null, subject: { title: 'Oud concept.docx', url: null } });
    // The watched folder itself changes whenever a child does; that is not news.
    expect(folder).toBeUndefined();
  });

  it('gives the same change the same delivery key, and a new version a new one', () => {
    const again = deltaItemToEvent(graphDriveId, deltaItem.parse(graphDeltaPage.value[1]), 'later');
    expect(again?.deliveryKey).toBe(events[1]?.deliveryKey);
    const next = deltaItemToEvent(graphDriveId, deltaItem.parse({ ...graphDeltaPage.value[1], cTag: '"c:{1A2B3C4D-5E6F-7081-92A3-B4C5D6E7F809},5"' }), 'later');
    expect(next?.deliveryKey).not.toBe(events[1]?.deliveryKey);
  });
});
