/**
 * CSV writing shared by every command: plain UTF-8, `,` separated, `\n` line ends, numbers
 * as plain decimals, and no text cell a spreadsheet would read as a formula.
 */
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

/** A cell that needs quotes: it holds the separator, a quote or a line break. */
const NEEDS_QUOTES = /[,"\n\r]/;

/**
 * One cell: numbers through formatNumber, text through neutralizeText, then quoted (quotes
 * doubled) where RFC 4180 needs it; empty for null, undefined and non-finite numbers.
 * Written out rather than through csv-stringify (the same bytes, a test compares the two):
 * the library's per-cell option handling was a tenth of a `run`'s time.
 */
function csvCell(c: Cell): string {
  if (c === null || c === undefined) return '';
  const v = typeof c === 'number' ? formatNumber(c) : neutralizeText(c);
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  let csv = `${header.map(csvCell).join(',')}\n`;
  for (const row of rows) csv += `${row.map(csvCell).join(',')}\n`;
  return csv;
}
