import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ImportError, importUsers, openStore, readUserCsv } from '../../core';
import { UsageError, type Command } from './command';

export const usersCommand: Command = {
  name: 'users',
  summary: 'Link people to their KPN EEN line: users import users.csv.',
  usage: `een-bridge users import <file.csv>

Reads a CSV file with the header email,broadworksUserId,number,licence and links each
e-mail address to its BroadWorks user and KPN EEN number (licence: Basis, Standaard or
Premium). People not known yet are created. Every row is checked first: one bad row
and nothing is imported; each problem is printed with its line number.`,
  async run(ctx) {
    const [sub, file, ...extra] = ctx.args;
    if (sub !== 'import' || !file || extra.length > 0) throw new UsageError('expected: users import <file.csv>');
    let text: string;
    try {
      text = readFileSync(path.resolve(ctx.io.cwd, file), 'utf8');
    } catch (err) {
      ctx.io.err(`een-bridge users: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 1;
    }
    const config = ctx.config();
    let lines;
    try {
      lines = await readUserCsv(text);
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      for (const problem of err.problems) ctx.io.err(`${file}: ${problem}`);
      ctx.io.err(`een-bridge users: ${err.message}`);
      return 1;
    }
    const store = openStore(config.database);
    try {
      await store.migrate();
      const result = await importUsers(store.db, lines);
      ctx.io.out(`Imported ${lines.length} user(s): ${result.created} created, ${result.updated} updated.`);
      return 0;
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      for (const problem of err.problems) ctx.io.err(`${file}: ${problem}`);
      ctx.io.err(`een-bridge users: ${err.message}`);
      return 1;
    } finally {
      await store.close();
    }
  },
};
