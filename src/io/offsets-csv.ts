import type { ScenarioRun } from '../app/project.js';
import { toCsv } from './csv-output.js';

/** DESIGN/issue contract columns first, then the traceability columns. */
export const OFFSETS_HEADER = [
  'scenario',
  'year',
  'target_id',
  'credit_type',
  'tonnes',
  'price_band',
  'unit_price',
  'currency',
  'cost',
  'discounted_cost',
  'credit_kind',
  'price_currency',
  'price_in_price_currency',
  'exchange_rate',
  'discount_rate',
  'discount_factor',
  'inflation',
  'nominal_cost',
  'purchase_year',
  'beyond_zero_tonnes',
] as const;

export function offsetsCsv(runs: readonly ScenarioRun[]): string {
  return toCsv(
    OFFSETS_HEADER,
    runs.flatMap((run) => {
      const o = run.offsets;
      if (!o) return [];
      const kindOf = (credit: string) => o.prices.prices.credits[credit]?.type ?? '';
      return o.costs.map((c) => [
        run.loaded.name,
        c.year,
        c.targetId,
        c.credit,
        c.tonnes,
        c.band,
        c.unitPrice,
        c.currency,
        c.cost,
        c.discountedCost,
        kindOf(c.credit),
        c.priceCurrency,
        c.localPrice,
        c.exchangeRate,
        o.discountRate,
        c.discountFactor,
        o.nominal?.inflation ?? '',
        c.nominalCost ?? '', // empty without offsets.inflation
        c.purchaseYear,
        c.beyondZeroTonnes, // removals beyond the residual (carbon-negative targets), else 0
      ]);
    }),
  );
}

export const CLEAN_POWER_HEADER = [
  'scenario',
  'year',
  'target_id',
  'credits_tonnes',
  'abatable_by_clean_power_tonnes',
  'clean_mwh_needed',
  'price_band',
  'premium_per_mwh',
  'clean_power_cost',
  'clean_power_cost_per_tonne',
  'credit_cost_per_tonne',
  'currency',
  'clean_power_instrument',
] as const;

export function cleanPowerCsv(runs: readonly ScenarioRun[]): string {
  return toCsv(
    CLEAN_POWER_HEADER,
    runs.flatMap((run) =>
      (run.offsets?.cleanPower ?? []).map((c) => [
        run.loaded.name,
        c.year,
        c.targetId,
        c.credits,
        c.abatable,
        c.mwh,
        c.band,
        c.premiumPerMwh,
        c.cost,
        c.costPerTonne,
        c.creditCostPerTonne,
        c.currency,
        run.offsets!.cleanPowerItem,
      ]),
    ),
  );
}
