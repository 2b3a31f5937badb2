/**
 * Input that was silently read as something else: a CSV column named twice (the last won), and
 * YAML 1.1 (a %YAML 1.1 directive turned 010 into 8; yes/no/on/off and 1:30 are YAML 1.1
 * habits). Each is refused with the file, line and a fix.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../src/errors.js';
import { parseInventory } from '../src/io/load-organization.js';
import { parseYamlSource } from '../src/io/yaml-source.js';
import { zodProblems } from '../src/io/zod-problems.js';
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
