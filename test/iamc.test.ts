/**
 * `run --format iamc` as pyam reads it: units in a pint-compatible grammar (the symbols
 * iam-units defines), an additive variable tree (pyam's check_aggregate holds for every parent
 * with children), the history as scenario 'historical' with the long format's actual values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iamcUnit } from '../src/io/iamc.js';
import { cli, readCsv, tempDir } from './helpers.js';

/**
 * pint's grammar for the units used: factors separated by spaces (products) or '/' (a
 * quotient), each a unit symbol known to pint with iam-units' definitions: t (tonne), CO2e (a
 * GHG species of iam-units), MWh, yr, percent, dimensionless, million (1e6), a currency code.
 */
const SYMBOLS = new Set(['t', 'CO2e', 'MWh', 'yr', 'percent', 'dimensionless', 'million']);
function parsesInPint(unit: string): boolean {
  if (unit.trim() !== unit || unit === '') return false;
  return unit
    .split('/')
    .every(
      (term) =>
        term.length > 0 && term.split(' ').every((f) => SYMBOLS.has(f) || /^[A-Z]{3}$/.test(f)),
    );
}

describe('IAMC output for pyam', () => {
  const dir = tempDir();
  const r = cli(['run', '--format', 'iamc', '--out', dir]);
  const rows = readCsv(join(dir, 'trajectories.csv'));
  const years = Object.keys(rows[0] ?? {}).filter((k) => /^\d{4}$/.test(k));
  const long = cli(['run', '--out', join(dir, 'long')]);
  const longRows = readCsv(join(dir, 'long', 'trajectories.csv'));

  it('writes model, scenario, region, variable, unit and one column per year', () => {
    expect(r.code).toBe(0);
    expect(long.code).toBe(0);
    const header = readFileSync(join(dir, 'trajectories.csv'), 'utf8').split('\n')[0];
    expect(header).toBe(`model,scenario,region,variable,unit,${years.join(',')}`);
    expect(new Set(rows.map((x) => x.region))).toEqual(new Set(['Alibaba Group']));
  });

  it('gives every unit in a grammar pint parses, yearly flows per year', () => {
    for (const u of new Set(rows.map((x) => x.unit))) expect(parsesInPint(u!), u).toBe(true);
    expect(parsesInPint('M CNY')).toBe(false); // what pint read as mega-molar
    expect(iamcUnit('M CNY', false)).toBe('million CNY/yr');
    expect(iamcUnit('t CO2e', true)).toBe('t CO2e');
    expect(iamcUnit('%', false)).toBe('percent');
    const unitOf = (v: string) => rows.find((x) => x.variable === v)?.unit;
    expect(unitOf('Emissions')).toBe('t CO2e/yr');
    expect(unitOf('Cumulative Avoided Emissions|Scope 3+')).toBe('t CO2e');
    expect(unitOf('Revenue')).toBe('million CNY/yr');
  });

  it('is an additive tree: every parent in tonnes, MWh or money is the sum of its children', () => {
    const additive = /^(t CO2e|MWh|million [A-Z]{3})(\/yr)?$/;
    const byKey = new Map(rows.map((x) => [`${x.scenario}|${x.variable}`, x]));
    let checked = 0;
    for (const parent of rows) {
      if (!additive.test(parent.unit!)) continue;
      const children = rows.filter(
        (c) =>
          c.scenario === parent.scenario &&
          c.variable!.startsWith(`${parent.variable}|`) &&
          !c.variable!.slice(parent.variable!.length + 1).includes('|'),
      );
      if (children.length === 0) continue;
      for (const y of years) {
        if (parent[y] === '') continue;
        const sum = children.reduce((s, c) => s + Number(c[y] || 0), 0);
        expect(sum, `${parent.scenario} ${parent.variable} ${y}`).toBeCloseTo(
          Number(parent[y]),
          Math.max(0, 6 - Math.ceil(Math.log10(Math.abs(Number(parent[y])) + 1))),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    // the views that are not parts of a total sit in their own branches
    for (const v of ['Net Emissions', 'Emissions (Location-based)|Scope 1+2', 'Offsets'])
      expect(byKey.has(`baseline|${v}`), v).toBe(true);
    expect(rows.some((x) => /\|(Net|Cumulative|Location-based)$/.test(x.variable!))).toBe(false);
  });

  it("marks the history: reported years as 'historical', as in the long format", () => {
    const historical = rows.filter((x) => x.scenario === 'historical');
    const actualYears = new Set(longRows.filter((x) => x.kind === 'actual').map((x) => x.year!));
    for (const x of rows)
      for (const y of years) {
        if (x[y] === '') continue;
        expect(actualYears.has(y), `${x.scenario} ${y}`).toBe(x.scenario === 'historical');
      }
    const emissions = historical.find((x) => x.variable === 'Emissions|Scope 1+2')!;
    for (const y of actualYears) {
      const reported = longRows.find(
        (x) => x.scenario === 'baseline' && x.variable === 'Emissions|Scope 1+2' && x.year === y,
      );
      expect(emissions[y]).toBe(reported?.value ?? '');
    }
  });
});
