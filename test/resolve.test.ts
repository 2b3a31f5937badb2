import fc from 'fast-check';
import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import type { ParseFn } from '../src/core/formula.js';
import { checkBounds, resolveSpec, SpecError } from '../src/core/resolve.js';
import type { Spec } from '../src/schema/scenario.js';

const axis = { baseYear: 2026, endYear: 2050 };
const resolve = (spec: Spec | undefined, base: number, rule: 'hold' | 'zero' = 'hold', constants: Record<string, number> = {}) =>
  resolveSpec(spec, base, { axis, rule, constants, parse: parse as unknown as ParseFn });

describe('yearly paths (closed form)', () => {
  it('compound growth equals x0·(1+g)^t', () => {
    fc.assert(fc.property(
      fc.double({ min: 1, max: 1e9, noNaN: true }), fc.double({ min: -0.5, max: 0.8, noNaN: true }),
      (x0, g) => {
        const out = resolve({ growth: g }, x0);
        for (let t = 0; t < out.length; t++) expect(out[t]).toBeCloseTo(x0 * (1 + g) ** t, 6 - Math.log10(x0));
      }));
  });
  it('growth points interpolate the rate and compound it', () => {
    const out = resolve({ growth: { points: { 2027: 0.3, 2029: 0.1 } } }, 100);
    expect(out[1]).toBeCloseTo(130, 10);
    expect(out[2]).toBeCloseTo(130 * 1.2, 10);
    expect(out[3]).toBeCloseTo(130 * 1.2 * 1.1, 10);
    expect(out[4]).toBeCloseTo(130 * 1.2 * 1.1 * 1.1, 10);
  });
  it('points interpolate linearly from the base-year value, then hold', () => {
    const out = resolve({ points: { 2030: 100 } }, 73.6);
    expect(out[0]).toBe(73.6);
    expect(out[1]).toBeCloseTo(73.6 + 26.4 / 4, 12);
    expect(out[4]).toBe(100);
    expect(out[24]).toBe(100);
  });
  it('step interpolation holds each point until the next', () => {
    const out = resolve({ points: { 2028: 10, 2031: 20 }, interpolation: 'step' }, 5);
    expect([...out.slice(0, 7)]).toEqual([5, 5, 10, 10, 10, 20, 20]);
  });
  it('a constant applies from the first projected year; the base year stays calibrated', () => {
    const out = resolve(1.25, 1.187);
    expect(out[0]).toBe(1.187);
    expect(out[1]).toBe(1.25);
    expect(resolve({ value: 3, why: 'x' }, 1)[5]).toBe(3);
  });
  it('no spec holds the base value, or is zero for zero-default quantities', () => {
    expect(resolve(undefined, 42)[10]).toBe(42);
    const z = resolve(undefined, 21813, 'zero');
    expect(z[0]).toBe(21813);
    expect(z[1]).toBe(0);
  });
  it('formulas see year, t, base, prev and constants', () => {
    const out = resolve({ formula: 'min(100, base + trend * t)' }, 73.6, 'hold', { trend: 6.57 });
    expect(out[4]).toBeCloseTo(73.6 + 4 * 6.57, 10);
    expect(out[5]).toBe(100);
    const rec = resolve({ formula: 'prev * 1.1' }, 10);
    expect(rec[3]).toBeCloseTo(10 * 1.1 ** 3, 10);
    expect(resolve({ formula: 'year' }, 0)[4]).toBe(2030);
  });
  it('points at or before the base year are refused with the fix', () => {
    expect(() => resolve({ points: { 2026: 5 } }, 1)).toThrow(SpecError);
    expect(() => resolve({ points: { 2026: 5 } }, 1)).toThrow(/not after the base year 2026/);
  });
  it('a formula that leaves the real numbers names the year', () => {
    expect(() => resolve({ formula: '1 / (year - 2030)' }, 1)).toThrow(/gives Infinity in 2030/);
  });
  it('bounds are checked on the resolved path and name the first bad year', () => {
    const out = resolve({ growth: 0.1 }, 73.6);
    expect(() => checkBounds(out, axis, 0, 100, '%')).toThrow(/reaches 107.758 % in 2030, but must be at most 100 %/);
  });
});
