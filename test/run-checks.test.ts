/**
 * After every model run: non-finite numbers are errors (never blank cells), implausible growth
 * is a warning, `--fail-on warning` turns warnings into exit 3, and run.json names its inputs
 * the same from any folder. Organizations here are test/fixtures/acme-calendar (invented
 * numbers), copied and altered per case.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFinite, growthWarnings, PLAUSIBLE_GROWTH_FACTOR } from '../src/app/run-checks.js';
import type { Outputs } from '../src/core/model.js';
import type { TrajectoryRow } from '../src/core/trajectory.js';
import { InputError } from '../src/errors.js';
import { BIN, cli, ROOT, tempDir } from './helpers.js';

const ACME = join(ROOT, 'test', 'fixtures', 'acme-calendar');

/** A copy of the acme fixture with some inventory cells replaced: [variable, year, value]. */
function acmeWith(cells: Array<[string, number, string]> = []): string {
  const dir = join(tempDir(), 'acme');
  cpSync(ACME, dir, { recursive: true });
  const file = join(dir, 'inventory.csv');
  let text = readFileSync(file, 'utf8');
  for (const [variable, year, value] of cells) {
    const re = new RegExp(
      `^(reported,${variable.replace(/[|+]/g, '\\$&')},[^,]*,${year}),[^,]*,`,
      'm',
    );
    expect(re.test(text)).toBe(true);
    text = text.replace(re, `$1,${value},`);
  }
  writeFileSync(file, text);
  return dir;
}

/** A scenario file beside the organization: the fixture plan with revenue growth `g`. */
function planWithGrowth(dir: string, g: number): string {
  const file = join(dir, 'fast.yaml');
  writeFileSync(
    file,
    'name: fast\nparameters:\n' +
      `  revenue: { growth: ${g} }\n` +
      '  otherCleanShare: { points: { 2030: 100 } }\n',
  );
  return file;
}

const row = (variable: string, year: number, kind: TrajectoryRow['kind'], value: number) => ({
  scenario: 's',
  entity: 'e',
  variable,
  unit: 'MWh',
  year,
  kind,
  value,
});

describe('finiteness: no Infinity or NaN is ever written', () => {
  const huge = '1.7e308';
  const cases: Array<{ name: string; cells: Array<[string, number, string]>; quantity: RegExp }> = [
    {
      name: 'scope 3 near the largest double, growing with revenue',
      cells: [
        ['Emissions|Scope 3', 2023, huge],
        ['Revenue', 2023, huge],
        ['Intensity|Scope 3', 2023, '1'],
      ],
      quantity:
        /(Emissions\|Scope 3|Revenue)[^ ]* is Infinity \(too large to represent\) in 20\d\d/,
    },
    {
      name: 'revenue near the largest double',
      cells: [['Revenue', 2023, huge]],
      quantity: / is (−?Infinity \(too large to represent\)|not a number \(NaN\)) in 20\d\d/,
    },
    {
      name: 'scope 1 and 2 near the largest double, summed',
      cells: [
        ['Emissions|Scope 1', 2023, huge],
        ['Emissions|Scope 2|Market-based', 2023, huge],
      ],
      quantity: / is (−?Infinity|not a number)/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 2 naming the quantity and year, --out untouched`, () => {
      const org = acmeWith(c.cells);
      for (const command of ['run', 'targets', 'offsets']) {
        const out = join(org, `out-${command}`);
        const r = cli([command, join(org, 'plan.yaml'), '--data', org, '--out', out]);
        expect(r.code, `${command}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(c.quantity);
        expect(r.stderr).toMatch(/nothing was written\n\s+fix: /);
        expect(r.stderr).not.toMatch(/internal error/);
        expect(existsSync(out)).toBe(false);
      }
      const v = cli(['validate', join(org, 'plan.yaml'), '--data', org]);
      expect(v.code).toBe(2);
      expect(v.stderr).toMatch(c.quantity);
    });
  }

  it('checkFinite names NaN and the year of an output that is not in the trajectory', () => {
    const rows = [row('Revenue', 2023, 'actual', 1), row('Revenue', 2024, 'projected', 2)];
    const outputs = { hidden: Float64Array.from([1, 2, NaN]) } as unknown as Outputs;
    let error: unknown;
    try {
      checkFinite('x.yaml', 's', rows, outputs, 2023);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({
      file: 'x.yaml',
      path: 'hidden',
      message: expect.stringMatching(/hidden is not a number \(NaN\) in 2025/),
    });
    const finite = { hidden: Float64Array.from([1, 2, 3]) } as unknown as Outputs;
    expect(() => checkFinite('x.yaml', 's', rows, finite, 2023)).not.toThrow();
  });
});

describe('growth past plausibility is a warning', () => {
  it(`warns at the first year past ×${PLAUSIBLE_GROWTH_FACTOR}, once per quantity`, () => {
    // 100 · 1.5^t passes ×20 at t = 8 (1.5^7 = 17.1, 1.5^8 = 25.6)
    const rows = [row('Electricity|Purchased', 2020, 'actual', 100)];
    for (let t = 1; t <= 12; t++)
      rows.push(row('Electricity|Purchased', 2020 + t, 'projected', 100 * 1.5 ** t));
    const w = growthWarnings('s', rows, { startMonth: 4 });
    expect(w).toHaveLength(1);
    expect(w[0]!.code).toBe('implausible-growth');
    expect(w[0]!.message).toMatch(
      /Electricity\|Purchased reaches ×25\.6 its FY2020 value by FY2028/,
    );
    // a calendar-year organization reads plain years
    const [calendar] = growthWarnings('s', rows, { startMonth: 1 });
    expect(calendar!.message).toMatch(/reaches ×25\.6 its 2020 value by 2028 \(/);
    expect(calendar!.message).not.toMatch(/FY/);
  });

  it('does not warn at exactly the threshold, nor for running sums, shares or net totals', () => {
    const rows = [
      row('Revenue', 2020, 'actual', 1),
      row('Revenue', 2030, 'projected', PLAUSIBLE_GROWTH_FACTOR),
      row('Avoided Emissions|Scope 3+|Cumulative', 2020, 'actual', 1),
      row('Avoided Emissions|Scope 3+|Cumulative', 2030, 'projected', 1000),
      row('Electricity|Clean Share', 2020, 'actual', 1),
      row('Electricity|Clean Share', 2030, 'projected', 100),
      row('Emissions|Scope 1+2|Net', 2020, 'actual', 1),
      row('Emissions|Scope 1+2|Net', 2030, 'projected', 1000),
    ];
    expect(growthWarnings('s', rows, { startMonth: 1 })).toEqual([]);
  });

  it('measures from the latest actual year, and skips a zero base', () => {
    const rows = [
      row('Revenue', 2019, 'actual', 1),
      row('Revenue', 2020, 'actual', 10),
      row('Revenue', 2030, 'projected', 150), // ×15 the latest actual, ×150 the first
      row('Heat|Purchased', 2020, 'actual', 0),
      row('Heat|Purchased', 2030, 'projected', 1e9),
    ];
    expect(growthWarnings('s', rows, { startMonth: 1 })).toEqual([]);
  });
});

describe('warnings on the command line, in run.json and with --fail-on warning', () => {
  // revenue +50%/yr from 2023: ×25.6 by 2031, so a warning; 5%/yr: none
  const org = acmeWith();
  const fast = planWithGrowth(org, 0.5);
  const growth = /warning: scenario 'fast': Revenue reaches ×25\.6 its 2023 value by 2031 /;

  it('run prints the warning on stderr and records it in run.json, exit 0', () => {
    const out = join(org, 'o1');
    const r = cli(['run', fast, '--data', org, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(growth);
    const m = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(m.scenarios[0].warnings.map((w: { code: string }) => w.code)).toContain(
      'implausible-growth',
    );
  });

  it('--fail-on warning: exit 3 after writing, on run, targets, offsets and simulate', () => {
    const commands = [
      ['run', fast],
      ['targets', fast],
      ['offsets', fast],
      ['simulate', fast, '--samples', '10', '--seed', '1'],
    ];
    for (const args of commands) {
      const out = join(org, `f-${args[0]}`);
      const r = cli([...args, '--data', org, '--out', out, '--fail-on', 'warning']);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(growth);
      expect(r.stderr).toMatch(
        /carbonpath: 1 warning \(implausible-growth\), and --fail-on warning/,
      );
      expect(existsSync(join(out, 'run.json'))).toBe(true);
    }
    const calm = cli(['run', join(org, 'plan.yaml'), '--data', org, '--out', join(org, 'calm')]);
    expect(calm.stderr).toBe('');
    const r = cli([
      'run',
      join(org, 'plan.yaml'),
      '--data',
      org,
      '--out',
      join(org, 'calm'),
      '--fail-on',
      'warning',
    ]);
    expect(r.code).toBe(0);
  });

  it('report --fail-on off-track,warning names both conditions', () => {
    // the bundled organization has targets off track; its calibration warns or not, the
    // message lists what was met
    const out = join(tempDir(), 'r');
    const r = cli(['report', '--samples', '0', '--out', out, '--fail-on', 'off-track,warning']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/target\(s\) off track/);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  it('validate prints the warnings a run would print; --fail-on warning exits 3', () => {
    const v = cli(['validate', fast, '--data', org]);
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(growth);
    expect(v.stdout).toMatch(/^ok {2}.*fast\.yaml/m);
    expect(cli(['validate', fast, '--data', org, '--fail-on', 'warning']).code).toBe(3);
    // an organization folder: its scenarios are run, so their warnings are printed too
    mkdirSync(join(org, 'scenarios'), { recursive: true });
    cpSync(fast, join(org, 'scenarios', 'fast.yaml'));
    const f = cli(['validate', org]);
    expect(f.code).toBe(0);
    expect(f.stderr).toMatch(growth);
  });

  it('a condition a command does not have is a usage error (exit 2)', () => {
    const out = join(org, 'u');
    for (const args of [
      ['run', fast, '--fail-on', 'off-track'],
      ['targets', fast, '--fail-on', 'sometimes'],
      ['targets', fast, '--fail-on', 'warning,never'],
    ]) {
      const r = cli([...args, '--data', org, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not a condition here; use /);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe('run.json is the same from any folder', () => {
  it('names inputs relative to the organization folder', () => {
    const org = acmeWith();
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b', 'deeper');
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    const run = (cwd: string) => {
      const out = join(cwd, 'out');
      const r = cli(['run', join(org, 'plan.yaml'), '--data', org, '--out', out], cwd);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(out, 'run.json'), 'utf8');
    };
    const fromA = run(a);
    expect(run(b)).toBe(fromA);
    expect(run(org)).toBe(fromA);
    const m = JSON.parse(fromA);
    expect(m.organization.folder).toBe('acme');
    expect(m.inputs.map((i: { file: string }) => i.file)).toEqual([
      'organization.yaml',
      'inventory.csv',
      'plan.yaml',
    ]);
    expect(fromA).not.toMatch(/"\/|[A-Z]:\\\\/);
  });
});

describe('class 8, more of our own: the same inputs give the same bytes', () => {
  /** Run `args` in `cwd` with `env` added; every output file's text, by name. */
  const outputs = (args: string[], cwd: string, out: string, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--out', out], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CARBONPATH_DEBUG: '', ...env },
    });
    expect(r.status, r.stderr).toBe(0);
    const files: Record<string, string> = {};
    const dir = resolve(cwd, out);
    for (const f of readdirSync(dir).sort()) files[f] = readFileSync(join(dir, f), 'utf8');
    expect(Object.keys(files)).toContain('run.json');
    return files;
  };
  const org = acmeWith();
  const runArgs = (data: string) => ['run', join(data, 'plan.yaml'), '--data', data];
  const reference = outputs(runArgs(org), tempDir(), join(tempDir(), 'out'));
  it('the reference run wrote trajectories and run.json', () => {
    expect(Object.keys(reference)).toEqual(['run.json', 'trajectories.csv']);
  });
  it('the same run repeated into the same folder', () => {
    const out = join(tempDir(), 'out');
    expect(outputs(runArgs(org), tempDir(), out)).toEqual(reference);
    expect(outputs(runArgs(org), tempDir(), out)).toEqual(reference);
  });
  it('a relative --out and an absolute one', () => {
    const cwd = tempDir();
    expect(outputs(runArgs(org), cwd, 'rel/out')).toEqual(reference);
    expect(outputs(runArgs(org), cwd, join(cwd, 'abs-out'))).toEqual(reference);
  });
  it('the organization folder reached through a symbolic link', () => {
    const link = join(tempDir(), 'acme');
    symlinkSync(org, link);
    expect(outputs(runArgs(link), tempDir(), join(tempDir(), 'out'))).toEqual(reference);
  });
  it('a copy of the organization folder elsewhere, named the same', () => {
    const copy = join(tempDir(), 'acme');
    cpSync(org, copy, { recursive: true });
    expect(outputs(runArgs(copy), tempDir(), join(tempDir(), 'out'))).toEqual(reference);
  });
  it('another time zone and language (TZ, LANG, LC_ALL)', () => {
    const env = { TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' };
    expect(outputs(runArgs(org), tempDir(), join(tempDir(), 'out'), env)).toEqual(reference);
  });
  it('simulate with the same seed from two folders, relative data path in one', () => {
    const sim = (data: string, cwd: string) =>
      outputs(
        ['simulate', join(data, 'plan.yaml'), '--data', data, '--samples', '300', '--seed', '7'],
        cwd,
        'out',
      );
    const a = sim(org, tempDir());
    expect(Object.keys(a)).toContain('fan.csv');
    const parent = join(org, '..');
    expect(sim('acme', parent)).toEqual(a);
  });
});
