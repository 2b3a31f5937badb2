/**
 * The compiler from a declared structure to its kernel: one specialised function over two
 * typed arrays (inputs and outputs, quantity-major: quantity k of n years at k·n), the way
 * SDEverywhere turns a model's equations into code. Names become indices here, so the
 * generated source holds only numbers, fixed local names and operators — no text from any
 * file (a test checks its alphabet). Formulas never reach it: they are resolved into the
 * input arrays before the kernel runs, through the allow-listed parser.
 *
 * The equations, per year i (docs/methodology.md, with the same names):
 *   e_s = itLoad_s × pue_s (itLoadPue) or electricity_s;   E_g = Σ_{scope 2 s in g} e_s
 *   clean_s = its input, or onsite_s + ppa_s + eac_s where the segment declares instruments
 *   C_g = Σ_{scope 2 s in g} e_s × clean_s ÷ 100
 *   scope2Location = Σ_g E_g × factor_g + heat × heatFactor
 *   scope2Market   = Σ_g (E_g − C_g) × factor_g × residualMixRatio_g + heat × heatFactor
 *   scope1 = Σ_f fuel_f × factor_f + remainder
 *   category_k = e_s × (1 − clean_s ÷ 100) × factor_g × residualMixRatio_g (segment s in g),
 *                revenue × intensity_k, or its own tonnes;   scope3 = Σ_k category_k
 *   scope12 = scope1 + scope2Market; net = gross − credits; intensities ÷ revenue
 *   avoided = scale × Σ_p programme_p; cumulative from the reported cumulative
 */
import type { BaseState } from './calibrate.js';
import { FORMULA_FUNCTIONS } from './formula.js';
import type { Axis, ResolverPlan } from './resolve.js';
import { runningCode } from './resolve-kernel.js';
import { INSTRUMENTS, outputKeysOf, segmentOutput, categoryOutput } from './structure.js';

export type KernelFn = (
  I: Float64Array,
  O: Float64Array,
  n: number,
  fuelFactors: Float64Array,
  heatFactor: number,
  avoidedScale: number,
  cumulativeAtBase: number,
  /** A Monte Carlo path's samples (read by fused inputs only). */
  S: ArrayLike<number>,
  /** The kernel's own constants (Kernel.constants). */
  K: Float64Array,
) => void;

/**
 * An input the kernel computes itself instead of reading it from I: a growth or formula path as
 * a running value, rendered by the resolvers' own code (resolve-kernel.ts runningCode), so the
 * same operations give the same numbers. A Monte Carlo kernel fuses the uncertain paths that
 * need no holding within bounds this way: a path neither writes nor reads their years
 * (engine.ts fusableInputs).
 */
export interface FusedInput {
  /** The input's index in the flat input buffer (its quantity number). */
  input: number;
  plan: ResolverPlan;
  base: number;
  /** Called with a year index and the value when a formula gives a non-finite number. */
  fail: (yearIndex: number, value: number) => never;
}

export interface Kernel {
  fn: KernelFn;
  /** The generated source (numbers and fixed names only). */
  source: string;
  /** The same statements, by name: what `carbonpath explain` prints. */
  equations: string[];
  outputKeys: readonly string[];
  /** Inputs: base.inputs, then the fuels, then the programmes. */
  inputCount: number;
  /** Numbers the source reads as K[j] (the fused inputs' numbers). */
  constants: Float64Array;
  /** The inputs it was compiled to compute itself (FusedInput.input), ascending. */
  fused: readonly number[];
}

/** Sum written as a + b + c (no leading 0 +, so one term is exactly that term). */
const sum = (terms: string[]): string => (terms.length ? terms.join(' + ') : '0');

/**
 * `keep`: compile only the statements these outputs depend on (a Monte Carlo reads a few of the
 * outputs on every path); the others stay as allocated (zero). Without it, every output.
 * `fused`: inputs computed in the kernel (FusedInput); their years in I are not read.
 */
export function compileKernel(
  base: BaseState,
  keep?: ReadonlySet<string>,
  fused: readonly FusedInput[] = [],
  axis?: Axis,
): Kernel {
  const inIndex = new Map(base.inputs.map((d, j) => [d.key, j]));
  const outputKeys = outputKeysOf(base);
  const outIndex = new Map(outputKeys.map((k, j) => [k, j]));
  const nIn = base.inputs.length;
  const nFuels = base.fuels.length;
  const nProg = base.programmes.length;
  const head: string[] = [];
  const body: string[] = [];
  const starts = new Set<string>();
  const inp = (key: string): string => {
    const j = inIndex.get(key);
    if (j === undefined) throw new Error(`internal: no input ${key}`);
    return at('a', j);
  };
  const at = (prefix: 'a' | 'b', j: number): string => {
    const name = `${prefix}${j}`;
    if (!starts.has(name)) {
      starts.add(name);
      head.push(`const ${name} = ${j} * n;`);
    }
    return name;
  };
  // Statements name inputs and outputs by token; rendered as indices for the code and as
  // names for `explain`, so the two are one list of equations.
  const read = (key: string) => {
    inp(key);
    return `⟦in:${key}⟧`;
  };
  const write = (key: string, expr: string) => {
    const k = outIndex.get(key);
    if (k === undefined) throw new Error(`internal: no output ${key}`);
    at('b', k);
    body.push(`⟦out:${key}⟧ = ${expr};`);
  };

  body.push(`const revenue = ${read('revenue')};`);
  base.segments.forEach((s, j) => {
    const key = `segments.${s.id}`;
    if (s.driver === 'itLoadPue') {
      body.push(`const pue${j} = ${read(`${key}.pue`)};`);
      body.push(`const e${j} = ${read(`${key}.itLoad`)} * pue${j};`);
    } else {
      body.push(`const e${j} = ${read(`${key}.electricity`)};`);
    }
    const instruments = INSTRUMENTS.filter((k) => s.instruments[k] !== undefined);
    for (const k of instruments) body.push(`const ${k}${j} = ${read(`${key}.${k}`)};`);
    body.push(
      instruments.length
        ? `const cs${j} = ${sum(instruments.map((k) => `${k}${j}`))};`
        : `const cs${j} = ${read(`${key}.cleanShare`)};`,
    );
  });
  const scope2 = base.segments.map((s, j) => ({ s, j })).filter((x) => x.s.scope === 2);
  const used = base.grids.map((_, g) => g).filter((g) => scope2.some((x) => x.s.grid === g));
  base.grids.forEach((g, k) => {
    body.push(`const gf${k} = ${read(`grids.${g.id}.factor`)};`);
    body.push(`const rmr${k} = ${read(`grids.${g.id}.residualMixRatio`)};`);
  });
  for (const g of used) {
    const mine = scope2.filter((x) => x.s.grid === g);
    body.push(`const E${g} = ${sum(mine.map((x) => `e${x.j}`))};`);
    body.push(`const C${g} = (${sum(mine.map((x) => `e${x.j} * cs${x.j}`))}) / 100;`);
  }
  body.push(`const E = ${sum(used.map((g) => `E${g}`))};`);
  body.push(`const clean = ${sum(used.map((g) => `C${g}`))};`);
  body.push(`const heat = ${read('purchasedHeat')};`);
  body.push('const heatEm = heat * heatFactor;');
  const loc = used.map((g) => `E${g} * gf${g}`);
  const mkt = used.map((g) => `(E${g} - C${g}) * gf${g} * rmr${g}`);
  const grouped = (t: string[]) => (t.length > 1 ? `(${sum(t)})` : sum(t));
  body.push(`const s2Loc = ${grouped(loc)} + heatEm;`);
  const residual = inIndex.has('scope2MarketResidual') ? ` + ${read('scope2MarketResidual')}` : '';
  body.push(`const s2Mkt = ${grouped(mkt)} + heatEm${residual};`);
  body.push('let combustion = 0;');
  for (let f = 0; f < nFuels; f++) {
    at('a', nIn + f);
    body.push(`combustion += ⟦fuel:${f}⟧ * fuelFactors[${f}];`);
  }
  body.push(`const remainder = ${read('scope1Remainder')};`);
  body.push('const s1 = combustion + remainder;');
  const cats: string[] = [];
  base.categories.forEach((c, k) => {
    if (c.driver === 'segment') {
      const s = base.segments[c.segment]!;
      const j = c.segment;
      body.push(`const cat${k} = e${j} * (1 - cs${j} / 100) * gf${s.grid} * rmr${s.grid};`);
    } else if (c.driver === 'revenueIntensity') {
      body.push(`const cat${k} = revenue * ${read(`scope3.${c.id}.intensity`)};`);
    } else {
      body.push(`const cat${k} = ${read(`scope3.${c.id}.emissions`)};`);
    }
    cats.push(`cat${k}`);
  });
  body.push(`const s3 = ${sum(cats)};`);
  body.push(`const off12 = ${read('offsetsScope1')} + ${read('offsetsScope2')};`);
  body.push(`const off3 = ${read('offsetsScope3')};`);
  body.push('let avoided = 0;');
  for (let p = 0; p < nProg; p++) {
    at('a', nIn + nFuels + p);
    body.push(`avoided += ⟦programme:${p}⟧;`);
  }
  body.push('avoided *= avoidedScale;');
  body.push('if (i > 0) cumulative += avoided;');

  const dcs = base.segments.map((s, j) => ({ s, j })).filter((x) => x.s.dataCentre);
  const dcE = sum(dcs.map((x) => `e${x.j}`));
  const dcClean = sum(dcs.map((x) => `e${x.j} * cs${x.j}`));
  write('revenue', 'revenue');
  write('electricity', 'E');
  write('cleanShare', 'E > 0 ? (clean / E) * 100 : 0');
  write('dcCleanShare', dcs.length ? `${dcE} > 0 ? (${dcClean}) / (${dcE}) : 0` : '0');
  write(
    'gridFactor',
    used.length > 1
      ? `E > 0 ? (${sum(loc)}) / E : gf${used[0]}`
      : used.length === 1
        ? `gf${used[0]}`
        : '0',
  );
  write('purchasedHeat', 'heat');
  write('scope2Location', 's2Loc');
  write('scope2Market', 's2Mkt');
  write('fuelCombustion', 'combustion');
  write('scope1Remainder', 'remainder');
  write('scope1', 's1');
  write('scope3', 's3');
  write('offsets12', 'off12');
  write('offsets3', 'off3');
  write('scope12', 's1 + s2Mkt');
  write('scope12Net', 's1 + s2Mkt - off12');
  write('scope12Intensity', 'revenue > 0 ? (s1 + s2Mkt - off12) / revenue : 0');
  write('scope12Location', 's1 + s2Loc');
  write('scope123', 's1 + s2Mkt + s3');
  write('scope123Net', 's1 + s2Mkt - off12 + (s3 - off3)');
  write('offsets123', 'off12 + off3');
  write('scope3Net', 's3 - off3');
  write('scope3Intensity', 'revenue > 0 ? (s3 - off3) / revenue : 0');
  write('scope3IntensityGross', 'revenue > 0 ? s3 / revenue : 0');
  write('avoided', 'avoided');
  write('avoidedCumulative', 'cumulative');
  base.segments.forEach((s, j) => {
    write(segmentOutput(s.id, 'electricity'), `e${j}`);
    write(segmentOutput(s.id, 'cleanShare'), `cs${j}`);
    if (s.driver === 'itLoadPue') write(segmentOutput(s.id, 'pue'), `pue${j}`);
    for (const k of INSTRUMENTS)
      if (s.instruments[k] !== undefined) write(segmentOutput(s.id, k), `${k}${j}`);
    if (s.hourlyCfe !== undefined)
      write(segmentOutput(s.id, 'hourlyCfe'), read(`segments.${s.id}.hourlyCfe`));
  });
  base.categories.forEach((c, k) => {
    write(categoryOutput(c.id, 'gross'), `cat${k}`);
    write(categoryOutput(c.id, 'net'), `cat${k}`);
    write(categoryOutput(c.id, 'offsets'), '0');
  });
  const kept = keep ? prune(body, keep) : body;
  const fusedAt = new Map(fused.map((f) => [f.input, f]));
  const running = new Set<number>();
  const input = (j: number): string => {
    if (!fusedAt.has(j)) return `I[a${j} + i]`;
    running.add(j);
    return `g${j}`;
  };
  const code = (line: string) =>
    line.replace(/⟦(in|out|fuel|programme):([^⟧]+)⟧/g, (_, kind: string, key: string) => {
      if (kind === 'out') return `O[b${outIndex.get(key)} + i]`;
      if (kind === 'in') return input(inIndex.get(key)!);
      return input(kind === 'fuel' ? nIn + Number(key) : nIn + nFuels + Number(key));
    });
  const lines = kept.map((l) => `  ${code(l)}`);
  const table: number[] = [];
  const constant = (v: number): string => {
    let j = table.findIndex((x) => Object.is(x, v));
    if (j < 0) j = table.push(v) - 1;
    return `K[${j}]`;
  };
  // each fused input: its base-year value, then one step a year from the first projected year
  const codes = [...running]
    .sort((a, b) => a - b)
    .map((j) => {
      const f = fusedAt.get(j)!;
      if (!axis) throw new Error('internal: fused inputs need the axis');
      const code = runningCode(f.plan, f.base, `g${j}`, axis, constant, `nonFinite(${j}, i, v)`);
      if (!code) throw new Error(`internal: a ${f.plan.kind} input cannot be fused`);
      return code;
    });
  const start = codes.flatMap((c) => c.init);
  const step = codes.length ? ['  if (i > 0) {', ...codes.map((c) => `    ${c.step}`), '  }'] : [];
  const source = [
    '"use strict";',
    ...head,
    ...start,
    'let cumulative = cumulativeAtBase;',
    'for (let i = 0; i < n; i++) {',
    ...step,
    ...lines,
    '}',
  ].join('\n');
  const generated = new Function(
    'I',
    'O',
    'n',
    'fuelFactors',
    'heatFactor',
    'avoidedScale',
    'cumulativeAtBase',
    'S',
    'K',
    'F',
    // not E: the body has a local E (electricity)
    'nonFinite',
    source,
  ) as (...a: [...Parameters<KernelFn>, typeof FORMULA_FUNCTIONS, typeof fail]) => void;
  const fail = (j: number, i: number, v: number): never => fusedAt.get(j)!.fail(i, v);
  const fn: KernelFn = codes.length
    ? (I, O, n, f, h, s, c, S, K) => generated(I, O, n, f, h, s, c, S, K, FORMULA_FUNCTIONS, fail)
    : (generated as KernelFn);
  return {
    fn,
    source,
    equations: kept.map((l) => readable(l, base)),
    outputKeys,
    inputCount: nIn + nFuels + nProg,
    constants: Float64Array.from(table),
    fused: fused.map((f) => f.input).sort((a, b) => a - b),
  };
}

/** `[const |let |if (i > 0) ]target (=|+=|*=) expression`: the target and the expression. */
const STATEMENT = new RegExp(
  String.raw`^(?:const |let |if \(i > 0\) )?(⟦out:[^⟧]+⟧|[A-Za-z_]\w*) *` +
    String.raw`(?:=|\+=|\*=) (.*)$`,
);
const TOKEN = /⟦[^⟧]*⟧/g;

/**
 * The statements that the outputs in `keep` depend on, in order: walking back from the last
 * statement, one is kept when it assigns a name still needed, and then needs what it reads.
 */
function prune(body: readonly string[], keep: ReadonlySet<string>): string[] {
  const needed = new Set([...keep].map((k) => `⟦out:${k}⟧`));
  const kept: string[] = [];
  for (let j = body.length - 1; j >= 0; j--) {
    const line = body[j]!;
    const m = STATEMENT.exec(line);
    if (!m) throw new Error(`internal: cannot read the kernel statement ${line}`);
    if (!needed.has(m[1]!)) continue;
    kept.push(line);
    const reads = m[2]!.replace(TOKEN, '').match(/[A-Za-z_]\w*/g) ?? [];
    for (const word of reads) needed.add(word);
  }
  return kept.reverse();
}

/**
 * A statement as a reader sees it: inputs and outputs by key, locals by the id they stand for
 * (e[ownedDc] for e0). The same statements the code is rendered from.
 */
function readable(line: string, base: BaseState): string {
  const seg = (j: string) => base.segments[Number(j)]!.id;
  const grid = (k: string) => base.grids[Number(k)]!.id;
  const programme = (p: string) => base.programmes[Number(p)]!.id;
  return line
    .replace(/⟦in:([^⟧]+)⟧/g, '$1')
    .replace(/⟦out:([^⟧]+)⟧/g, 'out.$1')
    .replace(/⟦fuel:(\d+)⟧/g, (_, f: string) => `fuel[${base.fuels[Number(f)]!.id}]`)
    .replace(/⟦programme:(\d+)⟧/g, (_, p: string) => `programme[${programme(p)}]`)
    .replace(/fuelFactors\[(\d+)\]/g, (_, f: string) => `factor[${base.fuels[Number(f)]!.id}]`)
    .replace(/\b(pue|e|cs|onsite|ppa|eac)(\d+)\b/g, (_, q: string, j: string) => `${q}[${seg(j)}]`)
    .replace(/\b(gf|rmr|E|C)(\d+)\b/g, (_, q: string, k: string) => `${q}[${grid(k)}]`)
    .replace(/\bcat(\d+)\b/g, (_, k: string) => `scope3[${base.categories[Number(k)]!.id}]`)
    .replace(/^const |^let /, '')
    .replace(/;$/, '');
}

/** What the generated source may contain: a test holds every kernel to it. */
export const KERNEL_ALPHABET = /^[A-Za-z0-9_ \n;=+\-*/().,<>?:[\]{}"!]*$/;
