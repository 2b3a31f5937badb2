import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber, neutralizeText, toCsv, type Cell } from '../src/io/csv-output.js';

// toCsv writes cells itself (src/io/csv-output.ts); it must give the bytes csv-stringify gave
// with the options carbonpath used, for every cell (text with quotes, separators, line breaks,
// formula starts; numbers of every size; empty cells) — except a carriage return, which
// csv-stringify left unquoted with '\n' records (a spreadsheet then splits the row): toCsv
// quotes it.
const before = (header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string =>
  stringify([header as Cell[], ...(rows as Cell[][])], {
    record_delimiter: '\n',
    cast: { number: (v) => formatNumber(v), string: (v) => neutralizeText(v) },
  });

const text = fc.oneof(
  fc.string().filter((s) => !s.includes('\r')),
  fc.stringMatching(/^[=+\-@\t",\n a-z0-9'.]{0,12}$/),
  fc.constantFrom('', ' ', '"', '""', ',', '\n', '=SUM(A1)', '-3', "'x", 'a,"b"'),
);
const cell: fc.Arbitrary<Cell> = fc.oneof(
  text,
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 1e-9, 123456789.123, -0.0000004, NaN, Infinity, null, undefined),
);

describe('toCsv', () => {
  it('writes the bytes csv-stringify wrote', () => {
    fc.assert(
      fc.property(
        fc.array(text, { maxLength: 6 }),
        fc.array(fc.array(cell, { maxLength: 6 })),
        (h, r) => toCsv(h, r) === before(h, r),
      ),
      { numRuns: 2000 },
    );
  });
  it('quotes separators, quotes and line breaks; neutralizes formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=1+1', -2],
          [null, 'l1\nl2'],
        ],
      ),
    ).toBe('a,b\n"x,y","say ""hi"""\n\'=1+1,-2\n,"l1\nl2"\n');
    expect(toCsv(['a'], [['x\ry'], ['\r']])).toBe('a\n"x\ry"\n"\'\r"\n');
  });
});
