/**
 * The self-built data-centre share of purchased electricity drawn in Monte Carlo (issue #13 item
 * 3): each path's base year is the one calibration gives for its draw (calibrate.ts splitExprs,
 * engine.ts derivedBases), so every path reproduces the reported base-year totals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLoaded } from '../src/app/project.js';
import { calibrate, V } from '../src/core/calibrate.js';
import {
  allocateInputs,
  resolveInputs,
  resolveUncertain,
  type CompiledScenario,
} from '../src/core/engine.js';
import { allocateOutputs, simulate } from '../src/core/model.js';
import { makeSampler } from '../src/core/uncertainty.js';
import { loadOrganization, type LoadedOrganization } from '../src/io/load-organization.js';
import { loadScenario, type LoadedScenario } from '../src/io/load-scenario.js';
import { cli, tempDir, writeFile } from './helpers.js';

const FIXTURE = 'test/fixtures/dc-share';
const SHARE = 'selfBuiltDcElectricityShare';
const drawn = { dist: 'triangular', min: 0.6, mode: 0.708, max: 0.8, id: 'dcElectricityShare' };

/** baseline with the share drawn (as scenarios/baseline.yaml may or may not already do). */
function withDrawnShare(): LoadedScenario {
  const loaded = loadScenario('baseline');
  const scenario = structuredClone(loaded.scenario);
  scenario.assumptions = { ...scenario.assumptions, [SHARE]: drawn as never };
  return { ...loaded, scenario };
}

const slotOf = (c: CompiledScenario) =>
  c.uncertain.findIndex((u) => u.path === `assumptions.${SHARE}`);

/** Each path's inputs (closures) and outputs, with the share it drew. */
function* paths(c: CompiledScenario, count: number) {
  const sampler = makeSampler(c.uncertain);
  const samples = new Float64Array(c.uncertain.length);
  const n = c.axis.endYear - c.axis.baseYear + 1;
  for (let p = 0; p < count; p++) {
    sampler.draw(samples, 5, p);
    const inputs = resolveInputs(c, samples, allocateInputs(c), 'clamp');
    const outputs = simulate(c.base, inputs, allocateOutputs(c.base, n));
    yield { s: samples[slotOf(c)]!, samples: Float64Array.from(samples), inputs, outputs };
  }
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('the data-centre share of electricity, drawn', () => {
  it('each path reproduces the reported base year, with s × electricity in the DCs', async () => {
    const org = loadOrganization(undefined);
    const run = await runLoaded(withDrawnShare(), org, 2035);
    const c = run.compiled;
    expect(slotOf(c)).toBe(c.uncertain.length - 1); // after the parameters: their draws unchanged
    const y = c.base.baseYear;
    const reported = (v: string) => org.inventory.value(v, y)!;
    const seen: number[] = [];
    for (const { s, outputs: o } of paths(c, 60)) {
      seen.push(s);
      expect(rel(o.electricity![0]!, reported(V.electricity))).toBeLessThan(1e-9);
      expect(rel(o.cleanShare![0]!, reported(V.cleanShare))).toBeLessThan(1e-9);
      expect(rel(o.scope2Location![0]!, reported(V.scope2Location))).toBeLessThan(1e-9);
      expect(rel(o.scope2Market![0]!, reported(V.scope2Market))).toBeLessThan(1e-9);
      const dc = o['segment.selfBuiltDc.electricity']![0]!;
      expect(rel(dc, s * reported(V.electricity))).toBeLessThan(1e-12);
    }
    expect(Math.min(...seen)).toBeLessThan(0.65);
    expect(Math.max(...seen)).toBeGreaterThan(0.75);
  });

  it('each base-year input of a path is what calibration gives for its draw', async () => {
    const org = loadOrganization(undefined);
    const run = await runLoaded(withDrawnShare(), org, 2035);
    const c = run.compiled;
    const keys = c.base.inputs.map((d) => d.key);
    const moved = new Set<string>();
    for (const { s, samples, inputs } of paths(c, 8)) {
      const at = calibrate(org.organization, org.inventory, { [SHARE]: s });
      keys.forEach((k) => {
        expect(Object.is(inputs.params[k]![0], at.values[k]), `${k} at ${s}`).toBe(true);
        if (at.values[k] !== c.base.values[k]) moved.add(k);
      });
      // the generated resolvers (a Monte Carlo path) give the same
      const fast = resolveInputs(c, c.central, allocateInputs(c));
      resolveUncertain(c, samples, fast, new Map());
      keys.forEach((k) => expect(Object.is(fast.params[k]![0], at.values[k]), k).toBe(true));
    }
    expect([...moved].sort()).toEqual([
      'segments.other.cleanShare',
      'segments.other.electricity',
      'segments.selfBuiltDc.itLoad',
    ]);
  });

  it('the deterministic run is the mode’s, as with the share written as a number', async () => {
    const org = loadOrganization(undefined);
    const drawnRun = await runLoaded(withDrawnShare(), org, 2035);
    const loaded = withDrawnShare();
    loaded.scenario.assumptions = { [SHARE]: 0.708 };
    const plain = await runLoaded(loaded, org, 2035);
    for (const [k, v] of Object.entries(plain.outputs))
      expect(Array.from(drawnRun.outputs[k]!), k).toEqual(Array.from(v));
  });
});

describe('per reporting basis', () => {
  it('each basis draws its own range; a misspelt basis: exit 2, file, line, field', async () => {
    const loaded = withDrawnShare();
    loaded.scenario.assumptions = {
      [SHARE]: {
        'restated-2026': drawn,
        'original-2024': { dist: 'triangular', min: 0.3709, mode: 0.4377, max: 0.4451 },
      } as never,
    };
    const orig = loadOrganization(undefined, 'original-2024');
    const c = (await runLoaded(loaded, orig, 2035)).compiled;
    const u = c.uncertain[slotOf(c)]!;
    expect([u.dist.dist, u.central]).toEqual(['triangular', 0.4377]);
    const dir = tempDir();
    const file = writeFile(
      dir,
      'typo.yaml',
      `name: typo\nextends: baseline\nassumptions:\n  ${SHARE}:\n    restated-2025: 0.7\n`,
    );
    const r = cli(['run', file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:5 at assumptions.${SHARE}.restated-2025`);
    expect(r.stderr).toContain("declares no basis 'restated-2025'");
  });
});

describe('closed form on a fixture (test/fixtures/dc-share)', () => {
  const fixture = (): LoadedOrganization => loadOrganization(FIXTURE);
  const scenario = () => loadScenario(join(FIXTURE, 'scenarios', 'baseline.yaml'));

  it('the share at its min and max gives the segment values of the closed form', async () => {
    const org = fixture();
    const c = (await runLoaded(scenario(), org, 2030)).compiled;
    const samples = Float64Array.from(c.central);
    const cases: Array<[number, number, number, number, number]> = [
      // share, DC electricity, IT load, other electricity, other clean share
      [0.6, 600_000, 480_000, 400_000, 35],
      [0.7, 700_000, 560_000, 300_000, (50e6 - 42e6) / 3e5],
      [0.8, 800_000, 640_000, 200_000, 10],
    ];
    const n = c.axis.endYear - c.axis.baseYear + 1;
    for (const [s, dc, it, other, otherClean] of cases) {
      samples[slotOf(c)] = s;
      const inputs = resolveInputs(c, samples, allocateInputs(c), 'clamp');
      const o = simulate(c.base, inputs, allocateOutputs(c.base, n));
      const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);
      close(o['segment.selfBuiltDc.electricity']![0]!, dc);
      close(inputs.params['segments.selfBuiltDc.itLoad']![0]!, it);
      close(o['segment.other.electricity']![0]!, other);
      close(o['segment.other.cleanShare']![0]!, otherClean);
      close(o.cleanShare![0]!, 50);
      close(o.scope2Location![0]!, 500_000);
      close(o.scope2Market![0]!, 255_000);
      // later years follow the path's own base: IT load +15%/yr, other clean +5 pp/yr
      close(inputs.params['segments.selfBuiltDc.itLoad']![1]!, it * 1.15);
      close(o['segment.other.cleanShare']![1]!, otherClean + 5);
    }
  });

  it('a range calibration cannot meet, or outside 0–1: exit 2 naming file, line, field', () => {
    const dir = tempDir();
    const bad = {
      'above-one': ['{ dist: triangular, min: 0.6, mode: 0.7, max: 1.2 }', /can go above 1/],
      'min-above-max': ['{ dist: uniform, min: 0.8, max: 0.6 }', /\.max: min must not exceed max/],
      infeasible: [
        '{ dist: triangular, min: 0.6, mode: 0.7, max: 0.9 }',
        /at 0\.9 the calibration fails: .*'other' would need a clean share of -40\.0%/,
      ],
    } as const;
    for (const [name, [dist, message]] of Object.entries(bad)) {
      const file = writeFile(
        dir,
        `${name}.yaml`,
        `name: ${name}\nextends: baseline\nassumptions:\n  ${SHARE}: ${dist}\n`,
      );
      const r = cli(['simulate', '--data', FIXTURE, file, '--samples', '50', '--seed', '1']);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain(`${file}:4 at assumptions.${SHARE}`);
      expect(r.stderr).toMatch(message);
    }
  });

  it('the same seed gives byte-identical files', () => {
    const [a, b] = [tempDir(), tempDir()];
    for (const out of [a, b])
      expect(
        cli(['simulate', '--data', FIXTURE, '--samples', '2000', '--seed', '7', '--out', out]).code,
      ).toBe(0);
    for (const f of ['fan.csv', 'target-probabilities.csv', 'sensitivity.csv'])
      expect(readFileSync(join(a, f), 'utf8'), f).toBe(readFileSync(join(b, f), 'utf8'));
    expect(readFileSync(join(a, 'sensitivity.csv'), 'utf8')).toContain('dcShare');
  });
});
