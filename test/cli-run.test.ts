import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, cli, pick, readCsv, tempDir, type Row } from './helpers.js';

const CONTRACT_HEADER = 'scenario,entity,variable,unit,year,kind,value';

describe('carbonpath run on the bundled data', () => {
  let dir: string;
  let rows: Row[];
  let stdout: string;
  beforeAll(() => {
    dir = tempDir();
    const r = cli(['run', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    stdout = r.stdout;
    rows = readCsv(join(dir, 'trajectories.csv'));
  });

  it('writes the contract header and all five bundled scenarios', () => {
    expect(readFileSync(join(dir, 'trajectories.csv'), 'utf8').split('\n')[0]).toBe(
      CONTRACT_HEADER,
    );
    expect([...new Set(rows.map((r) => r.scenario))]).toEqual([
      'baseline',
      'announced',
      'ai-surge',
      'stalled-procurement',
      'grid-decarbonization',
    ]);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['actual', 'projected']));
  });
  it(
    'has every DESIGN.md variable with its unit, ' +
      'actual FY2022–FY2026 and projected FY2027–FY2035',
    () => {
      const units: Record<string, string> = {
        'Emissions|Scope 1': 't CO2e',
        'Emissions|Scope 2|Location-based': 't CO2e',
        'Emissions|Scope 2|Market-based': 't CO2e',
        'Emissions|Scope 3': 't CO2e',
        'Emissions|Scope 1+2|Net': 't CO2e',
        'Intensity|Scope 3': 't CO2e/M CNY',
        Revenue: 'M CNY',
        'Electricity|Purchased': 'MWh',
        'Electricity|Clean Share': '%',
        'PUE|Self-built DC': '1',
        'Grid Emission Factor': 't CO2e/MWh',
        'Avoided Emissions|Scope 3+': 't CO2e',
        'Avoided Emissions|Scope 3+|Cumulative': 't CO2e',
      };
      for (const [variable, unit] of Object.entries(units)) {
        const mine = rows.filter((r) => r.scenario === 'baseline' && r.variable === variable);
        expect(
          mine.every((r) => r.unit === unit),
          variable,
        ).toBe(true);
        const projected = mine.filter((r) => r.kind === 'projected').map((r) => Number(r.year));
        expect(projected, variable).toEqual([2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035]);
        expect(mine.filter((r) => r.kind === 'actual').every((r) => Number(r.year) <= 2026)).toBe(
          true,
        );
      }
      const s1 = rows.filter(
        (r) =>
          r.scenario === 'baseline' && r.variable === 'Emissions|Scope 1' && r.kind === 'actual',
      );
      expect(s1.map((r) => Number(r.year))).toEqual([2022, 2023, 2024, 2025, 2026]);
    },
  );
  it('FY2026 actual rows equal the reported values (004_dda8990f0d8cf4fb.txt)', () => {
    const reported: Array<[string, number]> = [
      ['Emissions|Scope 1', 332126],
      ['Emissions|Scope 2|Market-based', 1985216],
      ['Emissions|Scope 2|Location-based', 5146169],
      ['Emissions|Scope 3', 8182369],
      ['Electricity|Purchased', 9310297],
      ['Electricity|Clean Share', 62.2],
      ['PUE|Self-built DC', 1.187],
      ['Intensity|Scope 3', 8.0],
      ['Avoided Emissions|Scope 3+', 101798126],
      ['Emissions|Scope 1+2|Net', 310313 + 1985216],
      ['Avoided Emissions|Scope 3+|Cumulative', 372418486],
    ];
    for (const scenario of ['baseline', 'ai-surge']) {
      for (const [variable, value] of reported) {
        const r = rows.find(
          (x) => x.scenario === scenario && x.variable === variable && x.year === '2026',
        );
        expect(r?.kind).toBe('actual');
        expect(Number(r?.value), variable).toBe(value);
      }
    }
  });
  it('ai-surge buys more electricity in 2030 than baseline', () => {
    expect(pick(rows, 'ai-surge', 'Electricity|Purchased', 2030)).toBeGreaterThan(
      pick(rows, 'baseline', 'Electricity|Purchased', 2030) * 1.2,
    );
  });
  it('stalled-procurement has more market-based scope 2 in 2030 than announced', () => {
    expect(
      pick(rows, 'stalled-procurement', 'Emissions|Scope 2|Market-based', 2030),
    ).toBeGreaterThan(pick(rows, 'announced', 'Emissions|Scope 2|Market-based', 2030) * 2);
  });
  it(
    'announced delivers its pledges in 2030: ' + '100% clean data centres, scope 3 intensity 4.795',
    () => {
      expect(pick(rows, 'announced', 'Electricity|Clean Share|Self-built DC', 2030)).toBe(100);
      expect(pick(rows, 'announced', 'Intensity|Scope 3', 2030)).toBeCloseTo(4.795, 6);
    },
  );
  it('writes run.json with version, input hashes and resolved parameters', () => {
    const m = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(m.tool.name).toBe('carbonpath');
    // relative to the organization folder; bundled files as carbonpath/… (the same from any cwd)
    expect(m.inputs.map((i: { file: string }) => i.file)).toContain('inventory.csv');
    expect(m.organization.folder).toBe('carbonpath/data/alibaba-group');
    for (const i of m.inputs) expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.scenarios).toHaveLength(5);
    expect(m.scenarios[1].extends).toEqual(['carbonpath/scenarios/baseline.yaml']);
    expect(m.scenarios[1].parameters.selfBuiltCleanShare.points).toEqual({ 2030: 100 });
    expect(m.scenarios[0].calibration.map((t: { name: string }) => t.name)).toContain(
      'residualMixRatio',
    );
  });
  it('prints the 2030 summary table', () => {
    expect(stdout).toMatch(/FY2030 \(base year FY2026\)/);
    expect(stdout).toMatch(/stalled-procurement\s+[\d,]+ \(0\)\s+\d+\.\d\s+1\.\d{3}/);
  });
  it('is deterministic: two runs give byte-identical files', () => {
    const again = tempDir();
    expect(cli(['run', '--out', again]).code).toBe(0);
    for (const f of ['trajectories.csv', 'run.json']) {
      expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, f))), f).toBe(true);
    }
  });
});

describe('run options', () => {
  it('--to 2050 projects to 2050', () => {
    const dir = tempDir();
    expect(cli(['run', 'baseline', '--to', '2050', '--out', dir]).code).toBe(0);
    const years = readCsv(join(dir, 'trajectories.csv'))
      .filter((r) => r.variable === 'Emissions|Scope 1')
      .map((r) => Number(r.year));
    expect(Math.max(...years)).toBe(2050);
  });
  it('--format wide has one column per year', () => {
    const dir = tempDir();
    expect(cli(['run', 'baseline', 'announced', '--format', 'wide', '--out', dir]).code).toBe(0);
    const text = readFileSync(join(dir, 'trajectories.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      `scenario,entity,variable,unit,${Array.from({ length: 14 }, (_, i) => 2022 + i).join(',')}`,
    );
    const row = readCsv(join(dir, 'trajectories.csv')).find(
      (r) => r.scenario === 'announced' && r.variable === 'Emissions|Scope 1',
    )!;
    expect(Number(row['2026'])).toBe(332126);
  });
  it('--format iamc uses the pyam column layout', () => {
    const dir = tempDir();
    expect(cli(['run', 'baseline', '--format', 'iamc', '--out', dir]).code).toBe(0);
    const header = readFileSync(join(dir, 'trajectories.csv'), 'utf8').split('\n')[0]!;
    expect(header.startsWith('model,scenario,region,variable,unit,2022,')).toBe(true);
    const row = readCsv(join(dir, 'trajectories.csv'))[0]!;
    expect(row.model).toMatch(/^carbonpath \d+\.\d+\.\d+$/);
    expect(row.region).toBe('Alibaba Group');
  });
  it('rejects a bad --format or --to as usage errors (exit 2)', () => {
    expect(cli(['run', '--format', 'xlsx', '--out', tempDir()]).code).toBe(2);
    const r = cli(['run', '--to', '2100', '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to must be a year up to 2060/);
  });
  it('names an unknown bundled scenario and lists the real ones', () => {
    const r = cli(['run', 'nonesuch', '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no scenario named 'nonesuch'.*\n.*ai-surge, announced, baseline/);
  });
  it('stops quietly when its output pipe closes early (carbonpath … | head)', () => {
    const r = spawnSync('bash', ['-c', `node ${BIN} run --out ${tempDir()} | head -1`], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
  it('npm start is the full report into reports/latest', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.scripts.start).toBe('node dist/cli/bin.js report --out reports/latest');
    expect(existsSync(join('dist', 'cli', 'bin.js'))).toBe(true);
  });
});
