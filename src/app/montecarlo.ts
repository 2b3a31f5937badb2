/**
 * Monte Carlo over one compiled scenario. Pure computation (no I/O): a plan built once, paths
 * run by index range, partial results merged in a fixed order — so the same seed gives the
 * same bytes whatever the number of workers.
 *
 * Percentiles: exact (type 7) up to PILOT paths; beyond, from per-series histograms whose range
 * is fixed by the first PILOT paths (bounded memory, mergeable counts). Values that many pilot
 * paths share exactly (atoms: PUE at its floor, credits of 0) are counted apart from the bins, so a
 * percentile that falls in such a mass is that value, not an interpolation inside its bin.
 */
import {
  allocateInputs,
  clampPath,
  dependsOnUncertain,
  fusableInputs,
  resolveInputs,
  uncertainResolver,
  type CompiledScenario,
} from '../core/engine.js';
import {
  centralCreditPrices,
  fillUncertainPrices,
  purchaseYearOf,
  type UncertainPrice,
} from '../core/offsets.js';
import {
  allocateOutputs,
  kernelFor,
  simulator,
  type OutputKey,
  type Outputs,
  type ResolvedInputs,
} from '../core/model.js';
import type { BaseState } from '../core/calibrate.js';
import { compileCreditPass, creditPassKeeps, type CreditPass } from '../core/credit-pass.js';
import type { FusedInput, Kernel } from '../core/kernel.js';
import { axisLength } from '../core/resolve.js';
import { outputKeysOf } from '../core/structure.js';
import type { TargetResult } from '../core/targets.js';
import { makeSampler, type Sampler } from '../core/uncertainty.js';
import { CONTRACT_VARIABLES, isModelled, unitIn, variableOf } from '../core/variables.js';
import type { Target } from '../schema/targets.js';
import type { CompiledOffsets } from './offsets.js';

export const PILOT = 1000;
export const CHUNK = 4096;
/**
 * Histogram bins per series; 512 × 4-byte counts keep all series in cache (linear interpolation
 * inside a bin).
 */
export const BINS = 512;
/** Exact values counted apart per series: the most frequent repeated values of the pilot. */
export const ATOMS = 2;
/** A pilot value is an atom when at least this share of the pilot paths take it exactly. */
export const ATOM_SHARE = 0.01;
/**
 * Values this close (relative) count as one: a weighted mean of shares at 100% comes out as
 * 100 or 100.00000000000003 depending on the weights.
 */
export const ATOM_TOLERANCE = 1e-12;
/** Counts per series: below the range, BINS bins, above the range, then the atoms. */
export const STRIDE = BINS + 2 + ATOMS;
export const QUANTILES = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] as const;
/**
 * DESIGN's variables, the gross views targets are judged on, and the credits each path must buy.
 */
export const FAN_VARIABLES = [
  ...CONTRACT_VARIABLES,
  'Emissions|Scope 1+2',
  'Intensity|Scope 3|Gross',
  'Offsets|Scope 1+2',
  'Offsets|Scope 3',
] as const;

/**
 * How a target is judged on one path, as data (one evaluation function, no per-target closures
 * in the hot loop): the number is the series at one year (`at`), its worst year over a range
 * (`worst`: max when the bound is a ceiling, min when a floor) or `past` plus its sum over a
 * range (`sum`); the target is met when that number is within `tol` of the bound T.
 */
export interface Rule {
  op: 'at' | 'worst' | 'sum';
  /** 'le': the number must be at most T; 'ge': at least T. */
  dir: 'le' | 'ge';
  /** Year indices, inclusive (`at` uses `from`). */
  from: number;
  to: number;
  T: number;
  tol: number;
  past: number;
}

/** The number a target is judged on, from its series. */
export function ruleValue(r: Rule, s: Float64Array): number {
  if (r.op === 'at') return s[r.from]!;
  if (r.op === 'sum') {
    let sum = r.past;
    for (let i = r.from; i <= r.to; i++) sum += s[i]!;
    return sum;
  }
  // no year to judge: nothing can fail
  if (r.from > r.to) return r.dir === 'le' ? -Infinity : Infinity;
  let m = s[r.from]!;
  if (r.dir === 'le') {
    for (let i = r.from + 1; i <= r.to; i++) {
      const v = s[i]!;
      if (v > m) m = v;
    }
  } else {
    for (let i = r.from + 1; i <= r.to; i++) {
      const v = s[i]!;
      if (v < m) m = v;
    }
  }
  return m;
}

export const ruleMet = (r: Rule, v: number): boolean =>
  r.dir === 'le' ? v <= r.T + r.tol : v >= r.T - r.tol;

interface Checker {
  targetId: string;
  deadline: number;
  rule: Rule;
  key: OutputKey;
  /** The series before credits, for targets that have that view. */
  grossKey?: OutputKey | undefined;
  /**
   * The series the target's number is read from for sensitivity (before credits where there is that
   * view).
   */
  valueKey: OutputKey;
  met(out: Outputs): boolean;
  metGross?: ((out: Outputs) => boolean) | undefined;
  /**
   * The number the target is judged on (value at the deadline, worst year, cumulative sum), for
   * variance-based sensitivity.
   */
  value(out: Outputs): number;
}

export interface McPlan {
  compiled: CompiledScenario;
  /** The structure's kernel computing only the outputs a path reads (model.ts kernelFor). */
  kernel: Kernel;
  /**
   * The uncertain paths that kernel computes itself (engine.ts fusableInputs): a path's inputs
   * buffer does not hold their years.
   */
  fused: FusedInput[];
  offsets?: CompiledOffsets | undefined;
  /** With an offset strategy: its credits retired and priced in one pass (credit-pass.ts). */
  creditPass?: CreditPass | undefined;
  sampler: Sampler;
  /**
   * `key`: a model output, or 'creditCost' / 'creditCostCumulative' (the credits' cost at central
   * prices, M currency).
   */
  series: Array<{
    variable: string;
    unit: string;
    key: OutputKey | 'creditCost' | 'creditCostCumulative';
    year: number;
    index: number;
  }>;
  checkers: Checker[];
  /**
   * With an offset strategy: central unit prices per year for avoidance, nature and engineered
   * credits (those with an uncertain price multiplier are repriced on each path), and the mix where
   * it is certain.
   */
  creditCost?:
    | {
        prices: Float64Array[];
        uncertainPrices: UncertainPrice[];
        removalShare?: Float64Array | undefined;
        engineeredShare?: Float64Array | undefined;
      }
    | undefined;
}

/**
 * The fan variables for the cost of the credits each path retires, at central prices, and its
 * running total (as trajectories.csv).
 */
export const CREDIT_COST_VARIABLE = 'Cost|Offsets|Central';
export const CREDIT_COST_CUMULATIVE = 'Cost|Offsets|Central|Cumulative';

export class McError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

const keyOf = (base: BaseState, variable: string): OutputKey | undefined =>
  variableOf(base, variable)?.key;

/**
 * A fast yes/no per target and path, equivalent to evaluateTarget's "not off track" (tested
 * against it). T and the actual part of cumulative sums come from the deterministic result.
 */
function checker(
  t: Target,
  det: TargetResult,
  c: CompiledScenario,
  actualSum: (variable: string, from: number) => number,
): Checker | undefined {
  if (t.kind === 'not-modelled' || det.targetValue === undefined) return undefined;
  const key = keyOf(c.base, t.metric);
  if (!key)
    throw new McError(
      `target '${t.id}' is measured on '${t.metric}', which Monte Carlo does not track`,
      'use a trajectory variable of the model',
    );
  const last = axisLength(c.axis) - 1;
  const T = det.targetValue;
  const at = (y: number) => y - c.axis.baseYear;
  const rule = (op: Rule['op'], dir: Rule['dir'], from: number, to: number, past = 0): Rule => ({
    op,
    dir,
    from,
    to,
    T,
    tol: 1e-6 * Math.max(1, Math.abs(T)),
    past,
  });
  const grossKey = 'gross' in t && t.gross ? keyOf(c.base, t.gross) : undefined;
  let r: Rule;
  let deadline: number;
  switch (t.kind) {
    case 'absolute':
    case 'intensity':
    case 'net-zero':
      r = rule('at', 'le', at(t.deadline), at(t.deadline));
      deadline = t.deadline;
      break;
    case 'share':
      r = rule('worst', 'ge', Math.max(1, at(t.fromYear)), last);
      deadline = t.fromYear;
      break;
    case 'threshold':
      r = rule(
        'worst',
        t.max !== undefined ? 'le' : 'ge',
        Math.max(1, t.fromYear === undefined ? 1 : at(t.fromYear)),
        last,
      );
      deadline = c.axis.endYear;
      break;
    case 'cumulative':
      r = rule('sum', 'ge', 1, at(t.deadline), actualSum(t.metric, t.windowStart));
      deadline = t.deadline;
      break;
  }
  const valueKey =
    t.kind === 'absolute' || t.kind === 'intensity' || t.kind === 'net-zero'
      ? (grossKey ?? key)
      : key;
  return {
    targetId: t.id,
    deadline,
    rule: r,
    key,
    grossKey,
    valueKey,
    met: (o) => ruleMet(r, ruleValue(r, o[key]!)),
    metGross: grossKey ? (o) => ruleMet(r, ruleValue(r, o[grossKey]!)) : undefined,
    value: (o) => ruleValue(r, o[valueKey]!),
  };
}

/**
 * What pricing a path's credits needs: central prices, the credits whose price is uncertain, and
 * the mix where it is certain.
 */
function creditCostPlan(
  compiled: CompiledScenario,
  offsets: CompiledOffsets,
): NonNullable<McPlan['creditCost']> {
  const n = axisLength(compiled.axis);
  const by = compiled.axis.baseYear;
  const lead = offsets.strategy.purchaseLead;
  const { avoidanceCredit, natureRemovalCredit, engineeredRemovalCredit } = offsets.credits;
  const ids = [avoidanceCredit, natureRemovalCredit, engineeredRemovalCredit] as const;
  const uncertainPrices: UncertainPrice[] = [];
  ids.forEach((id, credit) => {
    const slot = offsets.multiplierSlots[id];
    if (slot === undefined) return;
    const filePrice = Float64Array.from({ length: n }, (_, i) =>
      i === 0 ? 0 : offsets.book.filePrice(id, 'central', purchaseYearOf(by + i, by, lead)),
    );
    uncertainPrices.push({
      credit,
      slot,
      filePrice,
      rate: offsets.book.rate(offsets.book.itemCurrency(id)),
    });
  });
  // a mix with no uncertain number is resolved once here; else on each path
  const mix = compiled.slotted.offsets ?? {};
  const certain =
    !dependsOnUncertain(mix.removalShare, compiled.slotted) &&
    !dependsOnUncertain(mix.engineeredShareOfRemovals, compiled.slotted);
  const share = (r: CompiledOffsets['removalShare']) => {
    const a = new Float64Array(n);
    r(a, 0, compiled.central);
    return a;
  };
  return {
    prices: centralCreditPrices(offsets.book, ids, by, n, lead),
    uncertainPrices,
    removalShare: certain ? share(offsets.removalShare) : undefined,
    engineeredShare: certain ? share(offsets.engineeredShare) : undefined,
  };
}

export function makePlan(
  compiled: CompiledScenario,
  offsets: CompiledOffsets | undefined,
  targets: readonly Target[],
  det: readonly TargetResult[],
  actuals: (variable: string) => Map<number, number> | undefined,
): McPlan {
  const n = axisLength(compiled.axis);
  const series: McPlan['series'] = [];
  for (const variable of FAN_VARIABLES) {
    const def = variableOf(compiled.base, variable);
    // as in trajectories.csv: no rows for what the organization does not report
    if (!def || !isModelled(def, compiled.base)) continue;
    for (let i = 1; i < n; i++)
      series.push({
        variable,
        unit: unitIn(def, compiled.base),
        key: def.key,
        year: compiled.axis.baseYear + i,
        index: i,
      });
  }
  const actualSum = (variable: string, from: number) => {
    let s = 0;
    for (const [y, v] of actuals(variable) ?? [])
      if (y >= from && y <= compiled.axis.baseYear) s += v;
    return s;
  };
  const checkers = targets
    .map((t, k) => checker(t, det[k]!, compiled, actualSum))
    .filter((x): x is Checker => x !== undefined);
  const creditCost = offsets ? creditCostPlan(compiled, offsets) : undefined;
  if (offsets) {
    for (const [variable, key] of [
      [CREDIT_COST_VARIABLE, 'creditCost'],
      [CREDIT_COST_CUMULATIVE, 'creditCostCumulative'],
    ] as const) {
      for (let i = 1; i < n; i++)
        series.push({
          variable,
          unit: `M ${offsets.book.currency}`,
          key,
          year: compiled.axis.baseYear + i,
          index: i,
        });
    }
  }
  // the model computes only what a path reads: the fan series, the targets' series and what
  // retiring credits reads (and keeps up to date for them)
  const reads = new Set<OutputKey>();
  for (const s of series)
    if (s.key !== 'creditCost' && s.key !== 'creditCostCumulative') reads.add(s.key);
  for (const ch of checkers)
    for (const k of [ch.key, ch.grossKey, ch.valueKey]) if (k) reads.add(k);
  const credits = offsets?.creditTargets ?? [];
  const read = creditPassKeeps(credits, reads);
  const fused = fusableInputs(compiled);
  const by = compiled.axis.baseYear;
  return {
    compiled,
    offsets,
    creditPass: offsets && compileCreditPass(compiled.base, n, by, credits, 1e6, read),
    kernel: kernelFor(compiled.base, read, fused, compiled.axis),
    fused,
    sampler: makeSampler(
      compiled.uncertain,
      compiled.slotted.uncertainty?.correlations ?? compiled.scenario.uncertainty?.correlations,
    ),
    series,
    checkers,
    creditCost,
  };
}

/** Reusable buffers for one thread. */
export interface PathBuffers {
  /** The fan series as runs of consecutive years of one output: copied run by run. */
  runs: Array<{ array: Float64Array; from: number; count: number; offset: number }>;
  /** Each checker's series (after credits) and, where it has one, its series before credits. */
  checkSeries: Float64Array[];
  grossSeries: Array<Float64Array | undefined>;
  samples: Float64Array;
  /** After a path: its resolved inputs, except the fused ones (McPlan.fused: central values). */
  inputs: ResolvedInputs;
  out: Outputs;
  /** The credit mix: the plan's own arrays when certain (read only), else filled on each path. */
  removal: Float64Array;
  engineered: Float64Array;
  /**
   * Each credit target's credits on this path, their cost per year and its running total (M
   * currency, central prices).
   */
  creditTotals: Float64Array[];
  /**
   * The unit prices this path pays: the plan's when every price is certain (read only), else a copy
   * repriced on each path.
   */
  creditPrices: Float64Array[];
  creditCost: Float64Array;
  creditCostCumulative: Float64Array;
  /** Where the path's fan values go (one per series); may be pointed at a row of a batch. */
  values: Float64Array;
  /** resolveUncertain and simulate (the plan's pruned kernel) bound to these buffers. */
  resolve: (samples: Float64Array, clamped: Map<string, number>) => void;
  simulate: () => void;
  /**
   * The plan's credit pass bound to these buffers (a no-op without an offset strategy): credits
   * retired, their cost and its running total, from the mix and prices already in the buffers.
   */
  credits: () => void;
}

/**
 * A batch row: every output of the structure (allocateOutputs' order), then the credits' cost and
 * its running total, n years each. `pos[s]` is where fan series s sits in a row.
 */
export interface RowLayout {
  length: number;
  pos: Int32Array;
}

export function rowLayout(plan: McPlan): RowLayout {
  const base = plan.compiled.base;
  const n = axisLength(plan.compiled.axis);
  const keys = outputKeysOf(base);
  const at = new Map(keys.map((k, j) => [k, j * n]));
  at.set('creditCost', keys.length * n);
  at.set('creditCostCumulative', (keys.length + 1) * n);
  const pos = Int32Array.from(plan.series, (s) => at.get(s.key)! + s.index);
  return { length: (keys.length + 2) * n, pos };
}

/**
 * Buffers for paths run one after another. With `row` (a batch row, rowLayout), the path's
 * outputs and credit costs are written there; with `share`, the inputs, samples and credit scratch
 * arrays are the ones of `share` (paths of one batch run in turn, so they can share them).
 */
export function makeBuffers(plan: McPlan, row?: Float64Array, share?: PathBuffers): PathBuffers {
  const c = plan.compiled;
  // the resolver leaves the fused inputs to the kernel: a kernel that does not compute them would
  // read their central values on every path
  const fused = plan.fused.map((f) => f.input).sort((a, b) => a - b);
  if (plan.kernel.fused.join() !== fused.join())
    throw new Error("internal: the plan's kernel must be compiled with its fused inputs");
  const n = axisLength(c.axis);
  // certain quantities resolved once, here
  const inputs = share?.inputs ?? resolveInputs(c, c.central, allocateInputs(c));
  const own = row ?? new Float64Array(rowLayout(plan).length);
  const out = allocateOutputs(c.base, n, own);
  const K = outputKeysOf(c.base).length;
  const creditCost = own.subarray(K * n, (K + 1) * n);
  const creditCostCumulative = own.subarray((K + 1) * n, (K + 2) * n);
  const samples = share?.samples ?? new Float64Array(c.uncertain.length);
  const creditTotals =
    share?.creditTotals ?? (plan.offsets?.creditTargets ?? []).map(() => new Float64Array(n));
  const removal = share?.removal ?? plan.creditCost?.removalShare ?? new Float64Array(n);
  const engineered = share?.engineered ?? plan.creditCost?.engineeredShare ?? new Float64Array(n);
  const creditPrices =
    share?.creditPrices ??
    (plan.creditCost?.uncertainPrices.length
      ? plan.creditCost.prices.map((p) => Float64Array.from(p))
      : (plan.creditCost?.prices ?? []));
  const pass = plan.creditPass;
  const runs: PathBuffers['runs'] = [];
  plan.series.forEach((s, k) => {
    const array =
      s.key === 'creditCost'
        ? creditCost
        : s.key === 'creditCostCumulative'
          ? creditCostCumulative
          : out[s.key]!;
    const last = runs[runs.length - 1];
    if (last && last.array === array && last.from + last.count === s.index) last.count++;
    else runs.push({ array, from: s.index, count: 1, offset: k });
  });
  return {
    runs,
    checkSeries: plan.checkers.map((ch) => out[ch.key]!),
    grossSeries: plan.checkers.map((ch) => (ch.grossKey ? out[ch.grossKey] : undefined)),
    samples,
    inputs,
    out,
    removal,
    engineered,
    creditTotals,
    creditCost,
    creditCostCumulative,
    creditPrices,
    values: new Float64Array(plan.series.length),
    resolve: share?.resolve ?? uncertainResolver(c, inputs, plan.fused),
    simulate: simulator(c.base, inputs, out, plan.kernel, samples),
    credits: pass
      ? () => {
          const [pA, pN, pE] = creditPrices as [Float64Array, Float64Array, Float64Array];
          pass.fn(
            own,
            creditTotals,
            removal,
            engineered,
            pA,
            pN,
            pE,
            creditCost,
            creditCostCumulative,
            pass.constants,
          );
        }
      : () => {},
  };
}

/** Run path `p`: fills buf.values (one per series) and returns met flags via `met`. */
export function runPath(
  plan: McPlan,
  buf: PathBuffers,
  seed: number,
  p: number,
  met: Uint8Array,
  metGross: Uint8Array,
  clamped: Map<string, number>,
): void {
  plan.sampler.draw(buf.samples, seed, p);
  evaluatePath(plan, buf, met, metGross, clamped);
  const values = buf.values;
  for (const run of buf.runs) {
    const a = run.array;
    const shift = run.offset - run.from;
    for (let i = run.from, end = run.from + run.count; i < end; i++) values[i + shift] = a[i]!;
  }
}

/**
 * Run the model on the samples already in buf.samples: its outputs, credits and their cost in
 * buf's arrays, the target flags in `met` and `metGross`.
 */
export function evaluatePath(
  plan: McPlan,
  buf: PathBuffers,
  met: Uint8Array,
  metGross: Uint8Array,
  clamped: Map<string, number>,
): void {
  buf.resolve(buf.samples, clamped);
  buf.simulate();
  const co = plan.offsets;
  if (co) {
    const cc = plan.creditCost!;
    if (!cc.removalShare) {
      // the mix depends on an uncertain number: resolve it on this path, held within 0–1 and
      // counted
      co.removalShare(buf.removal, 0, buf.samples);
      co.engineeredShare(buf.engineered, 0, buf.samples);
      if (clampPath(buf.removal, 0, 1))
        clamped.set('offsets.removalShare', (clamped.get('offsets.removalShare') ?? 0) + 1);
      if (clampPath(buf.engineered, 0, 1))
        clamped.set(
          'offsets.engineeredShareOfRemovals',
          (clamped.get('offsets.engineeredShareOfRemovals') ?? 0) + 1,
        );
    }
    if (cc.uncertainPrices.length > 0)
      fillUncertainPrices(buf.creditPrices, cc.uncertainPrices, buf.samples);
    // credits retired, their cost at this path's mix and prices, and its running total
    buf.credits();
  }
  const checkers = plan.checkers;
  for (let k = 0; k < checkers.length; k++) {
    const r = checkers[k]!.rule;
    met[k] = ruleMet(r, ruleValue(r, buf.checkSeries[k]!)) ? 1 : 0;
    const g = buf.grossSeries[k];
    metGross[k] = g !== undefined && ruleMet(r, ruleValue(r, g)) ? 1 : 0;
  }
}

/**
 * What a range of paths contributes; everything in it merges exactly and order-independently,
 * except sums (merged by chunk index).
 */
export interface Partial {
  counts: Uint32Array;
  min: Float64Array;
  max: Float64Array;
  /** chunk index → per-series sums over that chunk's paths, in path order. */
  chunkSums: Map<number, Float64Array>;
  met: Float64Array;
  metGross: Float64Array;
  clamped: Record<string, number>;
}

export interface Ranges {
  lo: Float64Array;
  hi: Float64Array;
  /** ATOMS values per series (NaN: none), counted exactly. */
  atoms: Float64Array;
}

export function emptyPartial(plan: McPlan): Partial {
  const S = plan.series.length;
  return {
    counts: new Uint32Array(S * STRIDE),
    min: new Float64Array(S).fill(Infinity),
    max: new Float64Array(S).fill(-Infinity),
    chunkSums: new Map(),
    met: new Float64Array(plan.checkers.length),
    metGross: new Float64Array(plan.checkers.length),
    clamped: {},
  };
}

/** The count slot of `v` in a series' counts: an atom's own slot, else its bin. */
function slotOf(v: number, s: number, ranges: Ranges): number {
  const a = s * ATOMS;
  for (let j = 0; j < ATOMS; j++) {
    const x = ranges.atoms[a + j]!;
    if (Math.abs(v - x) <= ATOM_TOLERANCE * Math.abs(x) || v === x) return BINS + 2 + j;
  }
  return binOf(v, ranges.lo[s]!, ranges.hi[s]!);
}

function binOf(v: number, lo: number, hi: number): number {
  if (v < lo) return 0;
  if (v > hi || hi === lo) return v > hi ? BINS + 1 : 1;
  return 1 + Math.min(BINS - 1, Math.floor(((v - lo) / (hi - lo)) * BINS));
}

/** Paths run before their values are accumulated, series by series (cache locality). */
export const BATCH = 32;

/**
 * Run the paths of chunks `chunks` (each [k·CHUNK, (k+1)·CHUNK) ∩ [PILOT, N)) into one
 * partial.
 */
export function runChunks(
  plan: McPlan,
  ranges: Ranges,
  seed: number,
  samples: number,
  chunks: readonly number[],
  onProgress?: (done: number) => void,
): Partial {
  const part = emptyPartial(plan);
  const S = plan.series.length;
  const met = new Uint8Array(plan.checkers.length);
  const metGross = new Uint8Array(plan.checkers.length);
  const clamped = new Map<string, number>();
  // each path of a batch runs straight into its own row: nothing is copied
  const layout = rowLayout(plan);
  const R = layout.length;
  const batch = new Float64Array(BATCH * R);
  const first = makeBuffers(plan, batch.subarray(0, R));
  const bufs = [first];
  for (let b = 1; b < BATCH; b++)
    bufs.push(makeBuffers(plan, batch.subarray(b * R, (b + 1) * R), first));
  const samplesOf = first.samples;
  for (const k of chunks) {
    const sums = new Float64Array(S);
    const start = Math.max(PILOT, k * CHUNK);
    const end = Math.min(samples, (k + 1) * CHUNK);
    for (let p0 = start; p0 < end; p0 += BATCH) {
      const m = Math.min(BATCH, end - p0);
      for (let b = 0; b < m; b++) {
        plan.sampler.draw(samplesOf, seed, p0 + b);
        evaluatePath(plan, bufs[b]!, met, metGross, clamped);
        for (let t = 0; t < met.length; t++) {
          part.met[t]! += met[t]!;
          part.metGross[t]! += metGross[t]!;
        }
      }
      accumulateBatch(part, ranges, batch, m, sums, R, layout.pos);
      if (onProgress && ((p0 - start) & 1023) < BATCH) onProgress(Math.min(1024, end - p0));
    }
    part.chunkSums.set(k, sums);
  }
  part.clamped = Object.fromEntries(clamped);
  return part;
}

/**
 * Add `m` paths (rows of `batch`, path-major, `stride` values apart; series s at `pos[s]` of a row,
 * else at s) series by series: each series' counts are touched once per batch. Sums are added in
 * path order within each series, as a per-path loop would.
 */
export function accumulateBatch(
  part: Partial,
  ranges: Ranges,
  batch: Float64Array,
  m: number,
  sums: Float64Array,
  stride = sums.length,
  pos?: Int32Array,
): void {
  const { counts, min, max } = part;
  const S = sums.length;
  for (let s = 0; s < S; s++) {
    const at = pos ? pos[s]! : s;
    const base = s * STRIDE;
    let sum = sums[s]!;
    let mn = min[s]!;
    let mx = max[s]!;
    // most series have no atom: then a value goes straight to its bin (same slot as slotOf)
    let plain = true;
    for (let j = 0; j < ATOMS; j++) if (!Number.isNaN(ranges.atoms[s * ATOMS + j]!)) plain = false;
    const lo = ranges.lo[s]!;
    const hi = ranges.hi[s]!;
    for (let b = 0; b < m; b++) {
      const v = batch[b * stride + at]!;
      sum += v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      counts[base + (plain ? binOf(v, lo, hi) : slotOf(v, s, ranges))]! += 1;
    }
    sums[s] = sum;
    min[s] = mn;
    max[s] = mx;
  }
}

export function accumulate(
  part: Partial,
  ranges: Ranges,
  values: Float64Array,
  sums: Float64Array,
  met: Uint8Array,
  metGross: Uint8Array,
): void {
  const { counts, min, max } = part;
  for (let s = 0; s < values.length; s++) {
    const v = values[s]!;
    sums[s] = sums[s]! + v;
    if (v < min[s]!) min[s] = v;
    if (v > max[s]!) max[s] = v;
    counts[s * STRIDE + slotOf(v, s, ranges)]! += 1;
  }
  for (let k = 0; k < met.length; k++) {
    part.met[k]! += met[k]!;
    part.metGross[k]! += metGross[k]!;
  }
}

export interface Pilot {
  values: Float64Array; // P × S, path-major
  paths: number;
  ranges: Ranges;
  partial: Partial;
}

/** The first min(N, PILOT) paths: kept whole, they fix the histogram ranges. */
export function runPilot(plan: McPlan, seed: number, samples: number): Pilot {
  const S = plan.series.length;
  const P = Math.min(samples, PILOT);
  const buf = makeBuffers(plan);
  const values = new Float64Array(P * S);
  const met = new Uint8Array(plan.checkers.length);
  const metGross = new Uint8Array(plan.checkers.length);
  const clamped = new Map<string, number>();
  const metCount = new Float64Array(plan.checkers.length);
  const metGrossCount = new Float64Array(plan.checkers.length);
  for (let p = 0; p < P; p++) {
    runPath(plan, buf, seed, p, met, metGross, clamped);
    values.set(buf.values, p * S);
    for (let k = 0; k < met.length; k++) {
      metCount[k]! += met[k]!;
      metGrossCount[k]! += metGross[k]!;
    }
  }
  const lo = new Float64Array(S);
  const hi = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let mn = Infinity;
    let mx = -Infinity;
    for (let p = 0; p < P; p++) {
      const v = values[p * S + s]!;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    // room for later paths beyond the pilot's range; the rest goes to the exact-min/max end bins
    const pad = (mx - mn) * 0.25;
    lo[s] = mn - pad;
    hi[s] = mx + pad;
  }
  const ranges = { lo, hi, atoms: pilotAtoms(values, P, S) };
  const partial = emptyPartial(plan);
  const sums = new Float64Array(S);
  for (let p = 0; p < P; p++) {
    accumulate(
      partial,
      ranges,
      values.subarray(p * S, (p + 1) * S),
      sums,
      new Uint8Array(0),
      new Uint8Array(0),
    );
  }
  partial.chunkSums.set(-1, sums);
  partial.met.set(metCount);
  partial.metGross.set(metGrossCount);
  partial.clamped = Object.fromEntries(clamped);
  return { values, paths: P, ranges, partial };
}

/**
 * Per series, the ATOMS values most pilot paths share (within ATOM_TOLERANCE; at least ATOM_SHARE
 * of them and at least 2 paths), most frequent first, ties to the smaller value; NaN where there
 * are fewer. Each atom is the middle value of its group.
 */
export function pilotAtoms(values: Float64Array, P: number, S: number): Float64Array {
  const atoms = new Float64Array(S * ATOMS).fill(NaN);
  const need = Math.max(2, Math.ceil(ATOM_SHARE * P));
  const col = new Float64Array(P);
  for (let s = 0; s < S; s++) {
    for (let p = 0; p < P; p++) col[p] = values[p * S + s]!;
    col.sort();
    const runs: Array<[number, number]> = [];
    for (let i = 0; i < P;) {
      let j = i + 1;
      const tol = ATOM_TOLERANCE * Math.abs(col[i]!);
      while (j < P && col[j]! - col[i]! <= tol) j++;
      if (j - i >= need) runs.push([col[(i + j - 1) >> 1]!, j - i]);
      i = j;
    }
    runs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    runs.slice(0, ATOMS).forEach(([v], j) => (atoms[s * ATOMS + j] = v));
  }
  return atoms;
}

export function mergePartials(plan: McPlan, parts: readonly Partial[]): Partial {
  const total = emptyPartial(plan);
  for (const p of parts) {
    for (let i = 0; i < total.counts.length; i++) total.counts[i]! += p.counts[i]!;
    for (let s = 0; s < total.min.length; s++) {
      total.min[s] = Math.min(total.min[s]!, p.min[s]!);
      total.max[s] = Math.max(total.max[s]!, p.max[s]!);
    }
    for (const [k, v] of p.chunkSums) total.chunkSums.set(k, v);
    for (let k = 0; k < total.met.length; k++) {
      total.met[k]! += p.met[k]!;
      total.metGross[k]! += p.metGross[k]!;
    }
    for (const [k, v] of Object.entries(p.clamped)) total.clamped[k] = (total.clamped[k] ?? 0) + v;
  }
  return total;
}

export interface FanRow {
  variable: string;
  unit: string;
  year: number;
  quantiles: number[];
  mean: number;
}

/** Type-7 quantile of sorted values. */
function exactQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * The q-quantile of one series from its counts: each bin's paths spread evenly over the bin (the
 * end bins over [min, lo] and [hi, max]), each atom's paths exactly at its value.
 */
export function histogramQuantile(
  counts: Uint32Array,
  offset: number,
  n: number,
  q: number,
  ranges: { lo: number; hi: number; atoms: ArrayLike<number> },
  mn: number,
  mx: number,
): number {
  if (mn === mx) return mn;
  const { lo, hi } = ranges;
  const target = q * n;
  const width = (hi - lo) / BINS;
  let cum = 0;
  for (let b = 0; b < BINS + 2; b++) {
    const [from, to] =
      b === 0
        ? [mn, Math.min(lo, mx)]
        : b === BINS + 1
          ? [Math.max(hi, mn), mx]
          : [lo + (b - 1) * width, lo + b * width];
    // this bin's atoms, ascending
    const inBin: Array<[number, number]> = [];
    for (let j = 0; j < ranges.atoms.length; j++) {
      const a = ranges.atoms[j]!;
      const c = counts[offset + BINS + 2 + j]!;
      if (c > 0 && binOf(a, lo, hi) === b) inBin.push([a, c]);
    }
    const c = counts[offset + b]!;
    if (inBin.length === 0) {
      if (c > 0 && cum + c >= target) {
        const v = from + ((target - cum) / c) * (to - from);
        return Math.min(mx, Math.max(mn, v));
      }
      cum += c;
      continue;
    }
    inBin.sort((x, y) => x[0] - y[0]);
    // continuous mass between `pos` and `x`
    const span = to - from;
    const massTo = (pos: number, x: number) => (span > 0 ? (c * (x - pos)) / span : 0);
    let pos = from;
    for (const [a, k] of inBin) {
      const x = Math.min(to, Math.max(from, a));
      const m = massTo(pos, x);
      if (m > 0 && cum + m >= target) return pos + ((target - cum) / c) * span;
      cum += m;
      pos = x;
      if (cum + k >= target) return a;
      cum += k;
    }
    const rest = span > 0 ? massTo(pos, to) : c;
    if (rest > 0 && cum + rest >= target)
      return Math.min(mx, span > 0 ? pos + ((target - cum) / c) * span : pos);
    cum += rest;
  }
  return mx;
}

export function fanRows(plan: McPlan, pilot: Pilot, total: Partial, samples: number): FanRow[] {
  const S = plan.series.length;
  const order = [...total.chunkSums.keys()].sort((a, b) => a - b);
  return plan.series.map((s, k) => {
    let sum = 0;
    for (const c of order) sum += total.chunkSums.get(c)![k]!;
    let quantiles: number[];
    if (samples <= PILOT) {
      const col = new Float64Array(pilot.paths);
      for (let p = 0; p < pilot.paths; p++) col[p] = pilot.values[p * S + k]!;
      col.sort();
      quantiles = QUANTILES.map((q) => exactQuantile(col, q));
    } else {
      const ranges = {
        lo: pilot.ranges.lo[k]!,
        hi: pilot.ranges.hi[k]!,
        atoms: pilot.ranges.atoms.subarray(k * ATOMS, (k + 1) * ATOMS),
      };
      quantiles = QUANTILES.map((q) =>
        histogramQuantile(
          total.counts,
          k * STRIDE,
          samples,
          q,
          ranges,
          total.min[k]!,
          total.max[k]!,
        ),
      );
    }
    return { variable: s.variable, unit: s.unit, year: s.year, quantiles, mean: sum / samples };
  });
}

export interface Probability {
  targetId: string;
  deadline: number;
  probability: number;
  stdError: number;
  probabilityWithoutCredits?: number | undefined;
  samples: number;
}

export function probabilities(plan: McPlan, total: Partial, samples: number): Probability[] {
  return plan.checkers.map((ch, k) => {
    const p = total.met[k]! / samples;
    return {
      targetId: ch.targetId,
      deadline: ch.deadline,
      probability: p,
      stdError: Math.sqrt((p * (1 - p)) / samples),
      probabilityWithoutCredits: ch.metGross ? total.metGross[k]! / samples : undefined,
      samples,
    };
  });
}

/** The chunks beyond the pilot, dealt round-robin to `workers`. */
export function chunkAssignment(samples: number, workers: number): number[][] {
  const first = Math.floor(PILOT / CHUNK);
  const last = Math.ceil(samples / CHUNK) - 1;
  const out: number[][] = Array.from({ length: workers }, () => []);
  let w = 0;
  for (let k = first; k <= last; k++) {
    if (Math.min(samples, (k + 1) * CHUNK) <= Math.max(PILOT, k * CHUNK)) continue;
    out[w % workers]!.push(k);
    w++;
  }
  return out;
}
