/**
 * The explorer page's formula parser: the trees `explore` embeds (parsed by the CLI's parser)
 * compile to the same functions, and refuse the same things, as the CLI's parser.
 */
import { describe, expect, it } from 'vitest';
import { loadParser } from '../src/app/project.js';
import { compileFormula, FormulaError } from '../src/core/formula.js';
import { formulasIn, lookupParser, parsedFormulas } from '../src/explore/formulas.js';

const parse = await loadParser();
const SYMBOLS = ['year', 't', 'base', 'prev', 'k'];
const FORMULAS = [
  'base * (1 - k / 100) ^ t',
  'year >= 2030 ? max(prev - 2, 0) : clamp(prev + k, 0, 100)',
  'log(base, 10) + -sqrt(abs(t)) * (2 > 1) + round(1.5) + 3 % 2',
  'not (t == 0) and (k != 1 or true)',
];

describe('embedded formula trees', () => {
  it('finds every formula of a scenario once, in document order', () => {
    const s = {
      constants: { k: 2 },
      parameters: {
        revenue: { formula: FORMULAS[0], why: 'x' },
        segments: { a: { pue: { formula: FORMULAS[1] }, itLoad: { formula: FORMULAS[0] } } },
      },
    };
    expect([...formulasIn([s, { parameters: { x: { formula: FORMULAS[2] } } }])]).toEqual([
      FORMULAS[0],
      FORMULAS[1],
      FORMULAS[2],
    ]);
  });

  it('compile to the values the CLI parser gives', () => {
    const page = lookupParser(JSON.parse(JSON.stringify(parsedFormulas(FORMULAS, parse))));
    for (const f of FORMULAS) {
      const cli = compileFormula(f, SYMBOLS, parse);
      const inPage = compileFormula(f, SYMBOLS, page);
      for (const vars of [
        [2025, 0, 100, 50, 3],
        [2031, 6, 7.5, -1, 1],
      ])
        expect(inPage(vars), f).toBe(cli(vars));
    }
    // 100 × 0.98^t at t = 6, worked by hand
    expect(compileFormula(FORMULAS[0]!, SYMBOLS, page)([2031, 6, 100, 0, 2])).toBeCloseTo(
      100 * 0.98 ** 6,
      12,
    );
  });

  it('refuse what the allow-list refuses, and a formula that was not embedded', () => {
    const refused = 'evaluate("1")';
    const page = lookupParser(parsedFormulas([refused], parse));
    expect(() => compileFormula(refused, SYMBOLS, page)).toThrow(FormulaError);
    expect(() => compileFormula(refused, SYMBOLS, page)).toThrow(/not allowed|unknown/);
    expect(() => compileFormula('t + 1', SYMBOLS, page)).toThrow(
      /not parsed by carbonpath explore/,
    );
    // a formula the parser refuses is left out (the CLI refused its scenario)
    expect(parsedFormulas(['1 +'], parse)).toEqual({});
  });
});
