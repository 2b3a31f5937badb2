import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFilesAtomically } from '../src/io/atomic-write.js';
import { formatNumber, neutralizeText, toCsv } from '../src/io/csv-output.js';
import { trajectoriesCsv } from '../src/io/trajectory-csv.js';
import { cli, tempDir } from './helpers.js';

describe('CSV cells a spreadsheet could execute', () => {
  it('neutralizes text starting with = + - @ tab or CR', () => {
    for (const s of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutralizeText(s)).toBe(`'${s}`);
    }
    expect(neutralizeText('Alibaba Group')).toBe('Alibaba Group');
  });
  it('keeps numbers (negative too) as plain numbers and quotes only what CSV needs', () => {
    const csv = toCsv(['a', 'b', 'c'], [['=cmd|"/c calc"!A1', -1234.5, 'x,y']]);
    expect(csv).toBe(`a,b,c\n"'=cmd|""/c calc""!A1",-1234.5,"x,y"\n`);
  });
  it('a hostile entity name cannot become a formula in trajectories.csv', () => {
    const csv = trajectoriesCsv(
      [
        {
          scenario: 's',
          entity: '=1+1',
          variable: '@x',
          unit: '-',
          year: 2030,
          kind: 'projected',
          value: -5,
        },
      ],
      'long',
      'm',
    );
    expect(csv.split('\n')[1]).toBe("s,'=1+1,'@x,'-,2030,projected,-5");
  });
  it('formats numbers deterministically without exponents', () => {
    expect(formatNumber(1e-7)).toBe('0');
    expect(formatNumber(0.000123456789)).toBe('0.000123');
    expect(formatNumber(12345678901.234)).toBe('12345678901');
    expect(formatNumber(8.098878123)).toBe('8.098878');
    expect(formatNumber(62.2)).toBe('62.2');
    expect(formatNumber(-0.0000001)).toBe('0');
  });
});

describe('atomic output', () => {
  it(
    "an output folder that is a file is the user's error (exit 2 with a fix), " +
      'not an internal one',
    () => {
      const f = join(tempDir(), 'afile');
      writeFilesAtomically([{ path: f, content: 'x' }]);
      const r = cli(['run', 'baseline', '--out', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /cannot write the output: .*\n\s+fix: give --out a folder you can write to/,
      );
    },
  );
  it("a folder where an output file should go is the user's error, named with a fix", () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'trajectories.csv'));
    const r = cli(['run', 'baseline', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /trajectories\.csv: cannot write the output: a folder or other non-file stands where this file should go\n\s+fix: /,
    );
  });
  it('writes all files or none, leaving no temporary files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'blocker.csv'));
    expect(() =>
      writeFilesAtomically([
        { path: join(dir, 'a.csv'), content: 'a' },
        { path: join(dir, 'blocker.csv'), content: 'b' },
      ]),
    ).toThrow();
    expect(readdirSync(dir)).toEqual(['blocker.csv']);
  });
  it('replaces an existing file whole', () => {
    const dir = tempDir();
    writeFilesAtomically([{ path: join(dir, 'a.csv'), content: 'old' }]);
    writeFilesAtomically([{ path: join(dir, 'a.csv'), content: 'new' }]);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('new');
    expect(existsSync(join(dir, `a.csv.tmp-${process.pid}`))).toBe(false);
  });
});
