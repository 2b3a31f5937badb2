import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectScenarios } from '../src/app/project.js';
import { compileScenario, runCompiled } from '../src/core/engine.js';
import { loadOrganization } from '../src/io/load-organization.js';

const { runs } = await projectScenarios([], { to: 2060 });

describe('invariants over every bundled scenario, FY2027–FY2060', () => {
  for (const run of runs) {
    it(`${run.loaded.name}: physical bounds and identities hold every year`, () => {
      const o = run.outputs;
      for (let i = 0; i < o.revenue.length; i++) {
        for (const k of [
          'scope1',
          'scope2Location',
          'scope2Market',
          'scope3',
          'electricity',
          'revenue',
          'avoided',
        ] as const) {
          expect(o[k][i], `${k} ${i}`).toBeGreaterThanOrEqual(0);
        }
        for (const k of [
          'cleanShare',
          'segment.selfBuiltDc.cleanShare',
          'segment.other.cleanShare',
          'segment.leasedDc.cleanShare',
        ]) {
          expect(o[k]![i]).toBeGreaterThanOrEqual(0);
          expect(o[k]![i]).toBeLessThanOrEqual(100 + 1e-9);
        }
        expect(o['segment.selfBuiltDc.pue']![i]).toBeGreaterThanOrEqual(1);
        expect(o.electricity[i]).toBeCloseTo(
          o['segment.selfBuiltDc.electricity']![i]! + o['segment.other.electricity']![i]!,
          3,
        );
        expect(o.scope12[i]).toBeCloseTo(o.scope1[i]! + o.scope2Market[i]!, 3);
        expect(o.scope12Net[i]).toBeCloseTo(o.scope12[i]! - o.offsets12[i]!, 3);
        if (i > 0)
          expect(o.avoidedCumulative[i]).toBeGreaterThanOrEqual(o.avoidedCumulative[i - 1]!);
        // group clean share is the electricity-weighted mean of the segments
        const weighted =
          (o['segment.selfBuiltDc.electricity']![i]! * o['segment.selfBuiltDc.cleanShare']![i]! +
            o['segment.other.electricity']![i]! * o['segment.other.cleanShare']![i]!) /
          o.electricity[i]!;
        expect(o.cleanShare[i]).toBeCloseTo(weighted, 9);
      }
    });
  }
  it('rows are ordered actual then projected, with no year twice per variable', () => {
    for (const run of runs) {
      const seen = new Set<string>();
      for (const r of run.rows) {
        const key = `${r.variable}|${r.year}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
  });
});

describe('properties of the engine', () => {
  const org = loadOrganization(undefined);
  it(
    'more clean electricity never raises market-based ' +
      'scope 2, and never changes location-based',
    () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 100, noNaN: true }),
          fc.double({ min: 0, max: 100, noNaN: true }),
          (a, b) => {
            const [lo, hi] = a < b ? [a, b] : [b, a];
            const run = (share: number) =>
              runCompiled(
                compileScenario(
                  'p',
                  { parameters: { selfBuiltCleanShare: share } },
                  org.organization,
                  org.inventory,
                  2030,
                  undefined,
                ),
              ).outputs;
            const x = run(lo);
            const y = run(hi);
            expect(y.scope2Market[4]!).toBeLessThanOrEqual(x.scope2Market[4]! + 1e-6);
            expect(y.scope2Location[4]).toBeCloseTo(x.scope2Location[4]!, 6);
          },
        ),
        { numRuns: 25 },
      );
    },
  );
  it('a scenario that sets nothing reproduces the base year in every year (except credits)', () => {
    const o = runCompiled(
      compileScenario('frozen', {}, org.organization, org.inventory, 2035, undefined),
    ).outputs;
    for (let i = 1; i < o.revenue.length; i++) {
      expect(o.scope1[i]).toBeCloseTo(o.scope1[0]!, 6);
      expect(o.scope2Market[i]).toBeCloseTo(o.scope2Market[0]!, 6);
      expect(o.scope3[i]).toBeCloseTo(o.scope3[0]!, 6);
      expect(o.offsets12[i]).toBe(0);
      expect(o.avoidedCumulative[i]! - o.avoidedCumulative[i - 1]!).toBeCloseTo(o.avoided[0]!, 3);
    }
  });
});
