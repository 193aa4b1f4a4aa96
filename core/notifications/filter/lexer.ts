import { FilterError } from './filter-error';

export type TokenKind = 'word' | 'string' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The word, the unquoted string, or the operator. */
  text: string;
  /** 1 = the first character of the input. */
  position: number;
  /** As written, quotes included: what an error names. */
  raw: string;
}

/** Longer than anything a person writes in one chat line; keeps hostile input cheap. */
export const MAX_FILTER_LENGTH = 1000;

/** Operators of the filter language and of JQL; longest first so `->` wins over `-`, `!=` over `!`. */
const operators = ['->', '>=', '<=', '!=', '!~', '=', '<', '>', '~'];
const delimiters = new Set([' ', '\t', '\n', '\r', '(', ')', ',', '"', "'", '=', '<', '>', '!', '~']);

/**
 * Splits a filter or JQL query into tokens. Words run until a space, a bracket, a comma, a quote
 * or an operator (`status->Done` is three tokens); strings are in double or single quotes (JQL
 * takes both) with `\"` and `\\` escapes. Throws FilterError for anything else.
 */
export function tokenize(input: string): Token[] {
  if (input.length > MAX_FILTER_LENGTH) throw new FilterError('filter.tooLong', String(MAX_FILTER_LENGTH), MAX_FILTER_LENGTH + 1);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const position = i + 1;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, position, raw: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let text = '';
      let j = i + 1;
      for (; j < input.length && input[j] !== c; j++) {
        if (input[j] === '\\' && j + 1 < input.length) j++;
        text += input[j];
      }
      if (j >= input.length) throw new FilterError('filter.unterminatedQuote', input.slice(i), position);
      tokens.push({ kind: 'string', text, position, raw: input.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const op = operators.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, position, raw: op });
      i += op.length;
      continue;
    }
    let j = i;
    while (j < input.length && !delimiters.has(input[j]!) && !/\s/.test(input[j]!) && !input.startsWith('->', j)) j++;
    if (j === i) throw new FilterError('filter.unexpected', c, position);
    const word = input.slice(i, j);
    tokens.push({ kind: 'word', text: word, position, raw: word });
    i = j;
  }
  tokens.push({ kind: 'end', text: '', position: input.length + 1, raw: '' });
  return tokens;
}

/** A cursor over tokens, shared by both front ends. */
export class Tokens {
  private at = 0;
  constructor(readonly list: Token[]) {}
  peek(offset = 0): Token {
    return this.list[Math.min(this.at + offset, this.list.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.at < this.list.length - 1) this.at++;
    return t;
  }
  /** The token as a person sees it in an error. */
  static shown(t: Token): string {
    return t.kind === 'end' ? '' : t.raw;
  }
}

/** Deeper nesting than any filter needs; guards the recursive parsers' stack against `((((…`. */
export const MAX_DEPTH = 40;
