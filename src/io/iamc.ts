/**
 * Trajectory rows as IAMC data for pyam (`run --format iamc`; docs/automation.md):
 * - units that pint / iam-units parse: `t CO2e/yr` for yearly flows, `t CO2e` for cumulative
 *   totals, `million CNY/yr`, `MWh/yr`, `percent`, `dimensionless`;
 * - an additive variable tree: every parent equals the sum of its children (pyam's
 *   check_aggregate), so the other views sit in their own branches: `Net Emissions`,
 *   `Emissions (Location-based)`, `Cumulative …`, `Offsets by Type`, `Clean Electricity Share`;
 *   where the reported children do not cover their parent, `parent|Other` is the remainder
 *   (derived: parent − the listed children; `parent|Unallocated` if `Other` is a child already);
 * - reported years as the scenario `historical`, each scenario with its projected years only.
 */
import type { TrajectoryRow } from '../core/trajectory.js';

/** The scenario name of the reported history. */
export const HISTORICAL = 'historical';

/** The IAMC name of a contract variable (the long format's names stay as they are). */
export function iamcVariable(variable: string): string {
  if (variable.endsWith('|Cumulative'))
    return `Cumulative ${iamcVariable(variable.slice(0, -'|Cumulative'.length))}`;
  if (variable.endsWith('|Net')) {
    const gross = iamcVariable(variable.slice(0, -'|Net'.length));
    if (gross.startsWith('Emissions')) return `Net ${gross}`;
    if (gross.startsWith('Intensity|')) return gross.replace('Intensity|', 'Intensity (Net)|');
    return variable;
  }
  const gross = /^Intensity\|(.+)\|Gross$/.exec(variable);
  if (gross) return `Intensity (Gross)|${gross[1]}`;
  const share = /^Electricity\|Clean Share(?:\|(.+))?$/.exec(variable);
  if (share) return `Clean Electricity Share${share[1] ? ` (${share[1]})` : ''}`;
  const exact: Record<string, string> = {
    'Emissions|Scope 1+2+3': 'Emissions',
    'Emissions|Scope 1': 'Emissions|Scope 1+2|Scope 1',
    'Emissions|Scope 2|Market-based': 'Emissions|Scope 1+2|Scope 2',
    'Emissions|Scope 1+2|Location-based': 'Emissions (Location-based)|Scope 1+2',
    'Emissions|Scope 2|Location-based': 'Emissions (Location-based)|Scope 1+2|Scope 2',
    'Offsets|Scope 1+2+3': 'Offsets',
    'Offsets|Avoidance': 'Offsets by Type|Avoidance',
    'Offsets|Removal': 'Offsets by Type|Removal',
  };
  return exact[variable] ?? variable;
}

/** A unit as pint reads it; `cumulative`: a total over years, not a yearly flow. */
export function iamcUnit(unit: string, cumulative: boolean): string {
  const perYear = cumulative ? '' : '/yr';
  if (unit === 't CO2e' || unit === 'MWh') return `${unit}${perYear}`;
  if (unit === '%') return 'percent';
  if (unit === '1') return 'dimensionless';
  const money = /^M ([A-Z]{3})$/.exec(unit);
  if (money) return `million ${money[1]}${perYear}`;
  return unit.replace(/\/M ([A-Z]{3})$/, '/million $1');
}

/** Quantities that add up (tonnes, energy, money); shares, ratios and factors do not. */
const additive = (unit: string) => /^(t CO2e|MWh|million [A-Z]{3})(\/yr)?$/.test(unit);

export function iamcRows(rows: readonly TrajectoryRow[]): TrajectoryRow[] {
  const firstScenario = rows[0]?.scenario;
  const out: TrajectoryRow[] = [];
  for (const r of rows) {
    // the history is the same in every scenario: once, as 'historical'
    if (r.kind === 'actual' && r.scenario !== firstScenario) continue;
    const scenario = r.kind === 'actual' ? HISTORICAL : r.scenario;
    const variable = iamcVariable(r.variable);
    const unit = iamcUnit(r.unit, r.variable.endsWith('|Cumulative'));
    out.push({ ...r, scenario, variable, unit });
    // scope 1 belongs to both scope 1+2 views
    if (r.variable === 'Emissions|Scope 1')
      out.push({ ...r, scenario, unit, variable: 'Emissions (Location-based)|Scope 1+2|Scope 1' });
  }
  return [...out, ...remainders(out)];
}

/**
 * `parent|Other` wherever an additive parent's children do not add up to it in some year
 * (relative difference above 1e-9): the part of the parent the data do not break down.
 */
function remainders(rows: readonly TrajectoryRow[]): TrajectoryRow[] {
  const value = new Map<string, number>();
  const key = (r: { scenario: string; entity: string; variable: string }, year: number) =>
    `${r.scenario}\u0000${r.entity}\u0000${r.variable}\u0000${year}`;
  for (const r of rows) value.set(key(r, r.year), r.value);
  const variables = new Set(rows.map((r) => r.variable));
  const childrenOf = (parent: string) =>
    [...variables].filter(
      (v) => v.startsWith(`${parent}|`) && !v.slice(parent.length + 1).includes('|'),
    );
  const extra: TrajectoryRow[] = [];
  const parents = rows.filter((r) => additive(r.unit) && childrenOf(r.variable).length > 0);
  const byParent = new Map<string, TrajectoryRow[]>();
  for (const p of parents) {
    const k = `${p.scenario}\u0000${p.entity}\u0000${p.variable}`;
    byParent.set(k, [...(byParent.get(k) ?? []), p]);
  }
  for (const series of byParent.values()) {
    const children = childrenOf(series[0]!.variable);
    const rest = series.map((p) => {
      const sum = children.reduce(
        (s, c) => s + (value.get(key({ ...p, variable: c }, p.year)) ?? 0),
        0,
      );
      return { p, rest: p.value - sum };
    });
    if (rest.every(({ p, rest: x }) => Math.abs(x) <= 1e-9 * Math.max(1, Math.abs(p.value))))
      continue;
    // 'Other' may be a reported child already: then what is left is 'Unallocated'
    const other = children.includes(`${series[0]!.variable}|Other`) ? 'Unallocated' : 'Other';
    for (const { p, rest: x } of rest)
      extra.push({ ...p, variable: `${p.variable}|${other}`, value: x });
  }
  return extra;
}
