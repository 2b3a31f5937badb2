import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  formatProblems,
  InputError,
  MAX_PROBLEMS_SHOWN,
  sanitizeForTerminal,
} from '../src/errors.js';
import { cli, tempDir, writeFile } from './helpers.js';

const DATA = 'test/fixtures/usd-calendar-scope12';
const SCENARIO = readFileSync(`${DATA}/scenarios/baseline.yaml`, 'utf8');

describe('problems quote input without obeying terminal control sequences', () => {
  it('shows C0, DEL, C1 and bidi controls as visible escapes; keeps tab, newline, text', () => {
    expect(sanitizeForTerminal('\x1b[2J\x1b[Hgone')).toBe('\\x1b[2J\\x1b[Hgone');
    expect(sanitizeForTerminal('bell\x07 nul\x00 del\x7f csi\x9b1m')).toBe(
      'bell\\x07 nul\\x00 del\\x7f csi\\x9b1m',
    );
    expect(sanitizeForTerminal('\x1b]0;pwned\x07')).toBe('\\x1b]0;pwned\\x07');
    expect(sanitizeForTerminal('abc\u202edef')).toBe('abc\\u202edef');
    expect(sanitizeForTerminal('a\tb\nc é 中 −')).toBe('a\tb\nc é 中 −');
  });

  it('formatProblem sanitises every part: file, path, message and fix', () => {
    expect(
      formatProblem({
        file: 'in\x1bput.yaml',
        line: 3,
        path: 'a.\x1b[31mred',
        message: "unknown key '\x1b[31mred'",
        fix: 'remove \x9b it',
      }),
    ).toBe(
      "in\\x1bput.yaml:3 at a.\\x1b[31mred: unknown key '\\x1b[31mred'\n  fix: remove \\x9b it",
    );
  });

  it('the CLI prints an escape-laden unknown key as visible text and exits 2', () => {
    const f = writeFile(tempDir(), 'esc.yaml', `${SCENARIO}"\x1b[2J\x1b[Hevil\x07": 1\n`);
    const r = cli(['validate', f, '--data', DATA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown key '\\x1b[2J\\x1b[Hevil\\x07'");
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});

describe('messages stay small, however much is wrong', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      file: 'f.yaml',
      line: i + 1,
      path: `k${i}`,
      message: `unknown key 'k${i}'`,
    }));

  it(`prints the first ${MAX_PROBLEMS_SHOWN} problems, then how many more`, () => {
    for (const [n, shown, tail] of [
      [1, 1, undefined],
      [50, 50, undefined],
      [51, 50, '… and 1 more problem (fix these and run again)'],
      [10_000, 50, '… and 9950 more problems (fix these and run again)'],
    ] as const) {
      const lines = formatProblems(many(n)).split('\n');
      expect(lines.filter((l) => l.startsWith('f.yaml:')).length).toBe(shown);
      expect(lines.at(-1)).toBe(tail ?? `f.yaml:${n} at k${n - 1}: unknown key 'k${n - 1}'`);
    }
    const e = new InputError(many(10_000));
    expect(e.problems.length).toBe(10_000); // all kept as data, only the text is cut
    expect(e.message.length).toBeLessThan(3_000);
  });

  it('cuts a long quoted value, a long path and a long message', () => {
    const key = 'k'.repeat(10_000);
    expect(formatProblem({ message: `unknown key '${key}'` })).toBe(
      `unknown key '${'k'.repeat(80)}… (9920 more characters)'`,
    );
    expect(formatProblem({ path: `a.${key}`, message: 'x' })).toBe(
      `at a.${'k'.repeat(198)}… (9802 more characters): x`,
    );
    const long = formatProblem({ message: 'word '.repeat(1000) });
    expect(long.length).toBeLessThan(600);
    expect(long).toMatch(/… \(4500 more characters\)$/);
    // apostrophes inside words do not open a quote; short quotes stay whole
    expect(formatProblem({ message: "the metric's unit, 'ok' and 'fine'" })).toBe(
      "the metric's unit, 'ok' and 'fine'",
    );
  });

  it('the CLI on a scenario with 10,000 unknown keys prints about 7 kB, not a megabyte', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `junk${i}: 1\n`).join('');
    const f = writeFile(tempDir(), 'many.yaml', SCENARIO + keys);
    const r = cli(['validate', f, '--data', DATA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("at junk49: unknown key 'junk49'");
    expect(r.stderr).not.toContain('junk50');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
      '… and 9950 more problems (fix these and run again)',
    );
    expect(r.stderr.length).toBeLessThan(10_000);
  });

  it('the CLI on 10,000 keys of 500 characters each stays under 25 kB', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `${'x'.repeat(500)}${i}: 1\n`);
    const f = writeFile(tempDir(), 'long.yaml', SCENARIO + keys.join(''));
    const r = cli(['validate', f, '--data', DATA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown key '${'x'.repeat(80)}… (421 more characters)'`);
    expect(r.stderr.length).toBeLessThan(25_000);
  });
});
