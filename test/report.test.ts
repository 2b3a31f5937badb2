import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHARTS, cli, readCsv, tempDir } from './helpers.js';

describe('carbonpath report', () => {
  let root: string;
  let a: string;
  beforeAll(() => {
    root = tempDir('reports-');
    a = join(root, 'fy2026');
    const r = cli(['report', '--out', a, '--samples', '300']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  it(
    'writes report.md, a self-contained report.html, ' + 'and the CSV behind every chart and table',
    () => {
      const html = readFileSync(join(a, 'report.html'), 'utf8');
      const md = readFileSync(join(a, 'report.md'), 'utf8');
      for (const c of CHARTS) {
        expect(existsSync(join(a, `${c}.csv`)), c).toBe(true);
        expect(existsSync(join(a, `${c}.svg`)), c).toBe(true);
        expect(html).toContain(`data-chart="${c}"`);
        expect(md).toContain(`](${c}.svg)`);
      }
      for (const t of [
        'headline',
        'changes',
        'offsets-summary',
        'credit-drivers',
        'decomposition',
        'assumptions',
        'provenance-inputs',
        'provenance-assumptions',
        'provenance-calibration',
      ]) {
        expect(existsSync(join(a, `${t}.csv`)), t).toBe(true);
      }
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // no scripts, nothing fetched
      for (const h of [
        'Targets at a glance',
        'What changed since the last report',
        'Trajectories against the required pathways',
        'Uncertainty',
        'Carbon credits and their cost',
        'What drives market-based scope 2',
        'The assumptions that matter most',
        'Appendix: provenance',
      ]) {
        expect(md).toContain(`## ${h}`);
        expect(html).toContain(h);
      }
    },
  );
  it('names what moves the credit bill, as credit-sensitivity.csv ranks it', () => {
    const drivers = readCsv(join(a, 'credit-drivers.csv'));
    const all = readCsv(join(a, 'credit-sensitivity.csv')).filter((x) => x.scenario === 'baseline');
    expect(drivers.length).toBeGreaterThan(2);
    drivers.forEach((d, i) => {
      expect(d['uncertain number']).toBe(all[i]!.parameter);
      expect(Number(d['swing, M CNY'])).toBeCloseTo(Number(all[i]!.swing), 6);
    });
    // leased data centres dominate the credits; their load growth drives the bill
    expect(drivers[0]!['uncertain number']).toBe('dcLoadGrowth2030');
    expect(readFileSync(join(a, 'report.md'), 'utf8')).toContain(
      '### What moves the credit bill, baseline',
    );
  });
  it('the headline covers every modelled target for every scenario', () => {
    const h = readCsv(join(a, 'headline.csv'));
    expect(new Set(h.map((r) => r.scenario)).size).toBe(5);
    expect(new Set(h.map((r) => r.target))).toEqual(
      new Set([
        'scope12-neutral-2030',
        'scope3-intensity-2030',
        'cloud-scope3-neutral-2030',
        'scope3plus-1.5gt-2035',
        'cloud-clean-100-2030',
        'cloud-clean-100-2030-all-dc',
        'dc-pue-1.3',
      ]),
    );
    for (const r of h) expect(Number(r.probability)).toBeGreaterThanOrEqual(0);
  });
  it('the LMDI effects sum exactly to the change in market-based scope 2', () => {
    for (const r of readCsv(join(a, 'decomposition.csv'))) {
      const sum = ['activity', 'pue', 'cleanShare', 'gridFactor', 'heat'].reduce(
        (s, k) => s + Number(r[k]),
        0,
      );
      const change = Number(r.FY2030) - Number(r.FY2026);
      expect(Math.abs(sum - change), r.scenario).toBeLessThan(
        1e-6 * Math.max(1, Math.abs(Number(r.FY2026))),
      );
      expect(Math.abs(Number(r.residual))).toBeLessThan(1);
    }
    const base = readCsv(join(a, 'decomposition.csv')).find((r) => r.scenario === 'baseline')!;
    expect(Number(base.activity)).toBeGreaterThan(0); // load grows
    expect(Number(base.cleanShare)).toBeLessThan(0); // clean power cuts
  });
  it('the same inputs give a byte-identical report', () => {
    const b = join(root, 'fy2026');
    const before = new Map(readdirSync(a).map((f) => [f, readFileSync(join(a, f))]));
    expect(cli(['report', '--out', b, '--samples', '300']).code).toBe(0);
    for (const f of readdirSync(b))
      expect(readFileSync(join(b, f)).equals(before.get(f)!), f).toBe(true);
  });
  it('re-bases on new FY2027 actuals and shows what changed since the last report', () => {
    const c = join(root, 'fy2027');
    const r = cli([
      'report',
      '--out',
      c,
      '--samples',
      '300',
      '--actuals',
      'test/fixtures/actuals-fy2027.csv',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = readFileSync(join(c, 'report.md'), 'utf8');
    expect(md).toMatch(/as of FY2027/);
    expect(md).toMatch(/Compared with the report in fy2026 \(as of FY2026\)/);
    const changes = readCsv(join(c, 'changes.csv'));
    expect(changes.length).toBeGreaterThan(10);
    const s2 = changes.find(
      (x) => x.scenario === 'baseline' && x.item === 'Emissions|Scope 2|Market-based',
    )!;
    expect(Number(s2.change)).toBeCloseTo(Number(s2.current) - Number(s2.previous), 0);
    expect(Number(s2.change)).not.toBe(0);
    expect(md).toMatch(
      /superseded by the actuals and ignored: parameters\.selfBuiltItLoad\.points\.2027/,
    );
    const traj = readCsv(join(c, 'trajectories.csv'));
    expect(
      traj.find(
        (x) => x.scenario === 'baseline' && x.variable === 'Emissions|Scope 1' && x.year === '2027',
      )!.kind,
    ).toBe('actual');
    expect(JSON.parse(readFileSync(join(c, 'report-data.json'), 'utf8')).asOf).toBe(2027);
    expect(
      JSON.parse(readFileSync(join(c, 'run.json'), 'utf8')).inputs.map(
        (i: { file: string }) => i.file,
      ),
    ).toContain('../../test/fixtures/actuals-fy2027.csv'); // from the organization folder
  });
  it('--fail-on off-track exits 3 after writing the report', () => {
    const d = tempDir();
    const r = cli(['report', '--out', join(d, 'r'), '--samples', '0', '--fail-on', 'off-track']);
    expect(r.code).toBe(3);
    expect(existsSync(join(d, 'r', 'report.html'))).toBe(true);
    expect(r.stderr).toMatch(/off track: .*cloud-clean-100-2030/);
  });
});

describe('the report of another organization', () => {
  it('draws one chart per modelled target of that organization', () => {
    const org = join(tempDir(), 'acme-corp');
    expect(cli(['init', org]).code).toBe(0);
    const out = join(tempDir(), 'r');
    const r = cli(['report', '--data', org, '--out', out, '--samples', '100']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('data-chart="chart-target-halve-scope12-2030"');
    expect(html).not.toContain('chart-target-dc-pue');
    expect(
      readCsv(join(out, 'chart-target-halve-scope12-2030.csv')).some(
        (x) => x.series === 'required pathway',
      ),
    ).toBe(true);
  });
});
