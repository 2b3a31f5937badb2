import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { loadParser } from '../src/app/project.js';
import { compileFormula, FormulaError, type ParseFn } from '../src/core/formula.js';

// The parser the product uses (mathjs's single-file build), so every refusal below is tested on it.
const p = await loadParser();
const symbols = ['year', 't', 'base', 'prev', 'baseYear', 'k'];
const run = (expr: string, vars: number[] = [2030, 4, 73.6, 90, 2026, 2]) =>
  compileFormula(expr, symbols, p)(vars);

describe('formula language: what it computes', () => {
  it('evaluates arithmetic, precedence and powers', () => {
    expect(run('base + 6.6 * t')).toBeCloseTo(73.6 + 26.4, 12);
    expect(run('2 ^ 3 ^ 2')).toBe(512);
    expect(run('-k ^ 2')).toBe(-4);
    expect(run('(1 + 0.05) ^ t')).toBeCloseTo(1.05 ** 4, 12);
    expect(run('7 mod 3')).toBe(1);
  });
  it('evaluates the allowed functions', () => {
    expect(run('min(100, base + 10 * t)')).toBe(100);
    expect(run('max(1.1, 1.187 - 0.0065 * t)')).toBeCloseTo(1.161, 12);
    expect(run('clamp(prev * 2, 0, 100)')).toBe(100);
    expect(run('log(8, 2)')).toBeCloseTo(3, 12);
    expect(run('round(2.5) + floor(-0.5) + abs(-3) + sqrt(16)')).toBe(3 - 1 + 3 + 4);
  });
  it('evaluates comparisons and the conditional', () => {
    expect(run('year >= 2030 ? 100 : base')).toBe(100);
    expect(run('year < 2030 and t > 0 ? 1 : 0')).toBe(0);
    expect(run('not (year == 2030)')).toBe(0);
  });
});

describe('formula language: what it refuses', () => {
  const refused: Array<[string, RegExp]> = [
    ['import({}, {override: true})', /function 'import' is not allowed/],
    ['createUnit("foo")', /not allowed/],
    ['evaluate("1+1")', /function 'evaluate' is not allowed/],
    ['parse("1")', /function 'parse' is not allowed/],
    ['f(x) = x', /function definition/],
    ['a = 1', /assignment/],
    ['k.constructor', /property access/],
    ['[1, 2, 3]', /matrix/],
    ['1:1000000000', /range/],
    ['{a: 1}', /object/],
    ['"text"', /only numbers/],
    ['5 cm', /unknown symbol 'cm'/],
    ['config({number: "BigNumber"})', /not allowed/],
    ['x + 1', /unknown symbol 'x'/],
    ['1; 2', /more than one expression/],
    ['1 < k < 3', /chained comparison/],
    ['min()', /min takes 1 to 16 arguments/],
  ];
  for (const [expr, message] of refused) {
    it(`refuses ${expr}`, () => {
      expect(() => compileFormula(expr, symbols, p)).toThrow(FormulaError);
      expect(() => compileFormula(expr, symbols, p)).toThrow(message);
    });
  }
  it('refuses formulas past the size cap, so evaluation is bounded', () => {
    const wide = Array.from({ length: 30 }, () => 'min(k, k, k, k, k, k, k)').join(' + ');
    expect(() => compileFormula(wide, symbols, p)).toThrow(/too long/);
    const deep = `${'('.repeat(60)}k${')'.repeat(60)}`;
    expect(() => compileFormula(deep, symbols, p)).toThrow(/nested too deeply/);
  });
  it('does not resolve symbols through the prototype chain', () => {
    expect(() => compileFormula('toString', symbols, p)).toThrow(/unknown symbol/);
    expect(() => compileFormula('constructor(1)', symbols, p)).toThrow(/not allowed/);
    expect(() => compileFormula('hasOwnProperty(1)', symbols, p)).toThrow(/not allowed/);
  });
  it('reports a syntax error as a FormulaError', () => {
    expect(() => compileFormula('1 +', symbols, p)).toThrow(/cannot parse/);
  });
});

describe("the shipped parser (mathjs single-file build) is mathjs's parser", () => {
  const esm = parse as unknown as ParseFn;
  const tree = (f: ParseFn, e: string) => JSON.stringify(f(e));
  it('gives the same syntax trees as the mathjs package entry', () => {
    for (const e of [
      'min(100, base + dcCleanTrendPp * t)',
      'max(pueFloor, base + k * t)',
      'year >= 2030 ? base * (1 + k) ^ t : prev',
      '-k ^ 2 mod 3',
      'clamp(base, 0, 50) and not (t == 2)',
      'import({})',
      'a.b[1]',
      'f(x) = x',
      '1:3',
      '[1, 2]',
      '{a: 1}',
    ]) {
      expect(tree(p, e), e).toBe(tree(esm, e));
    }
  });
  it('and the same syntax errors', () => {
    for (const e of ['1 +', 'min(1,', '"unterminated']) {
      let a = '',
        b = '';
      try {
        p(e);
      } catch (x) {
        a = (x as Error).message;
      }
      try {
        esm(e);
      } catch (x) {
        b = (x as Error).message;
      }
      expect(a.length, e).toBeGreaterThan(0);
      expect(a, e).toBe(b);
    }
  });
});
