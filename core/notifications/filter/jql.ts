import { NOBODY, type FilterField, type FilterNode, type FilterTerm } from './ast';
import { FilterError } from './filter-error';
import { parseBoolean, type BooleanSyntax } from './boolean-grammar';
import { tokenize, Tokens, type Token } from './lexer';
import { makeTerm } from './parser';

/**
 * The subset of Jira Query Language a subscription can evaluate on a single webhook payload, read
 * into the same FilterNode as the filter language. Syntax after Atlassian's "JQL: fields,
 * operators, keywords and functions"
 * (https://support.atlassian.com/jira-software-cloud/docs/use-advanced-search-with-jira-query-language-jql/):
 *
 *   clause = field ("=" | "!=") value | field ["not"] "in" "(" value {"," value} ")"
 *          | "priority" ">=" value | "assignee" "is" ["not"] "empty"
 *          | "status" "changed" "to" value
 *   value  = word | "quoted" | 'quoted' | currentUser()     -- currentUser() for assignee only
 *   query  = clause combined with AND, OR, NOT and parentheses
 *
 * Fields: project, issuetype (type), priority, labels, component, assignee, status. Everything
 * else JQL has needs Jira's index or history (ORDER BY, other functions, `~`, WAS, dates, …) and
 * is refused with FilterError naming the part.
 */
export function parseJql(input: string): FilterNode {
  const tokens = new Tokens(tokenize(input));
  if (tokens.peek().kind === 'end') throw new FilterError('filter.empty', '', 1);
  const node = parseBoolean(tokens, JQL_SYNTAX);
  const rest = tokens.peek();
  if (rest.kind === 'word' && rest.text.toLowerCase() === 'order') throw new FilterError('filter.jqlOrderBy', rest.raw, rest.position);
  if (rest.kind !== 'end') throw new FilterError(rest.kind === ')' ? 'filter.unopenedParen' : 'filter.unexpected', Tokens.shown(rest), rest.position);
  return node;
}

const jqlFields: Record<string, FilterField> = {
  project: 'project',
  issuetype: 'type',
  type: 'type',
  priority: 'priority',
  labels: 'label',
  label: 'label',
  component: 'component',
  components: 'component',
  assignee: 'assignee',
  status: 'status',
};

/** JQL fields that hold dates: comparing them needs a clock and Jira's values, which a webhook lacks. */
const dateFields = new Set(['created', 'createddate', 'updated', 'updateddate', 'due', 'duedate', 'resolved', 'resolutiondate', 'lastviewed', 'statuscategorychangeddate']);

const is = (t: Token, word: string): boolean => t.kind === 'word' && t.text.toLowerCase() === word;

/** JQL's AND, OR and NOT (any case); the word is required between clauses. */
const JQL_SYNTAX: BooleanSyntax = { isWord: (t, word) => is(t, word), implicitAnd: false, leaf: (tokens) => parseClause(tokens) };

function parseClause(tokens: Tokens): FilterNode {
  const f = tokens.next();
  if (f.kind === 'end') throw new FilterError('filter.unexpectedEnd', '', f.position);
  if (f.kind !== 'word' && f.kind !== 'string') throw new FilterError(f.kind === ')' ? 'filter.unopenedParen' : 'filter.unexpected', Tokens.shown(f), f.position);
  const name = f.text.toLowerCase();
  if (tokens.peek().kind === '(') throw new FilterError('filter.jqlFunction', `${f.raw}()`, f.position);
  if (dateFields.has(name)) throw new FilterError('filter.jqlDateField', f.raw, f.position);
  if (name === 'order') throw new FilterError('filter.jqlOrderBy', f.raw, f.position);
  const field = Object.hasOwn(jqlFields, name) ? jqlFields[name]! : undefined;
  if (!field) throw new FilterError('filter.jqlUnknownField', f.raw, f.position);
  const op = tokens.next();
  const opWord = op.kind === 'word' ? op.text.toLowerCase() : op.kind === 'op' ? op.text : '';
  switch (opWord) {
    case '=':
      return term(field, '=', [value(tokens, field)], op);
    case '!=':
      return { type: 'not', item: term(field, '=', [value(tokens, field)], op) };
    case '>=':
      if (field !== 'priority') break;
      return term(field, '>=', [value(tokens, field)], op);
    case 'in':
      return term(field, '=', list(tokens, field), op);
    case 'not': {
      const inWord = tokens.next();
      if (!is(inWord, 'in')) throw new FilterError('filter.jqlOperator', `${op.raw} ${Tokens.shown(inWord)}`.trim(), op.position);
      return { type: 'not', item: term(field, '=', list(tokens, field), op) };
    }
    case 'is': {
      const notWord = is(tokens.peek(), 'not') ? tokens.next() : undefined;
      const empty = tokens.next();
      if (field !== 'assignee' || !(is(empty, 'empty') || is(empty, 'null'))) {
        throw new FilterError('filter.jqlOperator', [op.raw, notWord?.raw, Tokens.shown(empty)].filter(Boolean).join(' '), op.position);
      }
      const nobody: FilterTerm = { type: 'term', field, op: '=', values: [NOBODY] };
      return notWord ? { type: 'not', item: nobody } : nobody;
    }
    case 'changed': {
      const to = tokens.next();
      if (field !== 'status' || !is(to, 'to')) throw new FilterError('filter.jqlChanged', `${f.raw} ${op.raw} ${Tokens.shown(to)}`.trim(), f.position);
      const result = term(field, '->', [value(tokens, field)], op);
      const after = tokens.peek();
      // CHANGED's predicates (FROM, BY, AFTER, BEFORE, ON, DURING) need the history.
      if (after.kind === 'word' && ['from', 'by', 'after', 'before', 'on', 'during'].includes(after.text.toLowerCase())) {
        throw new FilterError('filter.jqlChanged', after.raw, after.position);
      }
      return result;
    }
  }
  if (op.kind === 'end') throw new FilterError('filter.missingOperator', f.raw, f.position);
  throw new FilterError('filter.jqlOperator', op.raw, op.position);
}

function term(field: FilterField, op: '=' | '->' | '>=', values: Token[], at: Token): FilterTerm {
  if (values.length === 0) throw new FilterError('filter.missingValue', at.raw, at.position);
  return makeTerm(field, op, values);
}

/** One operand; `currentUser()` becomes the subscriber, any other function is refused. */
function value(tokens: Tokens, field: FilterField): Token {
  const v = tokens.next();
  if (v.kind === 'end') throw new FilterError('filter.missingValue', '', v.position);
  if (v.kind !== 'word' && v.kind !== 'string') throw new FilterError('filter.unexpected', Tokens.shown(v), v.position);
  if (v.kind === 'word' && tokens.peek().kind === '(') {
    const open = tokens.next();
    const close = tokens.next();
    if (v.text.toLowerCase() !== 'currentuser' || close.kind !== ')' || field !== 'assignee') {
      throw new FilterError('filter.jqlFunction', `${v.raw}${open.raw}${close.kind === ')' ? ')' : ''}`, v.position);
    }
    // The word `me` read by makeTerm as the subscriber.
    return { kind: 'word', text: 'me', position: v.position, raw: 'currentUser()' };
  }
  if (v.kind === 'word' && field === 'assignee' && ['empty', 'null'].includes(v.text.toLowerCase())) {
    return { kind: 'word', text: 'none', position: v.position, raw: v.raw };
  }
  // A bare `me` in JQL is a user called "me", not the subscriber.
  if (field === 'assignee' && v.kind === 'word' && ['me', 'ik', 'none', 'geen'].includes(v.text.toLowerCase())) return { ...v, kind: 'string' };
  return v;
}

function list(tokens: Tokens, field: FilterField): Token[] {
  const open = tokens.next();
  if (open.kind !== '(') throw new FilterError('filter.jqlList', Tokens.shown(open), open.position);
  const values: Token[] = [];
  for (;;) {
    values.push(value(tokens, field));
    const sep = tokens.next();
    if (sep.kind === ')') return values;
    if (sep.kind !== ',') throw new FilterError(sep.kind === 'end' ? 'filter.unclosedParen' : 'filter.unexpected', sep.kind === 'end' ? open.raw : Tokens.shown(sep), sep.kind === 'end' ? open.position : sep.position);
  }
}

