import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AuditLog } from '../audit-log';
import { UserDirectory } from '../identity/users';
import { licenceTiers, type Database, type LicenceTier } from '../store/schema';
import { parseDialTarget } from './phone-number';

export interface ImportedLine {
  line: number;
  email: string;
  /** Undefined for a person without a KPN EEN line (Slack or Teams meetings only). */
  broadworksUserId: string | undefined;
  number: string | undefined;
  licence: LicenceTier;
}

export interface ImportResult {
  created: number;
  updated: number;
}

/** One problem per bad row, with its line in the file, so an administrator can fix them all at once. */
export class ImportError extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} row(s) refused; nothing was imported`);
    this.name = 'ImportError';
  }
}

const COLUMNS = ['email', 'broadworksUserId', 'number', 'licence'] as const;

const row = z.object({
  email: z.email('is not an e-mail address').max(254),
  // Empty for a person who uses only Slack or Teams meetings and has no KPN EEN line.
  broadworksUserId: z.union([z.literal(''), z.string().min(3, 'is too short').max(128).regex(/^[^\s<>&"']*$/, 'contains spaces or markup')]),
  number: z.string().max(32),
  licence: z.string(),
});

export type CsvSeparator = ',' | ';';

/**
 * The separator of a users file: a comma, or a semicolon as Excel writes "CSV" where the
 * decimal separator is a comma (the Netherlands; Microsoft, "Import or export text (.txt or
 * .csv) files": the list separator of the regional settings). Decided by the header line,
 * which has only column names: whichever of the two it holds more of.
 */
export function csvSeparator(text: string): CsvSeparator {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => header.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Column names as people type them (Email, BroadWorksUserId, LICENCE) mapped to ours. */
function canonicalColumn(name: string): string {
  return COLUMNS.find((c) => c.toLowerCase() === name.trim().toLowerCase()) ?? name;
}

/**
 * Parses and checks `email,broadworksUserId,number,licence` (header row required; comma or
 * semicolon; column names in any case). A person without a KPN EEN line leaves
 * broadworksUserId and number empty. An empty file is refused: it is a mistake, not "nobody".
 */
export async function readUserCsv(text: string): Promise<ImportedLine[]> {
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new ImportError(['the file is empty: expected a header line email,broadworksUserId,number,licence and one line per person']);
  const delimiter = csvSeparator(text);
  const records = await new Promise<Record<string, string>[]>((resolve, reject) => {
    parse(
      text,
      { columns: (header: string[]) => header.map(canonicalColumn), delimiter, skip_empty_lines: true, trim: true, bom: true, max_record_size: 4096 },
      (err, out: Record<string, string>[]) => (err ? reject(new ImportError([err.message])) : resolve(out)),
    );
  });
  if (records.length === 0) throw new ImportError(['the file has a header but nobody in it']);
  const header = Object.keys(records[0] ?? {});
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new ImportError([`missing column(s): ${missing.join(', ')} (separator "${delimiter}")`]);
  const problems: string[] = [];
  const lines: ImportedLine[] = [];
  const seen = new Map<string, number>();
  const seenLines = new Map<string, number>();
  records.forEach((record, i) => {
    const line = i + 2; // the header is line 1
    const parsed = row.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`line ${line}: ${String(issue.path[0])} ${issue.message}`);
      return;
    }
    const licence = licenceTiers.find((t) => t.toLowerCase() === (parsed.data.licence || 'Basis').toLowerCase());
    if (!licence) problems.push(`line ${line}: licence must be one of ${licenceTiers.join(', ')}`);
    let number: string | undefined;
    if (parsed.data.number) {
      try {
        const target = parseDialTarget(parsed.data.number);
        // The administrator's own import says this short number is the person's extension.
        number = target.kind === 'number' ? target.e164 : target.kind === 'short' ? target.digits : target.kind === 'extension' ? target.extension : undefined;
        if (!number) problems.push(`line ${line}: number is an emergency number`);
      } catch {
        problems.push(`line ${line}: number "${parsed.data.number.slice(0, 32)}" is not a phone number or extension`);
      }
    }
    const email = parsed.data.email.toLowerCase();
    const earlier = seen.get(email);
    if (earlier) problems.push(`line ${line}: ${email} is already on line ${earlier}`);
    seen.set(email, line);
    const lineId = parsed.data.broadworksUserId.toLowerCase();
    if (lineId === '' && number) problems.push(`line ${line}: a number needs its broadworksUserId (leave both empty for someone without a KPN EEN line)`);
    const earlierLine = lineId === '' ? undefined : seenLines.get(lineId);
    if (earlierLine) problems.push(`line ${line}: broadworksUserId ${parsed.data.broadworksUserId} is already on line ${earlierLine}`);
    if (lineId !== '') seenLines.set(lineId, line);
    if (licence) lines.push({ line, email, broadworksUserId: parsed.data.broadworksUserId || undefined, number, licence });
  });
  if (problems.length > 0) throw new ImportError(problems);
  return lines;
}

/**
 * Links each e-mail address to its BroadWorks line, creating users that do not exist yet,
 * in one transaction: a line already linked to someone else stops the whole import.
 */
export async function importUsers(db: Kysely<Database>, lines: ImportedLine[]): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    const users = new UserDirectory(trx);
    const result: ImportResult = { created: 0, updated: 0 };
    const problems: string[] = [];
    for (const l of lines) {
      const holder = l.broadworksUserId === undefined ? undefined : await trx.selectFrom('users').select(['email']).where('broadworks_user_id', '=', l.broadworksUserId).executeTakeFirst();
      if (holder && holder.email !== l.email) {
        problems.push(`line ${l.line}: broadworksUserId ${l.broadworksUserId} is already linked to ${holder.email ?? 'another user'}`);
        continue;
      }
      // Without a line in the file, a line linked earlier stays as it is.
      const fields = { licenceTier: l.licence, ...(l.broadworksUserId ? { broadworksUserId: l.broadworksUserId } : {}), ...(l.number ? { eenNumber: l.number } : {}) };
      const existing = await users.byEmail(l.email);
      if (existing) {
        await users.update(existing.id, fields);
        result.updated += 1;
      } else {
        await users.create({ email: l.email, ...fields });
        result.created += 1;
      }
    }
    if (problems.length > 0) throw new ImportError(problems);
    await new AuditLog(trx).record({ actor: 'cli', action: 'calling.usersImport', outcome: 'succeeded', detail: { ...result } });
    return result;
  });
}
