/**
 * CSV writing shared by every command: plain UTF-8, `,` separated, `\n` line ends, numbers
 * as plain decimals, and no text cell a spreadsheet would read as a formula.
 */
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefix text a spreadsheet would evaluate (=, +, -, @, tab, CR) with a single quote. */
export function neutralizeText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/**
 * Deterministic plain-decimal formatting: up to 10 significant digits, at most 6 decimals,
 * no exponent, no trailing zeros.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const digits = Math.floor(Math.log10(Math.abs(v))) + 1;
  const decimals = Math.min(6, Math.max(0, 10 - digits));
  let s = v.toFixed(decimals);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

export type Cell = string | number | null | undefined;

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return stringify([header as Cell[], ...(rows as Cell[][])], {
    record_delimiter: '\n',
    cast: {
      number: (v) => formatNumber(v),
      string: (v) => neutralizeText(v),
    },
  });
}
