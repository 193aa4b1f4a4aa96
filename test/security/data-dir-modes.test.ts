import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SECRET_KEY_FILE } from '../../core';
import { startTestService } from '../helpers/service';

/**
 * Issue 13: the data directory holds the SQLite store (sealed tokens, audit log, identities)
 * and, in sandbox mode, the vault key. Files een-bridge creates there are 0600 and the
 * directory 0700 whatever the umask, and a start tightens what an older version left open.
 */
const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8).padStart(4, '0');

describe('the data directory', () => {
  let umask: number;
  beforeAll(() => {
    // The worst case: a umask that takes nothing away (files 0666, directories 0777).
    umask = process.umask(0o000);
  });
  afterAll(() => {
    process.umask(umask);
  });

  let base: string;
  beforeEach(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'een-bridge-modes-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const expectPrivate = (dataDir: string): void => {
    expect(mode(dataDir)).toBe('0700');
    const files = readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['een-bridge.db', SECRET_KEY_FILE]));
    for (const f of files) expect(`${f} ${mode(path.join(dataDir, f))}`).toBe(`${f} 0600`);
  };

  it('is created 0700 with every file in it 0600 (store, WAL, shared memory, vault key)', async () => {
    const dataDir = path.join(base, 'nested', 'data');
    const service = await startTestService({ env: { EEN_DATA_DIR: dataDir } });
    try {
      // The migrations have written: SQLite has its -wal and -shm files beside the store.
      expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['een-bridge.db-wal', 'een-bridge.db-shm']));
      expectPrivate(dataDir);
    } finally {
      await service.dispose();
    }
  });

  it('tightens a directory and files an earlier start left readable by others', async () => {
    const dataDir = path.join(base, 'data');
    const first = await startTestService({ env: { EEN_DATA_DIR: dataDir } });
    await first.dispose();
    chmodSync(dataDir, 0o755);
    for (const f of readdirSync(dataDir)) chmodSync(path.join(dataDir, f), 0o644);

    const again = await startTestService({ env: { EEN_DATA_DIR: dataDir } });
    try {
      expectPrivate(dataDir);
    } finally {
      await again.dispose();
    }
  });
});

describe('a data directory shared with other things', () => {
  it('keeps its own mode and the others\' files; only een-bridge\'s files become 0600', async () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'een-bridge-shared-'));
    try {
      chmodSync(shared, 0o755);
      writeFileSync(path.join(shared, 'someone-else.txt'), 'x', { mode: 0o644 });
      chmodSync(path.join(shared, 'someone-else.txt'), 0o644);
      const service = await startTestService({ env: { EEN_DATA_DIR: shared } });
      await service.dispose();
      expect(mode(shared)).toBe('0755');
      expect(mode(path.join(shared, 'someone-else.txt'))).toBe('0644');
      expect(mode(path.join(shared, 'een-bridge.db'))).toBe('0600');
      expect(mode(path.join(shared, SECRET_KEY_FILE))).toBe('0600');
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
