/**
 * The terminal's numbers (src/cli/table.ts `grouped`) are written without ICU, for start-up: the
 * same text as `toLocaleString('en-US')` with as many fraction digits, for any number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmtFixed, fmtInt, grouped } from '../src/cli/table.js';

const icu = (v: number, digits: number) =>
  v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

describe('grouped: toLocaleString("en-US") without ICU', () => {
  it.each([
    [1.005, 2],
    [2.675, 2],
    [0.125, 2],
    [2.5, 0],
    [-2.5, 0],
    [-0, 0],
    [-0.04, 1],
    [0.0000001234, 9],
    [1e20 + 0.5, 2],
    [1e21, 0],
    [123456789.987, 1],
    [NaN, 1],
    [-Infinity, 0],
  ])('%s with %s digits', (v, digits) => {
    expect(grouped(v, digits)).toBe(icu(v, digits));
  });
  it('any double, 0 to 6 digits', () => {
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: 0, max: 6 }), (v, digits) => {
        expect(grouped(v, digits)).toBe(icu(v, digits));
      }),
      { numRuns: 20_000 },
    );
  });
  it('numbers of the sizes carbonpath prints', () => {
    const sized = fc.oneof(
      fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      fc.double({ min: -10, max: 10, noNaN: true }),
      fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 1000),
    );
    fc.assert(
      fc.property(sized, fc.integer({ min: 0, max: 4 }), (v, digits) => {
        expect(fmtFixed(v, digits)).toBe(icu(v, digits));
        expect(fmtInt(v)).toBe(Math.round(v).toLocaleString('en-US'));
      }),
      { numRuns: 20_000 },
    );
  });
});
