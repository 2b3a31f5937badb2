/**
 * Series breaks (issue #13 item 4): the organization declares where a reported series changes
 * basis; every line chart of a listed variable draws a rule there and the report's notes say why.
 * The bundled data declares one: the grid emission factor's factor set, FY2024 → FY2025
 * (004_dda8990f0d8cf4fb.txt:4050).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { breaksInHistory } from '../src/app/series-breaks.js';
import type { Chart } from '../src/report/charts.js';
import { buildReport, type Report } from '../src/report/build.js';
import { cli, readCsv, ROOT, tempDir } from './helpers.js';

const DATA = join(ROOT, 'data', 'alibaba-group');
type Layer = { mark: { type: string }; data?: { values: Array<Record<string, unknown>> } };
const layers = (c: Chart) => (c.spec.layer ?? []) as Layer[];
const chart = (r: Report, id: string) => r.pathwayCharts.find((c) => c.id === id)!;

describe('the grid factor-set change on the bundled data', () => {
  let report: Report;
  let asOf2024: Report;
  beforeAll(async () => {
    report = await buildReport({ out: tempDir(), data: DATA, samples: 0, seed: 1 });
    asOf2024 = await buildReport({ out: tempDir(), data: DATA, samples: 0, seed: 1, asOf: 2024 });
  });

  it('the grid factor chart draws a rule at FY2024.5 labelled "factor set changed"', () => {
    const c = chart(report, 'chart-grid-factor');
    const [lines, rule, text] = layers(c);
    expect(lines!.mark.type).toBe('line');
    expect(rule!.mark.type).toBe('rule');
    expect(text!.mark.type).toBe('text');
    expect(rule!.data!.values).toEqual([{ break_x: 2024.5, break_label: 'factor set changed' }]);
    // the reported factor on either side: (LB − heat × 0.396) ÷ electricity, 004:4033/4071/4074
    const reported = c.rows.filter((r) => r.series === 'reported');
    const at = (y: number) => reported.find((r) => r.year === y)!.value as number;
    expect(at(2024)).toBeCloseTo((3733673 - 24314 * 0.396) / 4971733, 6); // 0.749
    expect(at(2025)).toBeCloseTo((3935579 - 10622 * 0.396) / 6764967, 6); // 0.581
  });

  it('every chart of a listed variable draws it; others do not', () => {
    // scope 1+2 neutrality is drawn on gross scope 1+2, a listed variable
    expect(layers(chart(report, 'chart-target-scope12-neutral-2030'))[1]!.data!.values).toEqual([
      { break_x: 2024.5, break_label: 'factor set changed' },
    ]);
    for (const id of ['chart-target-dc-pue-1-3', 'chart-target-scope3-intensity-2030'])
      expect(chart(report, id).spec.layer, id).toBeUndefined();
  });

  it('the report says it in its notes and captions, at FY2024 → FY2025', () => {
    const out = join(tempDir(), 'report');
    const r = cli(['report', '--samples', '0', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/- Series break, FY2024 → FY2025 \(Grid Emission Factor, /);
    expect(md).toContain('004\\_dda8990f0d8cf4fb.txt:4050');
    expect(md).toContain('Dotted rule, FY2024 → FY2025: factor set changed (see Notes).');
    expect(readFileSync(join(out, 'chart-grid-factor.svg'), 'utf8')).toContain(
      'factor set changed',
    );
    // the chart's CSV has the reported factor on both sides of the break
    const rows = readCsv(join(out, 'chart-grid-factor.csv')).filter((x) => x.series === 'reported');
    expect(rows.map((x) => x.year)).toEqual(['2023', '2024', '2025', '2026']);
  });

  it('as of FY2024 the break lies after the history: no rule, no note', () => {
    expect(chart(asOf2024, 'chart-grid-factor').spec.layer).toBeUndefined();
    expect(asOf2024.notes.some((n) => JSON.stringify(n).includes('Series break'))).toBe(false);
  });
});

describe('which breaks a run draws', () => {
  const b = (year: number, basis?: string) => ({
    variables: ['Grid Emission Factor'],
    year,
    label: 'x',
    reason: 'r',
    source: 's',
    ...(basis ? { basis } : {}),
  });
  it('its basis or every basis, and no later than its base year', () => {
    const all = [b(2025, 'restated-2026'), b(2025), b(2027), b(2023, 'original-2024')];
    expect(breaksInHistory(all, 'restated-2026', 2026)).toEqual([all[0], all[1]]);
    expect(breaksInHistory(all, 'original-2024', 2024)).toEqual([all[3]]);
    expect(breaksInHistory(undefined, 'restated-2026', 2026)).toEqual([]);
  });
});

describe('bad series breaks: exit 2, the field named, nothing written', () => {
  const withBreak = (edit: (yaml: string) => string): string => {
    const dir = join(tempDir(), 'org');
    cpSync(DATA, dir, { recursive: true });
    const file = join(dir, 'organization.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return dir;
  };
  const run = (dir: string) => {
    const out = join(tempDir(), 'out');
    const r = cli(['run', 'baseline', '--data', dir, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    return r.stderr;
  };
  it('a misspelt variable, with the nearest one', () => {
    const dir = withBreak((y) =>
      y.replace('      - Grid Emission Factor\n', '      - Grid Factor\n'),
    );
    const err = run(dir);
    expect(err).toContain('seriesBreaks.0.variables.0');
    expect(err).toContain("'Grid Factor' is not a trajectory variable of this organization");
    const v = cli(['validate', dir]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('seriesBreaks.0.variables.0');
  });
  it('an unknown basis, with the bases there are', () => {
    const err = run(withBreak((y) => y.replace('basis: restated-2026\n', 'basis: restated\n')));
    expect(err).toContain('seriesBreaks.0.basis');
    expect(err).toContain("unknown basis 'restated': use one of restated-2026, original-2024");
  });
  it('a label too long for a chart, a year that is not a whole number, no source', () => {
    const err = run(
      withBreak((y) =>
        y
          .replace('label: factor set changed', `label: ${'x'.repeat(41)}`)
          .replace('    year: 2025\n', '    year: 2024.5\n')
          .replace(/\n {4}source: >-\n(?: {6}.*\n)+/, '\n'),
      ),
    );
    expect(err).toContain('seriesBreaks.0.label');
    expect(err).toContain('a chart label is at most 40 characters');
    expect(err).toContain('seriesBreaks.0.year');
    expect(err).toContain('seriesBreaks.0.source');
  });
});
