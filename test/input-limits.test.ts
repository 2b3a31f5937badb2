/**
 * Issue 16, class 3: bad input that used to end in "internal error" (exit 1) — YAML aliases,
 * deep nesting, unreadable files, output folders that cannot be made, unbounded numbers — is
 * refused with exit 2, the file and line, and a fix; --out is left untouched.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { MAX_SOBOL_SAMPLES, parseWholeNumber } from '../src/app/limits.js';
import { fileSystemError } from '../src/io/fs-errors.js';
import { checkOutputFolder } from '../src/io/output-folder.js';
import { MAX_ALIAS_VALUES, MAX_NESTING_DEPTH, parseYamlSource } from '../src/io/yaml-source.js';
import { cli, tempDir, writeFile } from './helpers.js';

/** The problems parseYamlSource raises for this text (fails the test if it accepts it). */
function refusal(text: string) {
  try {
    parseYamlSource('f.yaml', text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).problems;
  }
  throw new Error('accepted');
}

/** Exit 2, the message, a fix, no internal text or stack, and nothing in --out. */
function expectRefused(args: string[], message: RegExp, cwd?: string) {
  const out = join(tempDir(), 'out');
  const r = cli([...args, '--out', out], cwd);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|Maximum call stack|\n\s+at .+:\d+:\d+/);
  expect(existsSync(out)).toBe(false);
  return r.stderr;
}

const billionLaughs = (levels: number) =>
  ['a: &a [x, x, x, x, x, x, x, x, x]']
    .concat(
      Array.from({ length: levels }, (_, i) => {
        const [me, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
        return `${me}: &${me} [${Array(9).fill(`*${prev}`).join(', ')}]`;
      }),
    )
    .join('\n');

describe('YAML aliases are resolved or refused at their line', () => {
  it('an alias without its anchor', () => {
    const [p] = refusal('name: x\ndescription: *nope\n');
    expect(p).toMatchObject({ file: 'f.yaml', line: 2 });
    expect(p!.message).toBe("the alias '*nope' has no anchor '&nope' before it");
    expect(p!.fix).toMatch(/put '&nope' on a value above this line/);
  });
  it('an alias used before its anchor', () => {
    const [p] = refusal('a: *later\nb: &later 1\n');
    expect(p).toMatchObject({ line: 1, message: expect.stringMatching(/no anchor '&later'/) });
  });
  it('an alias inside the value it names (a cycle; it used to overflow the stack)', () => {
    const [p] = refusal('x: 1\na: &a\n  b: [1, *a]\n');
    expect(p).toMatchObject({ line: 3, message: expect.stringMatching(/inside the value.*cycle/) });
    expect(p!.fix).toMatch(/write the value out/);
  });
  it(`aliases that copy in more than ${MAX_ALIAS_VALUES} values (billion laughs)`, () => {
    const [p] = refusal(billionLaughs(8));
    expect(p!.message).toBe('aliases copy in more than 10,000 values');
    // the line of the alias that crosses the bound: 9 × 9 × 9 × 10 values by level d
    expect(p!.line).toBe(5);
  });
  it('ordinary aliases still work', () => {
    const v = parseYamlSource('f.yaml', 'x: &x [1, {a: 2}]\ny: *x\nz: [*x, *x]\n').value;
    expect(v).toEqual({
      x: [1, { a: 2 }],
      y: [1, { a: 2 }],
      z: [
        [1, { a: 2 }],
        [1, { a: 2 }],
      ],
    });
    expect(() => parseYamlSource('f.yaml', billionLaughs(2))).not.toThrow();
  });
  it('validate and run say the same, exit 2, and write nothing', () => {
    const f = writeFile(tempDir(), 'alias.yaml', 'extends: baseline\ndescription: *why\n');
    const err = expectRefused(['run', f], /alias\.yaml:2: the alias '\*why' has no anchor/);
    expect(err).toMatch(/fix: /);
    const v = cli(['validate', f]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/alias\.yaml:2: the alias '\*why' has no anchor/);
    const laughs = writeFile(tempDir(), 'laughs.yaml', billionLaughs(8));
    expectRefused(['run', laughs], /laughs\.yaml:5: aliases copy in more than 10,000 values/);
  });
});

describe(`nesting deeper than ${MAX_NESTING_DEPTH} levels is refused with the bound`, () => {
  const flow = (n: number) => `parameters: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  const block = (n: number) =>
    Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
  it('flow and block nesting, at the line where it passes the bound', () => {
    const [p] = refusal(flow(5000));
    expect(p).toMatchObject({ line: 1, message: 'nested deeper than 32 levels of maps and lists' });
    expect(p!.fix).toMatch(/keep nesting within 32 levels/);
    expect(refusal(block(3000))[0]).toMatchObject({ line: MAX_NESTING_DEPTH + 1 });
  });
  it('up to the bound is accepted, one more is not', () => {
    expect(() => parseYamlSource('f.yaml', block(MAX_NESTING_DEPTH))).not.toThrow();
    expect(refusal(block(MAX_NESTING_DEPTH + 1))[0]!.line).toBe(MAX_NESTING_DEPTH + 1);
  });
  it('an alias that would nest a value past the bound', () => {
    const nest = (n: number, inner: string) => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
    const fits = `a: &deep ${nest(20, '1')}\nb: ${nest(10, '*deep')}\n`;
    const text = `${fits}c:\n  d: ${nest(15, '*deep')}\n`;
    expect(() => parseYamlSource('f.yaml', fits)).not.toThrow();
    const [p] = refusal(text);
    expect(p!.line).toBe(4);
    expect(p!.message).toMatch(/nested deeper than 32/);
  });
  it('the command line: exit 2 without the stack-overflow text', () => {
    const f = writeFile(tempDir(), 'deep.yaml', flow(5000));
    expectRefused(['run', f], /deep\.yaml:1: nested deeper than 32 levels/);
  });
});

describe('file-system refusals are input errors naming the file', () => {
  const sysError = (code: string) => Object.assign(new Error(`${code}: …`), { code });
  it('the mapping: permission, read-only, missing folder; anything else unchanged', () => {
    const read = fileSystemError(sysError('EACCES'), 'inv.csv', 'read') as InputError;
    expect(read).toBeInstanceOf(InputError);
    expect(read.problems[0]).toMatchObject({
      file: 'inv.csv',
      message: 'cannot read the file: permission denied',
      fix: expect.stringMatching(/readable/),
    });
    const rofs = fileSystemError(sysError('EROFS'), '/mnt/out', 'write') as InputError;
    expect(rofs.message).toMatch(/\/mnt\/out: cannot write the output: .*read-only/);
    expect(rofs.message).toMatch(/fix: give --out a folder you can write to/);
    const noent = fileSystemError(sysError('ENOENT'), '/proc/x', 'write') as InputError;
    expect(noent.message).toMatch(/cannot be created/);
    const other = new Error('boom');
    expect(fileSystemError(other, 'f', 'read')).toBe(other);
  });
  it.skipIf(process.getuid?.() === 0)('an unreadable file (chmod 000; not as root)', async () => {
    const { chmodSync } = await import('node:fs');
    const f = writeFile(tempDir(), 'locked.yaml', 'extends: baseline\n');
    chmodSync(f, 0o000);
    expectRefused(['run', f], /locked\.yaml: cannot read the file: permission denied/);
  });
  it('an output folder that cannot be created (/proc refuses mkdir; ENOENT)', () => {
    if (!existsSync('/proc/self')) return;
    expect(() => checkOutputFolder('/proc/carbonpath-out/x')).toThrow(
      /\/proc\/carbonpath-out: cannot write the output: .*cannot be created/,
    );
    const r = cli(['run', '--out', '/proc/carbonpath-out/x']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
  });
  it('an output path under a file, an empty --out; nothing is created by the check', () => {
    const dir = tempDir();
    const file = writeFile(dir, 'a-file', 'x');
    const r0 = cli(['run', '--out', join(file, 'out')]);
    expect(r0.code).toBe(2);
    expect(r0.stderr).toMatch(/a-file\/out: cannot write the output: part of the path is a file/);
    expect(() => checkOutputFolder(join(dir, 'new', 'deeper'))).not.toThrow();
    expect(readdirSync(dir)).toEqual(['a-file']);
    const cwd = tempDir();
    mkdirSync(join(cwd, 'sub'));
    const r = cli(['run', '--out', ''], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out is empty \(it would write into the current folder\)/);
    expect(r.stderr).toMatch(/fix: name a folder/);
    expect(readdirSync(cwd)).toEqual(['sub']);
  });
});

describe('numbers from the command line are bounded (docs/security.md, Input limits)', () => {
  it('the parser: underscores, bounds, words', () => {
    expect(parseWholeNumber('--n', '1_000', 0, 5000)).toBe(1000);
    expect(() => parseWholeNumber('--n', '5001', 0, 5000)).toThrow(
      "--n takes a whole number from 0 to 5,000, not '5001'",
    );
    expect(() => parseWholeNumber('--n', '1e3', 0, 5000)).toThrow(/whole number/);
  });
  it('--sobol, and --samples on simulate, solve and report', () => {
    const big = '99999999999999';
    expectRefused(
      ['simulate', '--samples', '10', '--seed', '1', '--sobol', String(MAX_SOBOL_SAMPLES + 1)],
      /--sobol takes a whole number from 1 to 100,000, not '100001'/,
    );
    expectRefused(['simulate', '--samples', big, '--seed', '1'], /--samples .* 10,000,000/);
    expectRefused(
      ['solve', '--target', 't', '--lever', 'l', '--samples', big],
      /--samples takes a whole number from 1 to 10,000,000/,
    );
    expectRefused(['report', '--samples', big], /--samples takes a whole number from 0/);
    expectRefused(['report', '--seed', big], /--seed takes a whole number from 0 to 4,294,967,295/);
  });
});
