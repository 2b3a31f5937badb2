/**
 * Turns a scenario's parameter specs into yearly arrays. Index 0 is the base year (the
 * calibrated value); index i is baseYear + i.
 */
import type { Spec } from '../schema/scenario.js';
import { compileFormula, FormulaError, type Compiled, type ParseFn } from './formula.js';

export interface Axis {
  baseYear: number;
  endYear: number;
}

export const axisLength = (axis: Axis): number => axis.endYear - axis.baseYear + 1;

export class SpecError extends Error {
  constructor(message: string, readonly subPath: string = '', readonly fix?: string) {
    super(message);
  }
}

/** A formula compiled once, to be evaluated once per year. */
export interface PreparedSpec {
  spec: Spec | undefined;
  formula?: Compiled;
}

export const FORMULA_SYMBOLS = ['year', 't', 'base', 'prev', 'baseYear'] as const;

export function prepareSpec(spec: Spec | undefined, constants: Record<string, number>, parse: ParseFn | undefined): PreparedSpec {
  if (spec === undefined || typeof spec === 'number' || !('formula' in spec)) return { spec };
  if (!parse) throw new Error('internal: a formula needs the mathjs parser to be loaded');
  try {
    const formula = compileFormula(spec.formula, [...FORMULA_SYMBOLS, ...Object.keys(constants)], parse);
    return { spec, formula };
  } catch (e) {
    if (e instanceof FormulaError) {
      throw new SpecError(e.message, 'formula', 'use arithmetic, the allowed functions and the symbols listed');
    }
    throw e;
  }
}

function pointsOf(points: Record<string, number>, axis: Axis, what: string): Array<[number, number]> {
  const list = Object.entries(points).map(([k, v]) => [Number(k), v] as [number, number]);
  list.sort((a, b) => a[0] - b[0]);
  for (const [year] of list) {
    if (year <= axis.baseYear) {
      throw new SpecError(
        `${what} point ${year} is not after the base year ${axis.baseYear}`,
        `points.${year}`,
        `the base-year value comes from the inventory; give points for ${axis.baseYear + 1} or later`,
      );
    }
  }
  if (list.length === 0) throw new SpecError(`${what} has no points`, 'points', 'give at least one year: value pair');
  return list;
}

/** Value at `year` from sorted points anchored at (baseYear, base). */
function interpolate(list: Array<[number, number]>, year: number, anchor: [number, number], step: boolean): number {
  let prev = anchor;
  for (const p of list) {
    if (year < p[0]) {
      if (step) return prev[1];
      const f = (year - prev[0]) / (p[0] - prev[0]);
      return prev[1] + f * (p[1] - prev[1]);
    }
    prev = p;
  }
  return prev[1];
}

/**
 * Fill `out` (length = axis length) for one spec. `base` is the calibrated base-year value;
 * `defaultRule` applies when the scenario gives no spec.
 */
export function resolveInto(
  out: Float64Array, prepared: PreparedSpec, base: number, axis: Axis,
  defaultRule: 'hold' | 'zero', constants: Record<string, number>,
): void {
  const n = out.length;
  out[0] = base;
  const spec = prepared.spec;
  if (spec === undefined) {
    out.fill(defaultRule === 'zero' ? 0 : base, 1);
    return;
  }
  if (typeof spec === 'number') { out.fill(spec, 1); return; }
  if ('value' in spec) { out.fill(spec.value, 1); return; }
  if ('points' in spec) {
    const list = pointsOf(spec.points, axis, 'a');
    const step = spec.interpolation === 'step';
    for (let i = 1; i < n; i++) out[i] = interpolate(list, axis.baseYear + i, [axis.baseYear, base], step);
    return;
  }
  if ('growth' in spec) {
    const g = spec.growth;
    let rateAt: (year: number) => number;
    if (typeof g === 'number') {
      rateAt = () => g;
    } else {
      const list = pointsOf(g.points, axis, 'a growth');
      const first = list[0] as [number, number];
      const step = g.interpolation === 'step';
      rateAt = (year) => interpolate(list, year, [axis.baseYear, first[1]], step);
    }
    let level = base;
    for (let i = 1; i < n; i++) { level *= 1 + rateAt(axis.baseYear + i); out[i] = level; }
    return;
  }
  const formula = prepared.formula;
  if (!formula) throw new Error('internal: formula spec was not prepared');
  const constValues = Object.values(constants);
  const vars = new Float64Array(FORMULA_SYMBOLS.length + constValues.length);
  vars.set(constValues, FORMULA_SYMBOLS.length);
  vars[2] = base;
  vars[4] = axis.baseYear;
  for (let i = 1; i < n; i++) {
    vars[0] = axis.baseYear + i;
    vars[1] = i;
    vars[3] = out[i - 1] as number;
    const v = formula(vars);
    if (!Number.isFinite(v)) {
      throw new SpecError(
        `the formula gives ${v} in ${axis.baseYear + i}`, 'formula',
        'check for division by zero or log of a non-positive number',
      );
    }
    out[i] = v;
  }
}

/** Check resolved values against the quantity's bounds; names the first offending year. */
export function checkBounds(values: Float64Array, axis: Axis, min: number | undefined, max: number | undefined, unit: string): void {
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number;
    if ((min !== undefined && v < min - 1e-9) || (max !== undefined && v > max + 1e-9)) {
      const bound = min !== undefined && v < min ? `at least ${min}` : `at most ${max}`;
      throw new SpecError(
        `reaches ${Number(v.toPrecision(6))} ${unit} in ${axis.baseYear + i}, but must be ${bound} ${unit}`.replace(/ 1$/, ''),
        '',
        max === 100 ? 'cap the path, e.g. formula: "min(100, …)" or points that stop at 100' : 'change the path so that it stays within bounds',
      );
    }
  }
}
