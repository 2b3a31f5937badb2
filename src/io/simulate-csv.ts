import type { FanRow, Probability } from '../app/montecarlo.js';
import type { CreditSensitivityRow, SensitivityRow, SobolRow } from '../app/simulate.js';
import { toCsv } from './csv-output.js';

export const FAN_HEADER = [
  'scenario',
  'variable',
  'unit',
  'year',
  'p5',
  'p10',
  'p25',
  'p50',
  'p75',
  'p90',
  'p95',
  'mean',
] as const;
export const PROBABILITY_HEADER = [
  'scenario',
  'target_id',
  'deadline',
  'probability',
  'std_error',
  'samples',
  'probability_without_credits',
] as const;
export const SENSITIVITY_HEADER = [
  'scenario',
  'target_id',
  'rank',
  'parameter',
  'field',
  'low_input',
  'high_input',
  'gap_at_low',
  'gap_at_high',
  'swing',
  'gap_measured',
] as const;

export const CREDIT_SENSITIVITY_HEADER = [
  'scenario',
  'rank',
  'parameter',
  'field',
  'low_input',
  'high_input',
  'bill_at_low',
  'bill_at_high',
  'swing',
  'unit',
  'bill_to_year',
] as const;

/** `currency`: the organization's, which every credit cost is in. */
export function creditSensitivityCsv(
  rows: ReadonlyArray<{ scenario: string; creditSensitivity: readonly CreditSensitivityRow[] }>,
  currency: string,
): string {
  return toCsv(
    CREDIT_SENSITIVITY_HEADER,
    rows.flatMap((r) =>
      r.creditSensitivity.map((s) => [
        r.scenario,
        s.rank,
        s.parameter,
        s.path,
        s.lowInput,
        s.highInput,
        s.atLow,
        s.atHigh,
        s.swing,
        `M ${currency}`,
        s.toYear,
      ]),
    ),
  );
}

export function fanCsv(rows: ReadonlyArray<{ scenario: string; fan: readonly FanRow[] }>): string {
  return toCsv(
    FAN_HEADER,
    rows.flatMap((r) =>
      r.fan.map((f) => [r.scenario, f.variable, f.unit, f.year, ...f.quantiles, f.mean]),
    ),
  );
}

export function probabilitiesCsv(
  rows: ReadonlyArray<{ scenario: string; probabilities: readonly Probability[] }>,
): string {
  return toCsv(
    PROBABILITY_HEADER,
    rows.flatMap((r) =>
      r.probabilities.map((p) => [
        r.scenario,
        p.targetId,
        p.deadline,
        p.probability,
        p.stdError,
        p.samples,
        p.probabilityWithoutCredits,
      ]),
    ),
  );
}

export function sensitivityCsv(
  rows: ReadonlyArray<{ scenario: string; sensitivity: readonly SensitivityRow[] }>,
): string {
  return toCsv(
    SENSITIVITY_HEADER,
    rows.flatMap((r) =>
      r.sensitivity.map((s) => [
        r.scenario,
        s.targetId,
        s.rank,
        s.parameter,
        s.path,
        s.lowInput,
        s.highInput,
        s.gapAtLow,
        s.gapAtHigh,
        s.swing,
        s.beforeCredits ? 'before credits' : 'after credits',
      ]),
    ),
  );
}

export const SOBOL_HEADER = [
  'scenario',
  'target_id',
  'parameter',
  'field',
  'first_order',
  'total_order',
  'base_samples',
] as const;

export function sobolCsv(
  rows: ReadonlyArray<{ scenario: string; sobol: readonly SobolRow[] }>,
): string {
  return toCsv(
    SOBOL_HEADER,
    rows.flatMap((r) =>
      r.sobol.map((s) => [
        r.scenario,
        s.targetId,
        s.parameter,
        s.path,
        s.firstOrder,
        s.totalOrder,
        s.samples,
      ]),
    ),
  );
}
