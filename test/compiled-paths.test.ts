/**
 * The Monte Carlo path's generated code: the resolvers compiled into one function
 * (resolve-kernel.ts) and the kernel pruned to the outputs a path reads (kernel.ts `keep`) must
 * give exactly what the reference closures and the full kernel give.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePath, makeBuffers, rowLayout, runPath } from '../src/app/montecarlo.js';
import { runLoaded } from '../src/app/project.js';
import { buildPlan } from '../src/app/simulate.js';
import {
  allocateInputs,
  resolveInputs,
  resolveUncertain,
  uncertainOf,
} from '../src/core/engine.js';
import { KERNEL_ALPHABET } from '../src/core/kernel.js';
import { allocateOutputs, kernelOf, simulate } from '../src/core/model.js';
import { makeSampler } from '../src/core/uncertainty.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { loadScenario, type LoadedScenario } from '../src/io/load-scenario.js';
import { loadTargets } from '../src/io/load-targets.js';

const BUNDLED = [
  'baseline',
  'announced',
  'ai-surge',
  'grid-decarbonization',
  'stalled-procurement',
];
const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).every((x, i) => Object.is(x, b[i]));

/** Every spec shape uncertain at once: points (linear and step), growth points, prev formula. */
function everyShape(): LoadedScenario {
  const loaded = loadScenario('baseline');
  const scenario = structuredClone(loaded.scenario);
  const u = (min: number, mode: number, max: number) => ({ dist: 'triangular', min, mode, max });
  scenario.constants = { ...scenario.constants, k: u(0.9, 1, 1.2) as never };
  Object.assign(scenario.parameters!, {
    otherElectricity: {
      points: { 2028: u(2.6e6, 2.8e6, 3e6), 2033: 3.1e6, 2040: u(3e6, 4e6, 5e6) },
    },
    leasedCleanShare: {
      points: { 2027: u(40, 50, 60), 2031: 80, 2036: u(90, 95, 100) },
      interpolation: 'step',
    },
    revenue: { growth: { points: { 2027: u(0.02, 0.05, 0.08), 2035: 0.03 } } },
    scope3OtherIntensity: { formula: 'prev * (1 - 0.05 * k) + (year > 2030 ? 0.1 : 0)' },
    gridFactor: { formula: 'base * pow(k, t / 10) - (t mod 3) * 1e-6' },
  });
  return { ...loaded, scenario };
}

async function cases() {
  const alibaba = loadOrganization(undefined);
  const health = loadOrganization('data/alibaba-health');
  const list: Array<[string, Awaited<ReturnType<typeof runLoaded>>, typeof alibaba]> = [];
  for (const name of BUNDLED)
    list.push([
      `Alibaba Group ${name}`,
      await runLoaded(loadScenario(name), alibaba, 2050),
      alibaba,
    ]);
  list.push(['every spec shape', await runLoaded(everyShape(), alibaba, 2045), alibaba]);
  list.push([
    'Alibaba Health baseline',
    await runLoaded(loadScenario('data/alibaba-health/scenarios/baseline.yaml'), health, 2040),
    health,
  ]);
  // a drawn base-year assumption: the data-centre share of electricity
  const drawn = loadScenario('baseline');
  drawn.scenario = structuredClone(drawn.scenario);
  drawn.scenario.assumptions = {
    selfBuiltDcElectricityShare: { dist: 'triangular', min: 0.6, mode: 0.708, max: 0.8 },
  };
  list.push(['drawn data-centre share', await runLoaded(drawn, alibaba, 2050), alibaba]);
  for (const f of ['two-grids', 'annual-100', 'market-only', 'dc-share']) {
    const org = loadOrganization(`test/fixtures/${f}`);
    const s = loadScenario(`test/fixtures/${f}/scenarios/baseline.yaml`);
    list.push([f, await runLoaded(s, org, 2040), org]);
  }
  return list;
}

describe('the compiled Monte Carlo path', () => {
  it('generated resolvers equal the reference bit for bit, for every organization', async () => {
    for (const [name, run] of await cases()) {
      const c = run.compiled;
      const inputs = resolveInputs(c, c.central, allocateInputs(c));
      const samples = new Float64Array(c.uncertain.length);
      const sampler = makeSampler(c.uncertain);
      for (let path = 0; path < 40; path++) {
        sampler.draw(samples, 9, path);
        resolveUncertain(c, samples, inputs, new Map());
        const ref = resolveInputs(c, samples, allocateInputs(c), 'clamp');
        ref.all.forEach((arr, j) =>
          expect(same(inputs.all[j]!, arr), `${name} input ${j}`).toBe(true),
        );
      }
    }
  });
  it('every spec shape is generated; the source holds no scenario text', async () => {
    const run = await runLoaded(everyShape(), loadOrganization(undefined), 2045);
    const { source, list } = uncertainOf(run.compiled);
    const kinds = new Set(list.map((b) => b.plan.kind));
    expect([...kinds].sort()).toEqual(['formula', 'growth', 'growthPoints', 'points']);
    expect(source).toMatch(KERNEL_ALPHABET);
    // fixed names only: the buffers, the tables, loop locals and the plan kinds in comments
    const allowed =
      'use strict for let const if i l lr v I K S F E fill growth growthPoints points formula';
    const words = [...new Set(source.match(/[A-Za-z_]\w*/g))];
    // b<k>: entry k's base-year value drawn with the data-centre share (share-bases.ts)
    const fixed = (w: string) => allowed.split(' ').includes(w) || /^b\d+$/.test(w);
    expect(words.filter((w) => !fixed(w))).toEqual([]);
  });
  it('a non-finite formula value on a path names the field and year', async () => {
    const loaded = loadScenario('baseline');
    const scenario = structuredClone(loaded.scenario);
    scenario.constants = {
      ...scenario.constants,
      d: { dist: 'uniform', min: 0.5, max: 1 } as never,
    };
    scenario.parameters!.gridFactor = { formula: 'base / d' };
    const run = await runLoaded({ ...loaded, scenario }, loadOrganization(undefined), 2035);
    const c = run.compiled;
    const inputs = allocateInputs(c);
    const zero = new Float64Array(c.uncertain.length).fill(0.5);
    zero[c.uncertain.findIndex((u) => u.path === 'constants.d')] = 0;
    expect(() => resolveUncertain(c, zero, inputs, new Map())).toThrow(
      /the formula gives Infinity in 2027/,
    );
    // the same from a Monte Carlo kernel that computes the formula itself
    const org = loadOrganization(undefined);
    const plan = buildPlan(run, org, loadTargets(org.folder));
    const grid = c.base.inputs.findIndex((d) => d.key.endsWith('.factor'));
    expect(plan.fused.map((f) => f.input)).toContain(grid);
    const buf = makeBuffers(plan);
    buf.samples.set(zero);
    expect(() => evaluatePath(plan, buf, new Uint8Array(9), new Uint8Array(9), new Map())).toThrow(
      /the formula gives Infinity in 2027/,
    );
  });
  it('the pruned kernel with fused inputs gives the full kernel’s values', async () => {
    for (const [name, run, org] of await cases()) {
      const plan = buildPlan(run, org, loadTargets(org.folder));
      const c = run.compiled;
      const full = kernelOf(c.base);
      expect(plan.kernel.equations.length, name).toBeLessThan(full.equations.length);
      const buf = makeBuffers(plan);
      plan.sampler.draw(buf.samples, 3, 17);
      evaluatePath(plan, buf, new Uint8Array(9), new Uint8Array(9), new Map());
      buf.simulate(); // the kernel alone again: the outputs before credits
      // the reference: every input resolved by the closures, then the whole kernel
      const inputs = resolveInputs(c, c.central, allocateInputs(c));
      resolveUncertain(c, buf.samples, inputs, new Map());
      const n = c.axis.endYear - c.axis.baseYear + 1;
      const ref = simulate(c.base, inputs, allocateOutputs(c.base, n));
      const read = new Set(plan.series.map((s) => s.key));
      for (const ch of plan.checkers) read.add(ch.key).add(ch.valueKey);
      for (const key of read)
        if (key in ref) expect(same(buf.out[key]!, ref[key]!), `${name} ${key}`).toBe(true);
    }
  });
  it('fuses the uncertain growth and formula paths that need no holding, only those', async () => {
    const org = loadOrganization(undefined);
    const run = await runLoaded(loadScenario('baseline'), org, 2050);
    const plan = buildPlan(run, org, loadTargets(org.folder));
    const b = run.compiled.base;
    const names = [...b.inputs.map((d) => d.key), ...b.fuels.map((f) => `fuel:${f.id}`)].concat(
      b.programmes.map((p) => `programme:${p.id}`),
    );
    const fused = plan.fused.map((f) => `${names[f.input]} ${f.plan.kind}`);
    // baseline.yaml: growth rates with a distribution (revenue, grid, heat, scope 1 remainder,
    // scope 3 intensity, fuels, programmes) and PUE, clean-share and residual-mix trends written
    // as formulas proven within bounds; the IT loads' growth points stay in the resolver, as does
    // LPG (no uncertainty), and so do the other operations' electricity and clean share, whose
    // base-year values depend on the drawn data-centre share (held within bounds on each path)
    const [dc, leased] = b.segments.filter((s) => s.driver === 'itLoadPue').map((s) => s.id);
    const grid = b.grids[0]!.id;
    expect(fused).toEqual([
      'revenue growth',
      `segments.${dc}.pue formula`,
      `segments.${dc}.cleanShare formula`,
      `segments.${leased}.pue formula`,
      `grids.${grid}.factor growth`,
      `grids.${grid}.residualMixRatio formula`,
      'purchasedHeat growth',
      'scope1Remainder growth',
      'scope3.other.intensity growth',
      ...['naturalGas', 'diesel', 'gasoline'].map((f) => `fuel:${f} growth`),
      ...b.programmes.map((p) => `programme:${p.id} growth`),
    ]);
    const uncertain = uncertainOf(run.compiled).list;
    expect(uncertain.filter((u) => !plan.fused.some((f) => f.input === u.index)).length).toBe(4);
    expect(plan.kernel.source).toMatch(/if \(i > 0\) \{\n {4}g0 \*= g0r;/);
    // a fused input's years are not read from I; the source keeps to the kernel's alphabet
    expect(plan.kernel.source).not.toMatch(/I\[a0 \+ i\]/);
    expect(plan.kernel.source).toMatch(KERNEL_ALPHABET);
  });
  it('a path run into a batch row holds runPath’s fan values where rowLayout says', async () => {
    for (const [name, run, org] of await cases()) {
      const plan = buildPlan(run, org, loadTargets(org.folder));
      const layout = rowLayout(plan);
      const rows = new Float64Array(2 * layout.length);
      const first = makeBuffers(plan, rows.subarray(0, layout.length));
      const second = makeBuffers(plan, rows.subarray(layout.length), first);
      const ref = makeBuffers(plan);
      const T = plan.checkers.length;
      const [met, mg, refMet, refMg] = [0, 1, 2, 3].map(() => new Uint8Array(T));
      for (const [p, buf, at] of [
        [5, first, 0],
        [6, second, layout.length],
      ] as const) {
        plan.sampler.draw(first.samples, 3, p);
        evaluatePath(plan, buf, met!, mg!, new Map());
        runPath(plan, ref, 3, p, refMet!, refMg!, new Map());
        const got = Array.from(layout.pos, (q) => rows[at + q]!);
        expect(same(got, ref.values), `${name} path ${p}`).toBe(true);
        expect(Array.from(met!), name).toEqual(Array.from(refMet!));
      }
    }
  });
});
