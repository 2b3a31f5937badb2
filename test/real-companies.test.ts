/**
 * Companies outside Alibaba's shape get right answers or a clear warning (issue #12): a share of
 * 100% by annual matching with market-based emissions above zero, and a market-based-only
 * reporter. Invented organizations in test/fixtures (labelled so), every command run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../src/core/calibrate.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { cli, everyCommand, pick, readCsv, tempDir } from './helpers.js';

describe('"100% renewable" by annual matching, market-based scope 2 above zero', () => {
  const data = 'test/fixtures/annual-100';
  const org = loadOrganization(data);
  const base = calibrate(org.organization, org.inventory);
  const out = tempDir();
  const results = everyCommand(data, out, {
    target: 'all-minus-50',
    lever: 'parameters.scope3.all.intensity.growth',
    min: '-0.3',
    max: '0',
  });
  it('every command runs', () => {
    for (const { args, r } of results) expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
  });
  it('the unexplained 60,000 t is a named calibration term, with a warning, never zero', () => {
    const term = base.terms.find((t) => t.name === 'scope2MarketResidual');
    expect(term?.value).toBe(60000);
    expect(base.warnings.map((w) => w.code)).toEqual(['clean-share-unexplained']);
    const run = results.find((x) => x.args[0] === 'run')!.r;
    expect(run.stderr).toMatch(
      /^warning: the clean share \(100%\) and grid factors leave 60000 t of the market-based scope 2 of 60000 t unexplained/m,
    );
    const manifest = JSON.parse(readFileSync(join(out, 'run', 'run.json'), 'utf8'));
    expect(manifest.scenarios[0].warnings[0].code).toBe('clean-share-unexplained');
  });
  it('the projection keeps it: market-based scope 2 stays 60,000 t while the load grows', () => {
    const rows = readCsv(join(out, 'run', 'trajectories.csv'));
    const v = (name: string, y: number) => pick(rows, 'baseline', name, y);
    for (const y of [2025, 2026, 2030, 2035])
      expect(v('Emissions|Scope 2|Market-based', y)).toBe(60000);
    // location-based follows the electricity: 0.4 t/MWh on 1,000,000 MWh, DC load +15%/yr
    const e2030 = 800000 * 1.15 ** 5 + 200000;
    expect(v('Electricity|Purchased', 2030) / e2030 - 1).toBeCloseTo(0, 8);
    expect(v('Emissions|Scope 2|Location-based', 2030) / (e2030 * 0.4) - 1).toBeCloseTo(0, 8);
    // scope 3 = revenue × intensity (900,000 t / 50,000 M USD = 18 t/M USD), revenue +8%/yr
    const s123 = 10000 + 60000 + 50000 * 1.08 * 18;
    expect(v('Emissions|Scope 1+2+3', 2026) / s123 - 1).toBeCloseTo(0, 9);
  });
  it('credits cover scope 1 and the residual; more clean power is no alternative', () => {
    const rows = readCsv(join(out, 'offsets', 'offsets.csv')).filter(
      (r) => r.year === '2030' && r.price_band === 'central',
    );
    const tonnes = rows.reduce((s, r) => s + Number(r.tonnes), 0);
    expect(tonnes).toBe(70000);
    const clean = readCsv(join(out, 'offsets', 'offsets-vs-clean-power.csv')).find(
      (r) => r.year === '2030',
    )!;
    expect(Number(clean.abatable_by_clean_power_tonnes)).toBe(0);
    expect(Number(clean.credits_tonnes)).toBe(70000);
  });
  it('one credit pool across scopes 1–3 buys what scope 1+2 credits leave: the scope 3', () => {
    const rows = readCsv(join(out, 'offsets', 'offsets.csv')).filter(
      (r) => r.year === '2035' && r.price_band === 'central',
    );
    const tonnes = (id: string) =>
      rows.filter((r) => r.target_id === id).reduce((s, r) => s + Number(r.tonnes), 0);
    expect(tonnes('s12-neutral-2030')).toBe(70000);
    const scope3 = 50000 * 1.08 ** 10 * 18;
    expect(tonnes('all-net-zero-2035') / scope3 - 1).toBeCloseTo(0, 8);
    const t = readCsv(join(out, 'targets', 'targets.csv')).find(
      (r) => r.target_id === 'all-net-zero-2035',
    )!;
    expect(t.status).toBe('on-track');
    expect(Number(t.projected_value)).toBeCloseTo(0, 3);
    const traj = readCsv(join(out, 'run', 'trajectories.csv'));
    const all = pick(traj, 'baseline', 'Offsets|Scope 1+2+3', 2035);
    expect(all / (70000 + scope3) - 1).toBeCloseTo(0, 8);
  });
  it('the report is written (no chart of a zero series breaks it), and says the warning', () => {
    const md = readFileSync(join(out, 'report', 'report.md'), 'utf8');
    expect(md).toMatch(/Annual Hundred Cloud/);
    expect(md).toMatch(/- Warning: the clean share \\\(100%\\\) and grid factors leave 60000 t/);
    const html = readFileSync(join(out, 'report', 'report.html'), 'utf8');
    expect(html).toMatch(/<li>Warning: the clean share \(100%\) and grid factors leave 60000 t/);
  });
});

describe('a market-based-only reporter', () => {
  const data = 'test/fixtures/market-only';
  const org = loadOrganization(data);
  const base = calibrate(org.organization, org.inventory);
  const out = tempDir();
  const results = everyCommand(data, out, {
    target: 's12-minus-42',
    lever: 'parameters.grids.eu.factor.growth',
    min: '-0.3',
    max: '0',
  });
  it('every command runs', () => {
    for (const { args, r } of results) expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
  });
  it('projects market-based scope 2 from its own factor; location-based is not modelled', () => {
    expect(base.grids[0]!.factor).toBe(0.5); // 250,000 t / 500,000 MWh, no clean share
    expect(base.coverage.scope2Location).toBe(false);
    expect(base.warnings.map((w) => w.code)).toEqual(['market-based-only']);
    const rows = readCsv(join(out, 'run', 'trajectories.csv'));
    const names = new Set(rows.map((r) => r.variable));
    expect(names.has('Emissions|Scope 2|Location-based')).toBe(false);
    expect(names.has('Grid Emission Factor')).toBe(false);
    expect(pick(rows, 'baseline', 'Emissions|Scope 2|Market-based', 2025)).toBe(250000);
    // the central factor trend is the uniform's midpoint, −5%/yr; electricity +3%/yr
    const mb2027 = 500000 * 1.03 ** 2 * 0.5 * 0.95 ** 2;
    const got = pick(rows, 'baseline', 'Emissions|Scope 2|Market-based', 2027);
    expect(got / mb2027 - 1).toBeCloseTo(0, 8);
  });
  it('a target on location-based scope 2 says it is not modelled, and why', () => {
    const t = readCsv(join(out, 'targets', 'targets.csv')).find((r) => r.target_id === 'lb-cap')!;
    expect(t.status).toBe('not-modelled');
    expect(t.note).toMatch(/no scope2Location data/);
  });
});

describe('one chart never takes the report down', () => {
  it('a chart that cannot be drawn becomes a line saying why', async () => {
    const { renderSvgOrNote } = await import('../src/report/charts.js');
    const svg = await renderSvgOrNote({
      id: 'chart-broken',
      title: 'Broken <chart>',
      caption: 'x',
      columns: ['year', 'value'],
      rows: [],
      spec: { mark: 'nonsense-mark', data: { values: [] } },
    });
    expect(svg).toMatch(/^<svg /);
    expect(svg).toMatch(/This chart could not be drawn \(.+\); its data: chart-broken\.csv/);
    expect(svg).not.toMatch(/<chart>/);
  });
});

describe('an inventory variable that is almost one carbonpath reads', () => {
  const copy = async (edit: (t: string) => string) => {
    const { cpSync, readFileSync: read, writeFileSync } = await import('node:fs');
    const dir = join(tempDir(), 'org');
    cpSync('test/fixtures/market-only', dir, { recursive: true });
    const inv = join(dir, 'inventory.csv');
    writeFileSync(inv, edit(read(inv, 'utf8')));
    return dir;
  };
  // Issue #16: refused by every command (and validate) at the inventory line, exit 2, where it
  // used to be a warning (exit 0) or a calibration error; test/validate-run-agree has more.
  it('is refused with "did you mean", not silently ignored', async () => {
    const dir = await copy((t) =>
      t.replace('reported,Emissions|Scope 1,t CO2e,2024', 'reported,Emissions|scope 1,t CO2e,2024'),
    );
    const r = cli(['run', '--data', dir, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /inventory\.csv:3 at variable: 'Emissions\|scope 1' is not a variable carbonpath reads/,
    );
    expect(r.stderr).toMatch(/fix: did you mean 'Emissions\|Scope 1'\?/);
  });
  it('where the model needs it, the error names the line to fix', async () => {
    const dir = await copy((t) =>
      t.replace('reported,Electricity|Purchased,', 'reported,Electricity | Purchased,'),
    );
    const r = cli(['run', '--data', dir, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inventory\.csv:7 at variable: 'Electricity \| Purchased'/);
    expect(r.stderr).toMatch(/fix: did you mean 'Electricity\|Purchased'\?/);
  });
});
