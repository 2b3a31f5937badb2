/**
 * Backtest: calibrate on the actuals up to fiscal year T only, re-fit the scenario's
 * data-derived trends on the reported years ≤ T, project to the last reported year, and compare
 * every later actual with the projection and with the Monte Carlo p5–p95 band.
 *
 * Which trends are re-fitted is declared here (TREND_REFITS), each from one inventory series; the
 * rest of the scenario (assumptions such as the PUE floor or the slowing of data-centre load
 * growth after the first years) is run as written. Nothing is re-implemented: the projection is
 * the one `run` makes, on an organization loaded `--as-of T`, with a scenario whose re-fitted
 * fields are replaced in memory and listed with their years and sources.
 */
import { InputError, UsageError } from '../errors.js';
import type { Distribution } from '../core/distributions.js';
import { compileKernel } from '../core/kernel.js';
import { variableOf } from '../core/variables.js';
import type { InventoryRow } from '../schema/organization.js';
import type { ScenarioFile } from '../schema/scenario.js';
import { loadOrganization, type LoadedOrganization } from '../io/load-organization.js';
import type { LoadedTargets } from '../io/load-targets.js';
import { loadScenario, scenarioNamesFor, type LoadedScenario } from '../io/load-scenario.js';
import { BUNDLED_SCENARIOS } from '../io/package-root.js';
import { fanRows, runPilot, runChunks, mergePartials, chunkAssignment } from './montecarlo.js';
import { runLoaded, type ScenarioRun } from './project.js';
import { buildPlan } from './simulate.js';
import { checkPathsFinite, explainPathFailure } from './run-checks.js';

/** Trends are fitted on this many of the latest reported years up to the as-of year. */
export const TREND_YEARS = 3;
/** The band whose coverage is checked: p5–p95, nominally 90% of outcomes. */
export const NOMINAL_COVERAGE = 0.9;

/** How a trend is read: compound growth (fraction/yr) or a straight line (unit/yr). */
export type TrendMethod = 'growth' | 'slope';

export interface Trend {
  /** First to last year (CAGR, or slope). */
  central: number;
  /** Slowest and fastest single step between consecutive reported years, per year. */
  min: number;
  max: number;
}

/** The trend of `points` (year, value; ascending years, at least two). */
export function trendOf(points: ReadonlyArray<readonly [number, number]>, method: TrendMethod) {
  const rate = (a: readonly [number, number], b: readonly [number, number]) =>
    method === 'growth' ? (b[1] / a[1]) ** (1 / (b[0] - a[0])) - 1 : (b[1] - a[1]) / (b[0] - a[0]);
  const steps = points.slice(1).map((p, i) => rate(points[i]!, p));
  const central = rate(points[0]!, points.at(-1)!);
  return {
    central,
    min: Math.min(central, ...steps),
    max: Math.max(central, ...steps),
  } satisfies Trend;
}

/** One scenario field that holds a trend fitted on the data, and the series it comes from. */
export interface TrendRefitDef {
  /** Dotted path in the scenario file. */
  field: string;
  /**
   * The inventory series, a ratio of two (numerator ÷ denominator, same years), or a series less
   * its fuels' combustion at the organization's factors (scope 1's calibrated remainder).
   */
  series: string | { ratio: [string, string] } | { lessFuels: string };
  method: TrendMethod;
  /**
   * 'rate': the field is a growth rate or a constant; 'near-points': a growth path whose points in
   * the first TREND_YEARS projected years are replaced by the observed trend from the first
   * projected year (later points, which are assumptions about the longer run, are kept).
   */
  shape: 'rate' | 'near-points';
  /**
   * The file's central value is an assumption (e.g. 'held'), only its range is read from the data:
   * the mode is kept, the range re-read from the single steps up to T (and widened to the mode).
   */
  keepMode?: boolean;
  /** An id for the distribution (fields fitted on the same series share one draw). */
  id: string;
  why: string;
}

/**
 * The bundled scenarios' data-derived trends (their `sources` say which series each came from).
 * A field the scenario does not have, or a series with fewer than two reported years ≤ T, is
 * left as written and listed as not re-fitted.
 */
export const TREND_REFITS: readonly TrendRefitDef[] = [
  {
    field: 'parameters.revenue.growth',
    series: 'Revenue',
    method: 'growth',
    shape: 'rate',
    id: 'revenueGrowth',
    why: 'revenue growth',
  },
  {
    field: 'parameters.otherElectricity.growth',
    series: 'Revenue',
    method: 'growth',
    shape: 'rate',
    id: 'revenueGrowth',
    why: "other operations' electricity grows with revenue",
  },
  {
    field: 'parameters.scope3OtherIntensity.growth',
    series: 'Intensity|Scope 3',
    method: 'growth',
    shape: 'rate',
    id: 'scope3IntensityTrend',
    why: 'scope 3 intensity trend',
  },
  {
    field: 'parameters.selfBuiltItLoad.growth',
    series: { ratio: ['Electricity|Purchased', 'PUE|Self-built DC'] },
    method: 'growth',
    shape: 'near-points',
    id: 'dcLoadGrowthObserved',
    why: 'data-centre IT load ∝ purchased electricity ÷ PUE (constant data-centre share)',
  },
  {
    field: 'parameters.leasedItLoad.growth',
    series: { ratio: ['Electricity|Purchased', 'PUE|Self-built DC'] },
    method: 'growth',
    shape: 'near-points',
    id: 'dcLoadGrowthObserved',
    why: 'leased load grows as the self-built (no leased electricity series)',
  },
  {
    field: 'constants.dcCleanTrendPp',
    series: 'Electricity|Clean Share|Self-built DC',
    method: 'slope',
    shape: 'rate',
    id: 'dcCleanTrend',
    why: 'self-built data-centre clean share, pp/yr',
  },
  {
    field: 'constants.pueTrendSelfBuilt',
    series: 'PUE|Self-built DC',
    method: 'slope',
    shape: 'rate',
    id: 'pueTrendSelfBuilt',
    why: 'self-built PUE change per year',
  },
  {
    field: 'parameters.scope1Remainder.growth',
    series: { lessFuels: 'Emissions|Scope 1' },
    method: 'growth',
    shape: 'rate',
    keepMode: true,
    id: 'scope1RemainderTrend',
    why: 'non-combustion scope 1: scope 1 less the fuels at their factors',
  },
  {
    field: 'parameters.purchasedHeat.growth',
    series: 'Heat|Purchased',
    method: 'growth',
    shape: 'rate',
    keepMode: true,
    id: 'heatTrend',
    why: 'purchased heat',
  },
  {
    field: 'constants.pueTrendLeased',
    series: 'PUE|Leased DC',
    method: 'slope',
    shape: 'rate',
    id: 'pueTrendLeased',
    why: 'leased PUE change per year',
  },
];

/** The declared trends, and each fuel's growth from its own series (scope 1 combustion). */
export function refitsFor(org: LoadedOrganization): TrendRefitDef[] {
  const fuels = Object.entries(org.organization.fuels).map(([id, f]): TrendRefitDef => ({
    field: `parameters.fuels.${id}.growth`,
    series: f.variable,
    method: 'growth',
    shape: 'rate',
    id: `fuelTrend.${id}`,
    why: `${f.label} consumption trend`,
  }));
  return [...TREND_REFITS, ...fuels];
}

/** What one re-fit did (or why it did not). */
export interface RefitResult {
  field: string;
  series: string;
  method: TrendMethod;
  years: number[];
  /** Undefined when not re-fitted (see `reason`). */
  trend?: Trend | undefined;
  /** The value the scenario file gives, as text. */
  was: string;
  sources: string[];
  /** Why it was not re-fitted, or how (the central value kept from the file). */
  reason?: string | undefined;
}

interface SeriesPoint {
  year: number;
  value: number;
  sources: string[];
}

/** The latest TREND_YEARS reported years up to the as-of year (its inventory holds no later). */
function seriesPoints(org: LoadedOrganization, series: TrendRefitDef['series']): SeriesPoint[] {
  const inv = org.inventory;
  if (typeof series === 'object' && 'lessFuels' in series) return lessFuels(org, series.lessFuels);
  const names = typeof series === 'string' ? [series] : series.ratio;
  const rows = (y: number) => names.map((n) => inv.row(n, y));
  const years = inv.years(names[0]!).filter((y) => rows(y).every((r) => r !== undefined));
  return years.slice(-TREND_YEARS).map((year) => {
    const [a, b] = rows(year) as InventoryRow[];
    return {
      year,
      value: b === undefined ? a!.value : a!.value / b.value,
      sources: [a!, ...(b ? [b] : [])].map((r) => `${r.variable} ${year}: ${r.source}`),
    };
  });
}

/** `total` less Σ fuel × factor, in the years where the total and every fuel are reported. */
function lessFuels(org: LoadedOrganization, total: string): SeriesPoint[] {
  const inv = org.inventory;
  const fuels = Object.values(org.organization.fuels);
  const years = inv
    .years(total)
    .filter((y) => fuels.every((f) => inv.row(f.variable, y) !== undefined));
  return years.slice(-TREND_YEARS).map((year) => {
    const rows = [inv.row(total, year)!, ...fuels.map((f) => inv.row(f.variable, year)!)];
    const combustion = fuels.reduce((sum, f, k) => sum + rows[k + 1]!.value * f.factor.value, 0);
    return {
      year,
      value: rows[0]!.value - combustion,
      sources: rows.map((r) => `${r.variable} ${year}: ${r.source}`),
    };
  });
}

const seriesName = (s: TrendRefitDef['series']) =>
  typeof s === 'string'
    ? s
    : 'ratio' in s
      ? `${s.ratio[0]} ÷ ${s.ratio[1]}`
      : `${s.lessFuels} less fuels × factors`;

/** The central value of a number the scenario file gives (a distribution's mode or centre). */
function centralOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'object' || v === null) return undefined;
  const d = v as Record<string, number>;
  return d.mode ?? d.mean ?? d.median ?? (d.min !== undefined ? (d.min + d.max!) / 2 : undefined);
}

/** A trend as a scenario number: triangular over the single steps, or the number when certain. */
function trendNumber(t: Trend, id: string): number | Distribution {
  if (t.min === t.max) return t.central;
  return { dist: 'triangular', min: t.min, mode: t.central, max: t.max, id };
}

type Json = Record<string, unknown>;

/** The object that holds the field's last key, or undefined when the scenario lacks the field. */
function holder(root: Json, path: string[]): Json | undefined {
  let o: unknown = root;
  for (const k of path.slice(0, -1)) {
    if (typeof o !== 'object' || o === null) return undefined;
    o = (o as Json)[k];
  }
  return typeof o === 'object' && o !== null && path.at(-1)! in o ? (o as Json) : undefined;
}

/**
 * The scenario with its data-derived trends re-fitted on the organization's reported years (the
 * organization loaded as of the backtest year), and what was done for each trend.
 */
export function refitScenario(
  scenario: ScenarioFile,
  org: LoadedOrganization,
  asOf: number,
  refits: readonly TrendRefitDef[] = refitsFor(org),
): { scenario: ScenarioFile; refits: RefitResult[] } {
  const out = structuredClone(scenario) as Json;
  const results: RefitResult[] = [];
  for (const def of refits) {
    const path = def.field.split('.');
    const h = holder(out, path);
    const key = path.at(-1)!;
    const base = { field: def.field, series: seriesName(def.series), method: def.method };
    if (!h) continue; // the scenario does not use this trend
    const was = JSON.stringify(h[key]);
    const points = seriesPoints(org, def.series);
    const years = points.map((p) => p.year);
    const sources = points.flatMap((p) => p.sources);
    const nonPositive = def.method === 'growth' && points.some((p) => !(p.value > 0));
    if (points.length < 2 || nonPositive) {
      const reason =
        points.length < 2
          ? `${points.length} reported year(s) up to ${asOf}: no trend, kept as written`
          : 'a zero or negative value: no growth rate, kept as written';
      results.push({ ...base, years, was, sources, reason });
      continue;
    }
    const fitted = trendOf(
      points.map((p) => [p.year, p.value] as const),
      def.method,
    );
    const mode = def.keepMode ? centralOf(h[key]) : undefined;
    const trend =
      mode === undefined
        ? fitted
        : { central: mode, min: Math.min(mode, fitted.min), max: Math.max(mode, fitted.max) };
    const value = trendNumber(trend, def.id);
    if (def.shape === 'rate') {
      h[key] = value;
    } else {
      h[key] = { points: nearPoints(h[key], value, asOf) };
    }
    const how =
      mode === undefined
        ? undefined
        : 'central kept from the file (an assumption); range from the single steps';
    results.push({ ...base, years, trend, was, sources, reason: how });
  }
  return { scenario: out as ScenarioFile, refits: results };
}

/** A growth path's later points kept; from the first projected year, the observed trend. */
function nearPoints(growth: unknown, value: number | Distribution, asOf: number): Json {
  const points: Json = { [String(asOf + 1)]: value };
  const old = (growth as { points?: Json } | undefined)?.points ?? {};
  for (const [y, v] of Object.entries(old)) if (Number(y) > asOf + TREND_YEARS) points[y] = v;
  return points;
}

/** One later actual against the projection made as of T. */
export interface BacktestRow {
  variable: string;
  unit: string;
  year: number;
  actual: number;
  projected: number;
  /** projected − actual. */
  error: number;
  /** error ÷ |actual| × 100; undefined when the actual is 0. */
  errorPct?: number | undefined;
  p5?: number | undefined;
  p95?: number | undefined;
  /** p5 ≤ actual ≤ p95; undefined without a band. */
  inside?: boolean | undefined;
  provenance: string;
  source: string;
}

export interface Coverage {
  /** A variable, or 'all'. */
  variable: string;
  compared: number;
  inside: number;
}

export interface BacktestOptions {
  asOf: number;
  scenario?: string | undefined;
  data?: string | undefined;
  basis?: string | undefined;
  /** Monte Carlo paths for the bands (0: none). */
  samples: number;
  seed: number;
  /** Re-fit the data-derived trends on the years up to T (default); false: the file as written. */
  refit: boolean;
  /** Compare only with actuals up to this year (a report as of an earlier year). */
  upTo?: number | undefined;
  /** Newer actuals in the inventory format, as `report --actuals` reads them. */
  actuals?: string | undefined;
  /** The option that gave the as-of year, for messages (default --as-of). */
  flag?: string | undefined;
}

export interface BacktestResult {
  asOf: number;
  /** The last reported year compared. */
  lastYear: number;
  org: LoadedOrganization;
  run: ScenarioRun;
  refits: RefitResult[];
  rows: BacktestRow[];
  coverage: Coverage[];
  samples: number;
  seed: number;
}

/** A backtest plan needs no targets: the bands are read from paths, not judged. */
const NO_TARGETS = (org: LoadedOrganization): LoadedTargets => ({
  file: org.folder,
  sha256: '',
  targets: { targets: [] },
  source: undefined as never,
});

/** p5 and p95 of every variable and year in `wanted`, over `samples` Monte Carlo paths. */
function bands(
  run: ScenarioRun,
  org: LoadedOrganization,
  wanted: ReadonlyArray<{ variable: string; year: number; unit: string }>,
  samples: number,
  seed: number,
): Map<string, [number, number]> {
  const plan = buildPlan(run, org, NO_TARGETS(org));
  const base = run.compiled.base;
  const by = run.compiled.axis.baseYear;
  plan.series = wanted.flatMap((w) => {
    const def = variableOf(base, w.variable);
    if (!def) return [];
    return [{ variable: w.variable, unit: w.unit, key: def.key, year: w.year, index: w.year - by }];
  });
  // the plan's kernel was pruned to the fan's own series: compute every output, so that each
  // compared variable (gross totals, the data-centre clean share, heat) has its band; with the
  // plan's fused inputs, which its resolver leaves to the kernel
  plan.kernel = compileKernel(base, undefined, plan.fused, run.compiled.axis);
  const { pilot, total } = explainPathFailure(run.loaded, plan, seed, samples, () => {
    const pilot = runPilot(plan, seed, samples);
    const rest = runChunks(plan, pilot.ranges, seed, samples, chunkAssignment(samples, 1).flat());
    return { pilot, total: mergePartials(plan, [pilot.partial, rest]) };
  });
  checkPathsFinite(run.loaded, plan, seed, samples, total);
  const fan = fanRows(plan, pilot, total, samples);
  const out = new Map<string, [number, number]>();
  // QUANTILES: p5 first, p95 last
  for (const f of fan) out.set(`${f.variable}|${f.year}`, [f.quantiles[0]!, f.quantiles.at(-1)!]);
  return out;
}

/** The years with any reported row on the organization's basis, ascending. */
function reportedYears(org: LoadedOrganization): number[] {
  const rows = org.inventory.rows.filter((r) => r.basis === org.inventory.basis);
  return [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
}

/** The latest year a backtest can start from: the reported year before the last one. */
export function latestBacktestYear(org: LoadedOrganization): number | undefined {
  return reportedYears(org).at(-2);
}

export async function runBacktest(opts: BacktestOptions): Promise<BacktestResult> {
  const load = (asOf: number | undefined) =>
    loadOrganization(opts.data, opts.basis, { actuals: opts.actuals, asOf });
  const full = load(opts.upTo);
  const years = reportedYears(full);
  const lastYear = years.at(-1)!;
  const flag = opts.flag ?? '--as-of';
  if (opts.asOf >= lastYear) {
    throw new InputError({
      path: flag,
      message:
        `${flag} ${opts.asOf} leaves no later actual to compare with ` +
        `(the last is ${lastYear})`,
      fix: `give a year before ${lastYear}`,
    });
  }
  // checked here too, so that the message names this command's option (report has its own --as-of)
  if (opts.asOf < years[0]!) {
    throw new InputError({
      path: flag,
      message: `${flag} ${opts.asOf} is before the first reported year, ${years[0]}`,
      fix: `give a year from ${years[0]} to ${lastYear - 1}`,
    });
  }
  const org = load(opts.asOf);
  const own = scenarioNamesFor(org.folder);
  const name = opts.scenario ?? (own.names.includes('baseline') ? 'baseline' : own.names[0]);
  if (name === undefined) throw new UsageError('name a scenario to backtest');
  const loaded = loadScenario(name, [...new Set([own.folder, BUNDLED_SCENARIOS])]);
  const refit = opts.refit
    ? refitScenario(loaded.scenario, org, opts.asOf)
    : { scenario: loaded.scenario, refits: [] };
  const refitted: LoadedScenario = { ...loaded, scenario: refit.scenario };
  const run = await runLoaded(refitted, org, lastYear);

  const compared = run.rows.flatMap((p) => {
    if (p.kind !== 'projected' || p.year <= opts.asOf) return [];
    const a = full.inventory.row(p.variable, p.year);
    return a ? [{ p, a }] : [];
  });
  const band =
    opts.samples > 0
      ? bands(
          run,
          org,
          compared.map(({ p }) => p),
          opts.samples,
          opts.seed,
        )
      : new Map<string, [number, number]>();
  const rows = compared.map(({ p, a }) => compare(p, a, band.get(`${p.variable}|${p.year}`)));
  return {
    asOf: opts.asOf,
    lastYear,
    org,
    run,
    refits: refit.refits,
    rows,
    coverage: coverageOf(rows),
    samples: opts.samples,
    seed: opts.seed,
  };
}

function compare(
  p: { variable: string; unit: string; year: number; value: number },
  a: InventoryRow,
  band: [number, number] | undefined,
): BacktestRow {
  const error = p.value - a.value;
  return {
    variable: p.variable,
    unit: p.unit,
    year: p.year,
    actual: a.value,
    projected: p.value,
    error,
    errorPct: a.value === 0 ? undefined : (error / Math.abs(a.value)) * 100,
    p5: band?.[0],
    p95: band?.[1],
    inside: band ? band[0] <= a.value && a.value <= band[1] : undefined,
    provenance: a.provenance,
    source: a.source,
  };
}

/** Per variable (in row order), then 'all': how many actuals had a band, and how many fell in. */
export function coverageOf(rows: readonly BacktestRow[]): Coverage[] {
  const by = new Map<string, Coverage>();
  const all: Coverage = { variable: 'all', compared: 0, inside: 0 };
  for (const r of rows) {
    if (r.inside === undefined) continue;
    const c = by.get(r.variable) ?? { variable: r.variable, compared: 0, inside: 0 };
    by.set(r.variable, c);
    for (const x of [c, all]) {
      x.compared++;
      if (r.inside) x.inside++;
    }
  }
  return [...by.values(), all];
}

/**
 * P(at most k of n inside) if each actual fell inside with the nominal probability,
 * independently: how surprising a coverage is (the actuals are not independent; see
 * docs/methodology.md).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  let term = (1 - p) ** n; // P(X = 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.min(1, sum);
}
