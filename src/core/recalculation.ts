/**
 * Base-year recalculation after structural changes (GHG Protocol Corporate Standard, ch. 5):
 * add each change's base-year emissions to the original base-year values and flag every
 * metric whose cumulative change reaches the significance threshold (5% by default).
 */
import type { Recalculation } from '../schema/targets.js';

export interface RecalculationRow {
  metric: string;
  original: number;
  recalculated: number;
  change: number;
  relativeChange: number;
  significant: boolean;
  /** Each change's contribution, in the metric's unit. */
  contributions: Record<string, number>;
  /** Changes listed without a figure for this metric: the change above leaves them out. */
  unquantified: string[];
}

export function recalculateBase(r: Recalculation): RecalculationRow[] {
  const rows = Object.entries(r.original).map(([metric, original]) => {
    const contributions: Record<string, number> = {};
    const unquantified: string[] = [];
    let change = 0;
    for (const c of r.changes) {
      const d = c.delta[metric];
      if (d !== undefined) {
        contributions[c.id] = d;
        change += d;
      } else unquantified.push(c.id);
    }
    const relativeChange = original !== 0 ? change / original : 0;
    return {
      metric,
      original,
      recalculated: original + change,
      change,
      relativeChange,
      significant: Math.abs(relativeChange) >= r.significance,
      contributions,
      unquantified,
    };
  });
  // An intensity moves with its numerator and its denominator: a divestiture that barely changes
  // emissions can still shift the intensity base a lot.
  for (const [metric, { numerator, denominator }] of Object.entries(r.ratios ?? {})) {
    const n = rows.find((x) => x.metric === numerator);
    const d = rows.find((x) => x.metric === denominator);
    if (!n || !d)
      // targetsFileSchema checks this
      throw new Error(`internal: ratio ${metric} passed validation without original values`);
    const original = n.original / d.original;
    const recalculated = n.recalculated / d.recalculated;
    const relativeChange = recalculated / original - 1;
    rows.push({
      metric,
      original,
      recalculated,
      change: recalculated - original,
      relativeChange,
      significant: Math.abs(relativeChange) >= r.significance,
      contributions: {},
      unquantified: [...new Set([...n.unquantified, ...d.unquantified])],
    });
  }
  return rows;
}
