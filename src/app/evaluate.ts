/**
 * Targets, SBTi benchmarks and base-year recalculation on projected scenarios.
 */
import { InputError } from '../errors.js';
import { carriedText } from '../core/calibrate.js';
import type { Target } from '../schema/targets.js';
import { recalculateBase, type RecalculationRow } from '../core/recalculation.js';
import { sbtiPathways, type SbtiRow, type SbtiSummary } from '../core/sbti.js';
import { evaluateTarget, TargetError, type SeriesSet, type TargetResult } from '../core/targets.js';
import { coverageName, isModelled, variableOf, variablesOf } from '../core/variables.js';
import type { LoadedTargets } from '../io/load-targets.js';
import { checkEndYear, DEFAULT_END_YEAR, type ScenarioRun } from './project.js';

/**
 * A scenario's series: actual and projected rows. Variables that have no reported history
 * (segments the model derives) get the calibrated base-year value, so that progress and
 * required pathways start from the same year as every other variable.
 */
export function seriesOf(run: ScenarioRun): SeriesSet {
  const values = new Map<string, Map<number, number>>();
  const units = new Map<string, string>();
  for (const r of run.rows) {
    let m = values.get(r.variable);
    if (!m) {
      m = new Map();
      values.set(r.variable, m);
      units.set(r.variable, r.unit);
    }
    m.set(r.year, r.value);
  }
  const { baseYear, endYear } = run.compiled.axis;
  for (const def of variablesOf(run.compiled.base)) {
    if (!isModelled(def, run.compiled.base)) continue;
    const m = values.get(def.name);
    if (m && !m.has(baseYear)) m.set(baseYear, run.outputs[def.key]![0]!);
  }
  for (const m of values.values()) {
    const sorted = new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
    m.clear();
    for (const [k, v] of sorted) m.set(k, v);
  }
  const base = run.compiled.base;
  const notModelled = (v: string) => {
    const def = variableOf(base, v);
    const lacking = def?.needs.filter((c) => !base.coverage[c]).map(coverageName) ?? [];
    return lacking.length ? `the inventory has no ${lacking.join(', ')} data for ${v}` : undefined;
  };
  return {
    values: (v) => values.get(v),
    unit: (v) => units.get(v),
    lastActualYear: baseYear,
    lastYear: endYear,
    notModelled,
  };
}

export interface ScenarioEvaluation {
  scenario: string;
  results: TargetResult[];
  sbti?: { rows: SbtiRow[]; summary: SbtiSummary[] };
}

/** Every target on one run's series, problems mapped to the targets file's line. */
export function evaluateRunTargets(targets: LoadedTargets, s: SeriesSet): TargetResult[] {
  return targets.targets.targets.map((t, i) => {
    try {
      return evaluateTarget(t, s);
    } catch (e) {
      if (e instanceof TargetError) {
        throw new InputError({
          file: targets.file,
          line: targets.source.lineOf(['targets', i]),
          path: `targets.${i} (${t.id})`,
          message: e.message,
          fix: e.fix,
        });
      }
      throw e;
    }
  });
}

export function evaluateRuns(runs: ScenarioRun[], loaded: LoadedTargets): ScenarioEvaluation[] {
  return runs.map((run) => {
    const s = seriesOf(run);
    const results = evaluateRunTargets(loaded, s).map((r, i) =>
      withCarriedNote(run, loaded.targets.targets[i]!, r),
    );
    let sbti;
    if (loaded.targets.sbti) {
      try {
        sbti = sbtiPathways(loaded.targets.sbti, s);
      } catch (e) {
        if (e instanceof TargetError)
          throw new InputError({
            file: loaded.file,
            line: loaded.source.lineOf(['sbti']),
            path: 'sbti',
            message: e.message,
            fix: e.fix,
          });
        throw e;
      }
    }
    return { scenario: run.loaded.name, results, sbti };
  });
}

/**
 * A target on a series carried forward from an earlier year says so in its note: its latest
 * value (the base year's) is carried, not reported.
 */
function withCarriedNote(run: ScenarioRun, t: Target, r: TargetResult): TargetResult {
  const base = run.compiled.base;
  if (base.carried.length === 0 || r.status === 'not-modelled' || t.kind === 'not-modelled')
    return r;
  const names = [t.metric, 'gross' in t ? t.gross : undefined];
  const needs = names.flatMap((v) => (v ? (variableOf(base, v)?.needs ?? []) : []));
  const lines = base.carried
    .filter((c) => c.coverage.some((k) => needs.includes(k)))
    .map((c) => `${carriedText(c, base.baseYear)}.`);
  if (lines.length === 0) return r;
  return { ...r, note: [r.note, ...lines].filter(Boolean).join(' ') };
}

export function recalculation(loaded: LoadedTargets): RecalculationRow[] | undefined {
  return loaded.targets.recalculation ? recalculateBase(loaded.targets.recalculation) : undefined;
}

/** The last projected year: --to (default 2035), and at least every target's year. */
export function projectionEnd(to: number | undefined, targets: LoadedTargets): number {
  return checkEndYear(Math.max(to ?? DEFAULT_END_YEAR, horizonFor(targets)));
}

/** The last year any target needs the projection to reach. */
export function horizonFor(loaded: LoadedTargets): number {
  let y = 0;
  for (const t of loaded.targets.targets) {
    if ('deadline' in t && t.deadline) y = Math.max(y, t.deadline);
    if (t.kind === 'share') y = Math.max(y, t.fromYear);
  }
  if (loaded.targets.sbti) y = Math.max(y, loaded.targets.sbti.targetYear);
  return y;
}
