/**
 * Coverage per variable (issue #12, item 1): a series reported up to an earlier year than scope 1
 * and 2 is carried forward from its own latest year and marked so; a target is never dropped
 * from a table without a line saying why; a pinned baseYear with newer --actuals is a warning.
 * test/fixtures/scope3-lagging is an invented organization (labelled so in its files): scope 1
 * and 2 to 2025, scope 3 to 2024.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, everyCommand, readCsv, tempDir, type Row } from './helpers.js';

const DATA = 'test/fixtures/scope3-lagging';
// By hand, from the fixture: scope 3 100,000 t on revenue 1,000 M USD in 2024 (100 t/M USD);
// revenue 1,100 M USD in 2025; the baseline grows revenue 5%/yr and cuts intensity 4%/yr.
const INTENSITY_2024 = 100000 / 1000;
const CARRIED_2025 = INTENSITY_2024 * 1100; // 110,000 t
const scope3 = (year: number) =>
  1100 * 1.05 ** (year - 2025) * INTENSITY_2024 * 0.96 ** (year - 2025);

describe('scope 3 reported a year behind scope 1 and 2', () => {
  const out = tempDir('carbonpath-coverage-');
  const results = everyCommand(DATA, out, {
    target: 's3-minus-25',
    lever: 'parameters.scope3.all.intensity.growth',
    min: '-0.3',
    max: '0',
  });
  const byCommand = (name: string) => results.find((x) => x.args[0] === name)!.r;
  const rows = readCsv(join(out, 'run', 'trajectories.csv'));
  const row = (variable: string, year: number): Row =>
    rows.find((r) => r.variable === variable && Number(r.year) === year)!;

  it('every command runs', () => {
    for (const { args, r } of results) expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
  });

  it('is carried forward from 2024 into 2025, marked carried, then projected', () => {
    expect(row('Emissions|Scope 3', 2024)).toMatchObject({ kind: 'actual', value: '100000' });
    const carried = row('Emissions|Scope 3', 2025);
    expect(carried.kind).toBe('carried');
    expect(Number(carried.value)).toBeCloseTo(CARRIED_2025, 6);
    const first = row('Emissions|Scope 3', 2026);
    expect(first.kind).toBe('projected');
    expect(Number(first.value)).toBeCloseTo(1100 * 1.05 * 100 * 0.96, 6); // 110,880 t
    // the CSV keeps 10 significant digits
    expect(Number(row('Emissions|Scope 3', 2030).value) / scope3(2030) - 1).toBeCloseTo(0, 8);
    // everything that includes scope 3 is carried in 2025 too: 4,800 + 11,550 + 110,000 t
    expect(row('Emissions|Scope 1+2+3', 2025).kind).toBe('carried');
    expect(Number(row('Emissions|Scope 1+2+3', 2025).value)).toBeCloseTo(126350, 6);
    expect(row('Intensity|Scope 3', 2025)).toMatchObject({ kind: 'carried', value: '100' });
  });

  it('leaves the kinds of every other series as they were', () => {
    expect(row('Emissions|Scope 1', 2025)).toMatchObject({ kind: 'actual', value: '4800' });
    expect(row('Emissions|Scope 2|Market-based', 2025).kind).toBe('actual');
    const carried = new Set(rows.filter((r) => r.kind === 'carried').map((r) => r.variable));
    expect([...carried].sort()).toEqual(
      [
        'Emissions|Scope 1+2+3',
        'Emissions|Scope 1+2+3|Net',
        'Emissions|Scope 3',
        'Emissions|Scope 3|Net',
        'Intensity|Scope 3',
        'Intensity|Scope 3|Gross',
        'Offsets|Scope 1+2+3',
        'Offsets|Scope 3',
      ].sort(),
    );
    for (const r of rows.filter((x) => x.kind === 'carried')) expect(r.year).toBe('2025');
  });

  it('says so in the terminal summary and run.json', () => {
    expect(byCommand('run').stdout).toContain(
      'carried: Emissions|Scope 3 is reported up to 2024: its 2025 value is carried forward ' +
        "from 2024 (2024 t CO2e per unit of revenue × 2025 revenue), kind 'carried' in " +
        'trajectories.csv',
    );
    const manifest = JSON.parse(readFileSync(join(out, 'run', 'run.json'), 'utf8'));
    expect(manifest.organization.carried).toEqual([
      {
        variable: 'Emissions|Scope 3',
        latestYear: 2024,
        coverage: ['scope3', 'category:all'],
        how: '2024 t CO2e per unit of revenue × 2025 revenue',
      },
    ]);
  });

  it('keeps its scope 3 targets in targets.csv, evaluated on the carried series', () => {
    const t = readCsv(join(out, 'targets', 'targets.csv'));
    const s3 = t.find((r) => r.target_id === 's3-minus-25')!;
    expect(s3.status).toBe('off-track');
    expect(Number(s3.target_value)).toBe(75000); // −25% of the 2024 100,000 t
    expect(Number(s3.projected_value) / scope3(2030) - 1).toBeCloseTo(0, 8);
    expect(s3).toMatchObject({ latest_year: '2025', latest_value: '110000' });
    expect(s3.note).toMatch(/^Emissions\|Scope 3 is reported up to 2024: its 2025 value is/);
    const nz = t.find((r) => r.target_id === 's3-net-zero-2035')!;
    expect(nz.status).toBe('on-track'); // with credits; 119,124 t before them
    expect(Number(nz.projected_without_credits) / scope3(2035) - 1).toBeCloseTo(0, 8);
  });

  it('never drops a target from a table without saying why', () => {
    const t = readCsv(join(out, 'targets', 'targets.csv'));
    expect(t.find((r) => r.target_id === 'zero-waste')).toMatchObject({
      status: 'not-modelled',
      note: 'Waste is not a climate quantity in this model.',
    });
    expect(byCommand('targets').stdout).toContain(
      '\n— zero-waste: Waste is not a climate quantity in this model.\n',
    );
    const md = readFileSync(join(out, 'report', 'report.md'), 'utf8');
    const left = 'Not in this table (not modelled): zero-waste: Waste is not a climate quantity';
    // both target tables (the headline's and "Targets at a glance") say it
    expect(md.split(left).length - 1).toBe(2);
    expect(readFileSync(join(out, 'report', 'report.html'), 'utf8')).toContain(left);
  });

  it('the report has the scope 3 targets and a note on the carried series', () => {
    const md = readFileSync(join(out, 'report', 'report.md'), 'utf8');
    expect(md).toMatch(/^\| Scope 3 −25% vs 2024 by 2030 \| 2030 \| off track \|/m);
    expect(md).toMatch(/^\| Scope 3 net zero by 2035 \| 2035 \| on track with credits \|/m);
    expect(md).toMatch(
      /^- Emissions\\\|Scope 3 is reported up to 2024: its 2025 value is carried forward from 2024/m,
    );
    // the chart starts the projection at the carried 2025 value, after the 2024 actual
    const chart = readCsv(join(out, 'report', 'chart-target-s3-minus-25.csv'));
    expect(chart.filter((r) => r.series === 'reported').map((r) => r.year)).toEqual([
      '2023',
      '2024',
    ]);
    expect(chart.find((r) => r.series === 'baseline')).toMatchObject({
      year: '2025',
      value: '110000',
    });
  });

  it('offsets, simulate and solve work on the carried series', () => {
    const credits = readCsv(join(out, 'offsets', 'offsets.csv')).filter(
      (r) => r.price_band === 'central',
    );
    expect(credits.map((r) => r.year)).toEqual(['2035']);
    expect(Number(credits[0]!.tonnes) / scope3(2035) - 1).toBeCloseTo(0, 6);
    const p = readCsv(join(out, 'sim', 'target-probabilities.csv'));
    expect(p.find((r) => r.target_id === 's3-minus-25')!.probability).toBe('0');
    // 1,100 × 1.05^5 × 100 × (1 + g)^5 = 75,000 t
    const g = (75000 / (1100 * 1.05 ** 5 * 100)) ** (1 / 5) - 1;
    const solved = JSON.parse(readFileSync(join(out, 'solve', 'solve.json'), 'utf8'));
    expect(solved.status).toBe('solved');
    expect(Math.abs(solved.value - g)).toBeLessThan(solved.tolerance);
  });
});

describe('a pinned baseYear and newer --actuals', () => {
  it('is a warning on stderr, in run.json and in the report, and fails --fail-on warning', () => {
    const dir = tempDir('carbonpath-coverage-pin-');
    cpSync(DATA, dir, { recursive: true });
    const orgFile = join(dir, 'organization.yaml');
    writeFileSync(orgFile, `${readFileSync(orgFile, 'utf8')}baseYear: 2025\n`);
    const actuals = join(dir, 'actuals-2026.csv');
    writeFileSync(
      actuals,
      'basis,variable,unit,year,value,provenance,source,note\n' +
        'reported,Emissions|Scope 1,t CO2e,2026,4600,reported,invented.txt:30,\n' +
        'reported,Emissions|Scope 2|Market-based,t CO2e,2026,11000,reported,invented.txt:31,\n',
    );
    const out = join(dir, 'report-out');
    const args = ['report', '--data', dir, '--actuals', actuals, '--samples', '0'];
    const text =
      'baseYear 2025 is pinned in organization.yaml, but the actuals report Emissions|Scope 1, ' +
      'Emissions|Scope 2|Market-based for 2026: the projection still starts from 2025 and the ' +
      'newer actuals are not used';
    const r = cli([...args, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${text}`);
    expect(r.stderr).toContain(
      'fix: remove baseYear from organization.yaml to start from 2026, or set baseYear: 2026',
    );
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(manifest.scenarios[0].warnings).toContainEqual(
      expect.objectContaining({ code: 'base-year-pinned', message: text }),
    );
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('- Warning: baseYear 2025 is pinned in organization.yaml');
    const strict = cli([...args, '--out', join(dir, 'strict'), '--fail-on', 'warning']);
    expect(strict.code).toBe(3);
    // without --actuals (nothing newer than the pin) there is no warning
    const quiet = cli(['run', '--data', dir, '--out', join(dir, 'run')]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('is pinned');
  });
});

describe('docs/organization-format.md, "A lagging series"', () => {
  it('shows rows of the fixture that the tests above run', () => {
    const doc = readFileSync('docs/organization-format.md', 'utf8');
    const at = doc.indexOf('**A lagging series**');
    const block = /```csv\n([\s\S]*?)```/.exec(doc.slice(at))![1]!.trim().split('\n');
    const inventory = readFileSync(join(DATA, 'inventory.csv'), 'utf8').split('\n');
    expect(block.length).toBe(5);
    for (const line of block) expect(inventory).toContain(line);
    expect(doc.slice(at)).toContain(`${CARRIED_2025.toLocaleString('en-US')} t)`);
  });
});

describe('a carried revenue-intensity scope 3 without base-year revenue', () => {
  it('is refused naming the row to add, nothing written (exit 2)', () => {
    const dir = tempDir('carbonpath-coverage-norev-');
    cpSync(DATA, dir, { recursive: true });
    const inv = join(dir, 'inventory.csv');
    writeFileSync(
      inv,
      readFileSync(inv, 'utf8')
        .split('\n')
        .filter((l) => !l.includes('Revenue,M USD,2025'))
        .join('\n'),
    );
    const r = cli(['run', '--data', dir, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "scope 3 is carried forward from 2024 as revenue × intensity, but there is no 'Revenue' " +
        'for the base year 2025\n  fix: add a Revenue row for 2025 (in millions of USD)',
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
