import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { parseInventory } from '../src/io/load-organization.js';
import { loadPrices } from '../src/io/load-prices.js';
import { decodeUtf8, readInputFile } from '../src/io/safe-path.js';
import { cli, tempDir } from './helpers.js';

const FIXTURE = 'test/fixtures/usd-calendar-scope12';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function copyFixture(prefix: string): string {
  const dir = join(tempDir(prefix), 'org');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** The problem decodeUtf8 raises for these bytes. */
function refusal(bytes: number[] | Buffer) {
  try {
    decodeUtf8('f.csv', Buffer.from(bytes));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).problems[0]!;
  }
  throw new Error('accepted');
}

describe('a byte-order mark (Excel "CSV UTF-8") is accepted', () => {
  it('CSV and YAML read with a BOM give the same text and the same rows as without', () => {
    const dir = tempDir('bom-');
    for (const name of ['inventory.csv', 'organization.yaml', 'targets.yaml']) {
      const plain = readFileSync(join(FIXTURE, name));
      writeFileSync(join(dir, name), Buffer.concat([BOM, plain]));
      expect(readInputFile(join(dir, name))).toBe(readInputFile(join(FIXTURE, name)));
    }
    const inv = join(dir, 'inventory.csv');
    expect(parseInventory(inv, readInputFile(inv))).toEqual(
      parseInventory(inv, readInputFile(join(FIXTURE, 'inventory.csv'))),
    );
  });

  it('validate and run accept an organization whose files start with a BOM: same results', () => {
    const withBom = copyFixture('bom-org-');
    for (const name of ['inventory.csv', 'organization.yaml', 'targets.yaml']) {
      const file = join(withBom, name);
      writeFileSync(file, Buffer.concat([BOM, readFileSync(file)]));
    }
    const v = cli(['validate', withBom]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const [a, b] = [tempDir('bom-run-'), tempDir('plain-run-')];
    expect(cli(['run', '--data', withBom, '--out', a]).code).toBe(0);
    expect(cli(['run', '--data', FIXTURE, '--out', b]).code).toBe(0);
    const rows = readFileSync(join(a, 'trajectories.csv'), 'utf8');
    expect(rows.split('\n').length).toBeGreaterThan(20);
    expect(rows).toBe(readFileSync(join(b, 'trajectories.csv'), 'utf8'));
  });

  it('only a leading BOM is removed; one inside the text is kept', () => {
    expect(decodeUtf8('f', Buffer.from('\ufeffa\ufeffb'))).toBe('a\ufeffb');
    expect(decodeUtf8('f', Buffer.from('a,b\n'))).toBe('a,b\n');
  });
});

describe('a file that is not UTF-8 is refused, naming the line of the first bad byte', () => {
  it('refuses Latin-1, a cut-off sequence, an overlong form and a surrogate', () => {
    const cases: Array<[number[], string, number]> = [
      [[...Buffer.from('a,b\ncaf'), 0xe9, 0x0a], '0xE9', 2], // é in Latin-1
      [[...Buffer.from('x\ny\nz '), 0x80], '0x80', 3], // a lone continuation byte
      [[...Buffer.from('€ ok\n'), 0xe2, 0x82], '0xE2', 2], // € cut off at the end
      [[0xc0, 0xaf], '0xC0', 1], // overlong '/'
      [[...Buffer.from('\n'), 0xed, 0xa0, 0x80], '0xED', 2], // UTF-16 surrogate
      [[0xf5, 0x80, 0x80, 0x80], '0xF5', 1], // beyond U+10FFFF
    ];
    for (const [bytes, byte, line] of cases) {
      const p = refusal(bytes);
      expect(p.file).toBe('f.csv');
      expect(p.line, byte).toBe(line);
      expect(p.message).toBe(`not valid UTF-8: byte ${byte} (probably Latin-1 or Windows-1252)`);
      expect(p.fix).toMatch(/^save the file as UTF-8/);
    }
  });

  it('accepts every well-formed character, from ASCII to emoji', () => {
    const text = 'a é € 中 𝄞 🌍 −30% ≤ 1.3\n';
    expect(decodeUtf8('f', Buffer.from(text))).toBe(text);
  });

  it('carbonpath validate exits 2 on a Latin-1 inventory or organization file, no stack', () => {
    const dir = copyFixture('latin1-');
    const inv = join(dir, 'inventory.csv');
    const lines = readFileSync(inv, 'utf8').split('\n');
    lines[3] = `${lines[3]}caf\u00e9`;
    writeFileSync(inv, Buffer.from(lines.join('\n'), 'latin1'));
    const r = cli(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${inv}:4: not valid UTF-8: byte 0xE9`);
    expect(r.stderr).toContain('fix: save the file as UTF-8');
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const dir2 = copyFixture('latin1-yaml-');
    const org = join(dir2, 'organization.yaml');
    const text = readFileSync(org, 'utf8').replace('Calendar Scope12 Inc', 'Soci\u00e9t\u00e9 SA');
    writeFileSync(org, Buffer.from(text, 'latin1'));
    const line = text.split('\n').findIndex((l) => l.includes('Soci')) + 1;
    const r2 = cli(['report', '--data', dir2, '--samples', '0', '--out', tempDir('nope-')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${org}:${line}: not valid UTF-8: byte 0xE9`);
  });
});

/** Every output file of `targets` on `dir` (run.json aside: it records the input hashes). */
function outputsOf(dir: string): Record<string, string> {
  const out = join(tempDir('class6-out-'), 'out');
  const r = cli(['targets', '--data', dir, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const files: Record<string, string> = {};
  for (const f of readdirSync(out).sort())
    if (f !== 'run.json') files[f] = readFileSync(join(out, f), 'utf8');
  return files;
}

describe('class 6, more of our own: real-world files give the same result as clean ones', () => {
  const crlf = (b: Buffer) => Buffer.from(b.toString('utf8').replace(/\r?\n/g, '\r\n'));
  const bom = (b: Buffer) => Buffer.concat([BOM, b]);
  const ALL = ['inventory.csv', 'organization.yaml', 'targets.yaml', 'scenarios/baseline.yaml'];
  const cases: Array<[string, string[], (b: Buffer) => Buffer]> = [
    ['a BOM on the scenario YAML', ['scenarios/baseline.yaml'], bom],
    ['a BOM on organization.yaml alone', ['organization.yaml'], bom],
    ['a BOM on targets.yaml alone', ['targets.yaml'], bom],
    ['CRLF line endings in every file (Windows)', ALL, crlf],
    ['a BOM and CRLF in every file (Excel on Windows)', ALL, (b) => bom(crlf(b))],
    ['trailing blank lines in every file', ALL, (b) => Buffer.concat([b, Buffer.from('\n\n\n')])],
  ];
  const plain = outputsOf(FIXTURE);
  it('the clean fixture writes targets.csv and trajectories', () => {
    expect(Object.keys(plain).length).toBeGreaterThan(0);
    expect(Object.values(plain).join('').length).toBeGreaterThan(500);
  });
  for (const [name, files, edit] of cases) {
    it(name, () => {
      const dir = copyFixture('class6-');
      for (const f of files) writeFileSync(join(dir, f), edit(readFileSync(join(dir, f))));
      const v = cli(['validate', dir]);
      expect(v.code, v.stderr).toBe(0);
      expect(outputsOf(dir)).toEqual(plain);
    });
  }
  it('a price file with a BOM reads as without it', () => {
    const dir = tempDir('class6-prices-');
    const text = readFileSync('data/prices/carbon-credits.yaml');
    writeFileSync(join(dir, 'prices.yaml'), bom(text));
    writeFileSync(join(dir, 'plain.yaml'), text);
    expect(loadPrices(join(dir, 'prices.yaml')).prices).toEqual(
      loadPrices(join(dir, 'plain.yaml')).prices,
    );
    expect(cli(['validate', join(dir, 'prices.yaml')]).code).toBe(0);
  });
  it('UTF-16 (with its mark, or without: NUL bytes) is refused with the fix, not misread', () => {
    const dir = copyFixture('class6-utf16-');
    const inv = join(dir, 'inventory.csv');
    const text = readFileSync(inv, 'utf8');
    writeFileSync(inv, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const out = join(dir, 'out');
    const r = cli(['run', '--data', dir, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${inv}:1: the file is UTF-16 text (it starts with a UTF-16 byte-order mark)`,
    );
    expect(r.stderr).toContain('fix: save the file as UTF-8');
    expect(existsSync(out)).toBe(false);
    const org = join(dir, 'organization.yaml');
    writeFileSync(inv, text);
    writeFileSync(org, Buffer.from(readFileSync(org, 'utf8'), 'utf16le'));
    const r2 = cli(['validate', dir]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${org}:1: the file has NUL bytes (probably UTF-16 text)`);
  });
});
