import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../core/internal';
import { dropSchema, freshSchemaName, postgresUrl } from './postgres';

export type Dialect = 'sqlite' | 'postgres';
export const dialects: Dialect[] = ['sqlite', 'postgres'];

export interface TestStore {
  store: Store;
  dispose(): Promise<void>;
}

/** A migrated store on a temp SQLite file or in a fresh PostgreSQL schema. */
export async function openTestStore(dialect: Dialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-store-'));
    const store = openStore({ kind: 'sqlite', file: path.join(dir, 'een-bridge.db') });
    await store.migrate();
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = freshSchemaName();
  const store = openStore({ kind: 'postgres', url: postgresUrl }, { schema });
  await store.migrate();
  return {
    store,
    async dispose() {
      await store.close();
      await dropSchema(schema);
    },
  };
}
