/**
 * Input that was silently read as something else: a CSV column named twice (the last won), and
 * YAML 1.1 (a %YAML 1.1 directive turned 010 into 8; yes/no/on/off and 1:30 are YAML 1.1
 * habits). Each is refused with the file, line and a fix.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../src/errors.js';
import { parseInventory } from '../src/io/load-organization.js';
import { loadScenario } from '../src/io/load-scenario.js';
import { parseYamlSource } from '../src/io/yaml-source.js';
import { zodProblems } from '../src/io/zod-problems.js';
import { scenarioSchema } from '../src/schema/scenario.js';
import { cli, tempDir, writeFile } from './helpers.js';

const HEADER = 'basis,variable,unit,year,value,provenance,source,note';
const ROW = 'reported,Revenue,M CNY,2023,100,reported,invented.txt:1,';

const problemOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).problems[0]!;
  }
  throw new Error('accepted');
};

describe('a CSV column named twice is refused', () => {
  const cases: Array<[string, string, string, number, number]> = [
    ['value twice', 'basis,variable,unit,year,value,value,provenance,source,note', 'value', 5, 6],
    ['basis first and last', `${HEADER},basis`, 'basis', 1, 9],
    ['note twice at the end', `${HEADER},note`, 'note', 8, 9],
    ['after a byte-order mark', `\ufeff${HEADER.replace('unit', 'year')}`, 'year', 3, 4],
    ['with spaces around the name', `${HEADER}, source `, 'source', 7, 9],
  ];
  for (const [name, header, column, first, second] of cases) {
    it(name, () => {
      const cells = header.split(',').length;
      const row = [...ROW.split(','), ...Array(Math.max(0, cells - 8)).fill('x')].join(',');
      const p = problemOf(() => parseInventory('inv.csv', `${header}\n${row}\n`));
      expect(p).toMatchObject({ file: 'inv.csv', line: 1, path: column });
      expect(p.message).toBe(
        `the column '${column}' is in the header twice (columns ${first} and ${second}); ` +
          'only one of them would be read',
      );
      expect(p.fix).toMatch(/^keep one /);
    });
  }
  it('the CLI: exit 2 with the file and line, no internal text', () => {
    const f = writeFile(tempDir(), 'inv.csv', `${HEADER},value\n${ROW},5\n`);
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inv\.csv:1 at value: the column 'value' is in the header twice/);
    expect(r.stderr).not.toMatch(/internal/);
  });
  it('a header without repeats is read as before', () => {
    expect(parseInventory('inv.csv', `${HEADER}\n${ROW}\n`)[0]!.value).toBe(100);
  });
});

describe('YAML 1.1 is refused, not guessed at', () => {
  const directives = ['%YAML 1.1\n---\n', '%YAML 1.1 # old\n---\n', '%YAML   1.1\n---\n'];
  for (const d of directives) {
    it(`a ${JSON.stringify(d.split('\n')[0])} directive`, () => {
      const p = problemOf(() => parseYamlSource('s.yaml', `${d}name: s\nx: 010\n`));
      expect(p).toMatchObject({ file: 's.yaml', line: 1 });
      expect(p.message).toMatch(/directive: carbonpath reads YAML 1\.2 only/);
      expect(p.fix).toMatch(/remove the %YAML line/);
    });
  }
  it('after a comment line, the directive is named at its own line', () => {
    const p = problemOf(() => parseYamlSource('s.yaml', '# scenario\n%YAML 1.1\n---\nname: s\n'));
    expect(p.line).toBe(2);
  });
  it('%YAML 1.2 and no directive read 010 as ten', () => {
    expect(parseYamlSource('s.yaml', '%YAML 1.2\n---\nx: 010\n').value).toEqual({ x: 10 });
    expect(parseYamlSource('s.yaml', 'x: 010\n').value).toEqual({ x: 10 });
  });
  it('base 60 where a number belongs, yes where a boolean does: the fix names YAML 1.2', () => {
    const schema = z.strictObject({ minutes: z.number(), dataCentre: z.boolean() });
    const src = parseYamlSource('s.yaml', 'minutes: 1:30\ndataCentre: yes\n');
    const r = schema.safeParse(src.value);
    const fixes = zodProblems(src, r.error!.issues, schema).map((p) => [p.line, p.fix]);
    expect(fixes).toEqual([
      [1, "write the number in decimal: YAML 1.2 reads '1:30' as text, not base 60"],
      [2, "write true or false: YAML 1.2 reads 'yes' as text, not as a yes/no"],
    ]);
  });
  it('the CLI: a scenario with %YAML 1.1 is exit 2 at line 1', () => {
    const f = writeFile(tempDir(), 'old.yaml', '%YAML 1.1\n---\nname: old\nextends: baseline\n');
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/old\.yaml:1: a %YAML 1\.1 directive/);
  });
});

describe('a bad value is named at its field, with the forms accepted there', () => {
  const DIST = 'a distribution {dist: normal | lognormal | uniform | triangular, …}';
  const POINT = `a number or ${DIST}`;
  const SPEC = `a number, ${DIST}, {value: …}, {points: {…}}, {growth: …} or {formula: "…"}`;
  const head = 'name: bad\nextends: baseline\nparameters:\n  revenue:\n';
  // [name, the lines under revenue, line, field, message, fix]
  const cases: Array<[string, string, number, string, string, string]> = [
    [
      'a point that is text (the issue)',
      '    points:\n      2030: abc\n',
      6,
      'parameters.revenue.points.2030',
      `expected ${POINT}, not the text 'abc'`,
      `write ${POINT} here`,
    ],
    [
      'a point that is a list (the issue)',
      '    points: {2030: [1, 2]}\n',
      5,
      'parameters.revenue.points.2030',
      `expected ${POINT}, not a list`,
      `write ${POINT} here`,
    ],
    [
      'a point left empty',
      '    points:\n      2030:\n',
      6,
      'parameters.revenue.points.2030',
      `expected ${POINT}, not nothing (null)`,
      `write ${POINT} here`,
    ],
    [
      'a growth point that is text',
      '    growth: {points: {2030: five}}\n',
      5,
      'parameters.revenue.growth.points.2030',
      `expected ${POINT}, not the text 'five'`,
      `write ${POINT} here`,
    ],
    [
      'a point whose distribution is unknown',
      '    points: {2030: {dist: normla, mean: 1, sd: 0.1}}\n',
      5,
      'parameters.revenue.points.2030.dist',
      "unknown dist 'normla'",
      "did you mean 'normal'? use one of normal, lognormal, uniform, triangular",
    ],
    [
      'a point whose distribution lacks its sd',
      '    points: {2030: {dist: normal, mean: 1}}\n',
      5,
      'parameters.revenue.points.2030.sd',
      "'sd' is missing",
      'add sd: a number',
    ],
    [
      'a quantity that is text',
      '    abc\n',
      4,
      'parameters.revenue',
      `expected ${SPEC}, not the text 'abc'`,
      `write ${SPEC} here`,
    ],
    [
      'a quantity that is an empty map',
      '    {}\n',
      4,
      'parameters.revenue',
      `expected ${SPEC}, not an empty map`,
      `write ${SPEC} here`,
    ],
    [
      'value: given as text',
      '    value: abc\n',
      5,
      'parameters.revenue.value',
      `expected ${POINT}, not the text 'abc'`,
      `write ${POINT} here`,
    ],
  ];
  for (const [name, lines, line, path, message, fix] of cases) {
    it(name, () => {
      const src = parseYamlSource('bad.yaml', head + lines);
      const r = scenarioSchema.safeParse(src.value);
      const problems = zodProblems(src, r.error!.issues, scenarioSchema);
      expect(problems[0]).toMatchObject({ file: 'bad.yaml', line, path, message });
      expect(problems[0]!.fix!.startsWith(fix)).toBe(true);
      expect(JSON.stringify(problems)).not.toMatch(/discriminator|Invalid input/);
    });
  }
  it('the CLI: run exits 2 naming the point, writes nothing', () => {
    const dir = tempDir();
    const f = writeFile(dir, 'bad.yaml', `${head}    points:\n      2030: abc\n`);
    const out = join(dir, 'out');
    const r = cli(['run', f, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `bad.yaml:6 at parameters.revenue.points.2030: expected ${POINT}, not the text 'abc'`,
    );
    expect(r.stderr).not.toMatch(/discriminator|internal|\n\s+at .+:\d+:\d+/);
    expect(existsSync(out)).toBe(false);
  });
  it('a value of a map in organization.yaml: scope 4 where 2 or 3 belong', () => {
    const schema = z.strictObject({ s: z.union([z.literal(2), z.literal(3)]) });
    const src = parseYamlSource('o.yaml', 's: 4\n');
    const r = schema.safeParse(src.value);
    expect(zodProblems(src, r.error!.issues, schema)[0]).toMatchObject({
      line: 1,
      path: 's',
      message: 'expected 2 or 3, not 4',
    });
  });
});

describe('extends: baseline beside a baseline.yaml reads that file, and says so', () => {
  const org = () => {
    const dir = join(tempDir(), 'org');
    cpSync(join('test', 'fixtures', 'annual-100'), dir, { recursive: true });
    return dir;
  };
  const NOTE =
    "warning: 'extends: baseline' in child.yaml reads baseline.yaml beside it, " +
    "not the bundled scenario 'baseline'\n  fix: write 'extends: baseline.yaml' to say so";
  const runChild = (dir: string, extendsAs: string) => {
    writeFile(join(dir, 'scenarios'), 'child.yaml', `name: child\nextends: ${extendsAs}\n`);
    const out = join(dir, 'out');
    const r = cli(['run', 'child', '--data', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const child = manifest.scenarios.find((s: { name: string }) => s.name === 'child');
    return { r, child, csv: readFileSync(join(out, 'trajectories.csv'), 'utf8') };
  };
  it('a bare name: the file beside it is read, a warning on stderr and in run.json', () => {
    const { r, child } = runChild(org(), 'baseline');
    expect(r.stderr).toContain(NOTE);
    expect(child.extends).toEqual(['scenarios/baseline.yaml']);
    expect(child.warnings.map((w: { code: string }) => w.code)).toContain('extends-beside');
  });
  it('the file named with its extension: the same result, no warning', () => {
    const bare = runChild(org(), 'baseline');
    const named = runChild(org(), 'baseline.yaml');
    expect(named.r.stderr).not.toMatch(/extends/);
    expect(named.child.extends).toEqual(['scenarios/baseline.yaml']);
    expect(named.csv).toBe(bare.csv);
  });
  it('no baseline.yaml beside it: the bundled baseline, no warning', () => {
    const dir = tempDir();
    const f = writeFile(dir, 'child.yaml', 'name: child\nextends: baseline\n');
    const out = join(dir, 'out');
    const r = cli(['run', f, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/extends/);
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(manifest.scenarios[0].extends).toEqual(['carbonpath/scenarios/baseline.yaml']);
  });
  it('validate of the folder gives the same warning', () => {
    const dir = org();
    writeFile(join(dir, 'scenarios'), 'child.yaml', 'name: child\nextends: baseline\n');
    const r = cli(['validate', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(NOTE);
  });
  it('the bundled scenarios extend each other without a note', () => {
    expect(loadScenario('announced').notes).toEqual([]);
    expect(loadScenario('announced').chain.map((c) => basename(c.file))).toEqual([
      'announced.yaml',
      'baseline.yaml',
    ]);
  });
});
