/**
 * The Monte Carlo credit pass (src/core/credit-pass.ts) is generated code: it must retire and
 * price credits exactly as the readable reference does (creditRetirer + creditCosts + the running
 * total), bit for bit, for every kind of creditable and for carbon-negative floors.
 */
import { describe, expect, it } from 'vitest';
import { calibrate } from '../src/core/calibrate.js';
import { compileCreditPass, creditPassKeeps } from '../src/core/credit-pass.js';
import { KERNEL_ALPHABET } from '../src/core/kernel.js';
import { allocateOutputs, type Creditable } from '../src/core/model.js';
import { creditCosts, creditRetirer, type CreditTarget } from '../src/core/offsets.js';
import { outputKeysOf } from '../src/core/structure.js';
import { loadOrganization } from '../src/io/load-organization.js';

const alibaba = loadOrganization(undefined);
const base = calibrate(alibaba.organization, alibaba.inventory);
const n = 12; // 2024 + 11 projected years
const keys = outputKeysOf(base);

/** A small deterministic generator (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const target = (creditable: Creditable, from: number, netAtMost?: number): CreditTarget => ({
  targetId: creditable,
  metric: creditable,
  creditable,
  from,
  netAtMost,
});
const category = `category:${base.categories[0]!.id}` as Creditable;
const cases: Array<[string, CreditTarget[]]> = [
  [
    'scope 1+2 and a category (the bundled strategy)',
    [target('scope12', 2030), target(category, 2030)],
  ],
  [
    'scope 3 before scope 1+2+3, carbon negative',
    [target('scope123', 2026, -300), target('scope3', 2027)],
  ],
  [
    'every kind, floors below and at zero',
    [
      target('scope123', 2025, -1e5),
      target(category, 2026, -20),
      target('scope12', 2024),
      target('scope3', 2031, 0),
    ],
  ],
  ['no target', []],
];

function run(seed: number, targets: CreditTarget[], generated: boolean, keep?: Set<string>) {
  const next = random(seed);
  const flat = new Float64Array(keys.length * n);
  // nets both above and below the floors, and some revenues at zero (intensity's guard)
  for (let j = 0; j < flat.length; j++) flat[j] = (next() - 0.3) * 1e6;
  const out = allocateOutputs(base, n, flat);
  for (let i = 0; i < n; i += 4) out.revenue[i] = 0;
  const share = () => Float64Array.from({ length: n }, () => next());
  const [R, G, pA, pN, pE] = [share(), share(), share(), share(), share()];
  const totals = targets.map(() => new Float64Array(n).fill(NaN));
  const cost = new Float64Array(n);
  const cumulative = new Float64Array(n);
  if (generated) {
    const pass = compileCreditPass(base, n, 2024, targets, 1e6, keep);
    expect(pass.source).toMatch(KERNEL_ALPHABET);
    pass.fn(flat, totals, R, G, pA, pN, pE, cost, cumulative, pass.constants);
  } else {
    creditRetirer(out, 2024, targets, totals)();
    const floors = targets.map((t) => t.netAtMost ?? 0);
    creditCosts(cost, totals, floors, R, G, [pA, pN, pE], 1e6);
    let total = 0;
    for (let i = 1; i < n; i++) {
      total += cost[i]!;
      cumulative[i] = total;
    }
  }
  return { flat, totals, cost, cumulative };
}

const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

describe('the generated credit pass equals creditRetirer + creditCosts', () => {
  for (const [name, targets] of cases)
    it(name, () => {
      for (const seed of [1, 2, 3]) {
        const want = run(seed, targets, false);
        const got = run(seed, targets, true);
        expect(bits(got.flat)).toEqual(bits(want.flat));
        got.totals.forEach((t, k) => expect(bits(t)).toEqual(bits(want.totals[k]!)));
        expect(bits(got.cost)).toEqual(bits(want.cost));
        expect(bits(got.cumulative)).toEqual(bits(want.cumulative));
        // and it did something: credits bought from the first credit year where a net is positive
        if (targets.length) expect(got.totals.some((t) => t.some((v) => v > 0))).toBe(true);
      }
    });
  it("buys nothing before a target's first year, nor in the base year", () => {
    const targets = [target('scope12', 2030)];
    const { totals } = run(5, targets, true);
    expect([...totals[0]!.subarray(0, 2030 - 2024)].every((v) => v === 0)).toBe(true);
  });
  it('with `keep`, moves exactly the kept outputs, each as the reference does', () => {
    const targets = cases[2]![1];
    // a path that reads scope 1+2 net and scope 3 intensity only
    const keep = creditPassKeeps(targets, ['scope12Net', 'scope3Intensity']);
    expect([...keep].sort()).toEqual(
      [`${category.slice('category:'.length)}`]
        .map((id) => `category.${id}.net`)
        .concat(['revenue', 'scope123Net', 'scope12Net', 'scope3Intensity', 'scope3Net'])
        .sort(),
    );
    const before = run(9, [], false).flat; // the same random outputs, nothing retired
    const want = run(9, targets, false);
    const got = run(9, targets, true, keep);
    keys.forEach((key, j) => {
      const span = (a: Float64Array) => bits(a.subarray(j * n, (j + 1) * n));
      expect(span(got.flat), key).toEqual(span(keep.has(key) ? want.flat : before));
    });
    expect(bits(got.cumulative)).toEqual(bits(want.cumulative));
  });
});
