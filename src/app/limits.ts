import { UsageError } from '../errors.js';

/**
 * Bounds on the numbers a command line may ask for, so that a typo cannot ask for more memory
 * than exists ("Invalid typed array length") or hours of work. docs/security.md lists them.
 */

/** Monte Carlo paths per scenario: simulate, solve --probability and report. */
export const MAX_SAMPLES = 10_000_000;
/** Base samples for Sobol indices (simulate --sobol): N·(k + 2) runs, N·k·targets numbers. */
export const MAX_SOBOL_SAMPLES = 100_000;
/** Random seeds are 32-bit. */
export const MAX_SEED = 0xffffffff;
/** Worker threads for simulate. */
export const MAX_WORKERS = 64;

/** A command-line whole number (underscores allowed: 1_000_000) within [min, max]. */
export function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const digits = text.replace(/_/g, '');
  const value = Number(digits);
  if (!/^\d+$/.test(digits) || value < min || value > max) {
    throw new UsageError(
      `${flag} takes a whole number from ${min.toLocaleString('en-US')} to ` +
        `${max.toLocaleString('en-US')}, not '${text}'`,
    );
  }
  return value;
}
