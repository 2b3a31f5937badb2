/**
 * Warnings from calibration and from the run checks (what the data cannot fully support, growth
 * past plausibility), printed once on stderr whatever the number of scenarios: stdout stays the
 * result.
 */
import { uniqueWarnings, type Warning } from '../core/calibrate.js';
import { sanitizeForTerminal } from '../errors.js';

export type Runs = ReadonlyArray<{ compiled: { base: { warnings: Warning[] } } }>;

/** Print each warning once; returns them (for `--fail-on warning`). */
export function printWarnings(runs: Runs): Warning[] {
  const warnings = uniqueWarnings(runs);
  for (const w of warnings) {
    const text = `warning: ${w.message}\n${w.fix ? `  fix: ${w.fix}\n` : ''}`;
    process.stderr.write(sanitizeForTerminal(text));
  }
  return warnings;
}
