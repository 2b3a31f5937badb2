/**
 * Checks on every model run's results before anything is written: a number that is not finite
 * is an error (it would be a blank cell), and growth past plausibility is a warning.
 */
import { InputError } from '../errors.js';
import type { Warning } from '../core/calibrate.js';
import { yearLabel } from '../core/fiscal-year.js';
import type { Outputs } from '../core/model.js';
import type { TrajectoryRow } from '../core/trajectory.js';

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
