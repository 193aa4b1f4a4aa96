import { parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AuditLog } from '../audit-log';
import { translate, type MessageKey, type MessageParams } from '../i18n';
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

// Each check's message is a message key, said in the reader's language (see `said`).
const row = z.object({
  email: z.email('import.badEmail').max(254, 'import.fieldTooLong'),
  // Empty for a person who uses only Slack or Teams meetings and has no KPN EEN line.
  broadworksUserId: z.union([z.literal(''), z.string().min(3, 'import.lineIdShort').max(128, 'import.fieldTooLong').regex(/^[^\s<>&"']*$/, 'import.lineIdMarkup')]),
  number: z.string().max(32, 'import.fieldTooLong'),
  licence: z.string(),
});

/** A problem in the reader's language: the console passes the browser's, the CLI English. */
function said(locale: string | undefined, key: MessageKey, params: MessageParams = {}): string {
  return translate(locale, key, params);
}

function atLine(locale: string | undefined, line: number, key: MessageKey, params: MessageParams = {}): string {
  return said(locale, 'import.line', { line, problem: said(locale, key, params) });
}

const importKeys = new Set<string>(['import.badEmail', 'import.fieldTooLong', 'import.lineIdShort', 'import.lineIdMarkup']);

/** One row of a CSV as the file has it, with every problem it has (none: it can be imported). */
export interface InspectedRow {
  line: number;
  email: string;
  broadworksUserId: string;
  number: string;
  licence: string;
  problems: string[];
}

export interface InspectedCsv {
  /** The separator the header row uses: Excel in the Netherlands writes `;`, elsewhere `,`. */
  separator: CsvSeparator;
  rows: InspectedRow[];
  /** Problems of the file as a whole (unreadable, a column missing, empty). */
  fileProblems: string[];
  lines: ImportedLine[];
}

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

/**
 * Reads `email,broadworksUserId,number,licence` (header row required, in any case, separated by
 * comma or semicolon) and checks every row, collecting all problems instead of stopping at the
 * first, so an administrator sees them all before anything is imported (console preview, CLI).
 */
export async function inspectUserCsv(text: string, locale = 'en'): Promise<InspectedCsv> {
  const separator = csvSeparator(text);
  // An empty file is a mistake, not "nobody".
  if (text.replace(/^\uFEFF/, '').trim() === '') return { separator, rows: [], fileProblems: [said(locale, 'import.fileEmpty')], lines: [] };
  const canonical = new Map(COLUMNS.map((c) => [c.toLowerCase(), c]));
  let records: Record<string, string>[];
  try {
    records = await new Promise<Record<string, string>[]>((resolve, reject) => {
      parse(
        text,
        { columns: (header: string[]) => header.map((h) => canonical.get(h.trim().toLowerCase()) ?? h.trim()), delimiter: separator, skip_empty_lines: true, trim: true, bom: true, max_record_size: 4096 },
        (err, out: Record<string, string>[]) => (err ? reject(err) : resolve(out)),
      );
    });
  } catch (err) {
    return { separator, rows: [], fileProblems: [said(locale, 'import.unreadable', { detail: err instanceof Error ? err.message : String(err) })], lines: [] };
  }
  if (records.length === 0) return { separator, rows: [], fileProblems: [said(locale, 'import.noPeople')], lines: [] };
  const header = Object.keys(records[0] ?? {});
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) return { separator, rows: [], fileProblems: [said(locale, 'import.missingColumns', { columns: missing.join(', '), separator })], lines: [] };
  const rows: InspectedRow[] = [];
  const lines: ImportedLine[] = [];
  const seen = new Map<string, number>();
  const seenLines = new Map<string, number>();
  records.forEach((record, i) => {
    const line = i + 2; // the header is line 1
    const problems: string[] = [];
    rows.push({ line, email: record.email ?? '', broadworksUserId: record.broadworksUserId ?? '', number: record.number ?? '', licence: record.licence ?? '', problems });
    const parsed = row.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        problems.push(importKeys.has(issue.message) ? atLine(locale, line, issue.message as MessageKey, { field }) : atLine(locale, line, 'import.fieldTooLong', { field }));
      }
      return;
    }
    const licence = licenceTiers.find((t) => t.toLowerCase() === (parsed.data.licence || 'Basis').toLowerCase());
    if (!licence) problems.push(atLine(locale, line, 'import.badLicence', { tiers: licenceTiers.join(', ') }));
    let number: string | undefined;
    if (parsed.data.number) {
      try {
        const target = parseDialTarget(parsed.data.number);
        // The administrator's own import says this short number is the person's extension.
        number = target.kind === 'number' ? target.e164 : target.kind === 'short' ? target.digits : target.kind === 'extension' ? target.extension : undefined;
        if (!number) problems.push(atLine(locale, line, 'import.emergency'));
      } catch {
        problems.push(atLine(locale, line, 'import.badNumber', { number: parsed.data.number.slice(0, 32) }));
      }
    }
    const email = parsed.data.email.toLowerCase();
    const earlier = seen.get(email);
    if (earlier) problems.push(atLine(locale, line, 'import.duplicateEmail', { email, earlier }));
    seen.set(email, line);
    const lineId = parsed.data.broadworksUserId.toLowerCase();
    if (lineId === '' && number) problems.push(atLine(locale, line, 'import.numberNeedsLine'));
    const earlierLine = lineId === '' ? undefined : seenLines.get(lineId);
    if (earlierLine) problems.push(atLine(locale, line, 'import.duplicateLine', { lineId: parsed.data.broadworksUserId, earlier: earlierLine }));
    if (lineId !== '') seenLines.set(lineId, line);
    if (licence) lines.push({ line, email, broadworksUserId: parsed.data.broadworksUserId || undefined, number, licence });
  });
  return { separator, rows, fileProblems: [], lines };
}

/** Parses and checks the CSV (see inspectUserCsv); any problem refuses the whole file. */
export async function readUserCsv(text: string, locale = 'en'): Promise<ImportedLine[]> {
  const inspected = await inspectUserCsv(text, locale);
  const problems = [...inspected.fileProblems, ...inspected.rows.flatMap((r) => r.problems)];
  if (problems.length > 0) throw new ImportError(problems);
  return inspected.lines;
}

/**
 * What importing would do, without doing it: every row with its problems, including lines the
 * store already has linked to someone else (a line is never moved, see LineLinker), and whether
 * the row would add a person or change one.
 */
export async function previewUserImport(db: Kysely<Database>, text: string, locale = 'en'): Promise<InspectedCsv & { rows: (InspectedRow & { action: 'add' | 'change' | undefined })[] }> {
  const inspected = await inspectUserCsv(text, locale);
  const rows = [];
  for (const r of inspected.rows) {
    let action: 'add' | 'change' | undefined;
    if (r.problems.length === 0) {
      const email = r.email.toLowerCase();
      const holder = r.broadworksUserId === '' ? undefined : await db.selectFrom('users').select(['email']).where('broadworks_user_id', '=', r.broadworksUserId).executeTakeFirst();
      if (holder && holder.email !== email) r.problems.push(atLine(locale, r.line, 'import.lineTaken', { lineId: r.broadworksUserId, holder: holder.email ?? said(locale, 'import.anotherUser') }));
      else action = (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) ? 'change' : 'add';
    }
    rows.push({ ...r, action });
  }
  return { ...inspected, rows };
}

/**
 * Links each e-mail address to its BroadWorks line, creating users that do not exist yet,
 * in one transaction: a line already linked to someone else stops the whole import.
 */
export async function importUsers(db: Kysely<Database>, lines: ImportedLine[], actor = 'cli', locale = 'en'): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    const users = new UserDirectory(trx);
    const result: ImportResult = { created: 0, updated: 0 };
    const problems: string[] = [];
    for (const l of lines) {
      const holder = l.broadworksUserId === undefined ? undefined : await trx.selectFrom('users').select(['email']).where('broadworks_user_id', '=', l.broadworksUserId).executeTakeFirst();
      if (holder && holder.email !== l.email) {
        problems.push(atLine(locale, l.line, 'import.lineTaken', { lineId: l.broadworksUserId ?? '', holder: holder.email ?? said(locale, 'import.anotherUser') }));
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
    await new AuditLog(trx).record({ actor, action: 'calling.usersImport', outcome: 'succeeded', detail: { ...result } });
    return result;
  });
}
