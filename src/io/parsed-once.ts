/**
 * Every input file is parsed (and checked) at most once per process (docs/performance.md,
 * "Start-up"): a `run` of every bundled scenario reads baseline.yaml for each scenario that
 * extends it and targets.yaml for each offset strategy, and `validate` reads the organization
 * twice. The loaders keep what they made of a file here, by kind of reading and path with the
 * SHA-256 of its text, so that a file edited between two readings (tests do that within one
 * process) is parsed again, and replaces the earlier reading. What is kept is deep-frozen: every
 * caller shares it.
 */
import { createHash } from 'node:crypto';

/** Hashes of the texts read most recently (a load has the organization and its inventory). */
const hashes = new Map<string, string>();
const HASHES_KEPT = 8;

/**
 * The hex SHA-256 of a file's text, as run.json records it. A load hashes the same text at each
 * step (this cache, the YAML reading, the prebuilt lookup, the record): hashed once, reused.
 */
export function sha256(text: string): string {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash('sha256').update(text).digest('hex');
    if (hashes.size >= HASHES_KEPT) hashes.delete(hashes.keys().next().value!);
    hashes.set(text, hash);
  }
  return hash;
}

/**
 * The latest reading of each kind and file: a file read with new text replaces it, so a
 * long-lived process that reloads edited files keeps one entry per file, not one per version.
 */
const kept = new Map<string, { hash: string; value: unknown }>();
const counts = new Map<string, number>();

/**
 * `parse()`'s result for this `kind` of reading of `file` with this text: computed the first
 * time, frozen, and returned again while the text is the same. A parse that throws is not kept.
 */
export function parsedOnce<T>(kind: string, file: string, text: string, parse: () => T): T {
  const key = `${kind}\0${file}`;
  const hash = sha256(text);
  const hit = kept.get(key);
  if (hit?.hash === hash) return hit.value as T;
  const what = `${kind} ${file}`;
  counts.set(what, (counts.get(what) ?? 0) + 1);
  const value = deepFreeze(parse());
  kept.set(key, { hash, value });
  return value;
}

/** How many readings are kept (one per kind and file; for the tests). */
export const keptReadings = (): number => kept.size;

/** How many times each `kind file` was parsed in this process (for the tests). */
export function parseCounts(): ReadonlyMap<string, number> {
  return counts;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (ArrayBuffer.isView(value)) return value; // typed arrays cannot be frozen
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
