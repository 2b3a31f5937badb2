/**
 * `carbonpath backtest`: calibrated on the actuals up to FY2024, its trends re-fitted on the
 * reported years up to then, compared with the FY2025–FY2026 actuals (issue #13, item 1).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  coverageOf,
  refitScenario,
  runBacktest,
  trendOf,
} from '../src/app/backtest.js';
import { backtestMarkdown } from '../src/cli/commands/backtest.js';
import { escapeMarkdown } from '../src/report/escape.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { loadScenario } from '../src/io/load-scenario.js';
import { cli, readCsv, tempDir, type Row } from './helpers.js';

describe('trendOf (closed forms)', () => {
  it('compound growth: CAGR first to last, the range from the single steps', () => {
    const t = trendOf(
      [
        [2020, 100],
        [2021, 110],
        [2023, 133.1],
      ],
      'growth',
    );
    expect(t.central).toBeCloseTo(0.1, 12);
    expect(t.min).toBeCloseTo(0.1, 12);
    expect(t.max).toBeCloseTo(0.1, 12);
    const u = trendOf(
      [
        [2022, 100],
        [2023, 120],
        [2024, 108],
      ],
      'growth',
    );
    expect(u.central).toBeCloseTo(Math.sqrt(1.08) - 1, 12);
    expect(u.min).toBeCloseTo(-0.1, 12);
    expect(u.max).toBeCloseTo(0.2, 12);
  });
  it('a straight line: change per year', () => {
    const t = trendOf(
      [
        [2022, 1.247],
        [2023, 1.215],
        [2024, 1.2],
      ],
      'slope',
    );
    expect(t.central).toBeCloseTo(-0.0235, 12);
    expect(t.min).toBeCloseTo(-0.032, 12);
    expect(t.max).toBeCloseTo(-0.015, 12);
  });
});

describe('binomialCdf', () => {
  it('matches hand computations', () => {
    expect(binomialCdf(1, 2, 0.9)).toBeCloseTo(1 - 0.81, 12);
    expect(binomialCdf(0, 2, 0.9)).toBeCloseTo(0.01, 12);
    expect(binomialCdf(2, 2, 0.9)).toBeCloseTo(1, 12);
    // 3 of 3 is certain, 2 of 3: 1 − 0.9³
    expect(binomialCdf(2, 3, 0.9)).toBeCloseTo(1 - 0.729, 12);
  });
});

describe('refitScenario', () => {
  const org = loadOrganization(undefined, undefined, { asOf: 2024 });
  const baseline = loadScenario('baseline').scenario;
  const { scenario, refits } = refitScenario(baseline, org, 2024);
  it('replaces revenue growth with the FY2022–FY2024 trend, as a triangular over the steps', () => {
    const g = (869114 / 765001) ** 0.5 - 1;
    expect(scenario.parameters!.revenue).toMatchObject({
      growth: { dist: 'triangular', mode: g, min: 784788 / 765001 - 1, max: 869114 / 784788 - 1 },
    });
    // the file's own reason is kept; the loaded scenario is not changed
    expect(baseline.parameters!.revenue).toMatchObject({ growth: { mode: 0.0754 } });
  });
  it('keeps the later, assumed points of a growth path and starts from the observed trend', () => {
    const path = scenario.parameters!.selfBuiltItLoad as { growth: { points: object } };
    expect(Object.keys(path.growth.points)).toEqual(['2025', '2030', '2035']);
  });
  it('says why a trend with one reported year is kept as written', () => {
    const leased = refits.find((r) => r.field === 'constants.pueTrendLeased')!;
    expect(leased.trend).toBeUndefined();
    expect(leased.reason).toMatch(/1 reported year/);
    expect(scenario.constants!.pueTrendLeased).toEqual(baseline.constants!.pueTrendLeased);
  });
  it('scope 1 remainder: the file keeps its central (held), the range is re-read up to T', () => {
    // scope 1 less the fuels times their NDRC factors (004:4030, 4067-4070)
    const rest = (s1: number, gas: number, diesel: number, petrol: number, lpg: number) =>
      s1 - gas * 2.1622 - diesel * 3.0959 - petrol * 2.9251 - lpg * 3.1013;
    const r22 = rest(510369, 6072, 126673, 190, 2.4);
    const r23 = rest(540575, 6490, 130180, 261, 2.1);
    const r24 = rest(398668, 10377, 67954, 283, 1.7);
    const fit = refits.find((r) => r.field === 'parameters.scope1Remainder.growth')!;
    expect(fit.years).toEqual([2022, 2023, 2024]);
    expect(fit.trend!.central).toBe(0);
    // both single steps rose (+17.5%, +34.4%): the range runs from the held mode to the fastest
    expect(fit.trend!.min).toBe(0);
    expect(fit.trend!.max).toBeCloseTo(Math.max(r23 / r22, r24 / r23) - 1, 12);
    expect(fit.trend!.max).toBeCloseTo(0.3444, 4);
    expect(fit.reason).toMatch(/central kept from the file/);
  });
  it('leaves fields the scenario does not have alone', () => {
    const bare = { name: 'bare', parameters: { revenue: { growth: 0.05 } } };
    const r = refitScenario(bare, org, 2024);
    expect(r.refits.map((x) => x.field)).toEqual(['parameters.revenue.growth']);
    expect(Object.keys(r.scenario.parameters!)).toEqual(['revenue']);
  });
});

describe('carbonpath backtest --as-of 2024', () => {
  const out = join(tempDir(), 'bt');
  const r = cli(['backtest', '--as-of', '2024', '--samples', '300', '--out', out]);
  const rows = () => readCsv(join(out, 'backtest.csv'));
  const row = (variable: string, year: number) =>
    rows().find((x) => x.variable === variable && Number(x.year) === year)!;

  it('prints the error table and the band coverage', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/calibrated on the actuals up to FY2024/);
    expect(r.stdout).toMatch(/Electricity\|Purchased\s+2026\s+9,310,297/);
    expect(r.stdout).toMatch(/band coverage: \d+ of \d+ actuals inside p5–p95/);
  });

  it('backtest.csv has the contract columns, in order', () => {
    const header = readFileSync(join(out, 'backtest.csv'), 'utf8').split('\n')[0];
    expect(header).toMatch(/^variable,year,actual,projected,error,error_pct,p5,p95,inside,/);
  });

  it('revenue: FY2024 × the FY2022–FY2024 compound growth, against the reported value', () => {
    const g = (869114 / 765001) ** 0.5 - 1;
    for (const [year, actual] of [
      [2025, 929339],
      [2026, 1023262],
    ] as const) {
      const x = row('Revenue', year);
      const projected = 869114 * (1 + g) ** (year - 2024);
      expect(Number(x.actual)).toBe(actual);
      expect(Number(x.projected)).toBeCloseTo(projected, 3);
      expect(Number(x.error)).toBeCloseTo(projected - actual, 3);
      expect(Number(x.error_pct)).toBeCloseTo(((projected - actual) / actual) * 100, 5);
      expect(x.source).toBe('004_dda8990f0d8cf4fb.txt:4043');
      expect(x.provenance).toBe('derived');
    }
  });

  it('self-built PUE: FY2024 + the FY2022–FY2024 slope per year', () => {
    const slope = (1.2 - 1.247) / 2;
    for (const [year, actual] of [
      [2025, 1.19],
      [2026, 1.187],
    ] as const) {
      const x = row('PUE|Self-built DC', year);
      expect(Number(x.projected)).toBeCloseTo(1.2 + slope * (year - 2024), 6);
      expect(Number(x.actual)).toBe(actual);
      expect(x.source).toBe('004_dda8990f0d8cf4fb.txt:4077');
    }
  });

  it('inside means p5 ≤ actual ≤ p95, and the coverage file counts it', () => {
    const all = rows();
    for (const x of all) {
      const [p5, p95, a] = [Number(x.p5), Number(x.p95), Number(x.actual)];
      expect(p5).toBeLessThanOrEqual(p95);
      expect(x.inside).toBe(String(p5 <= a && a <= p95));
    }
    const cov = readCsv(join(out, 'backtest-coverage.csv'));
    const total = cov.find((c: Row) => c.variable === 'all')!;
    expect(Number(total.compared)).toBe(all.length);
    expect(Number(total.inside)).toBe(all.filter((x) => x.inside === 'true').length);
  });

  it('every compared variable has a band around its projection (none left uncomputed at 0)', () => {
    // the fan's kernel computes only its own series; gross scope 1+2+3, the self-built clean
    // share and heat were compared against bands of 0–0 before the kernel covered them
    for (const x of rows()) {
      const [p5, p95, projected] = [Number(x.p5), Number(x.p95), Number(x.projected)];
      if (projected === 0) continue;
      expect(p5, `${x.variable} ${x.year}`).toBeGreaterThan(0);
      expect(p5).toBeLessThanOrEqual(projected * (1 + 1e-9));
      expect(p95).toBeGreaterThanOrEqual(projected * (1 - 1e-9));
    }
    const gross = row('Emissions|Scope 1+2+3', 2025);
    const net = row('Emissions|Scope 1+2+3|Net', 2025);
    // no credits before 2030: gross and net are the same paths
    expect(gross.p5).toBe(net.p5);
    expect(gross.p95).toBe(net.p95);
  });

  it('lists every re-fitted trend with its years and seed lines', () => {
    const trends = readCsv(join(out, 'backtest-trends.csv'));
    const revenue = trends.find((t) => t.field === 'parameters.revenue.growth')!;
    expect(revenue.years).toBe('2022 2023 2024');
    expect(revenue.sources).toMatch(/Revenue 2022: 004_dda8990f0d8cf4fb.txt:4043/);
    // FY2023–FY2024 is one step: a trend with no range, which the file says
    const clean = trends.find((t) => t.field === 'constants.dcCleanTrendPp')!;
    expect(Number(clean.central)).toBeCloseTo(56 - 53.9, 10);
    expect(clean.note).toBe('one step: no range, certain');
  });

  it('same seed, same bytes', () => {
    const again = join(tempDir(), 'bt');
    expect(cli(['backtest', '--as-of', '2024', '--samples', '300', '--out', again]).code).toBe(0);
    for (const f of ['backtest.csv', 'backtest-trends.csv', 'backtest-coverage.csv'])
      expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
  });
});

describe('docs/methodology.md, "How well it predicts"', () => {
  it('holds the table and coverage backtest --as-of 2024 computes (docs:backtest)', async () => {
    const doc = readFileSync('docs/methodology.md', 'utf8');
    const open = '<!-- backtest:as-of 2024, 1000 paths, seed 1 (npm run docs:backtest) -->\n';
    const block = doc.split(open)[1]!.split('\n<!-- /backtest -->')[0]!;
    const r = await runBacktest({ asOf: 2024, samples: 1000, seed: 1, refit: true });
    expect(block).toBe(backtestMarkdown(r));
    // and the CLI prints the same coverage
    const cli1 = cli(['backtest', '--as-of', '2024', '--out', join(tempDir(), 'bt')]);
    const cov = /band coverage: (\d+ of \d+ actuals inside p5–p95 \(\d+%)/.exec(cli1.stdout)![1]!;
    expect(block).toContain(`Band coverage: ${escapeMarkdown(cov)}`);
  });
});

describe('carbonpath backtest, bad input', () => {
  it('an as-of year with no later actual: exit 2, the fix, nothing written', () => {
    const out = join(tempDir(), 'bt');
    const r = cli(['backtest', '--as-of', '2026', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as-of 2026 leaves no later actual.*\n\s+fix: give a year before/);
    expect(existsSync(out)).toBe(false);
  });
  it('--as-of is required', () => {
    const r = cli(['backtest', '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as-of/);
  });
});

describe('coverageOf', () => {
  it('counts only rows with a band, per variable and in all', () => {
    const base = { unit: 't', actual: 1, projected: 1, error: 0, provenance: '', source: '' };
    const c = coverageOf([
      { ...base, variable: 'a', year: 1, inside: true },
      { ...base, variable: 'a', year: 2, inside: false },
      { ...base, variable: 'b', year: 1, inside: undefined },
    ]);
    expect(c).toEqual([
      { variable: 'a', compared: 2, inside: 1 },
      { variable: 'all', compared: 2, inside: 1 },
    ]);
  });
});
