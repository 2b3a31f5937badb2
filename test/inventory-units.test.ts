/**
 * Inventory units (issue #16, class 5): one unit table (src/io/units.ts). What is unambiguous —
 * another magnitude of the unit carbonpath reads — is converted, gives byte-identical CSVs and is
 * recorded in run.json and the report's notes; what is ambiguous or unknown is refused with exit
 * 2, the file, the line and the units accepted. The organization is test/fixtures/acme-calendar
 * (invented numbers), its values rewritten by moving the decimal point as text.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { convertUnits, shiftDecimal } from '../src/io/units.js';
import { cli, ROOT, tempDir } from './helpers.js';

const ACME = join(ROOT, 'test', 'fixtures', 'acme-calendar');

/** A decimal string times 10^k, by moving the point in the text (no floating point). */
function moved(text: string, k: number): string {
  const [int, frac = ''] = text.split('.');
  let digits = int! + frac;
  let point = int!.length + k;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const out = `${digits.slice(0, point)}.${digits.slice(point)}`
    .replace(/^0+(?=\d)/, '')
    .replace(/\.?0*$/, '');
  return out === '' ? '0' : out;
}

/**
 * A copy of acme with every row of `variable` in `unit` rewritten to `to`, its value × 10^k;
 * returns the folder and the rewritten lines.
 */
function acmeIn(variable: string, unit: string, to: string, k: number) {
  const dir = join(tempDir('carbonpath-harden-'), 'acme');
  cpSync(ACME, dir, { recursive: true });
  const file = join(dir, 'inventory.csv');
  const lines = readFileSync(file, 'utf8').split('\n');
  const changed: number[] = [];
  lines.forEach((l, i) => {
    const c = l.split(',');
    if (c[1] !== variable || c[2] !== unit) return;
    c[2] = to;
    c[4] = moved(c[4]!, k);
    lines[i] = c.join(',');
    changed.push(i + 1);
  });
  expect(changed.length).toBeGreaterThan(0);
  writeFileSync(file, lines.join('\n'));
  // report runs the scenarios of scenarios/: the fixture's plan
  mkdirSync(join(dir, 'scenarios'));
  cpSync(join(dir, 'plan.yaml'), join(dir, 'scenarios', 'plan.yaml'));
  return { dir, changed };
}

const runInto = (dir: string) => {
  const out = join(tempDir('carbonpath-harden-'), 'out');
  const r = cli(['run', '--data', dir, join(dir, 'plan.yaml'), '--out', out]);
  return { ...r, out };
};
const reportInto = (dir: string, extra: string[] = []) => {
  const out = join(tempDir('carbonpath-harden-'), 'report');
  const r = cli(['report', '--data', dir, '--samples', '0', '--out', out, ...extra]);
  return { ...r, out };
};

describe('moved (the test helper) moves the decimal point as text', () => {
  it.each([
    ['10400', 3, '10400000'],
    ['8.636364', -3, '0.008636364'],
    ['50', -2, '0.5'],
    ['0.5', 2, '50'],
    ['2200', -3, '2.2'],
  ])('%s × 10^%i = %s', (a, k, b) => expect(moved(a, k)).toBe(b));
});

describe('another magnitude of the unit read is converted: the same CSVs, byte for byte', () => {
  const reference = runInto(ACME);
  const cases: Array<[string, string, string, number]> = [
    ['Electricity|Purchased', 'MWh', 'kWh', 3],
    ['Electricity|Purchased', 'MWh', 'GWh', -3],
    ['Emissions|Scope 3', 't CO2e', 'kt CO2e', -3],
    ['Emissions|Scope 1', 't CO2e', 'kg CO2e', 3],
    ['Emissions|Scope 2|Market-based', 't CO2e', 'Mt CO2e', -6],
    ['Emissions|Scope 3', 't CO2e', 'ktCO2e', -3],
    ['Electricity|Clean Share', '%', 'fraction', -2],
    ['Electricity|Clean Share', '%', 'percent', 0],
    ['Revenue', 'M CNY', 'bn CNY', -3],
    ['Revenue', 'M CNY', 'k CNY', 3],
    ['Intensity|Scope 3', 't CO2e/M CNY', 'kg CO2e/k CNY', 0],
    ['Intensity|Scope 3', 't CO2e/M CNY', 't CO2e/bn CNY', 3],
  ];
  it('the reference run succeeds', () => expect(reference.code).toBe(0));
  for (const [variable, unit, to, k] of cases) {
    it(`${variable} in ${to} instead of ${unit}`, () => {
      const { dir, changed } = acmeIn(variable, unit, to, k);
      const r = runInto(dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const csvs = readdirSync(reference.out).filter((f) => f.endsWith('.csv'));
      expect(csvs.length).toBeGreaterThan(0);
      for (const f of csvs)
        expect(readFileSync(join(r.out, f), 'utf8')).toBe(
          readFileSync(join(reference.out, f), 'utf8'),
        );
      // each conversion in run.json: file, line, variable, both values and units, the factor
      const manifest = JSON.parse(readFileSync(join(r.out, 'run.json'), 'utf8')) as {
        unitConversions: Array<Record<string, unknown>>;
      };
      expect(manifest.unitConversions.map((c) => c.line)).toEqual(changed);
      for (const c of manifest.unitConversions) {
        expect(c).toMatchObject({ file: 'inventory.csv', variable, factor: 10 ** -k });
        expect(c.from).toMatchObject({ unit: to });
        expect(c.to).toMatchObject({ unit });
      }
    });
  }
  it('the unconverted run.json has no unitConversions', () => {
    expect(readFileSync(join(reference.out, 'run.json'), 'utf8')).not.toContain('unitConversions');
  });
});

describe('the report names each conversion in its notes', () => {
  it('kWh: the variable, the units, the factor and the lines', () => {
    const { dir, changed } = acmeIn('Electricity|Purchased', 'MWh', 'kWh', 3);
    const { code, out } = reportInto(dir);
    expect(code).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain(
      'Unit conversion: Electricity\\|Purchased converted from kWh to MWh \\(×0.001\\), ' +
        `inventory.csv lines ${changed.join(', ')}.`,
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain(
      'Electricity|Purchased converted from kWh to MWh (×0.001)',
    );
  });
});

describe('ambiguous or unknown units are refused: exit 2, line, the units accepted', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['Emissions|Scope 3', 't CO2e', 'kt', /fix: write kt CO2e if the value is CO2-equivalent/],
    ['Emissions|Scope 1', 't CO2e', 't', /fix: write t CO2e if the value is CO2-equivalent/],
    ['Revenue', 'M CNY', 'CNY', /fix: write the magnitude: M CNY for millions, bn CNY/],
    ['Revenue', 'M CNY', 'M USD', /carbonpath does not convert currencies: give the value in CNY/],
    ['Electricity|Purchased', 'MWh', 'mwh', /fix: write one of: kWh, MWh, GWh, TWh/],
    ['Electricity|Purchased', 'MWh', 'MJ', /fix: write one of: kWh, MWh, GWh, TWh/],
    ['Electricity|Clean Share', '%', 'share', /fix: write one of: %, percent, fraction/],
    ['Intensity|Scope 3', 't CO2e/M CNY', 't CO2e/CNY', /per k CNY, M CNY, bn CNY/],
    ['Emissions|Scope 3', 't CO2e', 'kt CO2', /fix: write one of: g CO2e, kg CO2e, t CO2e/],
  ];
  for (const [variable, unit, wrong, fix] of cases) {
    it(`${variable} in '${wrong}'`, () => {
      const { dir, changed } = acmeIn(variable, unit, wrong, 0);
      const out = join(tempDir('carbonpath-harden-'), 'out');
      for (const args of [
        ['validate', dir],
        ['run', '--data', dir, join(dir, 'plan.yaml'), '--out', out],
      ]) {
        const r = cli(args);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(
          `inventory.csv:${changed[0]} at unit: ${variable} is given in '${wrong}'; ` +
            `carbonpath reads it in '${unit}'`,
        );
        expect(r.stderr).toMatch(fix);
        expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
      }
      expect(existsSync(out)).toBe(false);
    });
  }
  it('a fraction above 1 (a percentage labelled fraction) is refused at its value', () => {
    const { dir, changed } = acmeIn('Electricity|Clean Share', '%', 'fraction', 0);
    const r = cli(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `inventory.csv:${changed[0]} at value: Electricity|Clean Share is 40 as a fraction`,
    );
    expect(r.stderr).toMatch(/fix: if 40 is a percentage, write % in the unit column/);
  });
  it('--actuals are converted too, and a refusal names the actuals file', () => {
    const { dir } = acmeIn('Electricity|Purchased', 'MWh', 'MWh', 0);
    const header = readFileSync(join(dir, 'inventory.csv'), 'utf8').split('\n')[0];
    const actuals = join(dir, '..', 'actuals.csv');
    writeFileSync(
      actuals,
      `${header}\nreported,Electricity|Purchased,kWh,2023,10400000,reported,invented:1,\n`,
    );
    const ok = reportInto(dir, ['--actuals', actuals]);
    expect(ok.code).toBe(0);
    const m = JSON.parse(readFileSync(join(ok.out, 'run.json'), 'utf8')) as {
      unitConversions: Array<{ file: string; line: number; to: { value: number } }>;
    };
    expect(m.unitConversions).toEqual([
      expect.objectContaining({
        file: '../actuals.csv',
        line: 2,
        to: { value: 10400, unit: 'MWh' },
      }),
    ]);
    writeFileSync(
      actuals,
      `${header}\nreported,Electricity|Purchased,Wh,2023,1,reported,invented:1,\n`,
    );
    const bad = reportInto(dir, ['--actuals', actuals]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("actuals.csv:2 at unit: Electricity|Purchased is given in 'Wh'");
  });
});

describe('convertUnits and shiftDecimal', () => {
  it('moving the decimal point gives the number the converted decimal names', () => {
    for (const [v, k, text] of [
      [3787579.62, -3, '3787.57962'],
      [0.07, 2, '7'],
      [8.636364, 3, '8636.364'],
      [1.7e-7, 3, '0.00017'],
      [12345678901234567000, -6, '12345678901234.567'],
    ] as const)
      expect(shiftDecimal(v, k)).toBe(Number(text));
  });
  it('rows of variables not read are left alone; several refusals are reported together', () => {
    const rows = [
      { variable: 'Fuel|Coal', unit: 'furlongs', value: 1, year: 2023, line: 2 },
      { variable: 'Revenue', unit: 'CNY', value: 1, year: 2023, line: 3 },
      { variable: 'Revenue', unit: 'USD', value: 1, year: 2024, line: 4 },
    ];
    try {
      convertUnits('inv.csv', rows, new Map([['Revenue', 'M CNY']]), 'CNY');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).problems.map((p) => p.line)).toEqual([3, 4]);
    }
    const ok = convertUnits('inv.csv', rows.slice(0, 1), new Map([['Revenue', 'M CNY']]), 'CNY');
    expect(ok).toEqual({ rows: rows.slice(0, 1), conversions: [] });
  });
});
