/**
 * Optimal string alignment distance (Levenshtein plus swapping two neighbours, the commonest
 * typing slip: `outbxo`), as git's "did you mean" uses (help.c, Damerau-Levenshtein).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known word closest to what was typed, when it is close enough to be a slip: at most two
 * edits, and fewer than half the typed word's letters (so `x` suggests nothing). A word that
 * starts a known one (`subs` for subscriptions) counts as close too.
 */
export function closestWord(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = word.length >= 3 && name.startsWith(word) ? 1 : editDistance(word, name);
    if (distance <= 2 && distance < Math.max(2, word.length / 2) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
