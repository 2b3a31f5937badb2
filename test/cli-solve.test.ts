import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { editDistance, nearest } from '../src/io/nearest.js';
import { roundTo, solveTolerance } from '../src/app/solve.js';
import { cli, ROOT, tempDir } from './helpers.js';

const solve = (lever: string, ...rest: string[]) => {
  const out = tempDir();
  const args = ['solve', 'baseline', '--lever', lever, ...rest, '--out', out];
  return { out, ...cli(args) };
};
const clean100 = ['--target', 'cloud-clean-100-2030'];

describe('solve refuses a lever that names nothing, before searching', () => {
  it('a misspelt constant: exit 2, the nearest constant, nothing written', () => {
    const r = solve('constants.dcCleanTrendPP', ...clean100, '--min', '0', '--max', '20');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'carbonpath: at --lever: constants.dcCleanTrendPP names no constant of scenario ' +
        'baseline, so setting it would change nothing\n' +
        '  fix: did you mean constants.dcCleanTrendPp? (its constants: dcCleanTrendPp, ' +
        'otherCleanTrendPp, pueTrendSelfBuilt, pueTrendLeased, residualMixScale, pueFloor)\n',
    );
    expect(existsSync(join(r.out, 'solve.json'))).toBe(false);
  });
  it('a misspelt parameter, keeping the part it sets (no --min/--max asked for first)', () => {
    const r = solve('parameters.selfBuiltPUE.points.2030', ...clean100);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^carbonpath: at --lever: parameters\.selfBuiltPUE names no parameter or declared quantity of Alibaba Group/,
    );
    expect(r.stderr).toContain('did you mean parameters.selfBuiltPue.points.2030?');
  });
  it("a misspelt declared quantity of the organization's own structure", () => {
    const r = solve('parameters.segments.selfBuiltDc.cleanShar', ...clean100);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean parameters.segments.selfBuiltDc.cleanShare?');
    const other = cli([
      'solve',
      'baseline',
      '--data',
      join(ROOT, 'test', 'fixtures', 'two-grids'),
      '--target',
      'owned-dc-pue',
      '--lever',
      'parameters.segments.ownedDC.pue',
      '--out',
      tempDir(),
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('did you mean parameters.segments.ownedDc.pue?');
  });
  it('a name far from every known one: no guess, where to look instead', () => {
    const r = solve('constants.zzz', ...clean100, '--min', '0', '--max', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fix: use one of its constants: dcCleanTrendPp,');
    expect(r.stderr).not.toContain('did you mean');
    const p = solve('parameters.zzzzzzzz', ...clean100, '--min', '0', '--max', '1');
    expect(p.code).toBe(2);
    expect(p.stderr).toContain(
      '  fix: name a quantity it sets: `npx carbonpath explain` lists every quantity a ' +
        'scenario can set\n',
    );
  });
});

describe('solve on a target the model does not evaluate', () => {
  it('exit 2 with the reason, not "any value will do"', () => {
    const r = solve('parameters.selfBuiltCleanShare', '--target', 'campus-leed-gold');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^carbonpath: at --target: target campus-leed-gold is not modelled for this organization: The model has no campus construction data\.\n {2}fix: solve for a modelled target: scope12-neutral-2030, /,
    );
    expect(r.stdout).toBe('');
    expect(existsSync(join(r.out, 'solve.json'))).toBe(false);
  });
  it('an organization whose inventory lacks the data: the missing data named', () => {
    const r = cli([
      'solve',
      '--data',
      join(ROOT, 'data', 'alibaba-health'),
      '--target',
      'health-intensity-1.5',
      '--lever',
      'parameters.segments.other.cleanShare',
      '--out',
      tempDir(),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'target health-intensity-1.5 is not modelled for this organization: ' +
        'the inventory has no revenue data',
    );
  });
});

describe('the answer, rounded to the tolerance it was solved to', () => {
  it('prints 6.600 (± 0.0005); solve.json and the solved scenario keep the full value', () => {
    const r = solve('constants.dcCleanTrendPp', ...clean100, '--min', '0', '--max', '20');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^constants\.dcCleanTrendPp = 6\.600 \(± 0\.0005\) meets cloud-clean-100-2030 in baseline \(searched 0–20, \d+ runs\)\n/,
    );
    const json = JSON.parse(readFileSync(join(r.out, 'solve.json'), 'utf8')) as {
      value: number;
      tolerance: number;
      bracket: [number, number];
    };
    expect(json.tolerance).toBe(0.0005);
    expect(json.value).not.toBe(6.6); // the full value, not the printed one
    // the threshold: 100% clean in FY2030 from 73.6% in FY2026, within the targets' 1e-6
    expect(Math.abs(json.value - (100 - 73.6) / 4)).toBeLessThan(0.0005);
    expect(Math.abs(json.bracket[0] - json.bracket[1])).toBeLessThanOrEqual(0.00005);
    const yaml = readFileSync(join(r.out, 'solved-scenario.yaml'), 'utf8');
    const solved = parse(yaml) as { constants: Record<string, unknown> };
    expect(solved.constants.dcCleanTrendPp).toBe(json.value);
  });
  it('the tolerance follows the range searched', () => {
    expect(solveTolerance([0, 20])).toEqual({ decimals: 3, tolerance: 0.0005 });
    expect(solveTolerance([0, 10])).toEqual({ decimals: 3, tolerance: 0.0005 });
    expect(solveTolerance([0, 100])).toEqual({ decimals: 2, tolerance: 0.005 });
    expect(solveTolerance([1, 2])).toEqual({ decimals: 4, tolerance: 0.00005 });
    expect(solveTolerance([0, 1e7])).toEqual({ decimals: -3, tolerance: 500 });
    expect(roundTo(6.599975824356079, 3)).toBe(6.6);
    expect(roundTo(1234567, -3)).toBe(1235000);
    expect(Object.is(roundTo(-0.0001, 3), 0)).toBe(true);
  });
});

describe('solve --probability with a lever that is itself uncertain', () => {
  it('warns on stderr that the lever is fixed at each tried value', () => {
    const r = solve(
      'constants.dcCleanTrendPp',
      ...clean100,
      '--min',
      '0',
      '--max',
      '20',
      '--probability',
      '0.5',
      '--samples',
      '200',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'warning: constants.dcCleanTrendPp is itself uncertain in baseline; each ' +
        'tried value fixes it, so the probability counts only the other uncertain numbers\n',
    );
  });
  it('names the distributions a lever replaces, and says nothing of a certain lever', () => {
    const growth = solve(
      'parameters.selfBuiltItLoad.growth',
      '--target',
      'scope12-neutral-2030',
      '--without-credits',
      '--min',
      '-0.5',
      '--max',
      '0.5',
      '--probability',
      '0.5',
      '--samples',
      '100',
    );
    expect(growth.stderr).toContain(
      'warning: parameters.selfBuiltItLoad.growth is itself uncertain in baseline ' +
        '(parameters.selfBuiltItLoad.growth.points.2027, ' +
        'parameters.selfBuiltItLoad.growth.points.2030);',
    );
    const certain = solve(
      'parameters.selfBuiltCleanShare.points.2030',
      ...clean100,
      '--probability',
      '0.9',
      '--samples',
      '100',
    );
    expect(certain.code).toBe(0);
    expect(certain.stderr).toBe('');
  });
});

describe('a declared quantity the scenario sets under its version 1 name', () => {
  it('is set where the scenario sets it, so the solved scenario sets it once', () => {
    const r = solve('parameters.segments.selfBuiltDc.cleanShare.points.2030', ...clean100);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^parameters\.segments\.selfBuiltDc\.cleanShare\.points\.2030 = 100\.00 \(± 0\.005\) meets cloud-clean-100-2030 in baseline \(set as parameters\.selfBuiltCleanShare\.points\.2030, the name baseline uses\)/,
    );
    const t = tempDir();
    const run = cli(['targets', join(r.out, 'solved-scenario.yaml'), '--out', t]);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('the nearest known name', () => {
  it('edit distance, case counting least', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    const known = ['parameters.selfBuiltPue', 'parameters.leasedPue', 'parameters.selfBuiltItLoad'];
    expect(nearest('parameters.selfBuiltPUE', known)).toBe('parameters.selfBuiltPue');
    expect(nearest('parameters.leasdPue', known)).toBe('parameters.leasedPue');
    expect(nearest('parameters.revenue', known)).toBeUndefined();
  });
});
