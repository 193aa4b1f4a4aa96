import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../core/internal';
import { assertBuilt } from '../helpers/built';
import { dropSchema, freshSchemaName, postgresUrl } from '../helpers/postgres';
import { dialects } from '../helpers/stores';

/** Starts the writer, kills it with SIGKILL once `atLeast` commits were reported, returns them. */
function writeUntilKilled(args: string[], atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, '../helpers/crash-writer.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) committed.push(Number(line));
      if (committed.length >= atLeast && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe.each(dialects)('kill -9 during writes on %s', (dialect) => {
  beforeAll(assertBuilt);

  it('loses no committed row', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'een-crash-'));
    const schema = freshSchemaName('crash');
    const file = path.join(dir, 'een-bridge.db');
    const args = dialect === 'sqlite' ? ['sqlite', file] : ['postgres', postgresUrl, schema];
    let store: Store | undefined;
    try {
      const committed = await writeUntilKilled(args, 300);
      expect(committed.length).toBeGreaterThanOrEqual(300);

      store = dialect === 'sqlite' ? openStore({ kind: 'sqlite', file }) : openStore({ kind: 'postgres', url: postgresUrl }, { schema });
      await store.migrate();
      const rows = await store.db.selectFrom('audit_log').select('action').where('actor', '=', 'crash-writer').execute();
      const stored = new Set(rows.map((r) => r.action));
      const lost = committed.filter((n) => !stored.has(`write-${n}`));
      expect(lost).toEqual([]);
      if (dialect === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
        expect(check.rows[0]?.integrity_check).toBe('ok');
      }
    } finally {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
      if (dialect === 'postgres') await dropSchema(schema);
    }
  });
});
