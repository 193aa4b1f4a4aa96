/**
 * Whether `text` matches a file name pattern: `*` any run of characters, `?` one character,
 * anything else itself, case-insensitive (OneDrive names are case-insensitive). Greedy with one
 * backtrack point, so linear-ish in the input whatever the pattern: no regular expression built
 * from what a person typed (a pattern like `*a*a*a*…b` cannot make it backtrack exponentially).
 */
export function wildcardMatches(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
