import { sql } from 'kysely';
import { openStore } from '../../core';
import { dropSchema, freshSchemaName, postgresUrl } from '../helpers/postgres';

describe('migrations on PostgreSQL', () => {
  it('apply once when several replicas start at the same moment', async () => {
    const schema = freshSchemaName('mig');
    // The schema exists before the replicas start, as a real database does.
    const first = openStore({ kind: 'postgres', url: postgresUrl }, { schema });
    const replicas = [first, ...Array.from({ length: 3 }, () => openStore({ kind: 'postgres', url: postgresUrl }, { schema }))];
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(first.db);
      const applied = await Promise.all(replicas.map((r) => r.migrate()));
      expect(applied.flat().filter((name) => name === '0001_identity_and_audit')).toHaveLength(1);
      for (const r of replicas) expect(await r.isReady()).toBe(true);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await dropSchema(schema);
    }
  });
});
