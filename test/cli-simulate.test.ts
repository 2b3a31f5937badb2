import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAN_HEADER, PROBABILITY_HEADER } from '../src/io/simulate-csv.js';
import { BIN, cli, readCsv, tempDir, writeFile, type Row } from './helpers.js';

describe('carbonpath simulate', () => {
  let a: string;
  let stdout: string;
  beforeAll(() => {
    a = tempDir();
    const r = cli([
      'simulate',
      'baseline',
      'stalled-procurement',
      '--samples',
      '6000',
      '--seed',
      '42',
      '--out',
      a,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    stdout = r.stdout;
  });
  it('writes fan.csv and target-probabilities.csv with the contract columns', () => {
    expect(readFileSync(join(a, 'fan.csv'), 'utf8').split('\n')[0]).toBe(
      'scenario,variable,unit,year,p5,p10,p25,p50,p75,p90,p95,mean',
    );
    expect(FAN_HEADER.join(',')).toBe(
      'scenario,variable,unit,year,p5,p10,p25,p50,p75,p90,p95,mean',
    );
    expect(
      readFileSync(join(a, 'target-probabilities.csv'), 'utf8')
        .split('\n')[0]!
        .startsWith('scenario,target_id,deadline,probability,std_error,samples'),
    ).toBe(true);
    expect(PROBABILITY_HEADER.slice(0, 6).join(',')).toBe(
      'scenario,target_id,deadline,probability,std_error,samples',
    );
    const fan = readCsv(join(a, 'fan.csv'));
    expect(new Set(fan.map((r) => r.scenario))).toEqual(
      new Set(['baseline', 'stalled-procurement']),
    );
    const vars = new Set(fan.map((r) => r.variable));
    for (const v of [
      'Emissions|Scope 1',
      'Emissions|Scope 2|Market-based',
      'Electricity|Clean Share',
      'Avoided Emissions|Scope 3+|Cumulative',
    ])
      expect(vars.has(v)).toBe(true);
  });
  it('percentiles are ordered and probabilities are in [0, 1]', () => {
    for (const r of readCsv(join(a, 'fan.csv'))) {
      const q = ['p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95'].map((k) => Number(r[k]));
      for (let i = 1; i < q.length; i++) expect(q[i]!).toBeGreaterThanOrEqual(q[i - 1]!);
    }
    for (const r of readCsv(join(a, 'target-probabilities.csv'))) {
      expect(Number(r.probability)).toBeGreaterThanOrEqual(0);
      expect(Number(r.probability)).toBeLessThanOrEqual(1);
      expect(Number(r.samples)).toBe(6000);
    }
  });
  it('stalled procurement never meets 100% clean cloud power; baseline sometimes does', () => {
    const pr = readCsv(join(a, 'target-probabilities.csv'));
    const get = (s: string, id: string) =>
      Number(pr.find((r) => r.scenario === s && r.target_id === id)!.probability);
    expect(get('stalled-procurement', 'cloud-clean-100-2030')).toBe(0);
    expect(get('baseline', 'cloud-clean-100-2030')).toBeGreaterThan(0.3);
    expect(get('baseline', 'cloud-clean-100-2030')).toBeLessThan(0.5);
    expect(get('baseline', 'dc-pue-1.3')).toBe(1);
  });
  it('the same seed gives byte-identical files; --workers 1 and 2 agree', () => {
    const b = tempDir();
    const c = tempDir();
    expect(
      cli([
        'simulate',
        'baseline',
        'stalled-procurement',
        '--samples',
        '6000',
        '--seed',
        '42',
        '--workers',
        '1',
        '--out',
        b,
      ]).code,
    ).toBe(0);
    expect(
      cli([
        'simulate',
        'baseline',
        'stalled-procurement',
        '--samples',
        '6000',
        '--seed',
        '42',
        '--workers',
        '2',
        '--out',
        c,
      ]).code,
    ).toBe(0);
    for (const f of ['fan.csv', 'target-probabilities.csv', 'sensitivity.csv']) {
      expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), `${f} same seed`).toBe(
        true,
      );
      expect(readFileSync(join(c, f)).equals(readFileSync(join(b, f))), `${f} workers`).toBe(true);
    }
    const d = tempDir();
    expect(
      cli(['simulate', 'baseline', '--samples', '6000', '--seed', '43', '--out', d]).code,
    ).toBe(0);
    expect(readFileSync(join(d, 'fan.csv')).equals(readFileSync(join(a, 'fan.csv')))).toBe(false);
  });
  it('ranks the sensitivity of each target to each uncertain number', () => {
    const s: Row[] = readCsv(join(a, 'sensitivity.csv')).filter(
      (r) => r.scenario === 'baseline' && r.target_id === 'cloud-clean-100-2030',
    );
    expect(s[0]!.parameter).toBe('dcCleanTrend');
    expect(s.map((r) => Number(r.rank))).toEqual(s.map((_, i) => i + 1));
    for (let i = 1; i < s.length; i++)
      expect(Number(s[i]!.swing)).toBeLessThanOrEqual(Number(s[i - 1]!.swing));
  });
  it('prints the probability table, and no progress bar when piped', () => {
    expect(stdout).toMatch(/cloud-clean-100-2030\s+\d+\.\d%/);
    // the credits to budget for, as in fan.csv
    const f = readCsv(join(a, 'fan.csv')).find(
      (r) => r.scenario === 'baseline' && r.variable === 'Offsets|Scope 1+2' && r.year === '2030',
    )!;
    const mt = (k: string) => (Number(f[k]) / 1e6).toFixed(2);
    expect(stdout).toContain('credits to buy in the first credit year');
    expect(stdout).toMatch(
      new RegExp(
        `baseline\\s+Scope 1\\+2\\s+FY2030\\s+${mt('p50')}\\s+` +
          `${mt('p5')}–${mt('p95')}\\s+${mt('mean')}`,
      ),
    );
    expect(Number(f.p5)).toBeLessThan(Number(f.p95)); // the credits carry the drivers' uncertainty
    // their cost at central prices: linear in the volume with a fixed mix, so mean cost =
    // blended price × mean credits
    const fan = readCsv(join(a, 'fan.csv')).filter(
      (r) => r.scenario === 'baseline' && r.year === '2030',
    );
    const cost = fan.find((r) => r.variable === 'Cost|Offsets|Central')!;
    expect(cost.unit).toBe('M CNY');
    const credits = ['Offsets|Scope 1+2', 'Offsets|Scope 3'].reduce(
      (s, v) => s + Number(fan.find((r) => r.variable === v)!.mean),
      0,
    );
    // FY2030 mix 90% CCER at 2030 central (67.56 in 2025 × 1.03^5), 10% nature-based removals
    // ($21.3 in 2025 × 1.05^5 × 7.1884): 90.030 CNY/t (carbonpath offsets prints 90.0)
    expect((Number(cost.mean) * 1e6) / credits).toBeCloseTo(
      0.9 * 67.56 * 1.03 ** 5 + 0.1 * 21.3 * 1.05 ** 5 * 7.1884,
      2,
    );
    expect(stdout).toMatch(
      new RegExp(
        'baseline: their cost \\(central price band\\): ' +
          `FY2030 ${Number(cost.p50).toFixed(1)} M CNY ` +
          `\\(p5–p95 ${Number(cost.p5).toFixed(1)}–${Number(cost.p95).toFixed(1)}\\); ` +
          'FY2030–FY2035 in all',
      ),
    );
    // the running total: at zero credits before FY2030 it starts there; its mean is the sum of
    // the yearly means
    const all = readCsv(join(a, 'fan.csv')).filter((r) => r.scenario === 'baseline');
    const cum = (y: number) =>
      all.find((r) => r.variable === 'Cost|Offsets|Central|Cumulative' && r.year === String(y))!;
    const yearly = (y: number) =>
      Number(all.find((r) => r.variable === 'Cost|Offsets|Central' && r.year === String(y))!.mean);
    expect(Number(cum(2029).p95)).toBe(0);
    let sum = 0;
    for (let y = 2030; y <= 2035; y++) sum += yearly(y);
    expect(Number(cum(2035).mean)).toBeCloseTo(sum, 3);
    const r = spawnSync(
      'bash',
      ['-c', `node ${BIN} simulate baseline --samples 3000 --seed 1 --out ${tempDir()} 2>&1 | cat`],
      { encoding: 'utf8' },
    );
    expect(r.stdout).not.toMatch(/\[=+/);
  });
  it('refuses bad options', () => {
    expect(cli(['simulate', '--samples', '0', '--seed', '1', '--out', tempDir()]).code).toBe(2);
    expect(cli(['simulate', '--samples', 'many', '--seed', '1', '--out', tempDir()]).code).toBe(2);
    expect(cli(['simulate', '--seed', '1', '--out', tempDir()]).code).toBe(2);
  });
  it("refuses a distribution that can leave its quantity's bounds, naming the line", () => {
    const f = writeFile(
      tempDir(),
      'unc.yaml',
      'extends: baseline\nparameters:\n  selfBuiltCleanShare: { dist: normal, mean: 90, sd: 10 }\n',
    );
    const r = cli(['simulate', f, '--samples', '100', '--seed', '1', '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unc\.yaml:3 at parameters\.selfBuiltCleanShare: this distribution can go above 100 %; truncate it with max/,
    );
  });
});

describe('carbonpath solve', () => {
  it(
    'finds the self-built DC clean-share trend that meets 100% clean cloud power, ' +
      'and the result meets it when run',
    () => {
      const out = tempDir();
      const r = cli([
        'solve',
        'baseline',
        '--target',
        'cloud-clean-100-2030',
        '--lever',
        'constants.dcCleanTrendPp',
        '--min',
        '0',
        '--max',
        '20',
        '--out',
        out,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const value = Number(r.stdout.match(/= ([\d.]+) \(± [\d.]+\) meets/)![1]);
      expect(value).toBeCloseTo((100 - 73.6) / 4, 4);
      const t = tempDir();
      expect(cli(['targets', join(out, 'solved-scenario.yaml'), '--out', t]).code).toBe(0);
      const row = readCsv(join(t, 'targets.csv')).find(
        (x) => x.target_id === 'cloud-clean-100-2030',
      )!;
      expect(row.status).toBe('on-track');
      expect(Number(row.projected_value)).toBeCloseTo(100, 3); // targets allow 1e-6 relative
    },
  );
  it(
    'solves without credits on a 2030 point, ' + 'and says when no value in range works (exit 3)',
    () => {
      const out = tempDir();
      const ok = cli([
        'solve',
        'baseline',
        '--target',
        'scope3-intensity-2030',
        '--without-credits',
        '--lever',
        'parameters.scope3OtherIntensity.points.2030',
        '--min',
        '0',
        '--max',
        '10',
        '--out',
        out,
      ]);
      expect(ok.code).toBe(0);
      const t = tempDir();
      expect(cli(['targets', join(out, 'solved-scenario.yaml'), '--out', t]).code).toBe(0);
      const row = readCsv(join(t, 'targets.csv')).find(
        (x) => x.target_id === 'scope3-intensity-2030',
      )!;
      expect(row.status_without_credits).not.toBe('off-track');
      expect(Math.abs(Number(row.projected_without_credits) - 4.795)).toBeLessThan(1e-4);
      const no = cli([
        'solve',
        'baseline',
        '--target',
        'scope12-neutral-2030',
        '--without-credits',
        '--lever',
        'parameters.otherCleanShare.points.2030',
        '--out',
        tempDir(),
      ]);
      expect(no.code).toBe(3);
      expect(no.stderr).toMatch(
        /no value of parameters\.otherCleanShare\.points\.2030 between 0 and 100 meets/,
      );
    },
  );
  it('solves for a probability with Monte Carlo', () => {
    const out = tempDir();
    const r = cli([
      'solve',
      'baseline',
      '--target',
      'cloud-clean-100-2030',
      '--lever',
      'parameters.selfBuiltCleanShare.points.2030',
      '--probability',
      '0.9',
      '--samples',
      '500',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(Number(r.stdout.match(/= ([\d.]+) \(± [\d.]+\) meets/)![1])).toBeCloseTo(100, 3);
  });
  it('names a bad lever or target', () => {
    expect(
      cli([
        'solve',
        '--target',
        'x',
        '--lever',
        'constants.k',
        '--min',
        '0',
        '--max',
        '1',
        '--out',
        tempDir(),
      ]).stderr,
    ).toMatch(/no target 'x'/);
    expect(
      cli([
        'solve',
        '--target',
        'dc-pue-1.3',
        '--lever',
        'parameters.selfBuiltPue.formula',
        '--out',
        tempDir(),
      ]).stderr,
    ).toMatch(/not a lever/);
    expect(
      cli(['solve', '--target', 'dc-pue-1.3', '--lever', 'constants.pueFloor', '--out', tempDir()])
        .stderr,
    ).toMatch(/give the range to search with --min and --max/);
  });
});

describe('what drives the credit bill (credit-sensitivity.csv)', () => {
  it(
    'ranks each uncertain number by its swing of the bill; ' +
      'a price multiplier moves it in proportion',
    () => {
      const d = tempDir();
      const f = writeFile(
        d,
        'pricey.yaml',
        'extends: baseline\nname: pricey\noffsets:\n' +
          '  priceMultipliers: ' +
          '{ ccer: { dist: triangular, min: 0.7, mode: 1, max: 1.6, id: ccerPrice } }\n',
      );
      const out = join(d, 'out');
      const r = cli(['simulate', f, '--samples', '500', '--seed', '1', '--out', out]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /what moves that total most \(5th → 95th percentile, the others central\): dcLoadGrowth2030 /,
      );
      const rows = readCsv(join(out, 'credit-sensitivity.csv'));
      expect(rows.map((x) => Number(x.rank))).toEqual(rows.map((_, i) => i + 1));
      for (let i = 1; i < rows.length; i++)
        expect(Number(rows[i]!.swing)).toBeLessThanOrEqual(Number(rows[i - 1]!.swing));
      // scope 3+ programmes buy no credits
      expect(Number(rows.find((x) => x.parameter === 'avoidedGrowth')!.swing)).toBe(0);
      // linear in the multiplier: swing = the CCER part of the central bill × (m95 − m05)
      const offsets = tempDir();
      expect(cli(['offsets', f, '--out', offsets]).code).toBe(0);
      const ccer =
        readCsv(join(offsets, 'offsets.csv'))
          .filter(
            (x) => x.credit_type === 'ccer' && x.price_band === 'central' && Number(x.year) <= 2035,
          )
          .reduce((s, x) => s + Number(x.cost), 0) / 1e6;
      const m = rows.find((x) => x.parameter === 'ccerPrice')!;
      expect(Number(m.swing) / (ccer * (Number(m.high_input) - Number(m.low_input)))).toBeCloseTo(
        1,
        5,
      );
      expect(m.unit).toBe('M CNY');
      expect(m.bill_to_year).toBe('2035');
    },
  );
  it('no offset strategy, no credit-sensitivity.csv', () => {
    const d = tempDir();
    const f = writeFile(
      d,
      'none.yaml',
      'name: none\nparameters:\n  revenue: { growth: { dist: uniform, min: 0.02, max: 0.08 } }\n',
    );
    expect(
      cli(['simulate', f, '--samples', '300', '--seed', '1', '--out', join(d, 'out')]).code,
    ).toBe(0);
    expect(existsSync(join(d, 'out', 'credit-sensitivity.csv'))).toBe(false);
  });
});
