/**
 * Load an organization and scenarios, compile and run them. Maps core field errors to
 * input errors with file and line.
 */
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { DataError } from '../core/calibrate.js';
import {
  compileScenario,
  FieldError,
  runCompiled,
  scenarioHasFormula,
  type CompiledScenario,
} from '../core/engine.js';
import type { ParseFn } from '../core/formula.js';
import type { Outputs, ResolvedInputs } from '../core/model.js';
import { trajectoryRows, type TrajectoryRow } from '../core/trajectory.js';
import { loadOrganization, type LoadedOrganization } from '../io/load-organization.js';
import {
  applyOffsets,
  compileOffsetStrategy,
  offsetTrajectoryRows,
  type OffsetResult,
} from './offsets.js';
import {
  loadScenario,
  scenarioFieldError,
  scenarioNamesFor,
  type LoadedScenario,
} from '../io/load-scenario.js';
import { BUNDLED_DATA, BUNDLED_SCENARIOS } from '../io/package-root.js';
import { checkFinite, growthWarnings } from './run-checks.js';
import { checkSeriesBreaks } from './series-breaks.js';

export const DEFAULT_END_YEAR = 2035;
export const MAX_END_YEAR = 2060;

export interface ProjectOptions {
  data?: string | undefined;
  to?: number | undefined;
  basis?: string | undefined;
  actuals?: string | undefined;
  asOf?: number | undefined;
  /** An organization the caller has loaded already (then data/basis/actuals/asOf are not read). */
  org?: LoadedOrganization | undefined;
}

export interface ScenarioRun {
  loaded: LoadedScenario;
  compiled: CompiledScenario;
  inputs: ResolvedInputs;
  outputs: Outputs;
  rows: TrajectoryRow[];
  offsets?: OffsetResult;
}

let parsePromise: Promise<ParseFn> | undefined;
/**
 * The formula parser, loaded only when a scenario has a formula: mathjs's `parse` from an
 * instance with only what parsing needs (src/app/formula-parser.ts, docs/performance.md).
 */
export function loadParser(): Promise<ParseFn> {
  parsePromise ??= import('./formula-parser.js').then((m) => m.parse);
  return parsePromise;
}

export function dataErrorToInput(e: DataError, org: LoadedOrganization): InputError {
  const row =
    e.variable !== undefined && e.year !== undefined
      ? org.inventory.row(e.variable, e.year)
      : undefined;
  return new InputError({
    file: org.inventory.file,
    line: row?.line,
    path: e.variable,
    message: e.message,
    fix: e.fix,
  });
}

export async function compileLoaded(
  loaded: LoadedScenario,
  org: LoadedOrganization,
  endYear: number,
): Promise<CompiledScenario> {
  const parse = scenarioHasFormula(loaded.scenario) ? await loadParser() : undefined;
  try {
    return compileScenario(
      loaded.name,
      loaded.scenario,
      org.organization,
      org.inventory,
      endYear,
      parse,
    );
  } catch (e) {
    throw toInputError(e, loaded, org);
  }
}

/** Find which file in the extends chain set the field, for the error's file and line. */
function toInputError(e: unknown, loaded: LoadedScenario, org: LoadedOrganization): unknown {
  if (e instanceof DataError) return dataErrorToInput(e, org);
  if (!(e instanceof FieldError)) return e;
  return scenarioFieldError(loaded, e.path, e.message, e.fix);
}

/** Compile, resolve and simulate one loaded scenario; errors name the scenario file and line. */
export async function runLoaded(
  loaded: LoadedScenario,
  org: LoadedOrganization,
  endYear: number,
  /** Growth is judged up to this year (validate runs to MAX_END_YEAR, warns as `run` would). */
  growthUntil = endYear,
): Promise<ScenarioRun> {
  const compiled = await compileLoaded(loaded, org, endYear);
  let result;
  try {
    result = runCompiled(compiled);
  } catch (e) {
    throw toInputError(e, loaded, org);
  }
  const co = compileOffsetStrategy(loaded, org, compiled);
  const offsets = co
    ? applyOffsets(co, compiled, result.inputs, result.outputs, compiled.central)
    : undefined;
  const rows = trajectoryRows(
    loaded.name,
    compiled.base,
    org.inventory,
    result.inputs,
    result.outputs,
  );
  if (offsets)
    rows.push(
      ...offsetTrajectoryRows(
        loaded.name,
        compiled.base.organization,
        compiled.axis.baseYear,
        offsets,
      ),
    );
  // Nothing non-finite is ever written; implausible growth joins the calibration's warnings,
  // so it is printed, kept in run.json and listed in the report like them.
  checkFinite(loaded.chain[0]!.file, loaded.name, rows, result.outputs, compiled.axis.baseYear);
  compiled.base.warnings.push(
    ...(loaded.notes ?? []),
    ...growthWarnings(loaded.name, rows, org.organization.fiscalYear, growthUntil),
  );
  return { loaded, compiled, ...result, rows, offsets };
}

export function checkEndYear(to: number | undefined): number {
  const end = to ?? DEFAULT_END_YEAR;
  if (!Number.isInteger(end) || end > MAX_END_YEAR) {
    throw new InputError({
      path: '--to',
      message: `--to must be a year up to ${MAX_END_YEAR}`,
      fix: `e.g. --to 2050`,
    });
  }
  return end;
}

export async function projectScenarios(
  args: string[],
  opts: ProjectOptions,
): Promise<{ org: LoadedOrganization; runs: ScenarioRun[] }> {
  const endYear = checkEndYear(opts.to);
  const org =
    opts.org ?? loadOrganization(opts.data, opts.basis, { actuals: opts.actuals, asOf: opts.asOf });
  checkSeriesBreaks(org);
  const own = scenarioNamesFor(org.folder);
  const names = args.length > 0 ? args : own.names;
  const folders = [...new Set([own.folder, BUNDLED_SCENARIOS])];
  const runs: ScenarioRun[] = [];
  const seen = new Set<string>();
  for (const arg of names) {
    const loaded = loadScenario(arg, folders);
    if (seen.has(loaded.name)) {
      throw new InputError({
        file: loaded.chain[0]!.file,
        path: 'name',
        message: `two scenarios are named '${loaded.name}'`,
        fix: 'give one of them another name with the name: key',
      });
    }
    seen.add(loaded.name);
    try {
      runs.push(await runLoaded(loaded, org, endYear));
    } catch (e) {
      // The bundled scenarios speak Alibaba Group's structure: say why they were used.
      const defaulted = args.length === 0 && own.folder === BUNDLED_SCENARIOS;
      if (!(e instanceof InputError) || !defaulted || resolve(org.folder) === BUNDLED_DATA) throw e;
      throw new InputError([
        ...e.problems,
        {
          file: org.folder,
          message:
            `${org.organization.name} has no scenarios/ folder, so the bundled scenarios ` +
            "(written for Alibaba Group's structure) were run",
          fix:
            'add scenarios/baseline.yaml with your own levers (docs/scenarios.md), or ' +
            'name a scenario file',
        },
      ]);
    }
  }
  return { org, runs };
}
