/**
 * Goal-seek: the value of one lever (a number in the scenario) at which a target is just met,
 * deterministically or with a given probability, by bisection between bounds.
 */
import { InputError } from '../errors.js';
import { PARAMETERS } from '../core/parameters.js';
import type { TargetResult } from '../core/targets.js';
import { scenarioSchema, type ScenarioFile } from '../schema/scenario.js';
import type { LoadedOrganization } from '../io/load-organization.js';
import type { LoadedScenario } from '../io/load-scenario.js';
import type { LoadedTargets } from '../io/load-targets.js';
import { runLoaded } from './project.js';
import { evaluateRunTargets, seriesOf } from './evaluate.js';
import { simulateRun } from './simulate.js';
import { checkLeverKnown, distributionPaths, leverInScenario } from './lever.js';

export interface SolveOptions {
  target: string;
  lever: string;
  min?: number | undefined;
  max?: number | undefined;
  probability?: number | undefined;
  withoutCredits?: boolean | undefined;
  samples: number;
  seed: number;
  endYear: number;
  /** Told of a caveat before the search (the CLI prints it on stderr). */
  warn?: ((message: string) => void) | undefined;
}

export interface SolveResult {
  status: 'solved' | 'met-across-range' | 'not-met-in-range';
  /** The lever value found, unrounded: it meets the target (the solved scenario has it). */
  value?: number;
  /** The exact threshold is within this of `value` rounded to `decimals`. */
  tolerance?: number;
  decimals?: number;
  /** Where the scenario sets the lever (its version 1 name, if the scenario uses that). */
  setAt: string;
  bounds: [number, number];
  /** The lever value that meets the target and the one that does not, when solved. */
  bracket?: [number, number];
  evaluations: Array<{
    value: number;
    met: boolean;
    gap?: number | undefined;
    probability?: number | undefined;
  }>;
  scenario?: ScenarioFile;
}

const LEVER = new RegExp(
  '^(constants\\.[A-Za-z][A-Za-z0-9_]*|parameters\\.' +
    '(?:fuels\\.|avoided\\.|(?:segments|grids|scope3)\\.[a-z][A-Za-z0-9]*\\.)?' +
    '[A-Za-z][A-Za-z0-9]*(?:\\.growth|\\.points\\.\\d{4}|\\.value)?)$',
);
/** Groups of declared ids: a lever in one is parameters.GROUP.ID.QUANTITY. */
const DECLARED = ['segments', 'grids', 'scope3'];
/** Natural bounds of a declared quantity (the others need --min and --max). */
const DECLARED_BOUNDS: Record<string, { min?: number; max?: number }> = {
  cleanShare: { min: 0, max: 100 },
  pue: { min: 1 },
};

/** A scenario object as plain nested records, as setLever edits it. */
type Spec = Record<string, unknown>;

/** Set the lever in a copy of the scenario. */
export function setLever(s: ScenarioFile, lever: string, value: number): ScenarioFile {
  const copy = structuredClone(s) as {
    constants?: Record<string, unknown>;
    parameters?: Record<string, Spec>;
  };
  const parts = lever.split('.');
  if (parts[0] === 'constants') {
    copy.constants = { ...copy.constants, [parts[1]!]: value };
    return copy as ScenarioFile;
  }
  const inFamily = parts[1] === 'fuels' || parts[1] === 'avoided';
  const declared = DECLARED.includes(parts[1]!);
  const params = (copy.parameters ??= {});
  const holder: Spec = declared
    ? ((((params[parts[1]!] ??= {}) as Spec)[parts[2]!] ??= {}) as Spec)
    : inFamily
      ? (params[parts[1]!] ??= {})
      : params;
  const depth = declared ? 3 : inFamily ? 2 : 1;
  const name = parts[depth]!;
  const rest = parts.slice(depth + 1);
  if (rest.length === 0 || rest[0] === 'value') holder[name] = value;
  else if (rest[0] === 'growth') holder[name] = { growth: value };
  else {
    const existing = holder[name];
    const hasPoints = !!existing && typeof existing === 'object' && 'points' in existing;
    const points: Spec = hasPoints ? { ...((existing as Spec).points as Spec) } : {};
    points[rest[1]!] = value;
    const spec: Spec = {
      ...(hasPoints ? (existing as Spec) : {}),
      points,
    };
    holder[name] = spec;
    delete spec.value;
    delete spec.growth;
    delete spec.formula;
  }
  return copy as ScenarioFile;
}

export function leverBounds(lever: string, min?: number, max?: number): [number, number] {
  const parts = lever.split('.');
  const name = parts[1] as keyof typeof PARAMETERS;
  const level = lever.startsWith('parameters.') && !lever.includes('.growth');
  const def = !level
    ? undefined
    : DECLARED.includes(parts[1]!)
      ? DECLARED_BOUNDS[parts[3]!]
      : (PARAMETERS[name] as { min?: number; max?: number } | undefined);
  const lo = min ?? def?.min;
  const hi = max ?? def?.max;
  if (lo === undefined || hi === undefined) {
    throw new InputError({
      path: '--min/--max',
      message: `the lever ${lever} has no natural bounds`,
      fix: 'give the range to search with --min and --max',
    });
  }
  if (!(lo < hi))
    throw new InputError({
      path: '--min/--max',
      message: `--min ${lo} must be below --max ${hi}`,
      fix: 'swap or widen them',
    });
  return [lo, hi];
}

export async function solve(
  loaded: LoadedScenario,
  org: LoadedOrganization,
  targets: LoadedTargets,
  o: SolveOptions,
): Promise<SolveResult> {
  if (!LEVER.test(o.lever)) {
    throw new InputError({
      path: '--lever',
      message: `'${o.lever}' is not a lever carbonpath can set`,
      fix:
        'use parameters.NAME.points.YEAR, parameters.NAME.growth, ' +
        'parameters.NAME (a constant level), parameters.segments.ID.QUANTITY (and likewise ' +
        'grids, scope3) or constants.NAME',
    });
  }
  const index = targets.targets.targets.findIndex((t) => t.id === o.target);
  if (index < 0) {
    throw new InputError({
      path: '--target',
      message: `no target '${o.target}'`,
      fix: `use one of ${targets.targets.targets
        .filter((t) => t.kind !== 'not-modelled')
        .map((t) => t.id)
        .join(', ')}`,
    });
  }
  // Before searching: a lever nothing reads, or a target the model cannot evaluate, would
  // otherwise look like "no value meets the target" or "any value will do".
  const baseRun = await runLoaded(loaded, org, o.endYear);
  const base = baseRun.compiled.base;
  checkLeverKnown(o.lever, loaded.scenario, loaded.name, base);
  const results = evaluateRunTargets(targets, seriesOf(baseRun));
  const r0 = results[index]!;
  if (r0.status === 'not-modelled') {
    const modelled = results.filter((r) => r.status !== 'not-modelled').map((r) => r.targetId);
    const reason = (r0.note ?? 'no reason given').replace(
      /^not modelled for this organization: /,
      '',
    );
    throw new InputError({
      path: '--target',
      message: `target ${o.target} is not modelled for this organization: ${reason}`,
      fix: modelled.length
        ? `solve for a modelled target: ${modelled.join(', ')}`
        : 'add the data the reason names: no target of this organization is modelled yet',
    });
  }
  const setAt = leverInScenario(o.lever, loaded.scenario, base);
  const bounds = leverBounds(o.lever, o.min, o.max);
  if (o.probability !== undefined) {
    const fixed = uncertainUnder(loaded.scenario, setAt);
    if (fixed.length > 0)
      o.warn?.(
        `${o.lever} is itself uncertain in ${loaded.name}` +
          `${fixed.join() === setAt ? '' : ` (${fixed.join(', ')})`}; each tried ` +
          'value fixes it, so the probability counts only the other uncertain numbers',
      );
  }
  const evaluations: SolveResult['evaluations'] = [];
  const evaluate = async (value: number): Promise<boolean> => {
    const scenario = setLever(loaded.scenario, setAt, value);
    const checked = scenarioSchema.safeParse(scenario);
    if (!checked.success) {
      throw new InputError({
        path: '--lever',
        message:
          `setting ${o.lever} to ${value} makes the scenario ` +
          `invalid: ${checked.error.issues[0]?.message}`,
        fix: 'narrow --min/--max',
      });
    }
    const run = await runLoaded({ ...loaded, scenario }, org, o.endYear);
    if (o.probability !== undefined) {
      const sim = await simulateRun(run, org, targets, {
        samples: o.samples,
        seed: o.seed,
        workers: 1,
        rebuild: { scenario: '', to: o.endYear },
      });
      const p = sim.probabilities.find((x) => x.targetId === o.target);
      const prob = o.withoutCredits ? p?.probabilityWithoutCredits : p?.probability;
      if (prob === undefined)
        throw new InputError({
          path: '--target',
          message: `'${o.target}' has no probability`,
          fix: 'choose a modelled target',
        });
      const met = prob >= o.probability;
      evaluations.push({ value, met, probability: prob });
      return met;
    }
    const r: TargetResult = evaluateRunTargets(targets, seriesOf(run))[index]!;
    const status = o.withoutCredits ? r.withoutCredits?.status : r.status;
    if (status === undefined)
      throw new InputError({
        path: '--without-credits',
        message: `'${o.target}' has no without-credits view`,
        fix: 'drop --without-credits',
      });
    const met = status !== 'off-track';
    evaluations.push({ value, met, gap: o.withoutCredits ? r.withoutCredits?.gap : r.gap });
    return met;
  };
  let [lo, hi] = bounds;
  const metLo = await evaluate(lo);
  const metHi = await evaluate(hi);
  if (metLo && metHi) return { status: 'met-across-range', setAt, bounds, evaluations };
  if (!metLo && !metHi) return { status: 'not-met-in-range', setAt, bounds, evaluations };
  // Keep lo on the failing side and hi on the meeting side.
  if (metLo) [lo, hi] = [hi, lo];
  const { decimals, tolerance } = solveTolerance(bounds);
  // The value is found to a tenth of the tolerance (a guard digit: the solved scenario lands
  // close to the target), and until the bracket lies within one rounding cell, so the rounded
  // answer is within the tolerance of the threshold; the floor ends a bracket on a cell's edge.
  const done = () => {
    const width = Math.abs(hi - lo);
    const oneCell = roundTo(lo, decimals) === roundTo(hi, decimals);
    return width <= tolerance / 1000 || (width <= tolerance / 10 && oneCell);
  };
  for (let k = 0; k < 60 && !done(); k++) {
    const mid = (lo + hi) / 2;
    if (await evaluate(mid)) hi = mid;
    else lo = mid;
  }
  return {
    status: 'solved',
    value: hi,
    tolerance,
    decimals,
    setAt,
    bounds,
    bracket: [hi, lo],
    evaluations,
    scenario: setLever(loaded.scenario, setAt, hi),
  };
}

/**
 * The precision a search is solved to: whole decimals, half a unit of the last one, about
 * 1/40,000 of the range searched (0–20 → 3 decimals, ± 0.0005). Finer would print the noise of
 * bisection and of the targets' own 1e-6 tolerance, not knowledge.
 */
export function solveTolerance(bounds: [number, number]): { decimals: number; tolerance: number } {
  const decimals = Math.ceil(-Math.log10((bounds[1] - bounds[0]) * 1e-4) - 1e-9);
  // 5 ÷ 10^(d+1), not 0.5 × 10^-d: the literal 0.00005, not 0.00005000000000000001
  const tolerance = decimals >= -1 ? 5 / 10 ** (decimals + 1) : 5 * 10 ** (-decimals - 1);
  return { decimals, tolerance };
}

/** `x` rounded to `decimals` (negative: to tens, hundreds, …), never -0. */
export function roundTo(x: number, decimals: number): number {
  const r =
    decimals >= 0 ? Number(x.toFixed(decimals)) : Math.round(x / 10 ** -decimals) * 10 ** -decimals;
  return r === 0 ? 0 : r;
}

/** The distributions of the scenario that setting the lever replaces by a plain number. */
function uncertainUnder(scenario: ScenarioFile, lever: string): string[] {
  const paths = (s: ScenarioFile) =>
    distributionPaths({ constants: s.constants, parameters: s.parameters });
  const after = new Set(paths(setLever(scenario, lever, 0)));
  return paths(scenario).filter((p) => !after.has(p));
}
