/**
 * The report's "How well it predicts" section (issue #13): the backtest from the latest year that
 * leaves a later actual (or --backtest-as-of), its error table and its p5–p95 coverage, the same
 * numbers `carbonpath backtest` writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readCsv, tempDir, type Row } from './helpers.js';

function report(...args: string[]): { out: string; md: string; html: string } {
  const out = join(tempDir('carbonpath-predicts-'), 'report');
  const r = cli(['report', '--out', out, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return {
    out,
    md: readFileSync(join(out, 'report.md'), 'utf8'),
    html: readFileSync(join(out, 'report.html'), 'utf8'),
  };
}
const find = (rows: Row[], variable: string, year: string) =>
  rows.find((r) => r.variable === variable && r.year === year)!;

describe('report: how well it predicts', () => {
  it('by default from FY2025, the latest year with a later actual: FY2026 compared', () => {
    const { out, md, html } = report('--samples', '0');
    const rows = readCsv(join(out, 'backtest.csv'));
    expect(new Set(rows.map((r) => r.year))).toEqual(new Set(['FY2026']));
    expect(rows).toHaveLength(16);
    // purchased electricity FY2026 as reported (004_dda8990f0d8cf4fb.txt:4071)
    const e = find(rows, 'Electricity|Purchased', 'FY2026');
    expect(Number(e.actual)).toBe(9310297);
    expect(e.source).toBe('004_dda8990f0d8cf4fb.txt:4071');
    expect(Number(e.error)).toBeCloseTo((Number(e.projected) - 9310297) / 9310297, 5);
    for (const text of [md, html]) {
      expect(text).toContain('How well it predicts');
      expect(text).toContain(
        'The model was calibrated on the actuals up to FY2025 only, with 13 data-derived ' +
          'trends of the baseline scenario re-fitted on the reported years FY2023–FY2025',
      );
      expect(text).toContain(
        "the scenario's other assumptions are as written, and may have been set knowing later",
      );
      expect(text).toContain('each actual reported for FY2026 is compared with the projection');
      expect(text).toContain('No uncertainty bands (--samples 0).');
    }
  });

  it('--backtest-as-of 2024 gives the numbers of `backtest --as-of 2024`, coverage counted', () => {
    const { out, md } = report('--samples', '200', '--backtest-as-of', '2024');
    const dir = tempDir('carbonpath-bt-');
    const b = cli(['backtest', '--as-of', '2024', '--samples', '200', '--seed', '1', '--out', dir]);
    expect(b.code, b.stderr).toBe(0);
    const expected = readCsv(join(dir, 'backtest.csv'));
    const rows = readCsv(join(out, 'backtest.csv'));
    expect(rows).toHaveLength(expected.length);
    expect(rows).toHaveLength(32); // 16 variables × FY2025, FY2026
    for (const x of expected) {
      const r = find(rows, x.variable!, `FY${x.year}`);
      for (const k of ['actual', 'projected', 'p5', 'p95'] as const) expect(r[k], k).toBe(x[k]);
      expect(r.inside).toBe(x.inside === 'true' ? 'yes' : 'no');
      // the report's CSV keeps the error as a fraction to 6 significant digits
      if (x.error_pct) expect(Number(r.error) * 100).toBeCloseTo(Number(x.error_pct), 3);
    }
    // by hand: market-based scope 2 FY2025 reported 1,929,185 t (004_dda8990f0d8cf4fb.txt:4032)
    const m = find(rows, 'Emissions|Scope 2|Market-based', 'FY2025');
    expect(Number(m.actual)).toBe(1929185);
    expect(Number(m.error)).toBeCloseTo((Number(m.projected) - 1929185) / 1929185, 5);
    expect(m.inside).toBe(Number(m.p5) <= 1929185 && 1929185 <= Number(m.p95) ? 'yes' : 'no');
    const inside = rows.filter((r) => r.inside === 'yes').length;
    const all = readCsv(join(out, 'backtest-coverage.csv')).find((c) => c.variable === 'all')!;
    expect([Number(all.compared), Number(all.inside)]).toEqual([32, inside]);
    expect(Number(all.coverage)).toBeCloseTo(inside / 32, 6);
    expect(md).toContain(`${inside} of 32 actuals fell inside the Monte Carlo p5–p95 band`);
    expect(md).toContain('200 paths, seed 1.');
    expect(md).toContain('calibrated on the actuals up to FY2024 only');
  });

  it('a report as of FY2024 backtests from FY2023 and uses no later actual', () => {
    const { out, md } = report('--samples', '0', '--as-of', '2024');
    const rows = readCsv(join(out, 'backtest.csv'));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.year))).toEqual(new Set(['FY2024']));
    // FY2024 purchased electricity as reported (004_dda8990f0d8cf4fb.txt:4071)
    expect(Number(find(rows, 'Electricity|Purchased', 'FY2024').actual)).toBe(4971733);
    expect(md).toContain('calibrated on the actuals up to FY2023 only');
  });

  it('a default year that cannot be backtested: the section says why, the report is made', () => {
    // market-only reports no purchased electricity before its latest year
    const { md } = report('--data', 'test/fixtures/market-only', '--samples', '0');
    expect(md).toContain(
      "No backtest from 2024: the base year 2024 needs 'Electricity\\|Purchased' " +
        "\\(basis 'reported'\\). Choose another year with --backtest-as-of.",
    );
  });

  it('--backtest-as-of before the first actual: exit 2, this option named (not --as-of)', () => {
    const out = join(tempDir('carbonpath-predicts-'), 'report');
    const r = cli(['report', '--samples', '0', '--backtest-as-of', '2010', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'at --backtest-as-of: --backtest-as-of 2010 is before the first reported year, 2022',
    );
    expect(r.stderr).toContain('fix: give a year from 2022 to 2025');
    expect(r.stderr).not.toMatch(/at --as-of|leave --as-of out/);
    expect(existsSync(out)).toBe(false);
  });

  it('--backtest-as-of at or after the latest actual: exit 2, the option named', () => {
    const out = join(tempDir('carbonpath-predicts-'), 'report');
    const r = cli(['report', '--samples', '0', '--backtest-as-of', '2026', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--backtest-as-of 2026 leaves no later actual in this report');
    expect(r.stderr).toContain('give a year before 2026');
    expect(existsSync(out)).toBe(false);
  });
});
