import type { SandboxPerson } from './directory-seed';

/** Query parameters of GET directories/Enterprise and the directory field each one searches. */
const FIELDS: Record<string, keyof SandboxPerson> = {
  userId: 'userId',
  firstName: 'firstName',
  lastName: 'lastName',
  groupId: 'groupId',
  number: 'number',
  extension: 'extension',
  mobileNo: 'mobile',
  emailAddress: 'emailAddress',
};

/**
 * Xsi directory search semantics: `*` matches anything, a trailing `/i` makes the term
 * case insensitive, terms combine with AND unless searchCriteriaModeOr=true.
 */
export function matchesDirectoryQuery(person: SandboxPerson, query: Record<string, string>): boolean {
  const terms = Object.entries(FIELDS).filter(([param]) => typeof query[param] === 'string' && query[param] !== '');
  if (terms.length === 0) return true;
  const results = terms.map(([param, field]) => termMatches(String(person[field]), query[param]!));
  return String(query.searchCriteriaModeOr).toLowerCase() === 'true' ? results.some(Boolean) : results.every(Boolean);
}

function termMatches(value: string, term: string): boolean {
  const insensitive = term.endsWith('/i');
  const pattern = (insensitive ? term.slice(0, -2) : term).slice(0, 100);
  const source = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, insensitive ? 'i' : '').test(value);
}
