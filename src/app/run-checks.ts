/**
 * Checks on every model run's results before anything is written: a number that is not finite
 * is an error (it would be a blank cell), and growth past plausibility is a warning.
 */
import { InputError } from '../errors.js';
import type { Warning } from '../core/calibrate.js';
import { yearLabel } from '../core/fiscal-year.js';
import type { Outputs } from '../core/model.js';
import type { TrajectoryRow } from '../core/trajectory.js';
import { FieldError } from '../core/engine.js';
import { scenarioFieldError, type LoadedScenario } from '../io/load-scenario.js';
import {
  evaluatePath,
  makeBuffers,
  type McPlan,
  type Partial as McPartial,
  type PathBuffers,
} from './montecarlo.js';

/**
 * Assumption: a company's activity rarely grows more than twentyfold within a projection.
 * Alibaba Group's purchased electricity, among the fastest-growing reported, rose ×1.9 from
 * FY2024 to FY2026; ×20 by 2035 would need about 40%/yr for nine years. A projected driver
 * above this multiple of its base-year value is most likely a growth rate written as a
 * percentage (30 for 0.30) or compounded too long, so it is a warning (stderr, run.json, the
 * report), never silent; `--fail-on warning` makes it fatal. Measured on the bundled scenarios:
 * at most ×8.5 by 2035 (ai-surge's electricity); ×20 is passed by 2040 in ai-surge and by 2060
 * in the others, whose electricity grows 8.5%/yr for 34 years: there the warning is meant.
 */
export const PLAUSIBLE_GROWTH_FACTOR = 20;

/** The drivers whose growth is checked (emissions follow from them): activity, avoided. */
const GROWTH_CHECKED = /^(Revenue|Electricity\||Heat\||Avoided Emissions\|)/;
/** Not shares or running sums (those grow by design). */
const GROWTH_EXEMPT = /\|Cumulative(\||$)|Clean Share/;

const describeNumber = (v: number): string =>
  Number.isNaN(v) ? 'not a number (NaN)' : `${v > 0 ? '' : '−'}Infinity (too large to represent)`;

/**
 * Every output of a run must be a finite number: ±Infinity or NaN (an overflow, or 0/0) is an
 * error naming the quantity and the year, raised before any file is written.
 */
export function checkFinite(
  file: string,
  scenario: string,
  rows: readonly TrajectoryRow[],
  outputs: Outputs,
  baseYear: number,
): void {
  const bad = rows.find((r) => !Number.isFinite(r.value));
  const fail = (quantity: string, year: number, value: number): never => {
    throw new InputError({
      file,
      path: quantity,
      message:
        `scenario '${scenario}': ${quantity} is ${describeNumber(value)} in ${year}, so ` +
        'nothing was written',
      fix:
        'look for a growth rate, formula or point (here or in what the scenario extends) ' +
        'that makes it explode or divides by zero; correct it, or end earlier with --to',
    });
  };
  if (bad) fail(bad.variable, bad.year, bad.value);
  for (const [key, series] of Object.entries(outputs)) {
    const i = series.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) fail(key, baseYear + i, series[i]!);
  }
}

/**
 * A projected quantity above PLAUSIBLE_GROWTH_FACTOR times its base-year value up to `lastYear`:
 * one warning per scenario and quantity, at the first year it passes (years labelled as the
 * organization's `fiscalYear` says them).
 */
export function growthWarnings(
  scenario: string,
  rows: readonly TrajectoryRow[],
  fiscalYear: { startMonth: number },
  lastYear = Infinity,
): Warning[] {
  const fy = (y: number) => yearLabel(fiscalYear, y);
  const base = new Map<string, TrajectoryRow>();
  const warned = new Set<string>();
  const out: Warning[] = [];
  for (const r of rows) {
    if (!GROWTH_CHECKED.test(r.variable) || GROWTH_EXEMPT.test(r.variable)) continue;
    if (r.kind === 'actual') {
      const b = base.get(r.variable);
      if (!b || r.year > b.year) base.set(r.variable, r);
      continue;
    }
    const b = base.get(r.variable);
    if (!b || b.value <= 0 || r.year > lastYear || warned.has(r.variable)) continue;
    const factor = r.value / b.value;
    if (factor <= PLAUSIBLE_GROWTH_FACTOR) continue;
    warned.add(r.variable);
    out.push({
      code: 'implausible-growth',
      message:
        `scenario '${scenario}': ${r.variable} reaches ×${factor.toPrecision(3)} its ` +
        `${fy(b.year)} value by ${fy(r.year)} (${fmt(b.value)} → ${fmt(r.value)} ${r.unit}), ` +
        `more than the ×${PLAUSIBLE_GROWTH_FACTOR} carbonpath takes as plausible`,
      fix:
        'check the growth rates behind it (0.3 is 30%/yr; 30 is 3,000%/yr) and how long ' +
        'they compound; if the growth is meant, this warning can be ignored',
    });
  }
  return out;
}

const fmt = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 4 });

/** What is wrong on one Monte Carlo path: a non-finite fan value, or a formula that failed. */
type PathFault = { series: number; value: number } | { field: FieldError };

/** A path's value of fan series `s` (after evaluatePath), wherever the series lives. */
function seriesValue(plan: McPlan, buf: PathBuffers, s: number): number {
  const { key, index } = plan.series[s]!;
  if (key === 'creditCost') return buf.creditCost[index]!;
  if (key === 'creditCostCumulative') return buf.creditCostCumulative[index]!;
  return buf.out[key]![index]!;
}

/** Run the model on `samples`; the first fault, or undefined when every fan value is finite. */
function faultOf(plan: McPlan, buf: PathBuffers, samples: Float64Array): PathFault | undefined {
  const none = new Uint8Array(plan.checkers.length);
  buf.samples.set(samples);
  try {
    evaluatePath(plan, buf, none, none, new Map());
  } catch (e) {
    if (e instanceof FieldError) return { field: e };
    throw e;
  }
  // the earliest year that is not finite (it is where the trouble starts)
  let first: { series: number; value: number } | undefined;
  for (let s = 0; s < plan.series.length; s++) {
    const value = seriesValue(plan, buf, s);
    if (Number.isFinite(value)) continue;
    if (!first || plan.series[s]!.year < plan.series[first.series]!.year)
      first = { series: s, value };
  }
  return first;
}

/**
 * The first of `samples` Monte Carlo paths (seed `seed`) with a fault, explained as an
 * InputError: the quantity and year (or the formula) that is not finite, and the uncertain
 * number whose draw causes it — the one that, put back at its central value alone, makes the
 * path finite — at that number's line in the scenario. Undefined when no path has a fault.
 * Paths are re-run one by one: this costs up to one more Monte Carlo run, on the error path only.
 */
export function nonFinitePathError(
  loaded: LoadedScenario,
  plan: McPlan,
  seed: number,
  samples: number,
): InputError | undefined {
  const buf = makeBuffers(plan);
  const drawn = new Float64Array(buf.samples.length);
  for (let p = 0; p < samples; p++) {
    plan.sampler.draw(drawn, seed, p);
    const fault = faultOf(plan, buf, drawn);
    if (fault) return explainFault(loaded, plan, buf, drawn, fault, `path ${p + 1} of ${samples}`);
  }
  return undefined;
}

function explainFault(
  loaded: LoadedScenario,
  plan: McPlan,
  buf: PathBuffers,
  drawn: Float64Array,
  fault: PathFault,
  which: string,
): InputError {
  const uncertain = plan.compiled.uncertain;
  const causes = uncertain.filter((u) => {
    const probe = Float64Array.from(drawn);
    probe[u.slot] = u.central;
    return faultOf(plan, buf, probe) === undefined;
  });
  const what =
    'field' in fault
      ? fault.field.message
      : `${plan.series[fault.series]!.variable} is ${describeNumber(fault.value)} in ` +
        `${plan.series[fault.series]!.year}`;
  const head = `scenario '${loaded.name}': on Monte Carlo ${which}, ${what}`;
  const cause = causes[0];
  if (cause) {
    return scenarioFieldError(
      loaded,
      cause.path.split('.'),
      `${head}; it comes from ${cause.id}, drawn as ${fmt(drawn[cause.slot]!)} on that path ` +
        `(at its central value ${fmt(cause.central)} the path is finite), so nothing was written`,
      `bound ${cause.id}'s distribution (min and max, or a narrower spread) to values for ` +
        'which the scenario is defined, or correct the formula or growth that uses it; ' +
        'fewer samples or another seed would only hide it',
    );
  }
  const draws = uncertain
    .slice(0, 5)
    .map((u) => `${u.id} = ${fmt(drawn[u.slot]!)}`)
    .join(', ');
  const message =
    `${head}, and no single uncertain number at its central value makes it finite ` +
    `(draws: ${draws}${uncertain.length > 5 ? ', …' : ''}), so nothing was written`;
  const fix =
    'narrow the distributions these draws come from, or correct the formula or growth that ' +
    'makes them explode together';
  if ('field' in fault) return scenarioFieldError(loaded, fault.field.path, message, fix);
  return new InputError({ file: loaded.chain[0]!.file, message, fix });
}

/**
 * Run one path of samples drawn elsewhere (Sobol's matrices) into `buf`, under the same rule as
 * every Monte Carlo path: a fan value that is not finite, or a formula that fails, is an
 * InputError naming `which` path, the quantity, the year and the uncertain number behind it.
 */
export function evaluateFinitePath(
  loaded: LoadedScenario,
  plan: McPlan,
  buf: PathBuffers,
  run: () => void,
  which: string,
): void {
  let failed = false;
  try {
    run();
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    failed = true;
  }
  for (let s = 0; s < plan.series.length && !failed; s++)
    if (!Number.isFinite(seriesValue(plan, buf, s))) failed = true;
  if (!failed) return;
  // explained on a copy of its draws, in fresh buffers (the run's own are left as they are)
  const drawn = Float64Array.from(buf.samples);
  const fresh = makeBuffers(plan);
  const fault = faultOf(plan, fresh, drawn);
  if (fault) throw explainFault(loaded, plan, fresh, drawn, fault, which);
}

/**
 * After a Monte Carlo run: every path's fan values must be finite. The merged counts show it
 * without re-running anything (a NaN or ±Infinity makes a series' sum, or its min or max, not
 * finite); only then are the paths re-run to find and explain the first bad one. A sum that
 * overflows although every path is finite is refused too (its mean would be a blank cell).
 */
export function checkPathsFinite(
  loaded: LoadedScenario,
  plan: McPlan,
  seed: number,
  samples: number,
  total: McPartial,
): void {
  const S = plan.series.length;
  let bad = -1;
  for (let s = 0; s < S && bad < 0; s++) {
    if (!Number.isFinite(total.min[s]!) || !Number.isFinite(total.max[s]!)) bad = s;
    for (const sums of total.chunkSums.values()) if (!Number.isFinite(sums[s]!)) bad = s;
  }
  if (bad < 0) return;
  const error = nonFinitePathError(loaded, plan, seed, samples);
  if (error) throw error;
  const { variable, year } = plan.series[bad]!;
  throw new InputError({
    file: loaded.chain[0]!.file,
    path: variable,
    message:
      `scenario '${loaded.name}': the mean of ${variable} in ${year} over ${samples} Monte ` +
      'Carlo paths is too large to represent, so nothing was written',
    fix: 'check the inventory values and growth rates behind it for a misplaced magnitude',
  });
}

/**
 * Run a Monte Carlo computation (synchronous, or a promise); a formula that fails on one of its
 * paths is located and explained (nonFinitePathError) instead of ending as an internal error.
 */
export function explainPathFailure<T>(
  loaded: LoadedScenario,
  plan: McPlan,
  seed: number,
  samples: number,
  run: () => T,
): T {
  const explain = (e: unknown): never => {
    if (e instanceof InputError) throw e;
    throw nonFinitePathError(loaded, plan, seed, samples) ?? e;
  };
  try {
    const result = run();
    return (result instanceof Promise ? result.catch(explain) : result) as T;
  } catch (e) {
    return explain(e);
  }
}
