import type { ScenarioEvaluation } from '../app/evaluate.js';
import type { RecalculationRow } from '../core/recalculation.js';
import { toCsv } from './csv-output.js';

/** The DESIGN.md contract columns first, in order; extra columns after them. */
export const TARGETS_HEADER = [
  'scenario',
  'target_id',
  'metric',
  'unit',
  'deadline',
  'target_value',
  'projected_value',
  'gap',
  'status',
  'first_met_year',
  'required_annual_change',
  'scenario_annual_change',
  'source',
  'title',
  'kind',
  'latest_year',
  'latest_value',
  'progress',
  'gap_tco2e',
  'projected_without_credits',
  'status_without_credits',
  'note',
  'window_start',
] as const;

export function targetsCsv(evals: readonly ScenarioEvaluation[]): string {
  return toCsv(
    TARGETS_HEADER,
    evals.flatMap((e) =>
      e.results.map((r) => [
        e.scenario,
        r.targetId,
        r.metric,
        r.unit,
        r.deadline,
        r.targetValue,
        r.projectedValue,
        r.gap,
        r.status,
        r.firstMetYear,
        r.requiredAnnualChange,
        r.scenarioAnnualChange,
        r.source,
        r.title,
        r.kind,
        r.latestYear,
        r.latestValue,
        r.progress,
        r.gapTonnes,
        r.withoutCredits?.projectedValue,
        r.withoutCredits?.status,
        r.note,
        r.windowStart,
      ]),
    ),
  );
}

export function pathwaysCsv(evals: readonly ScenarioEvaluation[]): string {
  return toCsv(
    ['scenario', 'target_id', 'metric', 'year', 'required'],
    evals.flatMap((e) =>
      e.results.flatMap((r) =>
        r.pathway.map((p) => [e.scenario, r.targetId, r.metric, p.year, p.required]),
      ),
    ),
  );
}

export function sbtiCsv(evals: readonly ScenarioEvaluation[]): string {
  return toCsv(
    [
      'scenario',
      'scope',
      'benchmark',
      'base_year',
      'base_value',
      'year',
      'benchmark_value',
      'projected_gross',
      'aligned',
    ],
    evals.flatMap((e) =>
      (e.sbti?.rows ?? []).map((r) => [
        e.scenario,
        r.scope,
        r.benchmark,
        r.baseYear,
        r.baseValue,
        r.year,
        r.benchmarkValue,
        r.projectedValue,
        r.aligned ? 'yes' : 'no',
      ]),
    ),
  );
}

export function recalculationCsv(
  rows: readonly RecalculationRow[],
  baseYear: number,
  significance: number,
): string {
  return toCsv(
    [
      'base_year',
      'metric',
      'original',
      'change',
      'recalculated',
      'relative_change',
      'significance_threshold',
      'recalculation_required',
      'contributions',
    ],
    rows.map((r) => [
      baseYear,
      r.metric,
      r.original,
      r.change,
      r.recalculated,
      r.relativeChange,
      significance,
      r.significant ? 'yes' : 'no',
      [
        ...Object.entries(r.contributions).map(([k, v]) => `${k}: ${v}`),
        ...r.unquantified.map((k) => `${k}: not reported (not in the change)`),
      ].join('; '),
    ]),
  );
}
