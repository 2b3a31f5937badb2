import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readCsv, tempDir } from './helpers.js';

describe('Alibaba Health, the second bundled organization', () => {
  it(
    'run: FY2024 actuals equal the report; what it does not report is not modelled (no rows), ' +
      'not zero',
    () => {
      const out = tempDir();
      const r = cli(['run', '--data', 'data/alibaba-health', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const rows = readCsv(join(out, 'trajectories.csv'));
      const at = (v: string, y: number) =>
        rows.find((x) => x.scenario === 'baseline' && x.variable === v && x.year === String(y));
      // 3,787,579.62 kWh (000:1418)
      expect(Number(at('Electricity|Purchased', 2024)!.value)).toBeCloseTo(3787.57962, 5);
      expect(Number(at('Emissions|Scope 2|Location-based', 2024)!.value)).toBe(2160.06); // 000:1430
      expect(Number(at('Emissions|Scope 2|Location-based', 2023)!.value)).toBe(845.29);
      expect(at('Emissions|Scope 2|Location-based', 2024)!.kind).toBe('actual');
      // MEE factor implied (seed-facts §6)
      expect(Number(at('Grid Emission Factor', 2024)!.value)).toBeCloseTo(0.5703, 4);
      expect(new Set(rows.map((x) => x.entity))).toEqual(new Set(['Alibaba Health']));
      for (const v of [
        'Emissions|Scope 3',
        'Revenue',
        'Intensity|Scope 3',
        'PUE|Self-built DC',
        'Avoided Emissions|Scope 3+',
      ]) {
        expect(
          rows.some((x) => x.variable === v),
          v,
        ).toBe(false);
      }
      expect(r.stdout).toMatch(/baseline\s+2,160 \(2,160\)\s+0\.0\s+n\/m\s+n\/m\s+n\/m/);
    },
  );
  it(
    'targets: the 1.5 t/M yuan target is listed, not modelled for want of revenue, with what ' +
      'the report leaves unclear',
    () => {
      const out = tempDir();
      expect(cli(['targets', '--data', 'data/alibaba-health', '--out', out]).code).toBe(0);
      const t = readCsv(join(out, 'targets.csv')).find(
        (x) => x.target_id === 'health-intensity-1.5' && x.scenario === 'baseline',
      )!;
      expect(t.status).toBe('not-modelled');
      expect(t.note).toMatch(/revenue/);
      expect(t.note).toMatch(/Unclear in the report/);
      expect(t.source).toBe('000_7bb34a9c887b0b4f.txt:1226-1227');
    },
  );
  it('simulate: the fan has rows only for what is modelled, as trajectories.csv', () => {
    const out = tempDir();
    expect(
      cli([
        'simulate',
        '--data',
        'data/alibaba-health',
        '--samples',
        '300',
        '--seed',
        '1',
        '--out',
        out,
      ]).code,
    ).toBe(0);
    const fan = new Set(readCsv(join(out, 'fan.csv')).map((x) => x.variable));
    const run = tempDir();
    expect(cli(['run', '--data', 'data/alibaba-health', '--out', run]).code).toBe(0);
    const modelled = new Set(readCsv(join(run, 'trajectories.csv')).map((x) => x.variable));
    expect([...fan].filter((v) => !modelled.has(v))).toEqual([]);
    expect(fan.has('Emissions|Scope 2|Location-based')).toBe(true);
    for (const v of [
      'Emissions|Scope 3',
      'Revenue',
      'PUE|Self-built DC',
      'Avoided Emissions|Scope 3+',
    ])
      expect(fan.has(v), v).toBe(false);
  });
});

describe('carbonpath init', () => {
  it('init acme-corp, then run --data acme-corp, works out of the box', () => {
    const dir = join(tempDir(), 'acme-corp');
    const r = cli(['init', dir]);
    expect(r.code).toBe(0);
    for (const f of [
      'organization.yaml',
      'inventory.csv',
      'targets.yaml',
      'scenarios/baseline.yaml',
    ])
      expect(readFileSync(join(dir, f), 'utf8').length).toBeGreaterThan(50);
    expect(cli(['validate', dir]).code).toBe(0);
    const out = tempDir();
    const run = cli(['run', '--data', dir, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = readCsv(join(out, 'trajectories.csv'));
    expect(rows[0]!.entity).toBe('Acme Corp');
    expect(rows.find((x) => x.variable === 'Revenue')!.unit).toBe('M USD');
    expect(cli(['targets', '--data', dir, '--out', tempDir()]).code).toBe(0);
  });
  it('refuses a folder that is not empty, and starts from an inventory CSV', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x'), '');
    expect(cli(['init', dir]).code).toBe(2);
    const from = join(tempDir(), 'from-csv');
    expect(
      cli([
        'init',
        from,
        '--from-csv',
        'test/fixtures/usd-calendar-scope12/inventory.csv',
        '--currency',
        'usd',
        '--name',
        'Imported Inc',
      ]).code,
    ).toBe(0);
    const out = tempDir();
    expect(cli(['run', '--data', from, '--out', out]).code).toBe(0);
    expect(
      readCsv(join(out, 'trajectories.csv')).find(
        (x) => x.variable === 'Emissions|Scope 1' && x.year === '2023',
      )!.value,
    ).toBe('800');
    expect(readFileSync(join(from, 'targets.yaml'), 'utf8')).toMatch(
      /metric: Emissions\|Scope 1\+2\n\s+baseYear: 2023/,
    );
  });
});

describe('a calendar-year fixture with USD revenue and only scope 1+2', () => {
  it('runs end to end with no code change', () => {
    const out = tempDir();
    const r = cli(['targets', '--data', 'test/fixtures/usd-calendar-scope12', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = readCsv(join(out, 'targets.csv'));
    const s12 = t.find((x) => x.target_id === 's12-minus-30')!;
    expect(Number(s12.target_value)).toBe(1750); // (800 + 1,700) × 0.7
    expect(Number(s12.projected_value)).toBeCloseTo(
      100 * 0.8 ** 6 * 3.0959 + (760 - 100 * 3.0959),
      4,
    ); // diesel −20%/yr, 100% clean power
    expect(s12.status).toBe('on-track');
    expect(t.find((x) => x.target_id === 's12-intensity-cap')!.status).toBe('met');
    expect(t.find((x) => x.target_id === 's3-net-zero')!.status).toBe('not-modelled');
    const run = tempDir();
    expect(cli(['run', '--data', 'test/fixtures/usd-calendar-scope12', '--out', run]).code).toBe(0);
    const rows = readCsv(join(run, 'trajectories.csv'));
    expect(rows.find((x) => x.variable === 'Intensity|Scope 1+2|Net')!.unit).toBe('t CO2e/M USD');
    expect(rows.some((x) => (x.variable ?? '').startsWith('Emissions|Scope 3'))).toBe(false);
    const sim = tempDir();
    expect(
      cli([
        'simulate',
        '--data',
        'test/fixtures/usd-calendar-scope12',
        '--samples',
        '200',
        '--seed',
        '1',
        '--out',
        sim,
      ]).code,
    ).toBe(0);
    // the organization's currency
    expect(readCsv(join(sim, 'fan.csv')).find((x) => x.variable === 'Revenue')!.unit).toBe('M USD');
  });
});

describe('offsets for an organization that reports in another currency than the price file', () => {
  const withStrategy = (currency: string) => {
    const dir = join(tempDir(), 'usd-org');
    cpSync('test/fixtures/usd-calendar-scope12', dir, { recursive: true });
    const targets =
      readFileSync(join(dir, 'targets.yaml'), 'utf8') +
      '  - { id: s12-neutral-2030, title: Scope 1+2 net zero, kind: net-zero, wording: ' +
      'fixture, source: fixture.txt:12, metric: Emissions|Scope 1+2|Net, gross: ' +
      'Emissions|Scope 1+2, deadline: 2030 }\n';
    writeFileSync(join(dir, 'targets.yaml'), targets);
    writeFileSync(
      join(dir, 'scenarios', 'offsetting.yaml'),
      'name: offsetting\nextends: baseline.yaml\noffsets:\n  targets: [{ target: ' +
        's12-neutral-2030 }]\n  discountRate: 0.05\n',
    );
    if (currency !== 'USD') {
      for (const f of ['organization.yaml', 'inventory.csv', 'targets.yaml'])
        writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replaceAll('USD', currency));
    }
    return dir;
  };
  it("prices credits in the organization's currency through the price file's exchange rate", () => {
    const out = tempDir();
    const r = cli(['offsets', 'offsetting', '--data', withStrategy('USD'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cost M USD/);
    const rows = readCsv(join(out, 'offsets.csv'));
    expect(rows.length).toBeGreaterThan(10);
    const USD = 7.1884; // CNY per USD, data/prices/carbon-credits.yaml (CFETS, 31 Dec 2024)
    for (const row of rows) {
      expect(row.currency).toBe('USD');
      expect(row.price_currency).toBe('CNY'); // the bundled credits are priced in CNY
      expect(Number(row.exchange_rate)).toBeCloseTo(1 / USD, 6);
      expect(Number(row.unit_price) / (Number(row.price_in_price_currency) / USD)).toBeCloseTo(
        1,
        5,
      );
      expect(Number(row.cost) / (Number(row.tonnes) * Number(row.unit_price))).toBeCloseTo(1, 5);
      // no offsets.inflation: no nominal costs
      expect([row.inflation, row.nominal_cost]).toEqual(['', '']);
    }
  });
  it('the report says so too: costs, per-tonne prices and calibrated intensities in USD', () => {
    const out = join(tempDir(), 'report');
    expect(
      cli(['report', '--data', withStrategy('USD'), '--out', out, '--samples', '200']).code,
    ).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/costs in M USD/);
    expect(md).not.toMatch(/CNY/);
    expect(readFileSync(join(out, 'offsets-summary.csv'), 'utf8').split('\n')[0]).toMatch(
      /credits USD\/t 2030,clean power USD\/t 2030/,
    );
  });
  it('names the missing exchange rate and how to add it', () => {
    const r = cli(['offsets', 'offsetting', '--data', withStrategy('CHF'), '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /carbon-credits\.yaml.*exchangeRates\.CHF: no exchange rate for CHF \(the organization's currency/,
    );
    expect(r.stderr).toMatch(/fix: add exchangeRates\.CHF \(CNY per CHF\)/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // following the fix: the scenario gives the rate
    const dir = withStrategy('CHF');
    writeFileSync(
      join(dir, 'scenarios', 'offsetting.yaml'),
      `${readFileSync(join(dir, 'scenarios', 'offsetting.yaml'), 'utf8')} ` +
        ` exchangeRates: { CHF: 8.05 }\n`,
    );
    const out = tempDir();
    expect(cli(['offsets', 'offsetting', '--data', dir, '--out', out]).code).toBe(0);
    const ccer = readCsv(join(out, 'offsets.csv')).find(
      (x) => x.credit_type === 'ccer' && x.price_band === 'low' && x.year === '2030',
    )!;
    expect(ccer.currency).toBe('CHF');
    // CCER low band 2030 (its 2025 point, 60 CNY, held flat) / 8.05 CNY per CHF
    expect(Number(ccer.unit_price)).toBeCloseTo(60 / 8.05, 5);
  });
});

describe('validate on a folder reports every problem at once', () => {
  it('five different mistakes give five clear errors, each with its file and line', () => {
    const dir = join(tempDir(), 'broken');
    cpSync('test/fixtures/usd-calendar-scope12', dir, { recursive: true });
    const edit = (f: string, from: string, to: string) =>
      writeFileSync(join(dir, f), readFileSync(join(dir, f), 'utf8').replace(from, to));
    edit('organization.yaml', 'currency: USD', 'currency: dollars'); // 1
    // 2
    edit('inventory.csv', 'reported,Revenue,M USD,2024,40,', 'reported,Revenue,M USD,2024,"4,0",');
    edit(
      'inventory.csv',
      'reported,Electricity|Purchased,MWh,2024,5000,reported,fixture.txt:5,',
      'reported,Electricity|Purchased,MWh,2024,5000,reported,,',
    ); // 3
    // 4
    edit('targets.yaml', 'metric: Intensity|Scope 1+2|Net', 'metric: Intensity|Scope 1+2|Nett');
    mkdirSync(join(dir, 'scenarios'), { recursive: true });
    writeFileSync(
      join(dir, 'scenarios', 'high.yaml'),
      'name: high\nparameters:\n  otherCleanShare: 140\n',
    ); // 5
    const r = cli(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const lines = r.stderr.split('\n').filter((l) => !l.startsWith('  fix:'));
    expect(lines.filter(Boolean)).toHaveLength(5);
    expect(r.stderr).toMatch(/organization\.yaml:\d+ at currency: an ISO 4217 currency code/);
    expect(r.stderr).toMatch(/inventory\.csv:\d+ at value: value must be a plain number/);
    expect(r.stderr).toMatch(/inventory\.csv:\d+ at source: every row needs a source/);
    expect(r.stderr).toMatch(
      /targets\.yaml:\d+ at targets\.1\.metric: unknown variable 'Intensity\|Scope 1\+2\|Nett'/,
    );
    expect(r.stderr).toMatch(/high\.yaml:3 at parameters\.otherCleanShare: must be at most 100 %/);
    expect(r.stderr.match(/fix: /g)).toHaveLength(5);
  });
});
