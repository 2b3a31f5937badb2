import fc from 'fast-check';
import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { seriesOf } from '../src/app/evaluate.js';
import { evaluatePath, makeBuffers, PILOT } from '../src/app/montecarlo.js';
import { runLoaded } from '../src/app/project.js';
import { buildPlan, simulateRun, sobolIndices } from '../src/app/simulate.js';
import { applyOffsets, compileOffsetStrategy } from '../src/app/offsets.js';
import { centralValue, quantile, type Distribution } from '../src/core/distributions.js';
import { allocateInputs, resolveInputs, resolveUncertain } from '../src/core/engine.js';
import { compileFormula, compileFormulaVector, type ParseFn } from '../src/core/formula.js';
import { allocateOutputs, kernelOf, simulate } from '../src/core/model.js';
import { retireCredits } from '../src/core/offsets.js';
import { evaluateTarget } from '../src/core/targets.js';
import { makeSampler } from '../src/core/uncertainty.js';
import { normalCdf, normalQuantile, uniform } from '../src/core/random.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { loadScenario } from '../src/io/load-scenario.js';
import { loadTargets } from '../src/io/load-targets.js';

const p = parse as unknown as ParseFn;
const org = loadOrganization(undefined);
const targets = loadTargets(org.folder);
const rebuild = { scenario: 'baseline', to: 2035 };

describe('random numbers and distributions', () => {
  it('uniforms are in (0, 1), deterministic, and differ by seed, path and stream', () => {
    const xs = new Set<number>();
    for (let k = 0; k < 2000; k++) {
      const u = uniform(7, k, 3);
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1);
      xs.add(u);
    }
    expect(xs.size).toBe(2000);
    expect(uniform(7, 5, 3)).toBe(uniform(7, 5, 3));
    expect(uniform(7, 5, 3)).not.toBe(uniform(8, 5, 3));
    let mean = 0;
    for (let k = 0; k < 100000; k++) mean += uniform(1, k, 0) / 100000;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
  });
  it('the normal quantile inverts the CDF', () => {
    for (const z of [-3, -1.5, 0, 0.7, 2.5]) expect(normalQuantile(normalCdf(z))).toBeCloseTo(z, 7);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 14);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
  });
  it('quantiles in closed form', () => {
    const tri: Distribution = { dist: 'triangular', min: 2, mode: 5, max: 11 };
    expect(quantile(tri, (5 - 2) / (11 - 2))).toBeCloseTo(5, 12); // F(mode) = (c−a)/(b−a)
    expect(quantile({ dist: 'uniform', min: 10, max: 20 }, 0.25)).toBe(12.5);
    expect(quantile({ dist: 'lognormal', median: 3, sigma: 0.4 }, 0.5)).toBeCloseTo(3, 9);
    expect(quantile({ dist: 'normal', mean: 1, sd: 2, min: 0 }, 1e-9)).toBeGreaterThanOrEqual(0);
    expect(centralValue(tri)).toBe(5);
  });
  it('correlated draws have the requested correlation (Gaussian copula)', () => {
    const nums = [
      {
        slot: 0,
        id: 'a',
        path: 'a',
        dist: { dist: 'normal' as const, mean: 0, sd: 1 },
        central: 0,
      },
      {
        slot: 1,
        id: 'b',
        path: 'b',
        dist: { dist: 'normal' as const, mean: 0, sd: 1 },
        central: 0,
      },
    ];
    const s = makeSampler(nums, [{ between: ['a', 'b'], rho: 0.8 }]);
    const out = new Float64Array(2);
    let sab = 0,
      saa = 0,
      sbb = 0;
    const N = 20000;
    for (let k = 0; k < N; k++) {
      s.draw(out, 3, k);
      sab += out[0]! * out[1]!;
      saa += out[0]! ** 2;
      sbb += out[1]! ** 2;
    }
    expect(sab / Math.sqrt(saa * sbb)).toBeCloseTo(0.8, 1);
    expect(() =>
      makeSampler(
        [...nums, { ...nums[0]!, slot: 2, id: 'c', path: 'c' }],
        [
          { between: ['a', 'b'], rho: 0.95 },
          { between: ['b', 'c'], rho: 0.95 },
          { between: ['a', 'c'], rho: -0.95 },
        ],
      ),
    ).toThrow(/not positive definite/);
  });
});

describe('fast paths agree with their reference paths', () => {
  it('vectorised formulas equal per-year formulas', () => {
    const syms = ['year', 't', 'base', 'prev', 'baseYear', 'k'];
    const n = 25;
    const t = Float64Array.from({ length: n }, (_, i) => i);
    const year = Float64Array.from({ length: n }, (_, i) => 2026 + i);
    const templates = [
      'min(100, base + k * t)',
      'max(1.1, base - k * t) * 2 / (1 + t)',
      'year >= 2030 ? base * (1 + k) ^ t : base',
      'clamp(base + k * t, 0, 50) - abs(k - t) mod 3',
      'k',
      'log(base + t, 2) + sqrt(year - 2000)',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...templates),
        fc.double({ min: 0.1, max: 90, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        (f, base, k) => {
          const scalar = compileFormula(f, syms, p);
          const vector = compileFormulaVector(f, syms, { year, t }, p, n);
          const vars = new Float64Array([0, 0, base, 0, 2026, k]);
          const got = vector(vars);
          for (let i = 0; i < n; i++) {
            vars[0] = year[i]!;
            vars[1] = i;
            expect(Object.is(got[i], scalar(vars)) || got[i] === scalar(vars)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
  it(
    'resolveUncertain equals resolveInputs (clamp), and retireCredits equals planCredits, on ' +
      'sampled paths',
    async () => {
      const run = await runLoaded(loadScenario('baseline'), org, 2040);
      const c = run.compiled;
      const plan = buildPlan(run, org, targets);
      const co = compileOffsetStrategy(run.loaded, org, c)!;
      const buf = makeBuffers(plan);
      const samples = new Float64Array(c.uncertain.length);
      for (let path = 0; path < 25; path++) {
        plan.sampler.draw(samples, 5, path);
        resolveUncertain(c, samples, buf.inputs, new Map());
        const ref = resolveInputs(c, samples, allocateInputs(c), 'clamp');
        for (const [k, arr] of Object.entries(ref.params))
          expect([...buf.inputs.params[k]!]).toEqual([...arr]);
        ref.avoided.forEach((arr, a) => expect([...buf.inputs.avoided[a]!]).toEqual([...arr]));
        const n = c.axis.endYear - c.axis.baseYear + 1;
        const fast = simulate(c.base, buf.inputs, allocateOutputs(c.base, n));
        const slow = simulate(c.base, ref, allocateOutputs(c.base, n));
        retireCredits(fast, c.axis.baseYear, co.creditTargets, new Float64Array(n));
        applyOffsets(co, c, ref, slow, samples); // reference: planCredits, with the split and costs
        for (const key of kernelOf(c.base).outputKeys)
          expect([...fast[key]!], key).toEqual([...slow[key]!]);
      }
    },
  );
  it(
    'a quantity that can leave its bounds is held at them and counted; one proven within them ' +
      'is not checked',
    async () => {
      const loaded = loadScenario('baseline');
      const scenario = structuredClone(loaded.scenario);
      // 73.6% growing by up to 20%/yr passes 100% in 2028: not provable, so checked on every path
      scenario.parameters!.selfBuiltCleanShare = {
        growth: { dist: 'uniform', min: -0.05, max: 0.2 },
      };
      const run = await runLoaded({ ...loaded, scenario }, org, 2030);
      const c = run.compiled;
      expect(c.params['segments.selfBuiltDc.cleanShare']!.withinBounds).toBe(false);
      // max(1.10, base − k·t): never below 1.10
      expect(c.params['segments.selfBuiltDc.pue']!.withinBounds).toBe(true);
      expect(c.avoided.every((b) => b.withinBounds)).toBe(true); // growth ≥ 0 from a positive base
      const inputs = resolveInputs(c, c.central, allocateInputs(c));
      const sampler = makeSampler(c.uncertain);
      const samples = new Float64Array(c.uncertain.length);
      const clamped = new Map<string, number>();
      let highest = 0;
      for (let path = 0; path < 200; path++) {
        sampler.draw(samples, 1, path);
        resolveUncertain(c, samples, inputs, clamped);
        highest = Math.max(highest, ...inputs.params['segments.selfBuiltDc.cleanShare']!);
      }
      expect(highest).toBe(100);
      // P(rate > 100/73.6 ^ (1/4) − 1 = 7.97%/yr) = (0.2 − 0.0797) / 0.25 ≈ 48% of paths reach 100%
      // by 2030
      expect(clamped.get('parameters.selfBuiltCleanShare')).toBeGreaterThan(70);
      expect(clamped.get('parameters.selfBuiltCleanShare')).toBeLessThan(130);
      expect([...clamped.keys()]).toEqual(['parameters.selfBuiltCleanShare']);
    },
  );
  it(
    "each target's Monte Carlo checker agrees " + 'with evaluateTarget on every bundled scenario',
    async () => {
      for (const name of [
        'baseline',
        'announced',
        'ai-surge',
        'stalled-procurement',
        'grid-decarbonization',
      ]) {
        const run = await runLoaded(loadScenario(name), org, 2035);
        const plan = buildPlan(run, org, targets);
        const s = seriesOf(run);
        for (const ch of plan.checkers) {
          const t = targets.targets.targets.find((x) => x.id === ch.targetId)!;
          const r = evaluateTarget(t, s);
          expect(ch.met(run.outputs), `${name} ${t.id}`).toBe(r.status !== 'off-track');
          if (ch.metGross)
            expect(ch.metGross(run.outputs), `${name} ${t.id} gross`).toBe(
              r.withoutCredits!.status !== 'off-track',
            );
        }
      }
    },
  );
  it('simulate writes every output (no stale value survives from a previous path)', () => {
    return runLoaded(loadScenario('baseline'), org, 2036).then((run) => {
      const base = run.compiled.base;
      const out = allocateOutputs(base, 11);
      const keys = kernelOf(base).outputKeys;
      for (const k of keys) out[k]!.fill(Number.NaN);
      simulate(base, run.inputs, out);
      for (const k of keys) expect(out[k]!.some(Number.isNaN), k).toBe(false);
    });
  });
});

describe('Monte Carlo properties', () => {
  it(
    'zero-variance distributions reproduce the deterministic run exactly (exact and histogram ' +
      'percentiles)',
    async () => {
      const loaded = loadScenario('baseline');
      // every distribution → a normal with sd 0 at its central value
      const zero = JSON.parse(JSON.stringify(loaded.scenario), (_k, v) =>
        v && typeof v === 'object' && 'dist' in v
          ? { dist: 'normal', mean: centralValue(v as Distribution), sd: 0 }
          : v,
      );
      const run = await runLoaded({ ...loaded, scenario: zero }, org, 2035);
      expect(run.compiled.uncertain.length).toBeGreaterThan(5);
      for (const samples of [200, PILOT + 700]) {
        const sim = await simulateRun(run, org, targets, { samples, seed: 9, workers: 1, rebuild });
        // credits to buy, FY2027–FY2035
        expect(sim.fan.filter((f) => f.variable.startsWith('Offsets|')).length).toBe(2 * 9);
        // and their cost at central prices
        expect(sim.fan.filter((f) => f.variable === 'Cost|Offsets|Central').length).toBe(9);
        for (const f of sim.fan) {
          const det = run.rows.find((r) => r.variable === f.variable && r.year === f.year)!.value;
          for (const q of f.quantiles) expect(q, `${f.variable} ${f.year}`).toBe(det);
          expect(Math.abs(f.mean - det)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(det)));
        }
      }
    },
  );
  it(
    'an uncertain credit mix is resolved on each path; on the central draws the cost equals ' +
      'the deterministic one',
    async () => {
      const loaded = loadScenario('baseline');
      const withMix = (removal2030: unknown) => {
        const scenario = structuredClone(loaded.scenario);
        scenario.offsets!.removalShare = {
          points: { 2030: removal2030, 2040: 0.5, 2050: 1.0 },
        } as never;
        return { ...loaded, scenario };
      };
      const uncertain = await runLoaded(
        withMix({ dist: 'uniform', min: 0.05, max: 0.3 }),
        org,
        2035,
      );
      const plan = buildPlan(uncertain, org, targets);
      expect(plan.creditCost!.removalShare).toBeUndefined(); // resolved per path
      const sim = await simulateRun(uncertain, org, targets, {
        samples: 2000,
        seed: 3,
        workers: 1,
        rebuild,
      });
      const cost2030 = sim.fan.find(
        (f) => f.variable === 'Cost|Offsets|Central' && f.year === 2030,
      )!;
      expect(cost2030.quantiles[0]!).toBeLessThan(cost2030.quantiles[6]!);
      // 5–30% never leaves 0–1
      expect(Object.keys(sim.clamped).filter((k) => k.startsWith('offsets.'))).toEqual([]);
      // the per-path mix on the central draws gives the deterministic cost, bit for bit
      const buf = makeBuffers(plan);
      buf.samples.set(uncertain.compiled.central);
      evaluatePath(
        plan,
        buf,
        new Uint8Array(plan.checkers.length),
        new Uint8Array(plan.checkers.length),
        new Map(),
      );
      for (let y = 2030; y <= 2035; y++) {
        const row = uncertain.rows.find(
          (r) => r.variable === 'Cost|Offsets|Central' && r.year === y,
        )!;
        expect(buf.creditCost[y - 2026], String(y)).toBe(row.value);
      }
    },
  );
  it(
    'an uncertain credit price: central value in ' + 'the deterministic run, repriced on each path',
    async () => {
      const loaded = loadScenario('baseline');
      const scenario = structuredClone(loaded.scenario);
      scenario.offsets!.priceMultipliers = {
        ccer: { dist: 'triangular', min: 0.7, mode: 1, max: 1.6, id: 'ccerPrice' },
      } as never;
      const pricey = await runLoaded({ ...loaded, scenario }, org, 2035);
      const base = await runLoaded(loaded, org, 2035);
      const cost = (r: typeof base, y: number) =>
        r.rows.find((x) => x.variable === 'Cost|Offsets|Central' && x.year === y)!.value;
      // mode 1: the deterministic bill is unchanged
      for (let y = 2030; y <= 2035; y++) expect(cost(pricey, y)).toBe(cost(base, y));
      const plan = buildPlan(pricey, org, targets);
      // the avoidance credit (CCER)
      expect(plan.creditCost!.uncertainPrices.map((u) => u.credit)).toEqual([0]);
      const buf = makeBuffers(plan);
      buf.samples.set(pricey.compiled.central);
      evaluatePath(
        plan,
        buf,
        new Uint8Array(plan.checkers.length),
        new Uint8Array(plan.checkers.length),
        new Map(),
      );
      for (let y = 2030; y <= 2035; y++)
        // central draws: bit for bit
        expect(buf.creditCost[y - 2026], String(y)).toBe(cost(pricey, y));
      // the price risk widens the bill's fan; volumes are untouched
      const spread = async (r: typeof base, variable: string) => {
        const f = (
          await simulateRun(r, org, targets, { samples: 3000, seed: 5, workers: 1, rebuild })
        ).fan.find((x) => x.variable === variable && x.year === 2030)!;
        return f.quantiles[6]! - f.quantiles[0]!;
      };
      expect(await spread(pricey, 'Cost|Offsets|Central')).toBeGreaterThan(
        1.2 * (await spread(base, 'Cost|Offsets|Central')),
      );
      expect(await spread(pricey, 'Offsets|Scope 1+2')).toBe(
        await spread(base, 'Offsets|Scope 1+2'),
      );
    },
  );
  it(
    'percentiles are ordered, probabilities lie ' + 'in [0, 1] with the binomial standard error',
    async () => {
      const run = await runLoaded(loadScenario('baseline'), org, 2035);
      const sim = await simulateRun(run, org, targets, {
        samples: 3000,
        seed: 4,
        workers: 1,
        rebuild,
      });
      for (const f of sim.fan)
        for (let i = 1; i < f.quantiles.length; i++)
          expect(f.quantiles[i]!).toBeGreaterThanOrEqual(f.quantiles[i - 1]!);
      for (const pr of sim.probabilities) {
        expect(pr.probability).toBeGreaterThanOrEqual(0);
        expect(pr.probability).toBeLessThanOrEqual(1);
        expect(pr.stdError).toBeCloseTo(
          Math.sqrt((pr.probability * (1 - pr.probability)) / 3000),
          12,
        );
      }
      // met by a wide margin deterministically (PUE 1.16 vs 1.3): probability 1
      expect(sim.probabilities.find((x) => x.targetId === 'dc-pue-1.3')!.probability).toBe(1);
    },
  );
  it('P(100% clean self-built DCs from 2030) matches the triangular closed form', async () => {
    // meets iff the trend ≥ (100 − 73.6)/4 = 6.6 pp/yr; trend ~ triangular(2.1, 6.57, 9.6)
    const closed = (9.6 - 6.6) ** 2 / ((9.6 - 2.1) * (9.6 - 6.57));
    const run = await runLoaded(loadScenario('baseline'), org, 2035);
    const sim = await simulateRun(run, org, targets, {
      samples: 20000,
      seed: 12,
      workers: 1,
      rebuild,
    });
    const pr = sim.probabilities.find((x) => x.targetId === 'cloud-clean-100-2030')!;
    expect(Math.abs(pr.probability - closed)).toBeLessThan(4 * pr.stdError);
  });
  it(
    'Sobol indices: a target that depends on one input has S = 1 for it and exactly 0 for the ' +
      'rest; an additive model sums to about 1',
    async () => {
      const run = await runLoaded(loadScenario('baseline'), org, 2035);
      const rows = sobolIndices(run.loaded, buildPlan(run, org, targets), 3, 3000);
      const cloud = rows.filter((r) => r.targetId === 'cloud-clean-100-2030');
      for (const r of cloud) {
        if (r.parameter === 'dcCleanTrend') {
          expect(r.firstOrder).toBeGreaterThan(0.9);
          expect(r.firstOrder).toBeLessThan(1.1);
          expect(r.totalOrder).toBeCloseTo(1, 1);
        } else {
          expect(r.firstOrder).toBe(0); // f(A_B^i) = f(A) exactly when input i does not matter
          expect(r.totalOrder).toBe(0);
        }
      }
      const s12 = rows.filter((r) => r.targetId === 'scope12-neutral-2030');
      const sum = s12.reduce((x, r) => x + r.firstOrder, 0);
      expect(sum).toBeGreaterThan(0.9);
      expect(sum).toBeLessThan(1.1);
      for (const r of s12) expect(r.totalOrder).toBeGreaterThanOrEqual(0);
    },
  );
});
