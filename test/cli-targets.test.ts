import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TARGETS_HEADER } from '../src/io/targets-csv.js';
import { cli, readCsv, tempDir, writeFile, type Row } from './helpers.js';

const SEVEN = [
  'scope12-neutral-2030',
  'scope3-intensity-2030',
  'cloud-scope3-neutral-2030',
  'scope3plus-1.5gt-2035',
  'scope3plus-1.5gt-2035-fy2021',
  'cloud-clean-100-2030',
  'dc-pue-1.3',
];

describe('carbonpath targets on the bundled data', () => {
  let dir: string;
  let rows: Row[];
  let stdout: string;
  const get = (scenario: string, id: string) =>
    rows.find((r) => r.scenario === scenario && r.target_id === id)!;
  beforeAll(() => {
    dir = tempDir();
    const r = cli(['targets', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    stdout = r.stdout;
    rows = readCsv(join(dir, 'targets.csv'));
  });
  it('has the contract columns first, in order', () => {
    const header = readFileSync(join(dir, 'targets.csv'), 'utf8').split('\n')[0]!;
    expect(
      header.startsWith(
        'scenario,target_id,metric,unit,deadline,target_value,projected_value,gap,status,' +
          'first_met_year,required_annual_change,scenario_annual_change,source',
      ),
    ).toBe(true);
    expect(header).toBe(TARGETS_HEADER.join(','));
  });
  it('covers these seven targets for every bundled scenario', () => {
    for (const s of [
      'baseline',
      'announced',
      'ai-surge',
      'stalled-procurement',
      'grid-decarbonization',
    ]) {
      for (const id of SEVEN) expect(get(s, id), `${s} ${id}`).toBeDefined();
    }
  });
  it('the PUE target is met in baseline', () => {
    expect(get('baseline', 'dc-pue-1.3').status).toBe('met');
  });
  it(
    'the scope 3+ target shows 372.4 Mt cumulative at FY2026 ' + 'and 125.3 Mt/yr needed to FY2035',
    () => {
      const r = get('baseline', 'scope3plus-1.5gt-2035');
      expect(Number(r.latest_year)).toBe(2026);
      expect(Math.abs(Number(r.latest_value) / 1e6 - 372.4)).toBeLessThanOrEqual(0.1);
      expect(Number(r.progress)).toBeCloseTo(0.2483, 4);
      expect(Number(r.required_annual_change) / 1e6).toBeCloseTo(125.29, 2);
    },
  );
  it(
    'the 1.5 Gt pledge is read two ways: FY2022–FY2035 and FY2021–FY2035, each in its title ' +
      'and window_start; FY2021 is unreported, so both read 372.4 Mt at FY2026',
    () => {
      const a = get('baseline', 'scope3plus-1.5gt-2035');
      const b = get('baseline', 'scope3plus-1.5gt-2035-fy2021');
      expect(a.title).toContain('FY2022–FY2035 (14 fiscal years)');
      expect(b.title).toContain('FY2021–FY2035 (15 fiscal years)');
      expect([a.window_start, b.window_start]).toEqual(['2022', '2021']);
      // Σ FY2022..FY2026 of 004_dda8990f0d8cf4fb.txt:4063; nothing reported for FY2021
      const sum = 44184795 + 67238344 + 75306608 + 83890613 + 101798126;
      expect(sum).toBe(372418486);
      for (const r of [a, b]) {
        expect(Number(r.latest_value)).toBe(sum);
        expect(Number(r.deadline)).toBe(2035);
        expect(Number(r.required_annual_change)).toBeCloseTo((1.5e9 - sum) / 9, 0);
      }
      expect(b.projected_value).toBe(a.projected_value);
      expect(b.status).toBe(a.status);
      expect(b.note).toContain('2021 counted as 0, so the cumulative values are a lower bound');
      expect(a.note).not.toContain('counted as 0');
      // non-cumulative targets leave window_start blank
      expect(get('baseline', 'dc-pue-1.3').window_start).toBe('');
      expect(get('baseline', 'scope12-neutral-2030').window_start).toBe('');
    },
  );
  it(
    'stalled-procurement is off track for 100% clean electricity for cloud; ' +
      'announced is on track',
    () => {
      expect(get('stalled-procurement', 'cloud-clean-100-2030').status).toBe('off-track');
      expect(get('stalled-procurement', 'cloud-clean-100-2030').projected_value).toBe('73.6');
      expect(get('announced', 'cloud-clean-100-2030').status).toBe('on-track');
    },
  );
  it('announced meets the scope 3 intensity target exactly at 4.795 (= 9.59 × 50%)', () => {
    const r = get('announced', 'scope3-intensity-2030');
    expect(Number(r.target_value)).toBeCloseTo(4.795, 9);
    expect(r.status).toBe('on-track');
  });
  it('neutrality targets show the without-credits view; gaps in t CO2e for intensity', () => {
    const r = get('baseline', 'scope12-neutral-2030');
    expect(r.status_without_credits).toBe('off-track');
    expect(Number(r.projected_without_credits)).toBeGreaterThan(0);
    const i = get('baseline', 'scope3-intensity-2030');
    expect(Number(i.gap_tco2e)).toBeCloseTo(Number(i.gap) * 1368569.872, -2);
  });
  it(
    'writes the required pathways, the SBTi benchmarks ' + 'and the recalculation worked example',
    () => {
      const p = readCsv(join(dir, 'target-pathways.csv')).filter(
        (r) => r.scenario === 'baseline' && r.target_id === 'scope12-neutral-2030',
      );
      expect(p.map((r) => Number(r.year))).toEqual([2026, 2027, 2028, 2029, 2030]);
      expect(Number(p[0]!.required)).toBe(2295529);
      expect(Number(p.at(-1)!.required)).toBe(0);
      const sbti = readCsv(join(dir, 'sbti.csv')).find(
        (r) =>
          r.scenario === 'baseline' &&
          r.scope === 'scope-1+2' &&
          r.benchmark === '1.5C' &&
          r.year === '2030',
      )!;
      // SBTi counts a base year after 2020 from 2020: 4.2%/yr × (2030 − 2020) = 42% by 2030
      // (it was 4.2% × 8 = 33.6%, 14.5% too lenient), reached linearly from FY2022
      expect(Number(sbti.benchmark_value)).toBeCloseTo(2688538 * (1 - 0.042 * 10), 3);
      const y2026 = readCsv(join(dir, 'sbti.csv')).find(
        (r) =>
          r.scenario === 'baseline' &&
          r.scope === 'scope-1+2' &&
          r.benchmark === '1.5C' &&
          r.year === '2026',
      )!;
      expect(Number(y2026.benchmark_value)).toBeCloseTo(2688538 * (1 - ((0.042 * 10) / 8) * 4), 3);
      const rc = readCsv(join(dir, 'base-recalculation.csv'));
      expect(rc.find((r) => r.metric === 'Emissions|Scope 1+2+3')!.recalculation_required).toBe(
        'yes',
      );
      expect(rc.find((r) => r.metric === 'Emissions|Scope 3')!.recalculation_required).toBe('no');
      expect(stdout).toMatch(/base-year recalculation \(FY2024\): required/);
    },
  );
  it('marks targets met only thanks to credits, and shows the without-credits result', () => {
    expect(stdout).toMatch(/scope3-intensity-2030\s+FY2030\s+on-track\*\s+on-track\s/);
    const i = get('baseline', 'scope3-intensity-2030');
    expect(i.status).toBe('on-track');
    expect(i.status_without_credits).toBe('off-track');
    expect(Number(i.projected_without_credits)).toBeGreaterThan(Number(i.target_value));
    expect(get('announced', 'scope3-intensity-2030').status_without_credits).toBe('on-track');
  });
  it('prints one status line per target', () => {
    expect(stdout).toMatch(/dc-pue-1\.3\s+every yr\s+met\s+met/);
    expect(stdout).toMatch(/campus-leed-gold\s+—/);
  });
});

describe('--fail-on off-track', () => {
  const org = 'test/fixtures/acme-calendar';
  it('exits 3 when a target is off track, after writing targets.csv', () => {
    const dir = tempDir();
    const r = cli([
      'targets',
      `${org}/plan.yaml`,
      '--data',
      org,
      '--out',
      dir,
      '--fail-on',
      'off-track',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/1 target\(s\) off track: acme-plan\/s3-intensity-2030/);
    expect(readCsv(join(dir, 'targets.csv'))).toHaveLength(4);
  });
  it('exits 0 when none is', () => {
    const r = cli([
      'targets',
      `${org}/plan.yaml`,
      '--data',
      org,
      '--targets',
      `${org}/targets-on-track.yaml`,
      '--out',
      tempDir(),
      '--fail-on',
      'off-track',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  it('exits 0 without --fail-on even when a target is off track', () => {
    expect(cli(['targets', `${org}/plan.yaml`, '--data', org, '--out', tempDir()]).code).toBe(0);
  });
  it('rejects an unknown condition', () => {
    expect(cli(['targets', '--fail-on', 'sometimes', '--out', tempDir()]).code).toBe(2);
  });
});

describe(
  'a fixture organization with a calendar year, ' + 'base year 2023 and other target kinds',
  () => {
    const org = 'test/fixtures/acme-calendar';
    let rows: Row[];
    beforeAll(() => {
      const dir = tempDir();
      const r = cli(['targets', `${org}/plan.yaml`, '--data', org, '--out', dir]);
      expect(r.stderr).toBe('');
      rows = readCsv(join(dir, 'targets.csv'));
    });
    const get = (id: string) => rows.find((r) => r.target_id === id)!;
    it('absolute −50% vs 2021: scope 1 = 900 × 0.9^7 in 2030 against 500 → on track', () => {
      const r = get('s1-half-2030');
      expect(Number(r.target_value)).toBe(500);
      expect(Number(r.projected_value)).toBeCloseTo(900 * 0.9 ** 7, 3);
      expect(r.status).toBe('on-track');
      expect(Number(r.first_met_year)).toBe(2029); // 900 × 0.9^6 = 478
    });
    it('absolute cap: market-based scope 2 is 0 once all power is clean in 2030', () => {
      expect(Number(get('s2-cap-2030').projected_value)).toBe(0);
      expect(get('s2-cap-2030').status).toBe('on-track');
    });
    it(
      'intensity vs a base year from the inventory: ' +
        '10 → 7 needed, 19000/2200 held → off track',
      () => {
        const r = get('s3-intensity-2030');
        expect(Number(r.target_value)).toBeCloseTo(7, 9);
        expect(Number(r.projected_value)).toBeCloseTo(19000 / 2200, 5);
        expect(r.status).toBe('off-track');
        expect(Number(r.gap_tco2e)).toBeCloseTo((19000 / 2200 - 7) * 2200 * 1.05 ** 7, 0);
      },
    );
    it('threshold ≥ 40% every year: met', () => {
      expect(get('clean-at-least-40').status).toBe('met');
    });
  },
);

describe('targets file errors', () => {
  it('names the file, line and field', () => {
    const f = writeFile(
      tempDir(),
      't.yaml',
      'targets:\n  - id: x\n    title: t\n    kind: absolute\n    wording: w\n    source: s\n' +
        '    metric: Emissions|Scope 1\n    deadline: 2030\n',
    );
    const r = cli(['targets', 'baseline', '--targets', f, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/t\.yaml:\d+ at targets\.0\.reduction: give either reduction or cap/);
  });
  it('an unknown metric names the target', () => {
    const f = writeFile(
      tempDir(),
      't.yaml',
      'targets:\n  - id: x\n    title: t\n    kind: threshold\n    wording: w\n    source: s\n' +
        '    metric: Emissions|Scope 9\n    max: 1\n',
    );
    const r = cli(['targets', 'baseline', '--targets', f, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /t\.yaml:2 at targets\.0 \(x\): the trajectory has no variable 'Emissions\|Scope 9'/,
    );
  });
  it('a recalculation ratio whose metric has no original value names its line', () => {
    const f = writeFile(
      tempDir(),
      't.yaml',
      readFileSync('data/alibaba-group/targets.yaml', 'utf8').replace(
        '{ numerator: Emissions|Scope 3, denominator: Revenue }',
        '{ numerator: Emissions|Scope 3, denominator: Turnover }',
      ),
    );
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /t\.yaml:\d+ at recalculation\.ratios\..*\.denominator: 'Turnover' has no original value; add it under recalculation\.original/,
    );
  });
});
