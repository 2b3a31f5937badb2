import type { BaseState } from './calibrate.js';
import type { Inventory } from './inventory.js';
import type { Outputs, ResolvedInputs } from './model.js';
import { isModelled, unitIn, variablesOf } from './variables.js';

export interface TrajectoryRow {
  scenario: string;
  entity: string;
  variable: string;
  unit: string;
  year: number;
  /**
   * `actual` reported (or derived from reported figures); `projected` after the base year;
   * `carried` a base-year value of a series reported only up to an earlier year (scope 3 a year
   * behind scope 1 and 2), carried forward from that year (BaseState.carried).
   */
  kind: 'actual' | 'carried' | 'projected';
  value: number;
}

/**
 * Actual rows (every reported year up to the base year), a carried row in the base year for a
 * series that lags it, then projected rows (base year + 1 to the end), variable by variable in
 * catalog order.
 */
export function trajectoryRows(
  scenario: string,
  base: BaseState,
  inv: Inventory,
  inputs: ResolvedInputs,
  out: Outputs,
): TrajectoryRow[] {
  const rows: TrajectoryRow[] = [];
  const entity = base.organization;
  const firstYear = Math.min(...inv.rows.filter((r) => r.basis === inv.basis).map((r) => r.year));
  const n = out.revenue.length;
  const carriedKeys = new Set(base.carried.flatMap((c) => c.coverage));
  const push = (
    variable: string,
    unit: string,
    actual: (y: number) => number | undefined,
    projected: Float64Array,
    carried = false,
  ) => {
    for (let y = firstYear; y <= base.baseYear; y++) {
      const v = actual(y);
      if (v !== undefined)
        rows.push({ scenario, entity, variable, unit, year: y, kind: 'actual', value: v });
      else if (carried && y === base.baseYear)
        rows.push({
          scenario,
          entity,
          variable,
          unit,
          year: y,
          kind: 'carried',
          value: projected[0]!,
        });
    }
    for (let i = 1; i < n; i++) {
      rows.push({
        scenario,
        entity,
        variable,
        unit,
        year: base.baseYear + i,
        kind: 'projected',
        value: projected[i]!,
      });
    }
  };
  for (const def of variablesOf(base)) {
    if (!isModelled(def, base)) continue; // not modelled for this organization: no rows, not zeros
    const carried = def.needs.some((c) => carriedKeys.has(c));
    push(
      def.name,
      unitIn(def, base),
      (y) => def.actual(inv, base, y)?.value,
      out[def.key]!,
      carried,
    );
  }
  // per programme, when there is a breakdown (else the one 'programme' is the total itself)
  if (!base.coverage.avoided || base.avoidedTotalOnly) return rows;
  base.programmes.forEach((p, a) => {
    const name = p.variable;
    const series = inputs.avoided[a]!.map((v) => v * base.avoidedScale);
    push(name, 't CO2e', (y) => inv.value(name, y), series);
  });
  return rows;
}
