import { jiraPriorities } from '../jira-priorities';
import { ME, NOBODY, operatorsOf, type FilterField, type FilterNode, type FilterOperator, type FilterTerm } from './ast';
import { parseBoolean, type BooleanSyntax } from './boolean-grammar';
import { FilterError } from './filter-error';
import { tokenize, Tokens, type Token } from './lexer';
import { eventOf, fieldOf, isMe, isNone, logicOf } from './words';

/**
 * Reads the filter language (docs/notifications.md, "Filters") into a FilterNode:
 *
 *   filter  = or
 *   or      = and { ("or" | "of") and }
 *   and     = not { ["and" | "en"] not }          -- side by side also means and
 *   not     = ("not" | "niet") not | "(" filter ")" | term
 *   term    = event-word | field op value { "," value }
 *   op      = "=" | "!=" | "->" | ">="
 *   value   = word | "quoted text"
 *
 * English and Dutch words mean the same (words.ts). `a != b` is read as `not a = b`.
 * Throws FilterError naming the part at fault and where it starts.
 */
export function parseFilter(input: string): FilterNode {
  const tokens = new Tokens(tokenize(input));
  if (tokens.peek().kind === 'end') throw new FilterError('filter.empty', '', 1);
  const node = parseBoolean(tokens, FILTER_SYNTAX);
  const rest = tokens.peek();
  if (rest.kind !== 'end') throw new FilterError(rest.kind === ')' ? 'filter.unopenedParen' : 'filter.unexpected', Tokens.shown(rest), rest.position);
  return node;
}

/** Words in English or Dutch; terms side by side mean and. */
const FILTER_SYNTAX: BooleanSyntax = { isWord: (t, word) => isLogic(t, word), implicitAnd: true, leaf: (tokens) => parseTerm(tokens) };

function parseTerm(tokens: Tokens): FilterNode {
  const t = tokens.next();
  if (t.kind === 'end') throw new FilterError('filter.unexpectedEnd', '', t.position);
  if (t.kind !== 'word') throw new FilterError(t.kind === ')' ? 'filter.unopenedParen' : 'filter.unexpected', Tokens.shown(t), t.position);
  const next = tokens.peek();
  if (next.kind !== 'op') {
    const event = eventOf(t.text);
    if (event) return { type: 'term', field: 'event', op: '=', values: [event] };
    if (fieldOf(t.text)) throw new FilterError('filter.missingOperator', t.raw, t.position);
    throw new FilterError(logicOf(t.text) ? 'filter.unexpected' : 'filter.unknownTerm', t.raw, t.position);
  }
  const field = fieldOf(t.text);
  if (!field) throw new FilterError('filter.unknownTerm', t.raw, t.position);
  tokens.next();
  const negated = next.text === '!=';
  const op = (negated ? '=' : next.text) as FilterOperator;
  if (!(operatorsOf[field] as readonly string[]).includes(op)) throw new FilterError('filter.badOperator', `${t.raw}${next.raw}`, next.position);
  const values = readValues(tokens);
  const term = makeTerm(field, op, values);
  return negated ? { type: 'not', item: term } : term;
}

function readValues(tokens: Tokens): Token[] {
  const values: Token[] = [];
  for (;;) {
    const v = tokens.next();
    if (v.kind !== 'word' && v.kind !== 'string') throw new FilterError(v.kind === 'end' ? 'filter.missingValue' : 'filter.unexpected', Tokens.shown(v), v.position);
    if (v.text.trim() === '') throw new FilterError('filter.missingValue', v.raw, v.position);
    values.push(v);
    if (tokens.peek().kind !== ',') return values;
    tokens.next();
  }
}

/** Checks and normalises the values of one term (shared with the JQL front end). */
export function makeTerm(field: FilterField, op: FilterOperator, values: Token[]): FilterTerm {
  const texts = values.map((v) => {
    const bare = v.kind === 'word';
    switch (field) {
      case 'event': {
        const event = eventOf(v.text);
        if (!event) throw new FilterError('filter.unknownEvent', v.raw, v.position);
        return event;
      }
      case 'priority': {
        const known = jiraPriorities.find((p) => p.toLowerCase() === v.text.toLowerCase());
        if (op === '>=' && !known) throw new FilterError('filter.unknownPriority', v.raw, v.position);
        return known ?? v.text;
      }
      case 'assignee':
        if (bare && isMe(v.text)) return ME;
        if (bare && isNone(v.text)) return NOBODY;
        return v.text;
      case 'project':
        return v.text.toUpperCase();
      default:
        return v.text;
    }
  });
  if (op === '>=' && texts.length > 1) throw new FilterError('filter.oneValue', values[1]!.raw, values[1]!.position);
  return { type: 'term', field, op, values: [...new Set(texts)] };
}

function isLogic(t: Token, word: 'and' | 'or' | 'not'): boolean {
  return t.kind === 'word' && logicOf(t.text) === word;
}
