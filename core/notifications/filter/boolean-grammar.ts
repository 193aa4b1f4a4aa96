import { combine, type FilterNode } from './ast';
import { FilterError } from './filter-error';
import { MAX_DEPTH, Tokens, type Token } from './lexer';

/** What the filter language and the JQL front end differ in around and/or/not. */
export interface BooleanSyntax {
  /** Whether the token is the word for `and`, `or` or `not` in this syntax (the filter language also takes Dutch). */
  isWord(t: Token, word: 'and' | 'or' | 'not'): boolean;
  /** Terms side by side mean `and` (the filter language; JQL wants the word). */
  implicitAnd: boolean;
  /** One clause or term. */
  leaf(tokens: Tokens): FilterNode;
}

/**
 * `or` of `and`s of `not`s, with brackets, into one FilterNode, for both front ends:
 *
 *   or  = and { OR and }
 *   and = not { AND not }          -- with implicitAnd, side by side also means and
 *   not = NOT not | "(" or ")" | leaf
 *
 * Nesting deeper than MAX_DEPTH is refused (hostile input must not exhaust the stack).
 */
export function parseBoolean(tokens: Tokens, syntax: BooleanSyntax, depth = 0): FilterNode {
  const items = [parseAnd(tokens, syntax, depth)];
  while (syntax.isWord(tokens.peek(), 'or')) {
    tokens.next();
    items.push(parseAnd(tokens, syntax, depth));
  }
  return combine('or', items);
}

function parseAnd(tokens: Tokens, syntax: BooleanSyntax, depth: number): FilterNode {
  const items = [parseNot(tokens, syntax, depth)];
  for (;;) {
    const t = tokens.peek();
    if (syntax.isWord(t, 'and')) tokens.next();
    else if (!syntax.implicitAnd || t.kind === 'end' || t.kind === ')' || syntax.isWord(t, 'or')) break;
    items.push(parseNot(tokens, syntax, depth));
  }
  return combine('and', items);
}

function parseNot(tokens: Tokens, syntax: BooleanSyntax, depth: number): FilterNode {
  const t = tokens.peek();
  if (depth > MAX_DEPTH) throw new FilterError('filter.tooDeep', Tokens.shown(t), t.position);
  if (syntax.isWord(t, 'not')) {
    tokens.next();
    return { type: 'not', item: parseNot(tokens, syntax, depth + 1) };
  }
  if (t.kind === '(') {
    tokens.next();
    const inner = parseBoolean(tokens, syntax, depth + 1);
    const close = tokens.next();
    if (close.kind !== ')') throw new FilterError(close.kind === 'end' ? 'filter.unclosedParen' : 'filter.unexpected', close.kind === 'end' ? t.raw : Tokens.shown(close), close.kind === 'end' ? t.position : close.position);
    return inner;
  }
  return syntax.leaf(tokens);
}
