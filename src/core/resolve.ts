/**
 * Turns a scenario's parameter specs into yearly arrays. Index 0 is the base year (the
 * calibrated value); index i is baseYear + i. A spec is compiled once into a resolver; its
 * numbers may be slots of a sample vector, so a Monte Carlo path only refills the vector.
 */
import {
  compileFormula,
  compileFormulaVector,
  formulaInterval,
  FormulaError,
  hull,
  intervalOp,
  UNBOUNDED,
  widen,
  type Interval,
  type ParseFn,
} from './formula.js';
import { isSlot } from './uncertainty.js';

export interface Axis {
  baseYear: number;
  endYear: number;
}

export const axisLength = (axis: Axis): number => axis.endYear - axis.baseYear + 1;

export class SpecError extends Error {
  constructor(
    message: string,
    readonly subPath: string = '',
    readonly fix?: string,
  ) {
    super(message);
  }
}

export type Samples = ArrayLike<number>;
export type Resolver = (out: Float64Array, base: number, samples: Samples) => void;
/**
 * A number of the scenario: a constant (slot −1) or a sample slot. Read inline by `read`, not
 * through a closure: a closure returning a double boxes it, one allocation per read per path.
 */
interface Ref {
  slot: number;
  value: number;
}

export const FORMULA_SYMBOLS = ['year', 't', 'base', 'prev', 'baseYear'] as const;
const NO_SAMPLES = new Float64Array(0);

const ref = (v: unknown): Ref => {
  if (typeof v === 'number') return { slot: -1, value: v };
  if (isSlot(v)) return { slot: v.__slot, value: Number.NaN };
  throw new Error(`internal: expected a number or a sample slot, got ${JSON.stringify(v)}`);
};
const read = (r: Ref, s: Samples): number => (r.slot < 0 ? r.value : s[r.slot]!);

interface Segments {
  /** For each i ≥ 1: anchors j and j+1 and the weight of j+1. */
  lo: Int32Array;
  w: Float64Array;
}

/** Where each projected year falls between the anchors (base year first). */
function segments(anchorYears: number[], axis: Axis, step: boolean): Segments {
  const n = axisLength(axis);
  const lo = new Int32Array(n);
  const w = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const year = axis.baseYear + i;
    let j = anchorYears.length - 1;
    for (let a = 1; a < anchorYears.length; a++)
      if (year < anchorYears[a]!) {
        j = a - 1;
        break;
      }
    lo[i] = j;
    w[i] =
      j === anchorYears.length - 1 || step
        ? 0
        : (year - anchorYears[j]!) / (anchorYears[j + 1]! - anchorYears[j]!);
  }
  return { lo, w };
}

function pointList(
  points: Record<string, unknown>,
  axis: Axis,
  what: string,
  superseded?: (year: number) => void,
): Array<[number, Ref]> {
  const all = Object.entries(points)
    .map(([k, v]) => [Number(k), ref(v)] as [number, Ref])
    .sort((a, b) => a[0] - b[0]);
  if (all.length === 0)
    throw new SpecError(`${what} has no points`, 'points', 'give at least one year: value pair');
  const list = all.filter(([year]) => year > axis.baseYear);
  if (list.length === 0) {
    const year = all[0]![0];
    throw new SpecError(
      `${what} point ${year} is not after the base year ${axis.baseYear}`,
      `points.${year}`,
      `the base-year value comes from the inventory; give points for ${axis.baseYear + 1} or later`,
    );
  }
  // Points that newer actuals have overtaken (the base year moved past them) give way to the data.
  for (const [year] of all) if (year <= axis.baseYear) superseded?.(year);
  return list;
}

/**
 * Linear (or step) interpolation through anchors whose values are read at call time; writes the
 * interpolated value for each year i ≥ 1 into `into` (index 0 untouched). The base-year anchor
 * is `base`, or the first point's value when `firstFromPoint` (growth rates).
 */
function interpolator(
  list: Array<[number, Ref]>,
  axis: Axis,
  step: boolean,
  firstFromPoint: boolean,
) {
  const years = [axis.baseYear, ...list.map((p) => p[0])];
  const seg = segments(years, axis, step);
  const refs = list.map((p) => p[1]);
  const vals = new Float64Array(years.length);
  const lo = seg.lo;
  const w = seg.w;
  return (base: number, s: Samples, into: Float64Array) => {
    vals[0] = firstFromPoint ? read(refs[0]!, s) : base;
    for (let a = 0; a < refs.length; a++) vals[a + 1] = read(refs[a]!, s);
    for (let i = 1; i < lo.length; i++) {
      const j = lo[i]!;
      const wi = w[i]!;
      into[i] = wi === 0 ? vals[j]! : vals[j]! * (1 - wi) + vals[j + 1]! * wi;
    }
  };
}

export interface ResolverContext {
  axis: Axis;
  rule: 'hold' | 'zero';
  /** Constant names and their values (numbers or sample slots), in formula order. */
  constants: Record<string, unknown>;
  parse?: ParseFn | undefined;
  /**
   * Told about points at or before the base year, which are ignored (newer actuals supersede
   * them).
   */
  superseded?: ((year: number) => void) | undefined;
}

export function compileResolver(spec: unknown, ctx: ResolverContext): Resolver {
  const { axis } = ctx;
  if (spec === undefined) {
    const zero = ctx.rule === 'zero';
    return (out, base) => {
      out[0] = base;
      out.fill(zero ? 0 : base, 1);
    };
  }
  if (typeof spec === 'number' || isSlot(spec)) {
    const g = ref(spec);
    return (out, base, s) => {
      out[0] = base;
      out.fill(read(g, s), 1);
    };
  }
  const o = spec as Record<string, unknown>;
  if ('value' in o) return compileResolver(o.value, ctx);
  if ('points' in o) {
    const interp = interpolator(
      pointList(o.points as Record<string, unknown>, axis, 'a', ctx.superseded),
      axis,
      o.interpolation === 'step',
      false,
    );
    return (out, base, s) => {
      out[0] = base;
      interp(base, s, out);
    };
  }
  if ('growth' in o) {
    const g = o.growth;
    if (typeof g === 'number' || isSlot(g)) {
      const rate = ref(g);
      return (out, base, s) => {
        const r = 1 + read(rate, s);
        let level = base;
        out[0] = base;
        for (let i = 1; i < out.length; i++) {
          level *= r;
          out[i] = level;
        }
      };
    }
    const gp = g as { points: Record<string, unknown>; interpolation?: string };
    const list = pointList(gp.points, axis, 'a growth', ctx.superseded);
    const interp = interpolator(list, axis, gp.interpolation === 'step', true);
    return (out, base, s) => {
      interp(base, s, out); // the rates, in place
      out[0] = base;
      let level = base;
      for (let i = 1; i < out.length; i++) {
        level *= 1 + out[i]!;
        out[i] = level;
      }
    };
  }
  if ('formula' in o) {
    if (!ctx.parse) throw new Error('internal: a formula needs the mathjs parser to be loaded');
    const names = Object.keys(ctx.constants);
    let f;
    try {
      f = compileFormula(String(o.formula), [...FORMULA_SYMBOLS, ...names], ctx.parse);
    } catch (e) {
      if (e instanceof FormulaError)
        throw new SpecError(
          e.message,
          'formula',
          'use arithmetic, the allowed functions and the symbols listed',
        );
      throw e;
    }
    const constRefs = names.map((n) => ref(ctx.constants[n]));
    const vars = new Float64Array(FORMULA_SYMBOLS.length + names.length);
    if (!/\bprev\b/.test(String(o.formula))) {
      // No recurrence: evaluate the whole path at once (see compileFormulaVector).
      const n = axisLength(axis);
      const tArr = Float64Array.from({ length: n }, (_, i) => i);
      const yearArr = Float64Array.from({ length: n }, (_, i) => axis.baseYear + i);
      const vf = compileFormulaVector(
        String(o.formula),
        [...FORMULA_SYMBOLS, ...names],
        { year: yearArr, t: tArr },
        ctx.parse,
        n,
      );
      {
        return (out, base, s) => {
          for (let c = 0; c < constRefs.length; c++)
            vars[FORMULA_SYMBOLS.length + c] = read(constRefs[c]!, s);
          vars[2] = base;
          vars[4] = axis.baseYear;
          const r = vf(vars);
          out[0] = base;
          for (let i = 1; i < out.length; i++) {
            const v = r[i]!;
            if (!Number.isFinite(v)) {
              throw new SpecError(
                `the formula gives ${v} in ${axis.baseYear + i}`,
                'formula',
                'check for division by zero or log of a non-positive number',
              );
            }
            out[i] = v;
          }
        };
      }
    }
    return (out, base, s) => {
      for (let c = 0; c < constRefs.length; c++)
        vars[FORMULA_SYMBOLS.length + c] = read(constRefs[c]!, s);
      vars[2] = base;
      vars[4] = axis.baseYear;
      out[0] = base;
      for (let i = 1; i < out.length; i++) {
        vars[0] = axis.baseYear + i;
        vars[1] = i;
        vars[3] = out[i - 1]!;
        const v = f(vars);
        if (!Number.isFinite(v)) {
          throw new SpecError(
            `the formula gives ${v} in ${axis.baseYear + i}`,
            'formula',
            'check for division by zero or log of a non-positive number',
          );
        }
        out[i] = v;
      }
    };
  }
  throw new Error(`internal: unknown spec ${JSON.stringify(spec)}`);
}

/**
 * A spec as data, for the generated Monte Carlo resolvers (resolve-kernel.ts): the same shapes
 * and the same arithmetic as compileResolver, which stays the reference (tested equal).
 * `anchors` are the base year then the points (`base` stands for the calibrated value);
 * `lo`/`w` say where each year falls between them.
 */
export type NumberRef = Ref;
export type ResolverPlan =
  | { kind: 'fill'; value: NumberRef | 'base' | 0 }
  | { kind: 'growth'; rate: NumberRef }
  | {
      kind: 'points' | 'growthPoints';
      anchors: Array<NumberRef | 'base'>;
      lo: Int32Array;
      w: Float64Array;
    }
  | {
      kind: 'formula';
      formula: string;
      /** The scenario's constants: their names (to look symbols up) and numbers. */
      names: string[];
      constants: NumberRef[];
      parse: ParseFn;
    };

export function resolverPlan(spec: unknown, ctx: ResolverContext): ResolverPlan {
  const { axis } = ctx;
  if (spec === undefined) return { kind: 'fill', value: ctx.rule === 'zero' ? 0 : 'base' };
  if (typeof spec === 'number' || isSlot(spec)) return { kind: 'fill', value: ref(spec) };
  const o = spec as Record<string, unknown>;
  if ('value' in o) return resolverPlan(o.value, ctx);
  const anchored = (list: Array<[number, Ref]>, step: boolean, firstFromPoint: boolean) => {
    const seg = segments([axis.baseYear, ...list.map((p) => p[0])], axis, step);
    const refs = list.map((p) => p[1]);
    return { anchors: [firstFromPoint ? refs[0]! : ('base' as const), ...refs], ...seg };
  };
  if ('points' in o) {
    const list = pointList(o.points as Record<string, unknown>, axis, 'a');
    return { kind: 'points', ...anchored(list, o.interpolation === 'step', false) };
  }
  if ('growth' in o) {
    const g = o.growth;
    if (typeof g === 'number' || isSlot(g)) return { kind: 'growth', rate: ref(g) };
    const gp = g as { points: Record<string, unknown>; interpolation?: string };
    const list = pointList(gp.points, axis, 'a growth');
    return { kind: 'growthPoints', ...anchored(list, gp.interpolation === 'step', true) };
  }
  if ('formula' in o && ctx.parse) {
    const names = Object.keys(ctx.constants);
    return {
      kind: 'formula',
      formula: String(o.formula),
      names,
      constants: names.map((n) => ref(ctx.constants[n])),
      parse: ctx.parse,
    };
  }
  throw new Error(`internal: unknown spec ${JSON.stringify(spec)}`);
}

/**
 * Bounds on every projected value (years after the base) a spec can produce, whatever the draws of
 * its uncertain numbers (`slotRange` gives each one's support): the same spec shapes as
 * compileResolver. [−∞, ∞] where it cannot tell. Used to prove a quantity stays within its
 * bounds.
 */
export function specInterval(
  spec: unknown,
  base: number,
  ctx: ResolverContext,
  slotRange: (slot: number) => Interval,
): Interval {
  const n = axisLength(ctx.axis);
  const valueOf = (v: unknown): Interval =>
    typeof v === 'number' ? [v, v] : isSlot(v) ? slotRange(v.__slot) : UNBOUNDED;
  // interpolation a·(1 − w) + b·w stays within [a, b] up to rounding
  const pointsHull = (points: Record<string, unknown>, ...also: Interval[]): Interval =>
    widen(hull([...also, ...Object.values(points).map(valueOf)]), 4);
  if (spec === undefined) return ctx.rule === 'zero' ? [0, 0] : [base, base];
  if (typeof spec === 'number' || isSlot(spec)) return valueOf(spec);
  const o = spec as Record<string, unknown>;
  if ('value' in o) return specInterval(o.value, base, ctx, slotRange);
  if ('points' in o) return pointsHull(o.points as Record<string, unknown>, [base, base]);
  if ('growth' in o) {
    const g = o.growth;
    const rate =
      typeof g === 'number' || isSlot(g)
        ? valueOf(g)
        : pointsHull((g as { points: Record<string, unknown> }).points);
    const factor = intervalOp('add', [1, 1], rate);
    if (!(factor[0] >= 0)) return UNBOUNDED; // a rate below −100% flips signs: not analysed
    let level: Interval = [base, base];
    let all: Interval = [Infinity, -Infinity];
    for (let i = 1; i < n; i++) {
      level = intervalOp('multiply', level, factor);
      all = [Math.min(all[0], level[0]), Math.max(all[1], level[1])];
    }
    return all;
  }
  if ('formula' in o && ctx.parse) {
    const ranges: Record<string, Interval> = {
      year: [ctx.axis.baseYear + 1, ctx.axis.endYear],
      t: [1, n - 1],
      base: [base, base],
      baseYear: [ctx.axis.baseYear, ctx.axis.baseYear],
    };
    for (const [name, v] of Object.entries(ctx.constants)) ranges[name] = valueOf(v);
    return formulaInterval(String(o.formula), ranges, ctx.parse);
  }
  return UNBOUNDED;
}

/** One-shot resolution of a plain spec (no slots), for callers outside the engine and tests. */
export function resolveSpec(spec: unknown, base: number, ctx: ResolverContext): Float64Array {
  const out = new Float64Array(axisLength(ctx.axis));
  compileResolver(spec, ctx)(out, base, NO_SAMPLES);
  return out;
}

/** Index of the first year out of bounds, or -1. */
export function firstOutOfBounds(
  values: Float64Array,
  min: number | undefined,
  max: number | undefined,
): number {
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if ((min !== undefined && v < min - 1e-9) || (max !== undefined && v > max + 1e-9)) return i;
  }
  return -1;
}

/** Check resolved values against the quantity's bounds; names the first offending year. */
export function checkBounds(
  values: Float64Array,
  axis: Axis,
  min: number | undefined,
  max: number | undefined,
  unit: string,
): void {
  const i = firstOutOfBounds(values, min, max);
  if (i < 0) return;
  const v = values[i]!;
  const bound = min !== undefined && v < min ? `at least ${min}` : `at most ${max}`;
  throw new SpecError(
    (
      `reaches ${Number(v.toPrecision(6))} ${unit} in ${axis.baseYear + i}, ` +
      `but must be ${bound} ${unit}`
    )
      .replace(/ 1$/, '')
      .replace(/ {2,}/g, ' ')
      .trim(),
    '',
    max === 100
      ? 'cap the path, e.g. formula: "min(100, …)" or points that stop at 100'
      : 'change the path so that it stays within bounds',
  );
}
