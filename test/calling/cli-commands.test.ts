import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../app/cli';
import { AuditLog, ImportError, UserDirectory, csvSeparator, importUsers, inspectUserCsv, openStore, readUserCsv } from '../../core/internal';

describe('readUserCsv', () => {
  it('reads valid rows, normalising numbers and licences', async () => {
    const rows = await readUserCsv('email,broadworksUserId,number,licence\nAnna@Example.nl,0201234501@kpneen.nl,020 123 4501,premium\npiet@example.nl,1003@kpneen.nl,1003,\n');
    expect(rows).toEqual([
      { line: 2, email: 'anna@example.nl', broadworksUserId: '0201234501@kpneen.nl', number: '+31201234501', licence: 'Premium' },
      { line: 3, email: 'piet@example.nl', broadworksUserId: '1003@kpneen.nl', number: '1003', licence: 'Basis' },
    ]);
  });

  it('reports every bad row with its line number', async () => {
    const csv = [
      'email,broadworksUserId,number,licence',
      'not-an-email,x@kpneen.nl,0612345678,Basis',
      'a@example.nl,,0612345678,Basis',
      'b@example.nl,b@kpneen.nl,bel mij,Basis',
      'c@example.nl,c@kpneen.nl,0612345678,Gold',
      'd@example.nl,d <script>,0612345678,Basis',
      'e@example.nl,e@kpneen.nl,112,Basis',
      'E@example.nl,e2@kpneen.nl,,Basis',
      'f@example.nl,E2@kpneen.nl,,Basis',
    ].join('\n');
    await expect(readUserCsv(csv)).rejects.toBeInstanceOf(ImportError);
    const problems = await readUserCsv(csv).catch((err: ImportError) => err.problems);
    expect(problems).toEqual([
      expect.stringMatching(/^line 2: email/),
      expect.stringMatching(/^line 3: a number needs its broadworksUserId/),
      expect.stringMatching(/^line 4: number "bel mij"/),
      expect.stringMatching(/^line 5: licence/),
      expect.stringMatching(/^line 6: broadworksUserId/),
      expect.stringMatching(/^line 7: number is an emergency number/),
      expect.stringMatching(/^line 8: e@example.nl is already on line 7/),
      expect.stringMatching(/^line 9: broadworksUserId E2@kpneen.nl is already on line 8/),
    ]);
  });

  it('refuses a file without the expected columns, or that is not CSV', async () => {
    await expect(readUserCsv('mail,user\na,b\n')).rejects.toMatchObject({ problems: [expect.stringMatching(/missing column/)] });
    await expect(readUserCsv('email,broadworksUserId,number,licence\n"unclosed,x,y,z\n')).rejects.toBeInstanceOf(ImportError);
  });

  // Excel in the Netherlands saves CSV with semicolons (the list separator of the Dutch locale,
  // where the comma is the decimal sign), and people type headers in their own case (issue 16).
  it('reads a semicolon-separated file with headers in any case, and says which separator it saw', async () => {
    const csv = '\uFEFFEmail;BroadWorksUserId;NUMBER;Licence\r\nanna@example.nl;a@k.nl;"020 123 4501";Standaard\r\n';
    expect(csvSeparator(csv)).toBe(';');
    expect(await readUserCsv(csv)).toEqual([{ line: 2, email: 'anna@example.nl', broadworksUserId: 'a@k.nl', number: '+31201234501', licence: 'Standaard' }]);
    const inspected = await inspectUserCsv('email,broadworksUserId,number,licence\nanna@example.nl,"a;b;c@k.nl",,Basis\n');
    expect(inspected.separator).toBe(',');
    expect(inspected.rows[0]).toMatchObject({ broadworksUserId: 'a;b;c@k.nl', problems: [] });
  });

  // Most administrators are Dutch: the console's preview speaks the language of their browser (issue 16).
  it('says every problem in Dutch for a Dutch reader, and the same problems in English otherwise', async () => {
    const csv = 'email;broadworksUserId;number;licence\nnope;ab;;Basis\nok@example.nl;ok@k.nl;abc;Gold\nok@example.nl;ok@k.nl;112;Basis\n';
    const dutch = await inspectUserCsv(csv, 'nl-NL');
    const english = await inspectUserCsv(csv, 'en-GB');
    expect(dutch.rows.flatMap((r) => r.problems)).toEqual([
      'regel 2: email is geen e-mailadres',
      'regel 2: broadworksUserId is te kort',
      'regel 3: licence moet een van deze zijn: Basis, Standaard, Premium',
      'regel 3: number "abc" is geen telefoonnummer of toestelnummer',
      'regel 4: number is een alarmnummer',
      'regel 4: ok@example.nl staat al op regel 3',
      'regel 4: broadworksUserId ok@k.nl staat al op regel 3',
    ]);
    expect(english.rows.flatMap((r) => r.problems)).toHaveLength(7);
    expect(english.rows.flatMap((r) => r.problems).every((p) => p.startsWith('line '))).toBe(true);
    expect((await inspectUserCsv('', 'nl')).fileProblems).toEqual([expect.stringMatching(/^het bestand is leeg/)]);
    expect((await inspectUserCsv('mail;user\na;b\n', 'nl')).fileProblems).toEqual([expect.stringMatching(/^ontbrekende kolom/)]);
    await expect(readUserCsv(csv, 'nl')).rejects.toMatchObject({ problems: expect.arrayContaining(['regel 4: number is een alarmnummer']) });
  });

  it('collects every row\'s problems, each with its line, without stopping at the first', async () => {
    const inspected = await inspectUserCsv('email;broadworksUserId;number;licence\nnope;ab;;Basis\nok@example.nl;ok@k.nl;abc;Gold\n');
    expect(inspected.rows.map((r) => r.problems.map((p) => p.replace(/:.*/, '')))).toEqual([['line 2', 'line 2'], ['line 3', 'line 3']]);
    expect(inspected.lines).toEqual([]);
  });
});

describe('een-bridge users import', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = () => ({ env: { EEN_DATA_DIR: path.join(dir, 'data') }, cwd: dir, out: (l: string) => out.push(l), err: (l: string) => err.push(l) });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-users-'));
    out.length = 0;
    err.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a CSV file into the store, then updates on a second run', async () => {
    writeFileSync(path.join(dir, 'users.csv'), 'email,broadworksUserId,number,licence\nanna@example.nl,0201234501@kpneen.nl,0201234501,Standaard\n');
    expect(await runCli(['users', 'import', 'users.csv'], io())).toBe(0);
    expect(out).toEqual(['users.csv: separated by commas (,)', 'Imported 1 user(s): 1 created, 0 updated.']);
    expect(await runCli(['users', 'import', 'users.csv'], io())).toBe(0);
    expect(out[3]).toBe('Imported 1 user(s): 0 created, 1 updated.');
    const store = openStore({ kind: 'sqlite', file: path.join(dir, 'data', 'een-bridge.db') });
    try {
      const user = await new UserDirectory(store.db).byEmail('anna@example.nl');
      expect(user).toMatchObject({ broadworksUserId: '0201234501@kpneen.nl', eenNumber: '+31201234501', licenceTier: 'Standaard' });
    } finally {
      await store.close();
    }
  });

  it('imports nothing and exits 1 when a row is bad', async () => {
    writeFileSync(path.join(dir, 'users.csv'), 'email,broadworksUserId,number,licence\nanna@example.nl,a@kpneen.nl,,Basis\nbad,b@kpneen.nl,,Basis\n');
    expect(await runCli(['users', 'import', 'users.csv'], io())).toBe(1);
    expect(err[0]).toMatch(/users.csv: line 3: email/);
    const store = openStore({ kind: 'sqlite', file: path.join(dir, 'data', 'een-bridge.db') });
    try {
      await store.migrate();
      expect(await new UserDirectory(store.db).list()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('reads an Excel export with semicolons and headers in any case, and says which separator it saw', async () => {
    // Excel in Dutch saves "CSV (gescheiden door lijstscheidingsteken)" with semicolons, and a BOM.
    writeFileSync(path.join(dir, 'users.csv'), '\uFEFFEmail;BroadWorksUserId;Number;LICENCE\r\nanna@example.nl;0201234501@kpneen.nl;020 123 4501;Premium\r\nbram@example.nl;;;Standaard\r\n');
    expect(await runCli(['users', 'import', 'users.csv'], io())).toBe(0);
    expect(out).toEqual(['users.csv: separated by semicolons (;)', 'Imported 2 user(s): 2 created, 0 updated; 1 without a KPN EEN line.']);
    const store = openStore({ kind: 'sqlite', file: path.join(dir, 'data', 'een-bridge.db') });
    try {
      const users = new UserDirectory(store.db);
      expect(await users.byEmail('anna@example.nl')).toMatchObject({ broadworksUserId: '0201234501@kpneen.nl', eenNumber: '+31201234501', licenceTier: 'Premium' });
      // A Slack-only or Teams-only person needs no line.
      expect(await users.byEmail('bram@example.nl')).toMatchObject({ broadworksUserId: undefined, eenNumber: undefined, licenceTier: 'Standaard' });
    } finally {
      await store.close();
    }
  });

  it('refuses an empty file, and one with a header but nobody in it', async () => {
    writeFileSync(path.join(dir, 'empty.csv'), '');
    expect(await runCli(['users', 'import', 'empty.csv'], io())).toBe(1);
    expect(err[0]).toMatch(/^empty\.csv: the file is empty/);
    writeFileSync(path.join(dir, 'header.csv'), 'email,broadworksUserId,number,licence\n');
    expect(await runCli(['users', 'import', 'header.csv'], io())).toBe(1);
    expect(err.join('\n')).toMatch(/header\.csv: the file has a header but nobody in it/);
  });

  it('exits 2 on bad usage and 1 on a missing file', async () => {
    expect(await runCli(['users', 'export'], io())).toBe(2);
    expect(await runCli(['users', 'import', 'missing.csv'], io())).toBe(1);
    expect(err.join('\n')).toMatch(/cannot read missing.csv: ENOENT/);
  });

  it('creates and updates through importUsers directly', async () => {
    const store = openStore({ kind: 'sqlite', file: ':memory:' });
    try {
      await store.migrate();
      const users = new UserDirectory(store.db);
      await users.create({ email: 'anna@example.nl' });
      const result = await importUsers(store.db, await readUserCsv('email,broadworksUserId,number,licence\nanna@example.nl,a@k.nl,,Basis\nb@example.nl,b@k.nl,,Basis\n'));
      expect(result).toEqual({ created: 1, updated: 1 });
      // A line linked to someone else stops the whole import, changing nothing.
      const clash = await readUserCsv('email,broadworksUserId,number,licence\nc@example.nl,c@k.nl,,Basis\nd@example.nl,a@k.nl,,Basis\n');
      await expect(importUsers(store.db, clash)).rejects.toMatchObject({ problems: ['line 3: broadworksUserId a@k.nl is already linked to anna@example.nl'] });
      expect(await users.byEmail('c@example.nl')).toBeUndefined();
      expect((await new AuditLog(store.db).recent(10, 'cli')).map((e) => e.action)).toEqual(['calling.usersImport']);
    } finally {
      await store.close();
    }
  });
});
