/**
 * The Monte Carlo resolvers as one generated function, the way kernel.ts compiles the model:
 * every uncertain quantity's spec (resolve.ts `resolverPlan`) becomes a few lines writing its
 * years straight into the flat input buffer, so a path makes one call instead of one closure
 * call per quantity (and per formula node). The source holds only numbers, fixed local names
 * and operators: scenario numbers sit in a table (K), uncertain ones are read from the path's
 * samples (S), formulas come from the allow-listed parser (formula.ts `formulaSource`). The
 * arithmetic is compileResolver's, operation for operation (tested equal, bit for bit).
 */
import { FORMULA_FUNCTIONS, formulaSource } from './formula.js';
import { FORMULA_SYMBOLS, type Axis, type NumberRef, type ResolverPlan } from './resolve.js';

export interface ResolverEntry {
  plan: ResolverPlan;
  /** The calibrated base-year value. */
  base: number;
  /** A base-year value that depends on a drawn number (share-bases.ts): its source over S. */
  baseCode?: ((K: (v: number) => string) => string) | undefined;
  /** Where the quantity's years start in the flat input buffer. */
  offset: number;
}

/** Fills every entry's years in `I`; `E(entry, year index, value)` throws on a non-finite value. */
export type ResolveAllFn = (S: ArrayLike<number>, I: Float64Array) => void;

export interface ResolverProgram {
  fn: ResolveAllFn;
  source: string;
}

/**
 * A growth or formula quantity as a running value: `init` declares `name` at its base-year value
 * (and what the steps need), `step` turns the previous year's value into year i's (i ≥ 1), with
 * `check` run on a non-finite formula value `v`. The resolver program writes each step to I; a
 * Monte Carlo kernel keeps it in a local (kernel.ts fused inputs): one rendering for both.
 */
export function runningCode(
  plan: ResolverPlan,
  /** The base-year value, or the source of one (a local the caller declared). */
  base: number | string,
  name: string,
  axis: Axis,
  K: (v: number) => string,
  check: string,
): { init: string[]; step: string } | undefined {
  const refCode = (r: NumberRef): string => (r.slot < 0 ? K(r.value) : `S[${r.slot}]`);
  const B = typeof base === 'string' ? base : K(base);
  if (plan.kind === 'growth')
    return {
      init: [`let ${name} = ${B};`, `const ${name}r = 1 + ${refCode(plan.rate)};`],
      step: `${name} *= ${name}r;`,
    };
  if (plan.kind !== 'formula') return undefined;
  const symbols = [...FORMULA_SYMBOLS, ...plan.names];
  const code = formulaSource(
    plan.formula,
    symbols,
    plan.parse,
    (s) => {
      switch (FORMULA_SYMBOLS[s]) {
        case 'year':
          return `(${axis.baseYear} + i)`;
        case 't':
          return 'i';
        case 'base':
          return B;
        case 'prev':
          return name;
        case 'baseYear':
          return String(axis.baseYear);
        default:
          return refCode(plan.constants[s - FORMULA_SYMBOLS.length]!);
      }
    },
    K,
  );
  return {
    init: [`let ${name} = ${B};`],
    step: `{ const v = ${code}; if (!(v - v === 0)) ${check}; ${name} = v; }`,
  };
}

export function compileResolverProgram(
  entries: readonly ResolverEntry[],
  axis: Axis,
  onNonFinite: (entry: number, yearIndex: number, value: number) => never,
): ResolverProgram {
  const n = axis.endYear - axis.baseYear + 1;
  const table: number[] = [];
  const K = (v: number): string => {
    let j = table.findIndex((x) => Object.is(x, v));
    if (j < 0) j = table.push(v) - 1;
    return `K[${j}]`;
  };
  const refCode = (r: NumberRef): string => (r.slot < 0 ? K(r.value) : `S[${r.slot}]`);
  const lines: string[] = [];
  entries.forEach((e, k) => {
    const o = e.offset;
    const at = (i: number | string) => `I[${o} + ${i}]`;
    const plan = e.plan;
    lines.push(`// ${k}: ${plan.kind}`);
    // a base-year value this path's draw gives (calibration's own operations), else a constant
    if (e.baseCode) lines.push(`const b${k} = ${e.baseCode(K)};`);
    const base = e.baseCode ? `b${k}` : K(e.base);
    lines.push(`${at(0)} = ${base};`);
    switch (plan.kind) {
      case 'fill': {
        const v = plan.value === 'base' ? base : plan.value === 0 ? '0' : refCode(plan.value);
        lines.push(`for (let i = 1; i < ${n}; i++) ${at('i')} = ${v};`);
        return;
      }
      case 'growth':
      case 'formula': {
        const { init, step } = runningCode(
          plan,
          e.baseCode ? base : e.base,
          'l',
          axis,
          K,
          `E(${k}, i, v)`,
        )!;
        lines.push(
          `{ ${init.join(' ')}`,
          `  for (let i = 1; i < ${n}; i++) { ${step} ${at('i')} = l; } }`,
        );
        return;
      }
      case 'points':
      case 'growthPoints': {
        // one line per year: the year's anchors and weight are known now
        const anchor = plan.anchors.map((a) => (a === 'base' ? base : refCode(a)));
        const growth = plan.kind === 'growthPoints';
        if (growth) lines.push(`{ let l = ${base};`);
        for (let i = 1; i < n; i++) {
          const j = plan.lo[i]!;
          const w = plan.w[i]!;
          const v =
            w === 0 ? anchor[j]! : `${anchor[j]} * (1 - ${K(w)}) + ${anchor[j + 1]} * ${K(w)}`;
          lines.push(growth ? `  l *= 1 + (${v}); ${at(i)} = l;` : `${at(i)} = ${v};`);
        }
        if (growth) lines.push('}');
        return;
      }
    }
  });
  const source = ['"use strict";', ...lines].join('\n');
  const generated = new Function('S', 'I', 'K', 'F', 'E', source) as (
    S: ArrayLike<number>,
    I: Float64Array,
    K: Float64Array,
    F: typeof FORMULA_FUNCTIONS,
    E: typeof onNonFinite,
  ) => void;
  const constants = Float64Array.from(table);
  return {
    fn: (S, I) => generated(S, I, constants, FORMULA_FUNCTIONS, onNonFinite),
    source,
  };
}
