/**
 * The credit pass of a Monte Carlo path as one generated function: per year, each credit target's
 * credits retired in retireOrder (creditsNeeded on its net, then applyCredits' updates), then the
 * year's cost at the path's prices (creditCosts) and its running total. The same operations in the
 * same order as creditRetirer + creditCosts + the cumulative sum, year by year instead of target by
 * target (a year's credits touch only that year), so the same numbers bit for bit (tested), in one
 * pass over the years instead of six.
 *
 * As in the kernel (kernel.ts), names become indices: the source holds only numbers, fixed local
 * names and operators, and every number a target brings (first year, floor) is read from a table.
 */
import type { BaseState } from './calibrate.js';
import { categoryKeys, type Creditable } from './model.js';
import { retireOrder, type CreditTarget } from './offsets.js';
import { outputKeysOf } from './structure.js';

export type CreditPassFn = (
  /** The path's outputs, flat (allocateOutputs' layout): the nets are retired in place. */
  O: Float64Array,
  /** Per credit target (in its order), its credits per year: written. */
  T: readonly Float64Array[],
  /** Per year, the removal share of the credits and the engineered share of the removals. */
  R: Float64Array,
  G: Float64Array,
  /** Per year, the unit prices of the avoidance, nature and engineered removal credits. */
  PA: Float64Array,
  PN: Float64Array,
  PE: Float64Array,
  /** Per year, the cost ÷ `per` and its running total from the first projected year: written. */
  C: Float64Array,
  CC: Float64Array,
  /** The pass's numbers (CreditPass.constants). */
  K: Float64Array,
) => void;

export interface CreditPass {
  fn: CreditPassFn;
  /** The generated source (numbers and fixed names only: KERNEL_ALPHABET). */
  source: string;
  constants: Float64Array;
}

/** The net a target's credits are retired against (offsets.ts netOf), by key. */
const netKey = (what: Creditable): string =>
  what === 'scope12'
    ? 'scope12Net'
    : what === 'scope3'
      ? 'scope3Net'
      : what === 'scope123'
        ? 'scope123Net'
        : categoryKeys(what).net;

/** What applying credits to `what` moves besides the combined net and offsets (creditApplier). */
const sides = (what: Exclude<Creditable, 'scope123'>) =>
  what === 'scope12'
    ? { off: 'offsets12', own: 'scope12Net', intensity: 'scope12Intensity' }
    : { off: 'offsets3', own: 'scope3Net', intensity: 'scope3Intensity' };

/**
 * The outputs a pass over `targets` keeps up to date when a path reads only `reads` afterwards:
 * those, every target's net (a later target may read it) and what a kept intensity is computed
 * from. The kernel must compute all of them; the pass moves no other output.
 */
export function creditPassKeeps(
  targets: readonly CreditTarget[],
  reads: Iterable<string>,
): Set<string> {
  const keep = new Set(reads);
  for (const t of targets) keep.add(netKey(t.creditable));
  for (const t of targets) {
    if (t.creditable === 'scope123') continue;
    const { own, intensity } = sides(t.creditable);
    if (keep.has(intensity)) keep.add(own).add('revenue');
  }
  return keep;
}

/**
 * The pass for `targets` over n years from `baseYear` on outputs of `base`'s structure, costs
 * divided by `per` (1e6: millions). With `keep` (creditPassKeeps), outputs outside it are not
 * moved; without it, every output applyCredits moves.
 */
export function compileCreditPass(
  base: BaseState,
  n: number,
  baseYear: number,
  targets: readonly CreditTarget[],
  per: number,
  keep?: ReadonlySet<string>,
): CreditPass {
  const index = new Map(outputKeysOf(base).map((k, j) => [k, j]));
  const o = (key: string): string => {
    const j = index.get(key);
    if (j === undefined) throw new Error(`internal: no output ${key}`);
    return `O[${j * n} + i]`;
  };
  const table: number[] = [];
  const constant = (v: number): string => {
    let j = table.findIndex((x) => Object.is(x, v));
    if (j < 0) j = table.push(v) - 1;
    return `K[${j}]`;
  };
  const kept = (key: string) => !keep || keep.has(key);
  const add = (key: string, sign: '+' | '-') =>
    kept(key) ? [`${o(key)} = ${o(key)} ${sign} c;`] : [];
  // applyCredits (model.ts creditApplier) at year i for credits c, in its order
  const apply = (what: Creditable): string[] => {
    if (what === 'scope123') return [...add('offsets123', '+'), ...add('scope123Net', '-')];
    const cat = what === 'scope12' || what === 'scope3' ? undefined : categoryKeys(what);
    const { off, own, intensity } = sides(what);
    const revenue = o('revenue');
    return [
      ...add('scope123Net', '-'),
      ...add('offsets123', '+'),
      ...(cat ? [...add(cat.offsets, '+'), ...add(cat.net, '-')] : []),
      ...add(off, '+'),
      ...(kept(intensity)
        ? [
            `const v = ${o(own)} - c;`,
            `${o(own)} = v;`,
            `${o(intensity)} = ${revenue} > 0 ? v / ${revenue} : 0;`,
          ]
        : add(own, '-')),
    ];
  };
  const retire = retireOrder(targets).flatMap((k) => {
    const t = targets[k]!;
    // creditRetirer: the first year index it retires in, and none in the base year
    const from = Math.min(n, Math.max(1, t.from - baseYear));
    const floor = constant(t.netAtMost ?? 0);
    return [
      `  {`,
      `    const c = i >= ${from} ? Math.max(0, ${o(netKey(t.creditable))} - ${floor}) : 0;`,
      `    T${k}[i] = c;`,
      `    if (c !== 0) {`,
      ...apply(t.creditable).map((l) => `      ${l}`),
      `    }`,
      `  }`,
    ];
  });
  // creditCosts, in target order
  const cost = targets.flatMap((t, k) => [
    `    {`,
    `      const total = T${k}[i];`,
    `      const beyond = Math.max(0, Math.min(total, ${constant(-(t.netAtMost ?? 0))}));`,
    `      const residual = total - beyond;`,
    `      const removals = residual * R[i] + beyond;`,
    `      const engineered = removals * G[i];`,
    `      const nature = removals - engineered;`,
    `      const avoidance = residual - residual * R[i];`,
    `      if (avoidance > 0) cost += avoidance * PA[i];`,
    `      if (nature > 0) cost += nature * PN[i];`,
    `      if (engineered > 0) cost += engineered * PE[i];`,
    `    }`,
  ]);
  const source = [
    '"use strict";',
    ...targets.map((_, k) => `const T${k} = T[${k}];`),
    'let sum = 0;',
    `for (let i = 0; i < ${n}; i++) {`,
    ...retire,
    '  if (i > 0) {',
    '    let cost = 0;',
    ...cost,
    `    C[i] = cost / ${constant(per)};`,
    '    sum += C[i];',
    '    CC[i] = sum;',
    '  }',
    '}',
  ].join('\n');
  const fn = new Function('O', 'T', 'R', 'G', 'PA', 'PN', 'PE', 'C', 'CC', 'K', source);
  return { fn: fn as CreditPassFn, source, constants: Float64Array.from(table) };
}
