/**
 * Issue 16, class 4: `validate` and `run` read an organization folder through the same checks,
 * so what one refuses the other refuses, in the same words. Class 5: values that used to give
 * an empty or surprising result are refused.
 */
import { cpSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const FIXTURE = 'test/fixtures/annual-100';

function organization(edit?: (dir: string) => void): string {
  const dir = join(tempDir(), 'org');
  cpSync(FIXTURE, dir, { recursive: true });
  edit?.(dir);
  return dir;
}

function editYaml(dir: string, from: string, to: string): void {
  const file = join(dir, 'organization.yaml');
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`no '${from}'`);
  writeFileSync(file, text.replace(from, to));
}

/** Both commands exit 2 with this message and a fix, and `run` writes nothing. */
function bothRefuse(dir: string, message: RegExp, errorOnly = false): string {
  const v = cli(['validate', dir]);
  const out = join(tempDir(), 'out');
  const r = cli(['run', '--data', dir, '--out', out]);
  for (const x of [v, r]) {
    expect(x.code, x.stderr).toBe(2);
    expect(x.stderr).toMatch(message);
    expect(x.stderr).toMatch(/\n {2}fix: /);
    expect(x.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  }
  expect(existsSync(out)).toBe(false);
  // the same problem: the same lines once the folder is named the same way
  const strip = (s: string) => s.replaceAll(`${dir}/`, '').replaceAll(dir, 'ORG');
  // errorOnly: validate also prints the warnings of the folder's other scenarios first
  const error = (s: string) => (errorOnly ? s.slice(s.indexOf('carbonpath: ')) : s);
  expect(error(strip(r.stderr))).toBe(error(strip(v.stderr)));
  return v.stderr;
}

describe('validate and run agree on an organization folder', () => {
  it('an inventory outside the folder is refused by both (validate used to quote it)', () => {
    const outside = organization();
    const dir = organization((d) =>
      editYaml(d, 'inventory: inventory.csv', `inventory: ../../${join(outside, 'inventory.csv')}`),
    );
    const err = bothRefuse(dir, /organization\.yaml:11 at inventory: '.*' must be a file inside/);
    expect(err).toMatch(/fix: name a file in the same folder, without \.\./);
    expect(err).not.toMatch(/Emissions\|Scope 1/);
  });
  it('a header-only inventory: "the inventory has no rows", with the header to fill', () => {
    const dir = organization((d) =>
      writeFileSync(
        join(d, 'inventory.csv'),
        'basis,variable,unit,year,value,provenance,source,note\n',
      ),
    );
    const err = bothRefuse(dir, /inventory\.csv:1: the inventory has no rows/);
    expect(err).toMatch(/fix: under the header basis,variable,unit/);
    expect(err).not.toMatch(/use one of: \n/);
  });
  it('an empty inventory file', () => {
    const dir = organization((d) => writeFileSync(join(d, 'inventory.csv'), ''));
    bothRefuse(dir, /inventory\.csv:1: the inventory has no rows/);
  });
  it('a scenario file whose name is not lower-case ASCII', () => {
    const dir = organization((d) =>
      renameSync(join(d, 'scenarios', 'baseline.yaml'), join(d, 'scenarios', 'Net Zero.yaml')),
    );
    const err = bothRefuse(
      dir,
      /scenarios\/Net Zero\.yaml: a scenario file name must be lower-case ASCII letters/,
    );
    expect(err).toMatch(/fix: rename it to net-zero\.yaml/);
  });
  it('a default basis without rows', () => {
    const dir = organization((d) => editYaml(d, 'defaultBasis: reported', 'defaultBasis: other'));
    bothRefuse(dir, /inventory\.csv: no rows with basis 'other'\n {2}fix: use one of: reported/);
  });
});

describe('values that gave an empty or surprising result are refused', () => {
  it('baseYear: 1900 (it gave a header-only trajectories.csv)', () => {
    const dir = organization((d) =>
      editYaml(d, 'inventory: inventory.csv', 'inventory: inventory.csv\nbaseYear: 1900'),
    );
    const err = bothRefuse(
      dir,
      /organization\.yaml:12 at baseYear: the inventory has no rows for baseYear 1900/,
    );
    expect(err).toMatch(/fix: use a year the inventory reports \(2025\)/);
  });
  it('report --as-of outside the actuals', () => {
    for (const year of ['3000', '1990']) {
      const out = join(tempDir(), 'out');
      const r = cli(['report', '--as-of', year, '--samples', '0', '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`--as-of ${year} is outside the actuals, FY2022–2026[^]*fix: give a fiscal`),
      );
      expect(existsSync(out)).toBe(false);
    }
  });
});

/** Write `text` as a file of the organization folder. */
const put = (name: string, text: string) => (d: string) => writeFileSync(join(d, name), text);
const scenario = (name: string, text: string) => put(join('scenarios', name), text);
const targets = (from: string, to: string) => (d: string) => {
  const file = join(d, 'targets.yaml');
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`no '${from}'`);
  writeFileSync(file, text.replace(from, to));
};

/** A cumulative target on scope 1+2 with its window from `start` to 2035, in flow style. */
const CUMULATIVE = (start: number) =>
  '  - { id: sum-s12, title: Scope 1+2 summed, kind: cumulative, wording: invented,' +
  ` source: invented.txt:24, metric: Emissions|Scope 1+2, windowStart: ${start},` +
  ' threshold: 1000, deadline: 2035 }\n';

describe('class 4, more of our own: validate and run refuse alike, in the same words', () => {
  const cases: Array<[string, (d: string) => void, RegExp]> = [
    [
      'an absolute inventory path',
      (d) => editYaml(d, 'inventory: inventory.csv', 'inventory: /etc/passwd'),
      /organization\.yaml:11 at inventory: '\/etc\/passwd' must be a file inside/,
    ],
    [
      'an inventory that is a folder',
      (d) => editYaml(d, 'inventory: inventory.csv', 'inventory: scenarios'),
      /organization\.yaml:11 at inventory: 'scenarios' is not a regular file/,
    ],
    [
      'an inventory that is missing',
      (d) => editYaml(d, 'inventory: inventory.csv', 'inventory: inventry.csv'),
      /inventry\.csv/,
    ],
    [
      'a scenario file name with an upper-case letter',
      (d) => renameSync(join(d, 'scenarios', 'baseline.yaml'), join(d, 'scenarios', 'Base.yaml')),
      /scenarios\/Base\.yaml: a scenario file name must be lower-case ASCII letters/,
    ],
    [
      'a scenario file name with an underscore',
      (d) =>
        renameSync(join(d, 'scenarios', 'baseline.yaml'), join(d, 'scenarios', 'net_zero.yaml')),
      /scenarios\/net_zero\.yaml: a scenario file name must be lower-case ASCII letters/,
    ],
    [
      'a scenario file name with an accented letter',
      (d) => renameSync(join(d, 'scenarios', 'baseline.yaml'), join(d, 'scenarios', 'prévu.yaml')),
      /scenarios\/prévu\.yaml: a scenario file name must be lower-case ASCII letters/,
    ],
    [
      'an inventory with only comment lines',
      put('inventory.csv', '# nothing yet\n# still nothing\n'),
      /inventory\.csv:1: the inventory has no rows/,
    ],
  ];
  for (const [name, edit, message] of cases)
    it(name, () => {
      bothRefuse(organization(edit), message);
    });
});

describe('class 5: empty, backwards or repeated input is refused, not taken', () => {
  const cases: Array<[string, (d: string) => void, RegExp]> = [
    [
      'an empty scenario file',
      scenario('empty.yaml', ''),
      /scenarios\/empty\.yaml:1: the scenario file is empty \(or only comments\)/,
    ],
    [
      'a scenario of comments only',
      scenario('notes.yaml', '# to do\n# later\n'),
      /scenarios\/notes\.yaml:1: the scenario file is empty \(or only comments\)/,
    ],
    [
      'extends: ""',
      scenario('blank.yaml', 'name: blank\nextends: ""\n'),
      /scenarios\/blank\.yaml:2 at extends: 'extends' is empty/,
    ],
    [
      'extends of spaces',
      scenario('blank.yaml', "name: blank\nextends: '   '\n"),
      /scenarios\/blank\.yaml:2 at extends: 'extends' is empty/,
    ],
    [
      'a key given twice in a scenario',
      scenario('twice.yaml', 'name: twice\nextends: baseline\nname: again\n'),
      /scenarios\/twice\.yaml:3 at name: the key 'name' is given twice, on lines 1 and 3/,
    ],
    [
      'a key given twice in organization.yaml',
      (d) => editYaml(d, 'inventory: inventory.csv', 'inventory: inventory.csv\ninventory: x.csv'),
      /organization\.yaml:12 at inventory: the key 'inventory' is given twice, on lines 11 and 12/,
    ],
  ];
  for (const [name, edit, message] of cases)
    it(name, () => {
      bothRefuse(organization(edit), message, true);
    });

  const targetCases: Array<[string, string, string, RegExp]> = [
    [
      'a base year after the deadline',
      'baseYear: 2025, reduction: 0.5, deadline: 2035',
      'baseYear: 2036, reduction: 0.5, deadline: 2035',
      /targets\.yaml:4 at targets\.1\.baseYear: target 'all-minus-50': baseYear 2036 is not before/,
    ],
    [
      'a base year equal to the deadline',
      'baseYear: 2025, reduction: 0.5, deadline: 2035',
      'baseYear: 2035, reduction: 0.5, deadline: 2035',
      /baseYear 2035 is not before its deadline 2035\n {2}fix: give a baseYear before 2035/,
    ],
    [
      'a cumulative target whose window runs backwards',
      'targets:\n',
      'targets:\n' + CUMULATIVE(2036),
      /targets\.yaml:3 at targets\.0\.windowStart: target 'sum-s12': its window runs backwards, from 2036 to the deadline 2035\n {2}fix: give a windowStart no later than 2035/,
    ],
    [
      'a cumulative target whose window starts long after its deadline',
      'targets:\n',
      'targets:\n' + CUMULATIVE(2050),
      /targets\.yaml:3 at targets\.0\.windowStart: target 'sum-s12': its window runs backwards, from 2050/,
    ],
    [
      'a target id given twice (a repeated key in a flow map)',
      'id: clean-100,',
      'id: clean-100, id: clean-99,',
      /targets\.yaml:5 at id: the key 'id' is given twice, on lines 5 and 5/,
    ],
  ];
  it('targets.yaml: a one-year window (its start at the deadline) is evaluated', () => {
    const dir = organization(targets('targets:\n', 'targets:\n' + CUMULATIVE(2035)));
    const out = join(tempDir(), 'out');
    const r = cli(['targets', '--data', dir, '--out', out]);
    expect(r.stderr).not.toMatch(/runs backwards|internal error/);
    const lines = (file: string) => readFileSync(join(out, file), 'utf8').split(/\r?\n/);
    const header = lines('targets.csv')[0]!.split(',');
    const row = lines('targets.csv')
      .find((l) => l.startsWith('baseline,sum-s12,'))
      ?.split(',');
    expect(row?.[header.indexOf('status')]).toBe('on-track');
    // a window of one year sums that year alone: scope 1+2 in 2035, as `run` projects it
    const run = cli(['run', '--data', dir, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const fy2035 = lines('trajectories.csv').find((l) =>
      l.includes(',Emissions|Scope 1+2,t CO2e,2035,'),
    );
    expect(Number(row?.[header.indexOf('projected_value')])).toBe(Number(fy2035?.split(',').pop()));
    expect(Number(fy2035?.split(',').pop())).toBe(70000);
  });
  for (const [name, from, to, message] of targetCases)
    it(`targets.yaml: ${name}`, () => {
      const dir = organization(targets(from, to));
      const out = join(tempDir(), 'out');
      for (const r of [cli(['validate', dir]), cli(['targets', '--data', dir, '--out', out])]) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/internal error/);
      }
      expect(existsSync(out)).toBe(false);
    });
});

describe('an inventory variable with a typo: validate and run refuse it in the same words', () => {
  const typo = (variable: string) =>
    organization((d) => {
      const file = join(d, 'inventory.csv');
      const text = readFileSync(file, 'utf8');
      if (!text.includes('\nreported,Emissions|Scope 3,')) throw new Error('no scope 3 row');
      writeFileSync(file, text.replace('\nreported,Emissions|Scope 3,', `\nreported,${variable},`));
    });
  const cases: Array<[string, string]> = [
    ['a letter missing', 'Emisions|Scope 3'],
    ['lower case', 'emissions|scope 3'],
    ['spaces around the bar', 'Emissions | Scope 3'],
    ['a space missing', 'Emissions|Scope3'],
    ['a letter doubled', 'Emissionss|Scope 3'],
  ];
  for (const [name, variable] of cases) {
    it(name, () => {
      const quoted = variable.replace(/[|+]/g, '\\$&');
      const err = bothRefuse(
        typo(variable),
        new RegExp(
          `inventory\\.csv:10 at variable: '${quoted}' is not a variable carbonpath reads, ` +
            'and Emissions\\|Scope 3 has no row for 2025',
        ),
      );
      expect(err).toMatch(/fix: did you mean 'Emissions\|Scope 3'\?/);
    });
  }
  it('a trailing space is read as the variable: the same trajectories as without it', () => {
    const out = (dir: string) => {
      const o = join(tempDir(), 'out');
      const r = cli(['run', '--data', dir, '--out', o]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(o, 'trajectories.csv'), 'utf8');
    };
    const spaced = out(typo('Emissions|Scope 3 '));
    expect(spaced).toBe(out(organization()));
    expect(spaced).toMatch(/Emissions\|Scope 3,t CO2e,2025,actual,900000/);
  });
  it("the report's own series beside the ones read are kept (Intensity|Scope 1)", () => {
    const dir = organization((d) => {
      const file = join(d, 'inventory.csv');
      writeFileSync(
        file,
        readFileSync(file, 'utf8') +
          'reported,Intensity|Scope 1,t CO2e/M USD,2025,0.2,reported,invented.txt:10,\n',
      );
    });
    expect(cli(['validate', dir]).code).toBe(0);
  });
});
