/**
 * Warnings from calibration (what the data cannot fully support), printed once on stderr
 * whatever the number of scenarios: stdout stays the result.
 */
import { uniqueWarnings, type Warning } from '../core/calibrate.js';
import { warn } from './output.js';

export function printWarnings(
  runs: ReadonlyArray<{ compiled: { base: { warnings: Warning[] } } }>,
): void {
  for (const w of uniqueWarnings(runs)) {
    warn(w.message, w.fix);
  }
}
