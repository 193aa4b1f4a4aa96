import { readFileSync } from 'node:fs';
import path from 'node:path';
import { maskPhoneNumber } from '../../../core/log';
import { licenceTiers } from '../../../core/store/schema';
import { UsageError, type CommandContext } from '../command';
import { printRows, withAdministration } from '../output';

async function importFile(ctx: CommandContext, file: string): Promise<number> {
  let text: string;
  try {
    text = readFileSync(path.resolve(ctx.io.cwd, file), 'utf8');
  } catch (err) {
    ctx.io.err(`een-bridge users: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return 1;
  }
  const config = ctx.config();
  // Only import needs the CSV reader and libphonenumber's metadata.
  const { ImportError, csvSeparator } = await import('../../../core/calling/user-import');
  ctx.io.out(`${file}: separated by ${csvSeparator(text) === ';' ? 'semicolons (;)' : 'commas (,)'}`);
  try {
    const result = await withAdministration(config, ({ people }) => people.importCsv(text, 'cli'));
    const { lines, withoutLine } = result;
    ctx.io.out(`Imported ${lines} user(s): ${result.created} created, ${result.updated} updated${withoutLine > 0 ? `; ${withoutLine} without a KPN EEN line` : ''}.`);
    return 0;
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    for (const problem of err.problems) ctx.io.err(`${file}: ${problem}`);
    ctx.io.err(`een-bridge users: ${err.message}`);
    return 1;
  }
}

async function list(ctx: CommandContext): Promise<number> {
  const users = await withAdministration(ctx.config(), ({ people }) => people.list());
  const rows = users.map((u) => ({
    email: u.email ?? '',
    licence: u.licenceTier,
    broadworksUserId: u.broadworksUserId ?? '',
    // The full number is in the store; a listing on a screen shows only enough to recognise it.
    number: u.eenNumber ? String(maskPhoneNumber(u.eenNumber)) : '',
    teams: u.teamsAadObjectId ? 'linked' : '',
    slack: u.slack ? 'linked' : '',
    webex: u.webexPersonId ? 'linked' : '',
    locale: u.locale,
  }));
  printRows(ctx, rows, ['email', 'licence', 'broadworksUserId', 'number', 'teams', 'slack', 'webex', 'locale']);
  return 0;
}

async function setLicence(ctx: CommandContext, email: string, tier: string): Promise<number> {
  const licence = licenceTiers.find((t) => t.toLowerCase() === tier.toLowerCase());
  if (!licence) throw new UsageError(`licence "${tier}" does not exist; choose ${licenceTiers.join(', ')}`);
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email) || email.length > 254) throw new UsageError(`"${email}" is not an e-mail address`);
  // Also before the person's first use: they are added by e-mail now and matched by it when
  // they first come through Teams, Slack or Webex (as the console's "add person" does).
  const { added, from } = await withAdministration(ctx.config(), ({ people }) => people.licenceByEmail(email, licence, 'cli'));
  const outcome = added ? undefined : from;
  ctx.io.out(outcome === undefined ? `${email}: not seen yet; licence ${licence} from their first use (matched by e-mail)` : `${email}: licence ${outcome} -> ${licence}`);
  return 0;
}
/** `een-bridge users` (metadata and help: app/commands/users.ts). */
export async function run(ctx: CommandContext): Promise<number> {
  const [sub, ...args] = ctx.args;
  if (sub === 'import' && args.length === 1) return importFile(ctx, args[0]!);
  if (sub === 'list' && args.length === 0) return list(ctx);
  if (sub === 'set-licence' && args.length === 2) return setLicence(ctx, args[0]!, args[1]!);
  throw new UsageError(sub ? `unexpected "${ctx.args.join(' ')}"` : 'expected import, list or set-licence');
}
