/**
 * Warnings from calibration and from the run checks (what the data cannot fully support, growth
 * past plausibility), printed once on stderr whatever the number of scenarios: stdout stays the
 * result.
 */
import { uniqueWarnings, type Warning } from '../core/calibrate.js';
import { warn } from './output.js';

export type Runs = ReadonlyArray<{ compiled: { base: { warnings: Warning[] } } }>;

/** Print each warning once; returns them (for `--fail-on warning`). */
export function printWarnings(runs: Runs): Warning[] {
  const warnings = uniqueWarnings(runs);
  for (const w of warnings) {
    warn(w.message, w.fix);
  }
  return warnings;
}
