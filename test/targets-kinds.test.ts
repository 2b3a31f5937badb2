import { describe, expect, it } from 'vitest';
import { recalculateBase } from '../src/core/recalculation.js';
import { sbtiPathways } from '../src/core/sbti.js';
import { evaluateTarget, TargetError, type SeriesSet } from '../src/core/targets.js';
import type { Target } from '../src/schema/targets.js';

/** Series y → f(y) for 2020–2035 with actuals to 2025. */
function seriesSet(
  vars: Record<string, (y: number) => number>,
  units: Record<string, string> = {},
): SeriesSet {
  const values = new Map<string, Map<number, number>>();
  for (const [name, f] of Object.entries(vars)) {
    const m = new Map<number, number>();
    for (let y = 2020; y <= 2035; y++) m.set(y, f(y));
    values.set(name, m);
  }
  return {
    values: (v) => values.get(v),
    unit: (v) => units[v] ?? 't CO2e',
    lastActualYear: 2025,
    lastYear: 2035,
  };
}
const common = { title: 't', wording: 'w', source: 'x.txt:1' };

describe('absolute: cap or % reduction vs base', () => {
  // E(y) = 1000 − 40 (y − 2020): 800 in 2025, 600 in 2030
  const s = seriesSet({ E: (y) => 1000 - 40 * (y - 2020) });
  it('a 50% reduction vs 2020 by 2030 needs 500: off track by 100', () => {
    const r = evaluateTarget(
      {
        ...common,
        id: 'a',
        kind: 'absolute',
        metric: 'E',
        baseYear: 2020,
        reduction: 0.5,
        deadline: 2030,
      },
      s,
    );
    expect(r.targetValue).toBe(500);
    expect(r.projectedValue).toBe(600);
    expect(r.gap).toBe(100);
    expect(r.gapTonnes).toBe(100);
    expect(r.status).toBe('off-track');
    expect(r.firstMetYear).toBe(2033); // 1000 − 40·13 = 480 ≤ 500
    expect(r.requiredAnnualChange).toBe((500 - 800) / 5);
    expect(r.scenarioAnnualChange).toBe(-40);
    expect(r.progress).toBeCloseTo((1000 - 800) / (1000 - 500), 12);
    expect(r.pathway[0]).toEqual({ year: 2025, required: 800 });
    expect(r.pathway.at(-1)).toEqual({ year: 2030, required: 500 });
  });
  it('a 30% reduction is on track (700 needed, 600 projected, margin 100)', () => {
    const r = evaluateTarget(
      {
        ...common,
        id: 'a',
        kind: 'absolute',
        metric: 'E',
        baseYear: 2020,
        reduction: 0.3,
        deadline: 2030,
      },
      s,
    );
    expect(r.status).toBe('on-track');
    expect(r.gap).toBe(-100);
  });
  it('a cap already respected now and at the deadline is met', () => {
    const r = evaluateTarget(
      { ...common, id: 'a', kind: 'absolute', metric: 'E', cap: 900, deadline: 2030 },
      s,
    );
    expect(r.status).toBe('met');
    expect(r.targetValue).toBe(900);
  });
  it('a deadline in the past is judged on the actuals', () => {
    expect(
      evaluateTarget(
        { ...common, id: 'a', kind: 'absolute', metric: 'E', cap: 850, deadline: 2024 },
        s,
      ).status,
    ).toBe('met');
    expect(
      evaluateTarget(
        { ...common, id: 'a', kind: 'absolute', metric: 'E', cap: 700, deadline: 2024 },
        s,
      ).status,
    ).toBe('off-track');
  });
});

describe('intensity: reduction vs a base value given in the file', () => {
  const s = seriesSet(
    { I: (y) => 10 * 0.95 ** (y - 2020), R: () => 2000 },
    { I: 't CO2e/M CNY', R: 'M CNY' },
  );
  it('needs 5.0 in 2030; 10·0.95^10 = 5.987 is short by 0.987, i.e. 0.987 × revenue tonnes', () => {
    const t: Target = {
      ...common,
      id: 'i',
      kind: 'intensity',
      metric: 'I',
      baseYear: 2019,
      baseValue: { value: 10, provenance: 'derived', source: 's' },
      reduction: 0.5,
      deadline: 2030,
      tonnesPer: 'R',
    };
    const r = evaluateTarget(t, s);
    expect(r.targetValue).toBe(5);
    expect(r.projectedValue).toBeCloseTo(10 * 0.95 ** 10, 12);
    expect(r.gap).toBeCloseTo(10 * 0.95 ** 10 - 5, 12);
    expect(r.gapTonnes).toBeCloseTo((10 * 0.95 ** 10 - 5) * 2000, 8);
    expect(r.status).toBe('off-track');
    expect(r.firstMetYear).toBe(2034); // 0.95^14 = 0.488
  });
  it('without baseValue and no data in the base year it says what to add', () => {
    expect(() =>
      evaluateTarget(
        {
          ...common,
          id: 'i',
          kind: 'intensity',
          metric: 'I',
          baseYear: 2010,
          reduction: 0.5,
          deadline: 2030,
        },
        s,
      ),
    ).toThrow(TargetError);
  });
});

describe('net zero, with and without credits', () => {
  const s = seriesSet({
    G: (y) => (y <= 2025 ? 1000 : 1000 - 100 * (y - 2025)),
    N: (y) => (y >= 2030 ? 0 : 1000 - 50 * (y - 2020)),
  });
  it('net 0 from credits is on track; the same test on gross is off track by the gross', () => {
    const r = evaluateTarget(
      { ...common, id: 'n', kind: 'net-zero', metric: 'N', gross: 'G', deadline: 2030 },
      s,
    );
    expect(r.status).toBe('on-track');
    expect(r.projectedValue).toBe(0);
    expect(r.withoutCredits).toEqual({ projectedValue: 500, gap: 500, status: 'off-track' });
    expect(r.firstMetYear).toBe(2030);
    expect(r.progress).toBeCloseTo((1000 - 750) / 1000, 12);
  });
});

describe('share ≥ X from a year on', () => {
  const s = seriesSet({ S: (y) => Math.min(100, 60 + 8 * (y - 2025)) }, { S: '%' });
  it('100% from 2030: 60 + 8·5 = 100 exactly in 2030 and after → on track', () => {
    const r = evaluateTarget(
      { ...common, id: 's', kind: 'share', metric: 'S', threshold: 100, fromYear: 2030 },
      s,
    );
    expect(r.status).toBe('on-track');
    expect(r.firstMetYear).toBe(2030);
    expect(r.requiredAnnualChange).toBe(8);
    expect(r.progress).toBe(0.6);
    expect(r.pathway.at(-1)).toEqual({ year: 2035, required: 100 });
  });
  it('100% from 2029 is off track (92 in 2029)', () => {
    const r = evaluateTarget(
      { ...common, id: 's', kind: 'share', metric: 'S', threshold: 100, fromYear: 2029 },
      s,
    );
    expect(r.status).toBe('off-track');
    expect(r.gap).toBe(8);
  });
  it('a share that reaches the threshold then falls back is off track', () => {
    const dip = seriesSet({ S: (y) => (y === 2033 ? 95 : 100) }, { S: '%' });
    expect(
      evaluateTarget(
        { ...common, id: 's', kind: 'share', metric: 'S', threshold: 100, fromYear: 2030 },
        dip,
      ).status,
    ).toBe('off-track');
  });
});

describe('threshold every year', () => {
  it('≤ 1.3 every year: met; the projected value is the worst projected year', () => {
    const s = seriesSet({ P: (y) => 1.25 - 0.005 * (y - 2020) }, { P: '1' });
    const r = evaluateTarget({ ...common, id: 'p', kind: 'threshold', metric: 'P', max: 1.3 }, s);
    expect(r.status).toBe('met');
    expect(r.projectedValue).toBeCloseTo(1.25 - 0.005 * 6, 12);
    expect(r.deadline).toBe(2035);
  });
  it('breaking the threshold in a projected year is off track; only in the past, on track', () => {
    const up = seriesSet({ P: (y) => 1.2 + 0.02 * (y - 2025) }, { P: '1' });
    expect(
      evaluateTarget({ ...common, id: 'p', kind: 'threshold', metric: 'P', max: 1.3 }, up).status,
    ).toBe('off-track');
    const past = seriesSet({ P: (y) => (y <= 2025 ? 1.35 : 1.2) }, { P: '1' });
    expect(
      evaluateTarget({ ...common, id: 'p', kind: 'threshold', metric: 'P', max: 1.3 }, past).status,
    ).toBe('on-track');
    expect(
      evaluateTarget({ ...common, id: 'p', kind: 'threshold', metric: 'P', min: 1.3 }, past).status,
    ).toBe('off-track');
  });
});

describe('cumulative over a window', () => {
  const s = seriesSet({ A: () => 100 });
  it('Σ 2022..2030 of 100/yr = 900: a threshold of 900 is on track, 901 off track', () => {
    const t = {
      ...common,
      id: 'c',
      kind: 'cumulative' as const,
      metric: 'A',
      windowStart: 2022,
      deadline: 2030,
    };
    const r = evaluateTarget({ ...t, threshold: 900 }, s);
    expect(r.projectedValue).toBe(900);
    expect(r.latestValue).toBe(400);
    expect(r.progress).toBeCloseTo(400 / 900, 12);
    expect(r.requiredAnnualChange).toBe(100);
    expect(r.status).toBe('on-track');
    expect(r.firstMetYear).toBe(2030);
    expect(evaluateTarget({ ...t, threshold: 901 }, s).status).toBe('off-track');
  });
  it('a window that starts before the data counts the missing years as 0 and says so', () => {
    const t = { ...common, id: 'c', kind: 'cumulative' as const, metric: 'A', deadline: 2030 };
    // the series starts in 2020: from 2018, 2018–2019 are missing; from 2020, nothing is
    const early = evaluateTarget({ ...t, windowStart: 2018, threshold: 1100 }, s);
    expect(early.projectedValue).toBe(1100); // Σ 2020..2030 = 11 × 100
    expect(early.windowStart).toBe(2018);
    expect(early.note).toBe(
      'The window starts in 2018 but the data start in 2020: 2018–2019 counted as 0, so the ' +
        'cumulative values are a lower bound.',
    );
    const onTime = evaluateTarget({ ...t, windowStart: 2020, threshold: 1100 }, s);
    expect(onTime.projectedValue).toBe(1100);
    expect(onTime.note).toBeUndefined();
  });
  it('a threshold already passed is met', () => {
    const r = evaluateTarget(
      {
        ...common,
        id: 'c',
        kind: 'cumulative',
        metric: 'A',
        windowStart: 2022,
        deadline: 2030,
        threshold: 300,
      },
      s,
    );
    expect(r.status).toBe('met');
  });
  it('a deadline past the projection asks for a longer run', () => {
    const call = () =>
      evaluateTarget(
        {
          ...common,
          id: 'c',
          kind: 'cumulative',
          metric: 'A',
          windowStart: 2022,
          deadline: 2040,
          threshold: 1,
        },
        s,
      );
    expect(call).toThrow(/the projection ends in 2035, before the target year 2040/);
    try {
      call();
    } catch (e) {
      expect((e as TargetError).fix).toMatch(/--to 2040/);
    }
  });
});

describe('SBTi absolute contraction', () => {
  it(
    'benchmark(y) = base × (1 − r·(y − base year)); ' + '1.5 °C from 1000 in 2020 → 580 in 2030',
    () => {
      const s = seriesSet({ G: (y) => 1000 - 30 * (y - 2020) });
      const { rows, summary } = sbtiPathways(
        {
          baseYear: 2020,
          targetYear: 2030,
          scopes: [{ id: 's12', metric: 'G' }],
          benchmarks: [
            { id: '1.5C', annualReduction: 0.042, source: 's' },
            { id: 'wb2c', annualReduction: 0.025, source: 's' },
          ],
        },
        s,
      );
      const s15 = summary.find((x) => x.benchmark === '1.5C')!;
      expect(s15.benchmarkValue).toBeCloseTo(580, 9);
      expect(s15.projectedValue).toBe(700);
      expect(s15.aligned).toBe(false);
      expect(summary.find((x) => x.benchmark === 'wb2c')!.benchmarkValue).toBeCloseTo(750, 9);
      expect(summary.find((x) => x.benchmark === 'wb2c')!.aligned).toBe(true);
      expect(rows.filter((r) => r.benchmark === '1.5C')).toHaveLength(16);
    },
  );
});

describe('base-year recalculation (the Sun Art / Intime restatement)', () => {
  const rows = recalculateBase({
    baseYear: 2024,
    significance: 0.05,
    originalSource: 's',
    original: { S1: 718491, S3: 7865726, Total: 12316292, Revenue: 940877 },
    changes: [
      {
        id: 'sun-art-intime',
        kind: 'divestiture',
        description: 'd',
        year: 2025,
        source: 's',
        delta: { S1: -319823, S3: -98478, Total: -2025583, Revenue: -71763 },
      },
      // the FY2025 logistics acquisition (004:4052): listed, its base-year emissions not reported
      {
        id: 'logistics',
        kind: 'acquisition',
        description: 'd',
        year: 2025,
        source: 's',
        delta: {},
      },
    ],
    ratios: { S3PerRevenue: { numerator: 'S3', denominator: 'Revenue' } },
  });
  const row = (m: string) => rows.find((r) => r.metric === m)!;
  it('the total falls 16.4%: above 5%, so the base year must be recalculated', () => {
    expect(row('Total').recalculated).toBe(10290709);
    expect(row('Total').relativeChange).toBeCloseTo(-2025583 / 12316292, 12);
    expect(row('Total').significant).toBe(true);
  });
  it('a change listed without figures adds nothing and is named as left out', () => {
    expect(row('Total').contributions).toEqual({ 'sun-art-intime': -2025583 });
    expect(row('Total').unquantified).toEqual(['logistics']);
    expect(row('S3PerRevenue').unquantified).toEqual(['logistics']);
  });
  it('significance is judged on the cumulative change of every listed change', () => {
    const two = recalculateBase({
      baseYear: 2024,
      significance: 0.05,
      originalSource: 's',
      original: { T: 100 },
      changes: [
        {
          id: 'a',
          kind: 'acquisition',
          description: 'd',
          year: 2025,
          source: 's',
          delta: { T: 3 },
        },
        {
          id: 'b',
          kind: 'acquisition',
          description: 'd',
          year: 2026,
          source: 's',
          delta: { T: 3 },
        },
      ],
    });
    // 3% and 3%: each below 5%, together 6%
    expect(two[0]!.relativeChange).toBeCloseTo(0.06, 12);
    expect(two[0]!.significant).toBe(true);
  });
  it('scope 3 alone moves 1.25%: below the threshold', () => {
    expect(row('S3').relativeChange).toBeCloseTo(-0.01252, 5);
    expect(row('S3').significant).toBe(false);
  });
  it('but scope 3 per revenue rises 6.9% because revenue falls more', () => {
    expect(row('S3PerRevenue').original).toBeCloseTo(7865726 / 940877, 12);
    expect(row('S3PerRevenue').recalculated).toBeCloseTo(7767248 / 869114, 12);
    expect(row('S3PerRevenue').relativeChange).toBeCloseTo(0.069017, 5);
    expect(row('S3PerRevenue').significant).toBe(true);
  });
});
