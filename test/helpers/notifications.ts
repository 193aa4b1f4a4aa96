import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, parseJiraWebhook, type SourceEvent, type Store } from '../../core';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { dropSchema, freshSchemaName, postgresUrl } from './postgres';

export type StoreKind = 'sqlite' | 'postgres';

/** A migrated store of either kind, and how to open a second connection pool to it (a "replica"). */
export async function testStore(kind: StoreKind): Promise<{ store: Store; another: () => Promise<Store>; dispose: () => Promise<void> }> {
  const opened: Store[] = [];
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-outbox-'));
    const open = async () => {
      const s = openStore({ kind: 'sqlite', file: path.join(dir, 'test.db') });
      await s.migrate();
      opened.push(s);
      return s;
    };
    const store = await open();
    return {
      store,
      another: open,
      dispose: async () => {
        for (const s of opened) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = freshSchemaName('ob');
  const open = async () => {
    const s = openStore({ kind: 'postgres', url: postgresUrl }, { schema });
    await s.migrate();
    opened.push(s);
    return s;
  };
  const store = await open();
  return {
    store,
    another: open,
    dispose: async () => {
      for (const s of opened) await s.close();
      await dropSchema(schema);
    },
  };
}

/** A Jira issue update as a SourceEvent, with its own delivery key and subject key. */
export function jiraEvent(deliveryKey: string, issueKey = 'KAN-22'): SourceEvent {
  const body = { ...jiraIssueUpdated, issue: { ...jiraIssueUpdated.issue, key: issueKey } };
  const result = parseJiraWebhook(body, deliveryKey);
  if (result.outcome !== 'event') throw new Error('fixture did not parse');
  return result.event;
}
