/**
 * "Did you mean": the known name nearest to a misspelt one (solve levers, unknown keys in
 * every input file).
 */

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The known name nearest to `name` (case counts least), if it is near enough to be a typo. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; edits: number; rank: number } | undefined;
  for (const k of known) {
    const edits = editDistance(name.toLowerCase(), k.toLowerCase());
    // case counts least: `selfBuiltPUE` is nearer `selfBuiltPue` than any other name
    const rank = edits + editDistance(name, k) / 1000;
    if (!best || rank < best.rank) best = { name: k, edits, rank };
  }
  const last = name.split('.').at(-1)!;
  return best && best.edits <= Math.max(2, Math.floor(last.length / 3)) ? best.name : undefined;
}
