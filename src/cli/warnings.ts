/**
 * Warnings from calibration (what the data cannot fully support), printed once on stderr
 * whatever the number of scenarios: stdout stays the result.
 */
import { uniqueWarnings, type Warning } from '../core/calibrate.js';

export function printWarnings(
  runs: ReadonlyArray<{ compiled: { base: { warnings: Warning[] } } }>,
): void {
  for (const w of uniqueWarnings(runs)) {
    process.stderr.write(`warning: ${w.message}\n${w.fix ? `  fix: ${w.fix}\n` : ''}`);
  }
}
