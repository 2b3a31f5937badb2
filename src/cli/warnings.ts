/**
 * Warnings from calibration (what the data cannot fully support), printed once on stderr
 * whatever the number of scenarios: stdout stays the result.
 */
import type { Warning } from '../core/calibrate.js';

export function uniqueWarnings(
  runs: ReadonlyArray<{ compiled: { base: { warnings: Warning[] } } }>,
): Warning[] {
  const seen = new Map<string, Warning>();
  for (const r of runs) for (const w of r.compiled.base.warnings) seen.set(w.message, w);
  return [...seen.values()];
}

export function printWarnings(
  runs: ReadonlyArray<{ compiled: { base: { warnings: Warning[] } } }>,
): void {
  for (const w of uniqueWarnings(runs)) {
    process.stderr.write(`warning: ${w.message}\n${w.fix ? `  fix: ${w.fix}\n` : ''}`);
  }
}
