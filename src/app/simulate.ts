/**
 * Monte Carlo orchestration: pilot in this thread, the remaining chunks in worker threads
 * (or here when workers = 1), partials merged in chunk order.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { quantile } from '../core/distributions.js';
import { resolveInputs } from '../core/engine.js';
import { allocateOutputs, simulate } from '../core/model.js';
import { axisLength } from '../core/resolve.js';
import type { TargetResult } from '../core/targets.js';
import { trajectoryRows } from '../core/trajectory.js';
import { UncertaintyError } from '../core/uncertainty.js';
import type { LoadedOrganization } from '../io/load-organization.js';
import type { LoadedTargets } from '../io/load-targets.js';
import { scenarioFieldError, type LoadedScenario } from '../io/load-scenario.js';
import { PACKAGE_ROOT } from '../io/package-root.js';
import { evaluateRunTargets, seriesOf } from './evaluate.js';
import { uniform } from '../core/random.js';
import {
  chunkAssignment,
  evaluatePath,
  fanRows,
  makeBuffers,
  makePlan,
  McError,
  mergePartials,
  probabilities,
  runChunks,
  runPilot,
  type FanRow,
  type McPlan,
  type Partial,
  type Probability,
  type Ranges,
} from './montecarlo.js';
import { compileOffsetStrategy } from './offsets.js';
import { retireCredits } from '../core/offsets.js';
import type { ScenarioRun } from './project.js';
import { checkPathsFinite, evaluateFinitePath, explainPathFailure } from './run-checks.js';

export interface SimulateOptions {
  samples: number;
  seed: number;
  workers: number;
  /** What the worker needs to rebuild the same plan. */
  rebuild: { scenario: string; data?: string | undefined; to: number; basis?: string | undefined };
  onProgress?: ((done: number) => void) | undefined;
}

export interface SimulationResult {
  fan: FanRow[];
  probabilities: Probability[];
  clamped: Record<string, number>;
  plan: McPlan;
}

export function buildPlan(
  run: ScenarioRun,
  org: LoadedOrganization,
  targets: LoadedTargets,
): McPlan {
  const s = seriesOf(run);
  const det = evaluateRunTargets(targets, s);
  try {
    return makePlan(
      run.compiled,
      compileOffsetStrategy(run.loaded, org, run.compiled),
      targets.targets.targets,
      det,
      (v) => s.values(v),
    );
  } catch (e) {
    if (e instanceof UncertaintyError)
      throw scenarioFieldError(run.loaded, e.path, e.message, e.fix);
    if (e instanceof McError)
      throw new InputError({ file: targets.file, message: e.message, fix: e.fix });
    throw e;
  }
}

/**
 * Worker threads each load the parser and rebuild the plan (~0.3 s), so they only pay off for long
 * runs: measured here (docs/performance.md), 200,000 paths take 2.1 s on one thread or two,
 * 1,000,000 take 8.1 s on one and 5.1 s on two.
 */
export const defaultWorkers = (samples: number): number =>
  samples >= 200_000 ? Math.max(1, Math.min(2, availableParallelism())) : 1;

export async function simulateRun(
  run: ScenarioRun,
  org: LoadedOrganization,
  targets: LoadedTargets,
  opts: SimulateOptions,
): Promise<SimulationResult> {
  const plan = buildPlan(run, org, targets);
  // a path that fails or gives a number that is not finite is refused, with the draw behind it
  const { pilot, total } = await explainPathFailure(
    run.loaded,
    plan,
    opts.seed,
    opts.samples,
    async () => {
      const pilot = runPilot(plan, opts.seed, opts.samples);
      opts.onProgress?.(pilot.paths);
      const assignment = chunkAssignment(opts.samples, opts.workers);
      let parts: Partial[];
      if (opts.workers <= 1 || assignment.every((a) => a.length === 0)) {
        const chunks = assignment.flat();
        parts = [runChunks(plan, pilot.ranges, opts.seed, opts.samples, chunks, opts.onProgress)];
      } else {
        parts = await Promise.all(
          assignment
            .filter((a) => a.length > 0)
            .map((chunks) => inWorker(opts, chunks, pilot.ranges)),
        );
      }
      return { pilot, total: mergePartials(plan, [pilot.partial, ...parts]) };
    },
  );
  checkPathsFinite(run.loaded, plan, opts.seed, opts.samples, total);
  return {
    fan: fanRows(plan, pilot, total, opts.samples),
    probabilities: probabilities(plan, total, opts.samples),
    clamped: total.clamped,
    plan,
  };
}

function inWorker(opts: SimulateOptions, chunks: number[], ranges: Ranges): Promise<Partial> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(PACKAGE_ROOT, 'dist', 'app', 'mc-worker.js'), {
      workerData: {
        rebuild: opts.rebuild,
        seed: opts.seed,
        samples: opts.samples,
        chunks,
        lo: ranges.lo,
        hi: ranges.hi,
        atoms: ranges.atoms,
      },
    });
    worker.on(
      'message',
      (m: {
        progress?: number;
        partial?: Omit<Partial, 'chunkSums'> & { chunkSums: Array<[number, Float64Array]> };
        error?: string;
      }) => {
        if (m.progress) opts.onProgress?.(m.progress);
        if (m.error) reject(new Error(m.error));
        if (m.partial) resolve({ ...m.partial, chunkSums: new Map(m.partial.chunkSums) });
      },
    );
    worker.on('error', reject);
  });
}

export interface SensitivityRow {
  targetId: string;
  parameter: string;
  path: string;
  lowInput: number;
  highInput: number;
  gapAtLow: number;
  gapAtHigh: number;
  swing: number;
  rank: number;
  /** The gap is measured before credits (targets with a without-credits view). */
  beforeCredits: boolean;
}

/**
 * One at a time: each uncertain number at its 5th and 95th percentile, the others central;
 * the swing in each target's gap, ranked within the target.
 */
export function tornado(
  run: ScenarioRun,
  org: LoadedOrganization,
  targets: LoadedTargets,
): SensitivityRow[] {
  const c = run.compiled;
  const co = compileOffsetStrategy(run.loaded, org, c);
  const gapsAt = (samples: Float64Array): TargetResult[] => {
    const inputs = resolveInputs(c, samples, undefined, 'clamp');
    const outputs = simulate(c.base, inputs, allocateOutputs(c.base, axisLength(c.axis)));
    if (co)
      retireCredits(
        outputs,
        c.axis.baseYear,
        co.creditTargets,
        new Float64Array(outputs.revenue.length),
      );
    const rows = trajectoryRows(run.loaded.name, c.base, org.inventory, inputs, outputs);
    return evaluateRunTargets(targets, seriesOf({ ...run, inputs, outputs, rows }));
  };
  const rows: SensitivityRow[] = [];
  for (const u of c.uncertain) {
    const lowS = Float64Array.from(c.central);
    const highS = Float64Array.from(c.central);
    lowS[u.slot] = quantile(u.dist, TORNADO_LOW);
    highS[u.slot] = quantile(u.dist, TORNADO_HIGH);
    const lo = gapsAt(lowS);
    const hi = gapsAt(highS);
    lo.forEach((r, k) => {
      const h = hi[k]!;
      // Where credits close a target whatever the inputs, rank the drivers of the gap before
      // credits.
      const useGross = r.withoutCredits !== undefined && h.withoutCredits !== undefined;
      const gl = useGross ? r.withoutCredits!.gap : r.gap;
      const gh = useGross ? h.withoutCredits!.gap : h.gap;
      if (gl === undefined || gh === undefined) return;
      rows.push({
        targetId: r.targetId,
        parameter: u.id,
        path: u.path,
        lowInput: lowS[u.slot]!,
        highInput: highS[u.slot]!,
        gapAtLow: gl,
        gapAtHigh: gh,
        swing: Math.abs(gh - gl),
        rank: 0,
        beforeCredits: useGross,
      });
    });
  }
  const byTarget = new Map<string, SensitivityRow[]>();
  for (const r of rows) {
    const list = byTarget.get(r.targetId);
    if (list) list.push(r);
    else byTarget.set(r.targetId, [r]);
  }
  return [...byTarget.values()].flatMap(rankBySwing);
}

/** One-at-a-time sensitivity: each uncertain number at these percentiles, the others central. */
const TORNADO_LOW = 0.05;
const TORNADO_HIGH = 0.95;

/** Largest swing first (ties by name, so the order is stable); rank from 1. */
function rankBySwing<T extends { swing: number; parameter: string; rank: number }>(list: T[]): T[] {
  list.sort((a, b) => b.swing - a.swing || a.parameter.localeCompare(b.parameter));
  list.forEach((r, i) => {
    r.rank = i + 1;
  });
  return list;
}

export interface CreditSensitivityRow {
  parameter: string;
  path: string;
  lowInput: number;
  highInput: number;
  /**
   * The credit bill to the last projected year (M currency, central price band) with this number
   * low / high, the others central.
   */
  atLow: number;
  atHigh: number;
  swing: number;
  rank: number;
  /** The bill runs from the first projected year to this one. */
  toYear: number;
}

/**
 * What drives the credit bill: one at a time, each uncertain number at its 5th and 95th percentile,
 * the others central; the bill to the last projected year (Cost|Offsets|Central|Cumulative, so
 * volumes, mix and uncertain prices all count), ranked by swing. Empty without an offset strategy.
 */
export function creditTornado(plan: McPlan): CreditSensitivityRow[] {
  const c = plan.compiled;
  if (!plan.offsets || c.uncertain.length === 0) return [];
  const buf = makeBuffers(plan);
  const none = new Uint8Array(plan.checkers.length);
  const last = buf.creditCostCumulative.length - 1;
  const billAt = (slot: number, value: number) => {
    buf.samples.set(c.central);
    buf.samples[slot] = value;
    evaluatePath(plan, buf, none, none, new Map());
    return buf.creditCostCumulative[last]!;
  };
  return rankBySwing(
    c.uncertain.map((u) => {
      const lowInput = quantile(u.dist, TORNADO_LOW);
      const highInput = quantile(u.dist, TORNADO_HIGH);
      const atLow = billAt(u.slot, lowInput);
      const atHigh = billAt(u.slot, highInput);
      return {
        parameter: u.id,
        path: u.path,
        lowInput,
        highInput,
        atLow,
        atHigh,
        swing: Math.abs(atHigh - atLow),
        rank: 0,
        toYear: c.axis.endYear,
      };
    }),
  );
}

export interface SobolRow {
  targetId: string;
  parameter: string;
  path: string;
  firstOrder: number;
  totalOrder: number;
  samples: number;
}

/**
 * Variance-based sensitivity of each target's number (its value at the deadline, worst year or
 * cumulative sum; before credits where the target has that view) to each uncertain number:
 * first-order indices by Saltelli et al. (2010, with f(B) centred on the sample mean), total-order
 * by Jansen (1999), from two independent sample matrices A and B of N rows and N·k mixed rows —
 * N·(k + 2) model runs. Correlations are ignored here (the indices assume independent inputs).
 */
export function sobolIndices(
  loaded: LoadedScenario,
  plan: McPlan,
  seed: number,
  n: number,
): SobolRow[] {
  const k = plan.compiled.uncertain.length;
  if (k === 0) return [];
  const T = plan.checkers.length;
  const buf = makeBuffers(plan);
  const met = new Uint8Array(T),
    mg = new Uint8Array(T),
    clamped = new Map<string, number>();
  const dists = plan.compiled.uncertain.map((u) => u.dist);
  const fill = (row: Float64Array, s: number, p: number) => {
    for (let j = 0; j < k; j++) row[j] = quantile(dists[j]!, uniform(s, p, j));
  };
  const a = new Float64Array(k),
    b = new Float64Array(k);
  const fA = new Float64Array(n * T),
    fB = new Float64Array(n * T),
    fAB = new Float64Array(n * k * T);
  // every Sobol run is held to the Monte Carlo paths' rule: finite, or exit 2 saying why
  const evaluate = (samples: Float64Array, into: Float64Array, at: number, which: string) => {
    buf.samples.set(samples);
    const where = `Sobol sample ${which} (--sobol ${n}, --seed ${seed})`;
    evaluateFinitePath(loaded, plan, buf, () => evaluatePath(plan, buf, met, mg, clamped), where);
    for (let t = 0; t < T; t++) into[at + t] = plan.checkers[t]!.value(buf.out);
  };
  const mixed = new Float64Array(k);
  const ids = plan.compiled.uncertain.map((u) => u.id);
  for (let p = 0; p < n; p++) {
    fill(a, seed, p);
    fill(b, (seed ^ 0x5bd1e995) >>> 0, p);
    evaluate(a, fA, p * T, `A${p + 1}`);
    evaluate(b, fB, p * T, `B${p + 1}`);
    for (let i = 0; i < k; i++) {
      mixed.set(a);
      mixed[i] = b[i]!;
      evaluate(mixed, fAB, (p * k + i) * T, `A${p + 1} with ${ids[i]} from B${p + 1}`);
    }
  }
  const rows: SobolRow[] = [];
  for (let t = 0; t < T; t++) {
    let mean = 0;
    for (let p = 0; p < n; p++) mean += fA[p * T + t]! + fB[p * T + t]!;
    mean /= 2 * n;
    let variance = 0;
    for (let p = 0; p < n; p++)
      variance += (fA[p * T + t]! - mean) ** 2 + (fB[p * T + t]! - mean) ** 2;
    variance /= 2 * n - 1;
    plan.compiled.uncertain.forEach((u, i) => {
      let first = 0,
        total = 0;
      for (let p = 0; p < n; p++) {
        const ya = fA[p * T + t]!,
          yb = fB[p * T + t]!,
          yab = fAB[(p * k + i) * T + t]!;
        first += (yb - mean) * (yab - ya); // centred: same expectation, far less noise
        total += (ya - yab) ** 2;
      }
      rows.push({
        targetId: plan.checkers[t]!.targetId,
        parameter: u.id,
        path: u.path,
        samples: n,
        firstOrder: variance > 0 ? first / n / variance : 0,
        totalOrder: variance > 0 ? total / (2 * n) / variance : 0,
      });
    });
  }
  return rows;
}
