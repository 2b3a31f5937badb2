import fc from 'fast-check';
import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import type { ParseFn } from '../src/core/formula.js';
import {
  checkBounds,
  compileResolver,
  resolveSpec,
  SpecError,
  specInterval,
} from '../src/core/resolve.js';
import { UNBOUNDED, type Interval } from '../src/core/formula.js';
import type { Spec } from '../src/schema/scenario.js';

const axis = { baseYear: 2026, endYear: 2050 };
const resolve = (
  spec: Spec | undefined,
  base: number,
  rule: 'hold' | 'zero' = 'hold',
  constants: Record<string, number> = {},
) => resolveSpec(spec, base, { axis, rule, constants, parse: parse as unknown as ParseFn });

describe('yearly paths (closed form)', () => {
  it('compound growth equals x0·(1+g)^t', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        fc.double({ min: -0.5, max: 0.8, noNaN: true }),
        (x0, g) => {
          const out = resolve({ growth: g }, x0);
          for (let t = 0; t < out.length; t++)
            expect(out[t]).toBeCloseTo(x0 * (1 + g) ** t, 6 - Math.log10(x0));
        },
      ),
    );
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
    expect(() => checkBounds(out, axis, 0, 100, '%')).toThrow(
      /reaches 107.758 % in 2030, but must be at most 100 %/,
    );
  });
});

describe(
  'bounds a spec can reach (interval arithmetic, ' + 'lets Monte Carlo skip proven bounds checks)',
  () => {
    const ctx = (constants: Record<string, unknown> = {}) => ({
      axis,
      rule: 'hold' as const,
      constants,
      parse: parse as unknown as ParseFn,
    });
    const slots: Interval[] = [
      [2, 9],
      [-0.05, 0.1],
      [0.08, 0.3],
    ];
    const range = (spec: unknown, base: number, constants: Record<string, unknown> = {}) =>
      specInterval(spec, base, ctx(constants), (k) => slots[k]!);
    const near = ([lo, hi]: Interval, [a, b]: Interval) => {
      expect(lo).toBeCloseTo(a, 9);
      expect(hi).toBeCloseTo(b, 9);
    };
    it('closed-form cases', () => {
      near(range({ growth: 0.05 }, 100), [105, 100 * 1.05 ** 24]); // 24 projected years to 2050
      near(range({ growth: { __slot: 1 } }, 100), [100 * 0.95 ** 24, 100 * 1.1 ** 24]);
      near(range({ points: { 2030: 40, 2040: { __slot: 0 } } }, 73.6), [2, 73.6]);
      near(range({ growth: { points: { 2027: 0.3, 2030: { __slot: 2 }, 2035: 0.08 } } }, 10), [
        10 * 1.08,
        10 * 1.3 ** 24,
      ]);
      near(range({ formula: 'min(100, base + k * t)' }, 73.6, { k: { __slot: 0 } }), [75.6, 100]);
      near(range({ formula: 'max(1.1, base + k * t)' }, 1.187, { k: -0.0065 }), [
        1.1,
        1.187 - 0.0065,
      ]);
      near(range({ formula: 'year - baseYear' }, 0), [1, 24]);
    });
    it('what it cannot tell stays unbounded, never wrong', () => {
      expect(range({ growth: -1.5 }, 100)).toEqual(UNBOUNDED); // a rate below −100% flips the sign
      expect(range({ formula: 'base / (t - 3)' }, 1)).toEqual(UNBOUNDED); // divisor spans 0
      expect(range({ formula: 'base ^ t' }, 2)).toEqual(UNBOUNDED); // powers are not analysed
      // prev is unbounded: only the cap is proven
      const prev = range({ formula: 'min(100, prev + 5)' }, 50);
      expect(prev[0]).toBe(-Infinity);
      expect(prev[1]).toBe(100);
    });
    it(
      'every value a resolver produces lies within its interval (random specs and draws, ' +
        "including the supports' ends)",
      () => {
        const value = fc.oneof(
          fc.double({ min: -5, max: 120, noNaN: true }),
          fc.constantFrom(0, 1, 2).map((k) => ({ __slot: k })),
        );
        const rate = fc.oneof(
          fc.double({ min: -0.6, max: 0.6, noNaN: true }),
          fc.constantFrom(1, 2).map((k) => ({ __slot: k })),
        );
        const spec = fc.oneof(
          value,
          fc.record({ growth: rate }),
          fc.record({
            growth: fc.record({ points: fc.record({ 2028: rate, 2033: rate, 2045: rate }) }),
          }),
          fc.record({ points: fc.record({ 2027: value, 2035: value }) }),
          fc.record({
            formula: fc.constantFrom(
              'min(100, base + k * t)',
              'max(1.1, base - k * t) * 2 / (1 + t)',
              'clamp(base + k * t, 0, 50) - abs(k - t)',
              'sqrt(year - 2000) + exp(k / 10) - log(t)',
              'year >= 2030 ? k * t : base',
            ),
          }),
        );
        const u = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
        fc.assert(
          fc.property(
            spec,
            fc.double({ min: 0.5, max: 500, noNaN: true }),
            fc.tuple(u, u, u),
            (s, base, us) => {
              const constants = { k: { __slot: 0 } };
              const [lo, hi] = range(s, base, constants);
              const samples = Float64Array.from(slots, ([a, b], k) =>
                Math.min(b, a + us[k]! * (b - a)),
              ); // in the support (the engine widens supports by a few ulps for quantile rounding)
              const out = new Float64Array(25);
              compileResolver(s, ctx(constants))(out, base, samples);
              for (let i = 1; i < out.length; i++) {
                expect(out[i]).toBeGreaterThanOrEqual(lo);
                expect(out[i]).toBeLessThanOrEqual(hi);
              }
            },
          ),
          { numRuns: 400 },
        );
      },
    );
  },
);
