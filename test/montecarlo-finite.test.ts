/**
 * Finiteness after every Monte Carlo path (issue #16, class 5): a path whose draw makes a fan
 * value NaN or ±Infinity, or makes a formula fail, is refused — exit 2 at the line of the
 * uncertain number that causes it (the one that, back at its central value, makes the path
 * finite), the quantity, the year, the path — and --out is left as it was. Never blank cells.
 * Organization: test/fixtures/acme-calendar (invented numbers); scenarios invented here.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readCsv, ROOT, tempDir } from './helpers.js';

const ACME = join(ROOT, 'test', 'fixtures', 'acme-calendar');
const KEEP = 'scope1Remainder: { growth: -0.1 }';

/** acme with `revenue` in 2023 and a scenario `name` (also in scenarios/, for report). */
function acmeWith(name: string, parameters: string, constants = '', revenue = '2200') {
  const dir = join(tempDir('carbonpath-harden-'), 'acme');
  cpSync(ACME, dir, { recursive: true });
  const inv = join(dir, 'inventory.csv');
  writeFileSync(
    inv,
    readFileSync(inv, 'utf8').replace(/^(reported,Revenue,M CNY,2023),2200,/m, `$1,${revenue},`),
  );
  const text =
    `name: ${name}\n` +
    (constants ? `constants:\n${constants}` : '') +
    `parameters:\n${parameters}  ${KEEP}\n`;
  writeFileSync(join(dir, `${name}.yaml`), text);
  mkdirSync(join(dir, 'scenarios'));
  writeFileSync(join(dir, 'scenarios', `${name}.yaml`), text);
  return { dir, file: join(dir, `${name}.yaml`) };
}

/** An --out folder holding one file from before: it must be untouched. */
function previousOut(): string {
  const out = join(tempDir('carbonpath-harden-'), 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'fan.csv'), 'before\n');
  return out;
}
const untouched = (out: string) => {
  expect(readdirSync(out)).toEqual(['fan.csv']);
  expect(readFileSync(join(out, 'fan.csv'), 'utf8')).toBe('before\n');
};

const SQRT = {
  constants: '  k: { dist: normal, mean: 0.5, sd: 0.3, id: shareSpread }\n',
  parameters:
    '  revenue: { growth: 0.05 }\n' +
    '  otherCleanShare: { formula: "min(100, base + 10 * sqrt(k) * t)" }\n',
};
const OVERFLOW = {
  parameters:
    '  revenue:\n' +
    '    growth: { dist: triangular, min: 0, mode: 0.05, max: 40, id: revenueGrowth }\n' +
    '  otherCleanShare: { points: { 2030: 100 } }\n',
  revenue: '1e300',
};

describe('a Monte Carlo path that is not finite: exit 2 at the draw behind it', () => {
  const cases: Array<{
    name: string;
    scenario: { constants?: string; parameters: string; revenue?: string };
    args: string[];
    where: RegExp;
    what: RegExp;
  }> = [
    {
      name: 'sqrt of a normal draw below zero (simulate)',
      scenario: SQRT,
      args: ['--samples', '2000'],
      where: /nan1\.yaml:3 at constants\.k: /,
      what: new RegExp(
        'on Monte Carlo path \\d+ of 2000, the formula gives NaN in 20\\d\\d; ' +
          'it comes from shareSpread, drawn as -[\\d.]+',
      ),
    },
    {
      name: 'the same with two worker threads',
      scenario: SQRT,
      args: ['--samples', '10000', '--workers', '2'],
      where: /nan1\.yaml:3 at constants\.k: /,
      what: /the formula gives NaN in 20\d\d; it comes from shareSpread/,
    },
    {
      name: 'a growth draw that overflows to Infinity',
      scenario: OVERFLOW,
      args: ['--samples', '1500'],
      where: /nan1\.yaml:4 at parameters\.revenue\.growth: /,
      what: new RegExp(
        '[A-Za-z| 0-9]+ is Infinity \\(too large to represent\\) in 20\\d\\d; it comes from ' +
          'revenueGrowth, drawn as [\\d.]+ on that path \\(at its central value 0\\.05 the path ' +
          'is finite\\)',
      ),
    },
    {
      name: 'the overflow with another seed and a short horizon',
      scenario: OVERFLOW,
      args: ['--samples', '500', '--seed', '99', '--to', '2040'],
      where: /nan1\.yaml:4 at parameters\.revenue\.growth: /,
      what: /is Infinity \(too large to represent\) in 20\d\d; it comes from revenueGrowth/,
    },
    {
      name: 'two draws that fail only together: both named',
      scenario: {
        constants:
          '  a: { dist: normal, mean: 0.5, sd: 2, id: partA }\n' +
          '  b: { dist: normal, mean: 0.5, sd: 2, id: partB }\n',
        parameters:
          '  revenue: { growth: 0.05 }\n' +
          '  otherCleanShare: { formula: "min(100, base + sqrt(a + b) * t)" }\n',
      },
      args: ['--samples', '3000'],
      where: /nan1\.yaml:\d+ at parameters\.otherCleanShare\.formula: /,
      what: new RegExp(
        'no single uncertain number at its central value makes it finite ' +
          '\\(draws: partA = -[\\d.]+, partB = -[\\d.]+\\)',
      ),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { dir, file } = acmeWith(
        'nan1',
        c.scenario.parameters,
        c.scenario.constants,
        c.scenario.revenue,
      );
      const out = previousOut();
      const r = cli(['simulate', '--data', dir, file, '--seed', '1', '--out', out, ...c.args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.where);
      expect(r.stderr).toMatch(c.what);
      expect(r.stderr).toMatch(/so nothing was written/);
      expect(r.stderr).toMatch(/fix: (bound|narrow)/);
      expect(r.stderr).not.toMatch(/internal error|\.js:\d+/);
      untouched(out);
    });
  }
  it('report refuses it too, at the scenario in scenarios/', () => {
    const { dir } = acmeWith('nan1', SQRT.parameters, SQRT.constants);
    const out = previousOut();
    const r = cli(['report', '--data', dir, '--samples', '2000', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenarios\/nan1\.yaml:3 at constants\.k: .*the formula gives NaN/);
    untouched(out);
  });
  it('the same distribution held above zero runs, and every fan cell is a number', () => {
    const bounded = {
      constants: '  k: { dist: normal, mean: 0.5, sd: 0.3, min: 0, max: 1, id: shareSpread }\n',
      parameters: SQRT.parameters,
    };
    const { dir, file } = acmeWith('nan1', bounded.parameters, bounded.constants);
    const out = join(tempDir('carbonpath-harden-'), 'out');
    const r = cli([
      'simulate',
      '--data',
      dir,
      file,
      '--samples',
      '2000',
      '--seed',
      '1',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const rows = readCsv(join(out, 'fan.csv'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows)
      for (const [k, v] of Object.entries(row))
        if (/^(p\d+|mean)$/.test(k)) expect(Number.isFinite(Number(v)) && v !== '').toBe(true);
    expect(existsSync(join(out, 'run.json'))).toBe(true);
  });
});

describe('simulate --sobol: its runs are held to the same finiteness rule', () => {
  it('a Sobol sample that makes a formula NaN: exit 2 naming it, --out untouched', () => {
    // --samples 1 --seed 1: the one Monte Carlo path draws k above zero (it passes); Sobol's
    // own sample A4 draws it below, where sqrt(k) is NaN
    const { dir, file } = acmeWith('nan1', SQRT.parameters, SQRT.constants);
    const out = previousOut();
    const args = ['--data', dir, '--samples', '1', '--seed', '1', '--out', out];
    const r = cli(['simulate', file, ...args, '--sobol', '50']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        'nan1\\.yaml:3 at constants\\.k: scenario .nan1.: on Monte Carlo Sobol sample A4 ' +
          '\\(--sobol 50, --seed 1\\), the formula gives NaN in 20\\d\\d; it comes from ' +
          'shareSpread, drawn as -[\\d.]+',
      ),
    );
    expect(r.stderr).toMatch(/fix: bound shareSpread's distribution/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
    untouched(out);
    // without --sobol the same run passes: the one path is finite
    expect(cli(['simulate', file, ...args]).code).toBe(0);
  });
});
