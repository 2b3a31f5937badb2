import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OFFSETS_HEADER } from '../src/io/offsets-csv.js';
import { cli, pick, readCsv, tempDir, writeFile, type Row } from './helpers.js';

const SCENARIOS = [
  'baseline',
  'announced',
  'ai-surge',
  'stalled-procurement',
  'grid-decarbonization',
];

describe('carbonpath offsets on the bundled scenarios', () => {
  let dir: string;
  let rows: Row[];
  let traj: Row[];
  let stdout: string;
  beforeAll(() => {
    dir = tempDir();
    const r = cli(['offsets', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    stdout = r.stdout;
    rows = readCsv(join(dir, 'offsets.csv'));
    const t = tempDir();
    expect(cli(['run', '--out', t]).code).toBe(0);
    traj = readCsv(join(t, 'trajectories.csv'));
  });

  it('writes offsets.csv with the contract columns for every bundled scenario', () => {
    expect(readFileSync(join(dir, 'offsets.csv'), 'utf8').split('\n')[0]).toBe(
      OFFSETS_HEADER.join(','),
    );
    expect(OFFSETS_HEADER.slice(0, 10).join(',')).toBe(
      'scenario,year,target_id,credit_type,tonnes,price_band,' +
        'unit_price,currency,cost,discounted_cost',
    );
    expect([...new Set(rows.map((r) => r.scenario))]).toEqual(SCENARIOS);
  });
  it(
    'identity: from FY2030, scope 1+2 credits equal the projected residual scope 1+2, ' +
      'every scenario and year',
    () => {
      for (const s of SCENARIOS) {
        for (let y = 2030; y <= 2035; y++) {
          const credits = rows
            .filter(
              (r) =>
                r.scenario === s &&
                Number(r.year) === y &&
                r.target_id === 'scope12-neutral-2030' &&
                r.price_band === 'central',
            )
            .reduce((sum, r) => sum + Number(r.tonnes), 0);
          // the bundled scenarios buy no other credits
          const residual = pick(traj, s, 'Emissions|Scope 1+2', y);
          expect(credits, `${s} ${y}`).toBeCloseTo(residual, 0);
          expect(pick(traj, s, 'Emissions|Scope 1+2|Net', y)).toBeCloseTo(0, 3);
          expect(pick(traj, s, 'Offsets|Scope 1+2', y)).toBeCloseTo(residual, 0);
        }
        expect(rows.some((r) => r.scenario === s && Number(r.year) < 2030)).toBe(false);
      }
    },
  );
  it('cost = tonnes × unit price; unit price = price × exchange rate; low ≤ central ≤ high', () => {
    const groups = new Map<string, Record<string, number>>();
    for (const r of rows) {
      // CSV numbers carry 10 significant digits: compare relatively
      expect(Math.abs(Number(r.cost) / (Number(r.tonnes) * Number(r.unit_price)) - 1)).toBeLessThan(
        1e-8,
      );
      expect(Number(r.unit_price)).toBeCloseTo(
        Number(r.price_in_price_currency) * Number(r.exchange_rate),
        4,
      );
      expect(
        Math.abs(
          Number(r.discounted_cost) / (Number(r.cost) / 1.08 ** (Number(r.year) - 2026)) - 1,
        ),
      ).toBeLessThan(1e-8);
      const key = `${r.scenario}|${r.year}|${r.target_id}|${r.credit_type}`;
      groups.set(key, { ...groups.get(key), [r.price_band!]: Number(r.unit_price) });
    }
    for (const [key, g] of groups) {
      expect(g.low!, key).toBeLessThanOrEqual(g.central!);
      expect(g.central!, key).toBeLessThanOrEqual(g.high!);
    }
  });
  it(
    "nominal cost in each year's money at baseline's 2% inflation from 2024 money, " +
      'for every row',
    () => {
      for (const r of rows) {
        expect(r.inflation).toBe('0.02'); // every bundled scenario extends baseline
        expect(
          Number(r.nominal_cost) / (Number(r.cost) * 1.02 ** (Number(r.year) - 2024)),
          `${r.scenario} ${r.year}`,
        ).toBeCloseTo(1, 6);
      }
      expect(stdout).toMatch(
        /baseline: FY2030–FY2035 in each year's money \(2\.0%\/yr inflation from 2024\): [\d,.]+ \([\d,.]+–[\d,.]+\) M CNY/,
      );
    },
  );
  it('opens cleanly in a spreadsheet: plain numbers, no formula-like text', () => {
    const numeric = [
      'year',
      'tonnes',
      'unit_price',
      'cost',
      'discounted_cost',
      'price_in_price_currency',
      'exchange_rate',
      'discount_rate',
      'discount_factor',
    ];
    for (const r of rows) {
      for (const c of numeric) expect(r[c], c).toMatch(/^-?\d+(\.\d+)?$/);
      for (const [k, v] of Object.entries(r))
        if (!numeric.includes(k)) expect(v, k).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(readFileSync(join(dir, 'offsets.csv')).subarray(0, 3).toString('hex')).not.toBe(
      'efbbbf',
    );
  });
  it('prints the 2030 volume and cost range, the 2030–2035 total and the NPV', () => {
    expect(stdout).toMatch(/baseline\s+FY2030\s+\d+\.\d\d\s+[\d,]+\.\d \([\d,]+\.\d–[\d,]+\.\d\)/);
    expect(stdout).toMatch(/NPV M CNY @ 8\.0%/);
    expect(stdout).toMatch(/clean-power certificates would cut/);
  });
  it('puts credit volumes and costs in the trajectories', () => {
    const central = pick(traj, 'baseline', 'Cost|Offsets|Central', 2030);
    const fromCsv =
      rows
        .filter((r) => r.scenario === 'baseline' && r.year === '2030' && r.price_band === 'central')
        .reduce((s, r) => s + Number(r.cost), 0) / 1e6;
    expect(central).toBeCloseTo(fromCsv, 3);
    expect(
      pick(traj, 'baseline', 'Offsets|Avoidance', 2030) +
        pick(traj, 'baseline', 'Offsets|Removal', 2030),
    ).toBeCloseTo(
      pick(traj, 'baseline', 'Offsets|Scope 1+2', 2030) +
        pick(traj, 'baseline', 'Offsets|Scope 3|Leased DC', 2030),
      0,
    );
  });
  it('writes the clean-power alternative beside the credits', () => {
    const cp = readCsv(join(dir, 'offsets-vs-clean-power.csv')).filter(
      (r) =>
        r.scenario === 'baseline' && r.year === '2030' && r.target_id === 'scope12-neutral-2030',
    );
    expect(cp.map((r) => r.price_band)).toEqual(['low', 'central', 'high']);
    for (const r of cp) {
      expect(Number(r.abatable_by_clean_power_tonnes)).toBeLessThanOrEqual(
        Number(r.credits_tonnes),
      );
      expect(Number(r.clean_power_cost)).toBeCloseTo(
        Number(r.clean_mwh_needed) * Number(r.premium_per_mwh),
        -1,
      );
    }
  });
});

describe('prices and exchange rates in a scenario change costs proportionally', () => {
  const costsBy = (dir: string) => {
    const m = new Map<string, number>();
    for (const r of readCsv(join(dir, 'offsets.csv')))
      m.set(`${r.year}|${r.target_id}|${r.credit_type}|${r.price_band}`, Number(r.cost));
    return m;
  };
  const run = (yaml: string) => {
    const d = tempDir();
    const f = writeFile(d, 'variant.yaml', yaml);
    const out = join(d, 'out');
    const r = cli(['offsets', f, '--out', out]);
    expect(r.stderr).toBe('');
    return costsBy(out);
  };
  it('doubling the nature-removal price doubles only nature-removal costs', () => {
    const base = run('extends: baseline\n');
    const doubled = run('extends: baseline\noffsets:\n  priceMultipliers: { nature-removal: 2 }\n');
    expect(doubled.size).toBe(base.size);
    for (const [k, v] of base)
      expect(doubled.get(k)! / (k.includes('|nature-removal|') ? 2 * v : v), k).toBeCloseTo(1, 8);
  });
  it('buying 3 years ahead: each row priced and discounted in its purchase year', () => {
    const d = tempDir();
    const f = writeFile(d, 'ahead.yaml', 'extends: baseline\noffsets:\n  purchaseLead: 3\n');
    const r = cli(['offsets', 'baseline', f, '--out', join(d, 'out')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ahead: credits bought 3 years before they are retired/);
    const rows = readCsv(join(d, 'out', 'offsets.csv'));
    const base = new Map(
      rows
        .filter((x) => x.scenario === 'baseline')
        .map((x) => [`${x.year}|${x.target_id}|${x.credit_type}|${x.price_band}`, x]),
    );
    let npvBase = 0,
      npvAhead = 0;
    for (const x of rows) {
      if (x.scenario === 'baseline') {
        expect(x.purchase_year).toBe(x.year);
        npvBase += x.price_band === 'central' ? Number(x.discounted_cost) : 0;
        continue;
      }
      const bought = Math.max(2027, Number(x.year) - 3);
      expect(Number(x.purchase_year)).toBe(bought);
      // the same credit bought in year p costs what the baseline pays for it in p (same tonnes
      // and price path)
      const same = base.get(`${bought}|${x.target_id}|${x.credit_type}|${x.price_band}`);
      if (same) expect(Number(x.unit_price)).toBeCloseTo(Number(same.unit_price), 4);
      expect(Number(x.discount_factor)).toBeCloseTo(1 / 1.08 ** (bought - 2026), 5);
      npvAhead += x.price_band === 'central' ? Number(x.discounted_cost) : 0;
    }
    // the bundled prices rise slower than 8%/yr (or fall): paying early costs more in present
    // value
    expect(npvAhead).toBeGreaterThan(npvBase);
  });
  it('a 10% dearer dollar raises USD-priced credits 10% and leaves CCER unchanged', () => {
    const base = run('extends: baseline\n');
    const fx = run(`extends: baseline\noffsets:\n  exchangeRates: { USD: ${7.1884 * 1.1} }\n`);
    for (const [k, v] of base)
      expect(fx.get(k)! / (k.includes('|ccer|') ? v : 1.1 * v), k).toBeCloseTo(1, 8);
  });
});

describe('price files and strategies are validated', () => {
  it('validate rejects a price file with a price that has no source', () => {
    const text = readFileSync('data/prices/carbon-credits.yaml', 'utf8').replace(
      '{ value: 4.8, source: "MSCI: spot carbon-credit prices averaged $4.8/t in 2024, ' +
        'down 20% on 2023 (Jan 2025)" }',
      '{ value: 4.8 }',
    );
    const f = writeFile(tempDir(), 'prices.yaml', text);
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /prices\.yaml:\d+ at credits\.voluntary-avoidance\.bands\.central\.points\.2024\.source/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
  it('a strategy naming a target that is not net zero is refused with the fix', () => {
    const f = writeFile(
      tempDir(),
      'bad-offsets.yaml',
      'extends: baseline\noffsets:\n  targets:\n    - target: dc-pue-1.3\n',
    );
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /bad-offsets\.yaml:4 at offsets\.targets\.0\.target: 'dc-pue-1\.3' is a threshold target/,
    );
  });
  it("inflation needs a price file that says which year's money its prices are in", () => {
    const dir = tempDir();
    writeFile(
      dir,
      'my-prices.yaml',
      readFileSync('data/prices/carbon-credits.yaml', 'utf8').replace('moneyYear: 2024\n', ''),
    );
    const f = writeFile(
      dir,
      'nominal.yaml',
      'extends: baseline\noffsets:\n  prices: my-prices.yaml\n',
    );
    const r = cli(['offsets', f, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /baseline\.yaml:\d+ at offsets\.inflation: nominal costs need the money year of the prices, and .*my-prices\.yaml gives none/,
    );
    expect(r.stderr).toMatch(/fix: add moneyYear: <year> to the price file/);
  });
  it('an uncertain price multiplier must not go below zero', () => {
    const f = writeFile(
      tempDir(),
      'neg.yaml',
      'extends: baseline\noffsets:\n' +
        '  priceMultipliers: { ccer: { dist: normal, mean: 1, sd: 0.5 } }\n',
    );
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /neg\.yaml:3 at offsets\.priceMultipliers\.ccer: this distribution can go below 0; truncate it with min/,
    );
  });
  it('a removal share above 100% is refused', () => {
    const f = writeFile(
      tempDir(),
      'share.yaml',
      'extends: baseline\noffsets:\n  removalShare: { points: { 2030: 1.5 } }\n',
    );
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /share\.yaml:3 at offsets\.removalShare\.points\.2030: must be at most 1/,
    );
  });
  it('a child may override part of the strategy, but the merged strategy needs targets', () => {
    const f = writeFile(tempDir(), 'no-targets.yaml', 'offsets:\n  discountRate: 0.05\n');
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-targets\.yaml:1 at offsets: an offsets block needs targets/);
    const ok = writeFile(
      tempDir(),
      'rate.yaml',
      'extends: baseline\noffsets:\n  discountRate: 0.05\n',
    );
    expect(cli(['validate', ok]).code).toBe(0);
  });
});
