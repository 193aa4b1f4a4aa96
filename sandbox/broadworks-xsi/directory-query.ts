import type { SandboxPerson } from './directory-seed';

/**
 * Query parameters of GET directories/Enterprise and the directory field each one searches
 * (Cisco BroadWorks Xtended Services Interface Interface Specification, 3.5.7.7
 * directories/Enterprise, "Parameter Description"). `name` is handled apart: it is compared
 * with several combinations of first and last name.
 */
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

/** The search parameters the emulator knows; the spec ignores unknown ones (3.3). */
export const DIRECTORY_SEARCH_PARAMS: readonly string[] = [...Object.keys(FIELDS), 'name'];

/**
 * A search term with a `/` that is neither the trailing `/i` flag nor escaped as `\/`: the spec
 * says "otherwise, an error is returned" (3.5.17 Wild Card and Flag Usage in Search Criterion).
 */
export function hasUnescapedSlash(term: string): boolean {
  const body = term.endsWith('/i') ? term.slice(0, -2) : term;
  return /(^|[^\\])\//.test(body);
}

/**
 * Xsi directory search semantics (spec 3.5.17): `*` matches anything, a trailing `/i` makes the
 * term case insensitive, `\/` is a literal slash; terms combine with AND unless
 * searchCriteriaModeOr=true (3.5.7.7). groupId takes no wild cards.
 */
export function matchesDirectoryQuery(person: SandboxPerson, query: Record<string, string>): boolean {
  const given = (param: string) => typeof query[param] === 'string' && query[param] !== '';
  const results = Object.entries(FIELDS)
    .filter(([param]) => given(param))
    .map(([param, field]) => termMatches(String(person[field]), query[param]!, param !== 'groupId'));
  if (given('name')) {
    // 3.5.7.7 `name`: "First Last", "Last First" and "Last, First".
    const { firstName: f, lastName: l } = person;
    results.push([`${f} ${l}`, `${l} ${f}`, `${l}, ${f}`].some((combined) => termMatches(combined, query.name!, true)));
  }
  if (results.length === 0) return true;
  return String(query.searchCriteriaModeOr).toLowerCase() === 'true' ? results.some(Boolean) : results.every(Boolean);
}

function termMatches(value: string, term: string, wildcards: boolean): boolean {
  const insensitive = term.endsWith('/i');
  const pattern = (insensitive ? term.slice(0, -2) : term).slice(0, 100).replace(/\\\//g, '/');
  const literal = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = wildcards ? pattern.split('*').map(literal).join('.*') : literal(pattern);
  return new RegExp(`^${source}$`, insensitive ? 'i' : '').test(value);
}
