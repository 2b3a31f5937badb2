/**
 * `init --from-csv` starts from the company's own history (issue #12, item 6): each driver's
 * trend over its reported years, base years per variable, and a company,year,metric,value table
 * read through the documented metric mapping. The company and its numbers are invented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readCsv, tempDir, writeFile } from './helpers.js';

// INVENTED figures for a company that does not exist.
const WIDE = `company,year,metric,value
Widget Co,2021,Scope 1,1200
Widget Co,2022,Scope 1,1150
Widget Co,2023,Scope 1,1100
Widget Co,2022,Scope 2 (market-based),3000
Widget Co,2023,Scope 2 (market-based),2800
Widget Co,2021,Electricity MWh,8000
Widget Co,2023,Electricity MWh,11520
Widget Co,2021,Renewable electricity share,20
Widget Co,2023,Renewable electricity share,30
Widget Co,2023,Scope 3,40000
Widget Co,2021,Revenue,100
Widget Co,2023,Revenue,121
Widget Co,2023,Water m3,5000
`;

describe('init from a company,year,metric,value table (invented company)', () => {
  const dir = tempDir();
  const csv = writeFile(dir, 'esg.csv', WIDE);
  const org = join(dir, 'org');
  const r = cli(['init', org, '--from-csv', csv]);
  it('writes the folder and says which rows it did not import', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 row of 'Water m3' not imported/);
  });
  it('maps each metric to its variable, citing the line it came from', () => {
    const rows = readCsv(join(org, 'inventory.csv'));
    expect(rows).toHaveLength(12);
    const mb = rows.find(
      (x) => x.variable === 'Emissions|Scope 2|Market-based' && x.year === '2023',
    )!;
    expect(mb).toMatchObject({ value: '2800', unit: 't CO2e', source: 'esg.csv:6' });
    expect(rows.find((x) => x.variable === 'Revenue')!.unit).toBe('M USD');
  });
  it("the baseline continues each driver's own trend; its numbers and years are sources", () => {
    const s = readFileSync(join(org, 'scenarios', 'baseline.yaml'), 'utf8');
    // (121 / 100)^(1/2) − 1 = 10%/yr; (11,520 / 8,000)^(1/2) − 1 = 20%/yr
    expect(s).toMatch(
      /revenue: \{ growth: 0\.1, why: "its own trend: 10\.0%\/yr compound, 2021–2023/,
    );
    expect(s).toMatch(/electricity: \{ growth: 0\.2, why: "its own trend: 20\.0%\/yr/);
    // 20% → 30% over 2021–2023 is +5 points/yr: 30 + 7 × 5 = 65% in 2030
    expect(s).toMatch(/cleanShare: \{ points: \{ 2023: 30, 2030: 65 \}/);
    expect(s).toMatch(/- "inventory.csv, Revenue: 100 in 2021, 121 in 2023"/);
  });
  it('each target’s base year is the first year its metric is reported in full', () => {
    const t = readFileSync(join(org, 'targets.yaml'), 'utf8');
    expect(t).toMatch(/title: Scope 1\+2 −50% vs 2022 by 2030/); // scope 2 starts in 2022
    expect(t).toMatch(/baseYear: 2023 {3}# the first year scope 3 is reported/);
  });
  it('the folder validates and runs at once, projecting from the trends', () => {
    expect(cli(['validate', org]).code).toBe(0);
    const out = join(dir, 'out');
    const run = cli(['run', '--data', org, '--to', '2030', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const rev = readCsv(join(out, 'trajectories.csv')).find(
      (x) => x.variable === 'Revenue' && x.year === '2026',
    )!;
    expect(Number(rev.value) / (121 * 1.1 ** 3) - 1).toBeCloseTo(0, 9);
  });
  it('a calendar-year company is not told about fiscal years', () => {
    const t = cli(['targets', '--data', org, '--to', '2030', '--out', join(dir, 't')]);
    expect(t.code, t.stderr).toBe(0);
    const o = cli(['offsets', '--data', 'test/fixtures/carbon-negative', '--out', join(dir, 'o')]);
    expect(o.stdout).not.toMatch(/FY\d/);
  });
  it('a table of several companies needs --company, and names them', () => {
    const two = writeFile(dir, 'two.csv', `${WIDE}Other Co,2023,Scope 1,5\n`);
    const bad = cli(['init', join(dir, 'x'), '--from-csv', two]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /holds 2 companies \(Widget Co, Other Co\); choose one with --company/,
    );
    const ok = cli(['init', join(dir, 'y'), '--from-csv', two, '--company', 'Other Co']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readCsv(join(dir, 'y', 'inventory.csv'))).toHaveLength(1);
  });
});
