/**
 * Calibration: the base-year state of the declared structure, taken from the reported
 * inventory. Where the structure's identities alone do not reproduce a reported figure, the
 * gap is an explicit, named calibration term (listed in run.json and docs/methodology.md),
 * never a silent fudge.
 */
import {
  type Organization,
  type ProvenanceKind,
  type Segment,
  type SourcedNumber,
} from '../schema/organization.js';
import { ASSUMPTIONS, type AssumptionName } from './parameters.js';
import { shareConst, shareOp, shareVar, type ShareExpr } from './share-bases.js';
import type { Inventory } from './inventory.js';
import {
  inputsOf,
  INSTRUMENTS,
  segmentShape,
  type InputDef,
  type Instrument,
} from './structure.js';

/** An instrument's assumption name: ownedDcPpa for segment ownedDc's ppa. */
const instrumentName = (segment: string, k: Instrument) =>
  `${segment}${k[0]!.toUpperCase()}${k.slice(1)}`;

export class DataError extends Error {
  constructor(
    message: string,
    readonly variable?: string,
    readonly year?: number,
    readonly fix?: string,
  ) {
    super(message);
  }
}

export interface CalibrationTerm {
  name: string;
  value: number;
  unit: string;
  formula: string;
  note: string;
}

export interface UsedAssumption {
  name: string;
  value: number;
  unit: string;
  provenance: ProvenanceKind;
  source: string;
  why?: string | undefined;
  overriddenBy: string;
  overridden: boolean;
}

/**
 * What an organization reports, and so what the model can project (the rest is "not
 * modelled"): the scopes, revenue and scope 3+, `dataCentres` (any data-centre segment with
 * electricity), `segment:<id>` (that segment has electricity), `category:<id>`.
 */
export type Coverage = Record<string, boolean>;

export interface GridState {
  id: string;
  label: string;
  /** Base-year location-based factor, t CO2e/MWh. */
  factor: number;
  residualMixRatio: number;
}

export interface SegmentState {
  id: string;
  label: string;
  scope: 2 | 3;
  driver: Segment['driver'];
  dataCentre: boolean;
  /** Index into BaseState.grids. */
  grid: number;
  /** Electricity less every other scope 2 segment: its clean share closes the group share. */
  remainder: boolean;
  electricity: number;
  pue: number;
  cleanShare: number;
  reported: { pue?: string | undefined; cleanShare?: string | undefined };
  /** Declared clean-power instruments, % of the segment's electricity (adding up to cleanShare). */
  instruments: Partial<Record<Instrument, number>>;
  /** Hourly-matched carbon-free energy share (%), when declared. */
  hourlyCfe?: number | undefined;
}

export interface CategoryState {
  id: string;
  label: string;
  category: number | 'total';
  driver: 'revenueIntensity' | 'trend' | 'segment';
  /** Index into BaseState.segments (segment driver). */
  segment: number;
  remainder: boolean;
  /** Base-year tonnes. */
  emissions: number;
  /** Base-year t per M currency (revenueIntensity). */
  intensity: number;
}

/** Something the data cannot fully support: printed on stderr, kept in run.json and the report. */
export interface Warning {
  code: string;
  message: string;
  fix?: string | undefined;
}

/** The warnings of several runs of one organization, each once (they repeat per scenario). */
export function uniqueWarnings(
  runs: ReadonlyArray<{ compiled: { base: { warnings: Warning[] } } }>,
): Warning[] {
  const seen = new Map<string, Warning>();
  for (const r of runs) for (const w of r.compiled.base.warnings) seen.set(w.message, w);
  return [...seen.values()];
}

/**
 * A series whose own latest reported year is before the base year (scope 3 published a year
 * behind scope 1 and 2): projected from that year, its base-year value carried forward.
 */
export interface CarriedSeries {
  variable: string;
  /** Its latest reported year, before the base year. */
  latestYear: number;
  /** Coverage keys of the outputs carried with it: their base-year rows are kind 'carried'. */
  coverage: string[];
  /** How the base-year value is carried, in words. */
  how: string;
}

export interface BaseState {
  coverage: Coverage;
  /** Series carried forward from a year before the base year (empty when none lags). */
  carried: CarriedSeries[];
  warnings: Warning[];
  organization: string;
  currency: string;
  baseYear: number;
  basis: string;
  grids: GridState[];
  segments: SegmentState[];
  categories: CategoryState[];
  /** Every yearly quantity a scenario can set, in kernel order, with its base-year value. */
  inputs: InputDef[];
  /** Base-year value of each input, by key. */
  values: Record<string, number>;
  fuels: Array<{ id: string; label: string; unit: string; base: number; factor: number }>;
  /** No breakdown by programme: `programmes` is the reported total as one ('total'). */
  avoidedTotalOnly: boolean;
  programmes: Array<{ id: string; label: string; variable: string; base: number }>;
  heatFactor: number;
  /** Reported scope 3+ total ÷ sum of reported programmes (rounding of the printed breakdown). */
  avoidedScale: number;
  avoidedCumulativeAtBase: number;
  avoidedWindowStart: number;
  terms: CalibrationTerm[];
  assumptions: UsedAssumption[];
  /**
   * By share assumption (e.g. selfBuiltDcElectricityShare): the base-year inputs that depend on
   * it, as expressions of the share (a Monte Carlo path that draws the share evaluates them).
   */
  shareBases: Record<string, Record<string, ShareExpr>>;
}

export const V = {
  scope1: 'Emissions|Scope 1',
  scope2Market: 'Emissions|Scope 2|Market-based',
  scope2Location: 'Emissions|Scope 2|Location-based',
  scope3: 'Emissions|Scope 3',
  electricity: 'Electricity|Purchased',
  cleanShare: 'Electricity|Clean Share',
  heat: 'Heat|Purchased',
  revenue: 'Revenue',
  avoided: 'Avoided Emissions|Scope 3+',
  offsets1: 'Offsets|Scope 1',
  offsets2: 'Offsets|Scope 2',
  offsets3: 'Offsets|Scope 3',
  scope1Net: 'Emissions|Scope 1|Net',
  scope2MarketNet: 'Emissions|Scope 2|Market-based|Net',
  scope3Net: 'Emissions|Scope 3|Net',
  scope3Intensity: 'Intensity|Scope 3',
} as const;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function calibrate(
  org: Organization,
  inv: Inventory,
  overrides: Partial<Record<AssumptionName, number>> = {},
  /** Overrides a Monte Carlo draws (their central value above): how, for the record. */
  drawn: Partial<Record<AssumptionName, string>> = {},
): BaseState {
  const latest = [V.scope1, V.scope2Location, V.scope2Market]
    .map((v) => inv.latestYear(v))
    .filter((y): y is number => y !== undefined);
  const baseYear = org.baseYear ?? (latest.length ? Math.max(...latest) : undefined);
  if (baseYear === undefined) {
    throw new DataError(
      `no reported scope 1 or scope 2 in basis '${inv.basis}'`,
      V.scope1,
      undefined,
      "add the latest year's scope 1 and/or scope 2 to the inventory, or set baseYear in " +
        'organization.yaml',
    );
  }
  const need = (variable: string, year = baseYear): number => {
    const v = inv.value(variable, year);
    if (v === undefined) {
      const near = inv.rows.find(
        (r) => r.basis === inv.basis && r.year === year && sameName(r.variable, variable),
      );
      throw new DataError(
        year === baseYear
          ? `the base year ${baseYear} needs '${variable}' (basis '${inv.basis}')`
          : `scope 3 is carried forward from ${year}, its latest year, which needs ` +
              `'${variable}' (basis '${inv.basis}')`,
        variable,
        year,
        near
          ? `line ${near.line} has '${near.variable}': write it as ${variable}`
          : `add a row for ${variable}, ${year} to the inventory`,
      );
    }
    return v;
  };
  const optional = (variable: string): number | undefined => inv.value(variable, baseYear);

  const assumptions: UsedAssumption[] = [];
  /** A declared number, or the scenario's override of it (by its assumption name). */
  const assume = (name: string, def: SourcedNumber | undefined): number | undefined => {
    const over = (overrides as Record<string, number | undefined>)[name];
    if (def === undefined && over === undefined) return undefined;
    const value = over ?? def!.value;
    const how = (drawn as Record<string, string | undefined>)[name];
    // drawn around the organization's own value: still its number in the deterministic run
    const kept = over === undefined || (how !== undefined && over === def?.value);
    const source = kept ? def!.source : how ? `scenario: ${how}` : 'scenario override';
    assumptions.push({
      name,
      value,
      unit: def?.unit ?? '',
      provenance: kept ? def!.provenance : 'assumption',
      source: how && kept ? `${source}; Monte Carlo draws it (scenario): ${how}` : source,
      why: def?.why,
      overriddenBy: `assumptions.${name}`,
      overridden: !kept,
    });
    return value;
  };
  for (const name of Object.keys(overrides)) {
    if (!(name in ASSUMPTIONS)) continue;
    const known =
      name === 'heatFactor' ||
      org.segments[name.replace(/ElectricityShare$|Electricity$/, '')] !== undefined;
    if (!known) {
      throw new DataError(
        `the scenario overrides assumptions.${name}, which ${org.name} does not declare`,
        undefined,
        undefined,
        `remove assumptions.${name} from the scenario (segments: ` +
          `${Object.keys(org.segments).join(', ') || 'none'})`,
      );
    }
  }

  const terms: CalibrationTerm[] = [];
  const warnings: Warning[] = [];
  if (org.baseYear !== undefined) warnings.push(...pinnedBaseYear(org.baseYear, inv));
  const hasScope2 =
    optional(V.scope2Location) !== undefined || optional(V.scope2Market) !== undefined;
  const electricity = hasScope2 ? need(V.electricity) : (optional(V.electricity) ?? 0);
  // A market-based-only reporter: location-based scope 2 is not modelled, and the grid factor
  // is the market-based factor of its non-clean power (residual-mix ratio 1).
  const marketOnly = hasScope2 && optional(V.scope2Location) === undefined;
  const scope2Location = hasScope2 && !marketOnly ? need(V.scope2Location) : 0;
  if (marketOnly) {
    warnings.push({
      code: 'market-based-only',
      message:
        `no location-based scope 2 for ${baseYear}: location-based scope 2 and the grid factor ` +
        'are not modelled; the market-based factor of non-clean power is projected in their place',
      fix: `add ${V.scope2Location} for ${baseYear} to model both methods`,
    });
  }
  const heat = optional(V.heat) ?? 0;
  const heatFactor = assume('heatFactor', org.heatFactor) ?? (heat > 0 ? undefined : 0);
  if (heatFactor === undefined) {
    throw new DataError(
      'purchased heat is reported but organization.yaml has no heatFactor',
      V.heat,
      baseYear,
      'add heatFactor with its value, unit and source (assumptions.heatFactor in format 1)',
    );
  }
  let scope2Market = optional(V.scope2Market);
  let clean = optional(V.cleanShare);
  if (hasScope2 && scope2Market === undefined) {
    // Without a market-based figure, market-based equals location-based (no instruments,
    // residual mix = grid).
    scope2Market = scope2Location;
    clean ??= 0;
    terms.push({
      name: 'scope2Market',
      value: scope2Market,
      unit: 't CO2e',
      formula: 'location-based scope 2 (no market-based figure reported)',
      note:
        'assumption: no contractual instruments and a residual mix equal to the grid average ' +
        'until a market-based figure is reported',
    });
  }
  if (hasScope2 && clean === undefined && marketOnly) {
    clean = 0;
    terms.push({
      name: 'cleanShare',
      value: 0,
      unit: '%',
      formula: 'none reported, and no location-based figure to derive it from',
      note:
        'assumption: the market-based factor carries any contractual instruments ' +
        '(market-based only)',
    });
  }
  if (hasScope2 && clean === undefined) {
    const h = heat * heatFactor;
    clean = scope2Location - h > 0 ? (1 - (scope2Market! - h) / (scope2Location - h)) * 100 : 0;
    terms.push({
      name: 'cleanShare',
      value: clean,
      unit: '%',
      formula: '(1 − (market-based − heat) ÷ (location-based − heat)) × 100',
      note:
        'derived, with the residual-mix factor taken equal to the grid factor (no clean ' +
        'share reported)',
    });
  }
  clean ??= 0;
  scope2Market ??= 0;
  const heatEmissions = heat * heatFactor;

  const gridIds = Object.keys(org.grids);
  const segEntries = Object.entries(org.segments);
  for (const [id, s] of segEntries) {
    if (!Object.hasOwn(org.grids, s.grid)) {
      throw new DataError(
        `segment '${id}' names grid '${s.grid}', which organization.yaml does not declare`,
        undefined,
        undefined,
        `use one of the grids: ${gridIds.join(', ') || '(none: add grids:)'}`,
      );
    }
  }

  // Scope 2 segments: electricity (declared, reported or the remainder) and clean share.
  const segments: SegmentState[] = segEntries.map(([id, s]) => segmentShape(org, id, s));
  const scope2 = segments.filter((s) => s.scope === 2);
  for (const seg of scope2) {
    const e = org.segments[seg.id]!.electricity;
    if ('share' in e) {
      const share = e.byBasis?.[inv.basis] ?? e.share;
      // a share version 1 only implied (zero) is no assumption of the organization's
      const name = `${seg.id}ElectricityShare`;
      const implied =
        org.segments[seg.id]!.implied === true &&
        (overrides as Record<string, number | undefined>)[name] === undefined;
      seg.electricity = (implied ? share.value : (assume(name, share) ?? 0)) * electricity;
    } else if ('mwh' in e) seg.electricity = assume(`${seg.id}Electricity`, e.mwh) ?? 0;
    else if ('variable' in e) seg.electricity = need(e.variable);
  }
  const remainders = scope2.filter((s) => s.remainder);
  let declared = 0;
  for (const seg of scope2) if (!seg.remainder) declared += seg.electricity;
  const rest = scope2.length === 0 ? 0 : electricity - declared;
  for (const seg of remainders) seg.electricity = rest;
  for (const seg of scope2) {
    if (seg.remainder) continue;
    const { pue, cleanShare } = seg.reported;
    const has = seg.electricity > 0;
    if (seg.driver === 'itLoadPue') seg.pue = pue ? (has ? need(pue) : (optional(pue) ?? 1)) : 1;
    seg.cleanShare = cleanShare
      ? has
        ? need(cleanShare)
        : (optional(cleanShare) ?? clean)
      : clean;
  }
  checkScope2Segments(scope2, { electricity, clean, hasScope2, baseYear });
  const remainderTerms: CalibrationTerm[] = [];
  for (const seg of remainders) {
    let cleanOthers = 0;
    for (const s of scope2) if (!s.remainder) cleanOthers += s.cleanShare * s.electricity;
    const share = seg.electricity > 0 ? (clean * electricity - cleanOthers) / seg.electricity : 0;
    if (share < -1e-9 || share > 100 + 1e-9) {
      throw new DataError(
        `with the declared segments, '${seg.id}' would need a clean share of ${share.toFixed(1)}%`,
        V.cleanShare,
        baseYear,
        'choose segment electricity (e.g. selfBuiltDcElectricityShare) consistent with the group ' +
          'and segment clean shares',
      );
    }
    seg.cleanShare = share;
    remainderTerms.push({
      name: `${seg.id}CleanShare`,
      value: share,
      unit: '%',
      formula:
        '(group clean share × electricity − Σ other segments’ clean share × ' +
        'electricity) ÷ ' +
        `${seg.label} electricity`,
      note: 'derived so that the electricity-weighted group clean share equals the reported one',
    });
    if (seg.driver === 'itLoadPue') seg.pue = seg.reported.pue ? need(seg.reported.pue) : 1;
  }
  const shareBases: Record<string, Record<string, ShareExpr>> = {};
  for (const seg of scope2) {
    const e = org.segments[seg.id]!.electricity;
    if ('share' in e && org.segments[seg.id]!.implied !== true)
      shareBases[`${seg.id}ElectricityShare`] = splitExprs(seg, scope2, electricity, clean);
  }

  // Grids: the one without a declared factor is derived from location-based scope 2; one
  // residual-mix ratio is calibrated on market-based scope 2 for grids that declare none.
  const grids = calibrateGrids(org, gridIds, scope2, {
    electricity,
    clean,
    scope2Location,
    scope2Market,
    heatEmissions,
    marketOnly,
    assume,
    terms,
  });
  terms.push(...remainderTerms);
  const unexplained = scope2Residual(
    grids,
    scope2,
    { scope2Location, scope2Market, heatEmissions, marketOnly, hasScope2, baseYear },
    warnings,
  );
  if (unexplained !== 0) {
    terms.push({
      name: 'scope2MarketResidual',
      value: unexplained,
      unit: 't CO2e',
      formula:
        'market-based scope 2 − heat emissions − what the non-clean electricity ' + 'explains',
      note:
        'calibration term: market-based scope 2 that the reported clean share cannot explain ' +
        '(e.g. 100% renewable by annual matching with market-based emissions above zero); held ' +
        'in the projection (parameters.scope2MarketResidual)',
    });
    warnings.push({
      code: 'clean-share-unexplained',
      message:
        `the clean share (${clean}%) and grid factors leave ${Math.round(unexplained)} t of ` +
        `the market-based scope 2 of ${scope2Market} t unexplained; it is kept as the ` +
        'calibration term scope2MarketResidual, not set to zero',
      fix:
        'report the clean share as the market-based method counts it (e.g. hourly or ' +
        'residual-mix basis), or set parameters.scope2MarketResidual in a scenario',
    });
  }

  // Scope 3 segments (leased, colocation): electricity declared or derived from reductions.
  for (const seg of segments.filter((s) => s.scope === 3)) {
    const e = org.segments[seg.id]!.electricity;
    seg.cleanShare = seg.reported.cleanShare ? (optional(seg.reported.cleanShare) ?? 0) : 0;
    seg.pue = seg.reported.pue ? (optional(seg.reported.pue) ?? 1) : 1;
    const g = grids[seg.grid]!;
    if ('mwh' in e) seg.electricity = assume(`${seg.id}Electricity`, e.mwh) ?? 0;
    else if ('variable' in e) seg.electricity = optional(e.variable) ?? 0;
    else if ('fromReductions' in e) {
      const reductions = optional(e.fromReductions);
      if (reductions !== undefined && seg.cleanShare > 0 && !(g.factor > 0)) {
        throw new DataError(
          `segment '${seg.id}' derives its electricity from ${e.fromReductions}, but its grid ` +
            `'${g.id}' has no factor above zero to value them at`,
          e.fromReductions,
          baseYear,
          `declare the factor of grid '${g.id}', or give the segment electricity: { mwh: … }`,
        );
      }
      seg.electricity =
        reductions !== undefined && seg.cleanShare > 0
          ? reductions / ((seg.cleanShare / 100) * g.factor)
          : 0;
      if (seg.electricity > 0) {
        terms.push({
          name: `${seg.id}Electricity`,
          value: seg.electricity,
          unit: 'MWh',
          formula: `${seg.label} reductions ÷ (${seg.label} clean share × gridFactor)`,
          note:
            'derived: the report values clean-power reductions at the location-based factor ' +
            '(scope-2 reductions ≈ LB − MB within 1%), applied here to this segment',
        });
      }
    } else {
      throw new DataError(
        `scope 3 segment '${seg.id}' gives its electricity as ${Object.keys(e)[0]}`,
        undefined,
        undefined,
        'give a scope 3 segment mwh, variable or fromReductions',
      );
    }
  }

  // Clean-power instruments split a segment's clean share (annual matching): they must add up.
  for (const seg of segments) {
    const declared = org.segments[seg.id]!;
    let total = 0;
    for (const k of INSTRUMENTS) {
      if (!declared.instruments?.[k]) continue;
      seg.instruments[k] = assume(instrumentName(seg.id, k), declared.instruments[k])!;
      total += seg.instruments[k];
    }
    if (Object.keys(seg.instruments).length > 0 && Math.abs(total - seg.cleanShare) > 0.05) {
      throw new DataError(
        `segment '${seg.id}' declares instruments adding up to ${+total.toFixed(2)}%, but its ` +
          `clean share in ${baseYear} is ${+seg.cleanShare.toFixed(2)}%`,
        seg.reported.cleanShare ?? V.cleanShare,
        baseYear,
        `make segments.${seg.id}.instruments (onsite, ppa, eac) add up to the clean share, or ` +
          'report the segment’s own clean share (reported.cleanShare)',
      );
    }
    if (declared.hourlyCfe) seg.hourlyCfe = assume(`${seg.id}HourlyCfe`, declared.hourlyCfe);
  }

  // Scope 1: fuels × factors, plus a labelled remainder.
  const fuels = Object.entries(org.fuels).map(([id, f]) => ({
    id,
    label: f.label,
    unit: f.unit,
    base: inv.value(f.variable, baseYear) ?? 0,
    factor: f.factor.value,
  }));
  for (const [id, f] of Object.entries(org.fuels)) {
    assumptions.push({
      name: `fuelFactor.${id}`,
      value: f.factor.value,
      unit: f.factor.unit,
      provenance: f.factor.provenance,
      source: f.factor.source,
      why: f.factor.why,
      overriddenBy: 'organization.yaml',
      overridden: false,
    });
  }
  const combustion = fuels.reduce((s, f) => s + f.base * f.factor, 0);
  const scope1 = optional(V.scope1) ?? 0;
  const scope1Remainder = scope1 - combustion;
  terms.push({
    name: 'scope1Remainder',
    value: scope1Remainder,
    unit: 't CO2e',
    formula: 'scope 1 − Σ fuel × emission factor',
    note:
      'calibration term: non-combustion scope 1 (refrigerants, fire suppression, process) and ' +
      'fuels not itemised',
  });

  // Scope 3 by category, from scope 3's own latest year: a value chain reported a year behind
  // scope 1 and 2 is carried forward from that year, not dropped.
  const scope3Year = inv
    .years(V.scope3)
    .filter((y) => y <= baseYear)
    .at(-1);
  const scope3Reported = scope3Year === undefined ? undefined : need(V.scope3, scope3Year);
  const revenueReported = optional(V.revenue);
  const categories = calibrateCategories(org, segments, grids, {
    baseYear,
    scope3Year: scope3Year ?? baseYear,
    scope3Reported,
    revenueReported:
      scope3Year === undefined || scope3Year === baseYear
        ? revenueReported
        : inv.value(V.revenue, scope3Year),
    currency: org.currency,
    need,
    terms,
  });

  // Scope 3+ avoided emissions per programme, scaled to the reported total. The breakdown by
  // programme may lag the total (or, for an earlier as-of year, come later): use the nearest
  // year that has one, earlier first.
  const breakdownYears = [
    ...new Set(Object.values(org.programmes).flatMap((p) => inv.years(p.variable))),
  ];
  const breakdownYear =
    [
      ...breakdownYears.filter((y) => y <= baseYear).sort((a, b) => b - a),
      ...breakdownYears.filter((y) => y > baseYear).sort((a, b) => a - b),
    ][0] ?? baseYear;
  let programmes = Object.entries(org.programmes).map(([id, p]) => ({
    id,
    label: p.label,
    variable: p.variable,
    base: inv.value(p.variable, breakdownYear) ?? 0,
  }));
  const avoidedReported = optional(V.avoided);
  // No breakdown in this basis at all: the reported total as one programme, never zero.
  const avoidedTotalOnly = avoidedReported !== undefined && programmes.every((p) => p.base === 0);
  if (avoidedTotalOnly) {
    programmes = [
      { id: 'total', label: 'Scope 3+ (total)', variable: V.avoided, base: avoidedReported },
    ];
    if (Object.keys(org.programmes).length > 0) {
      warnings.push({
        code: 'avoided-total-only',
        message:
          `no scope 3+ breakdown by programme in basis '${inv.basis}': scope 3+ avoided ` +
          'emissions ' +
          'are projected as one total',
        fix: 'add the programme figures to the inventory for this basis',
      });
    }
  }
  const avoidedTotal = optional(V.avoided) ?? 0;
  const programmeSum = programmes.reduce((s, p) => s + p.base, 0);
  const avoidedScale = programmeSum > 0 ? avoidedTotal / programmeSum : 1;
  if (programmeSum > 0 && !avoidedTotalOnly) {
    terms.push({
      name: 'avoidedScale',
      value: avoidedScale,
      unit: '1',
      formula:
        breakdownYear === baseYear
          ? 'reported scope 3+ total ÷ Σ reported programmes'
          : `reported FY${baseYear} scope 3+ total ÷ Σ programmes reported for ` +
            `FY${breakdownYear}`,
      note:
        breakdownYear === baseYear
          ? 'calibration term: the programme breakdown is printed in 10^4 t and does not add up ' +
            'exactly to the total'
          : `calibration term: no programme breakdown for FY${baseYear}; the ` +
            `${breakdownYear < baseYear ? 'latest earlier' : 'nearest later'} one, ` +
            `FY${breakdownYear}, is scaled to the FY${baseYear} total`,
    });
  }
  const windowStart = org.avoidedWindowStart ?? inv.years(V.avoided)[0] ?? baseYear;
  let avoidedCumulativeAtBase = 0;
  for (const y of inv.years(V.avoided)) {
    if (y >= windowStart && y <= baseYear) avoidedCumulativeAtBase += inv.value(V.avoided, y) ?? 0;
  }

  const scalars = {
    scope2MarketResidual: unexplained,
    revenue: revenueReported ?? 0,
    purchasedHeat: heat,
    scope1Remainder,
    offsetsScope1: optional(V.offsets1) ?? 0,
    offsetsScope2: optional(V.offsets2) ?? 0,
    offsetsScope3:
      optional(V.offsets3) ??
      (scope3Year === undefined ? undefined : inv.value(V.offsets3, scope3Year)) ??
      0,
  };
  const inputs = inputsOf({ segments, grids, categories, currency: org.currency }, scalars);
  const values: Record<string, number> = {};
  for (const d of inputs) {
    values[d.key] = d.base;
    const out =
      (d.min !== undefined && d.base < d.min - 1e-9) ||
      (d.max !== undefined && d.base > d.max + 1e-9);
    if (out || !Number.isFinite(d.base)) {
      // a calibrated base-year value outside what the quantity can be: the declared structure
      // and the reported figures disagree (not the scenario, which only moves it later)
      throw new DataError(
        `calibrated on ${baseYear}, ${d.key} comes out at ${d.base} ${d.unit}` +
          (d.min !== undefined ? ` (it must be at least ${d.min})` : '') +
          `: organization.yaml and the inventory disagree`,
        undefined,
        baseYear,
        d.key.startsWith('scope3.')
          ? 'the declared scope 3 categories exceed reported scope 3: check their figures'
          : d.key.startsWith('grids.')
            ? 'check the declared grid factors and residual-mix ratios against scope 2'
            : 'check the figures the segments and categories are declared with',
      );
    }
  }

  warnings.push(...misnamedVariables(org, inv));

  const coverage: Coverage = {
    scope1: optional(V.scope1) !== undefined,
    scope2: hasScope2,
    scope2Location: hasScope2 && !marketOnly,
    scope3: scope3Reported !== undefined,
    revenue: revenueReported !== undefined,
    avoided: optional(V.avoided) !== undefined,
    dataCentres: segments.some((s) => s.scope === 2 && s.dataCentre && s.electricity > 0),
  };
  for (const s of segments) {
    coverage[`segment:${s.id}`] = s.electricity > 0;
    const e = org.segments[s.id]!.electricity;
    const implicit = org.segments[s.id]!.implied === true;
    if (s.electricity > 0 || implicit || (s.remainder && !hasScope2)) continue;
    const from =
      'fromReductions' in e
        ? ` (no ${e.fromReductions} for ${baseYear} in basis '${inv.basis}')`
        : 'variable' in e
          ? ` (no ${e.variable} for ${baseYear})`
          : '';
    warnings.push({
      code: 'segment-not-modelled',
      message:
        `segment '${s.id}' has no electricity in ${baseYear}${from}: it is not modelled, and ` +
        'nothing that depends on it (its scope 3, the data-centre clean share) is either',
      fix: 'add the figure to the inventory, or give the segment electricity: { mwh: … }',
    });
  }
  for (const c of categories) {
    coverage[`category:${c.id}`] =
      c.driver === 'segment' ? segments[c.segment]!.electricity > 0 : scope3Reported !== undefined;
  }
  const lagging = scope3Year !== undefined && scope3Year < baseYear;
  if (
    lagging &&
    revenueReported === undefined &&
    categories.some((c) => c.driver === 'revenueIntensity')
  ) {
    throw new DataError(
      `scope 3 is carried forward from ${scope3Year} as revenue × intensity, but there is ` +
        `no '${V.revenue}' for the base year ${baseYear}`,
      V.revenue,
      baseYear,
      `add a ${V.revenue} row for ${baseYear} (in millions of ${org.currency})`,
    );
  }
  const carried = lagging ? [carriedScope3(segments, categories, scope3Year, baseYear)] : [];
  return {
    coverage,
    carried,
    warnings,
    organization: org.name,
    currency: org.currency,
    baseYear,
    basis: inv.basis,
    grids,
    segments,
    categories,
    inputs,
    values,
    fuels,
    programmes,
    avoidedTotalOnly,
    heatFactor,
    avoidedScale,
    avoidedCumulativeAtBase,
    avoidedWindowStart: windowStart,
    terms,
    assumptions,
    shareBases,
  };
}

/**
 * The base-year inputs that depend on `seg`'s share of purchased electricity, as expressions of
 * the share: the operations of the split above (the segment's electricity, the remainder's
 * electricity and derived clean share, IT load = electricity ÷ PUE), in the same order.
 */
function splitExprs(
  seg: SegmentState,
  scope2: SegmentState[],
  electricity: number,
  clean: number,
): Record<string, ShareExpr> {
  const elec = (s: SegmentState): ShareExpr =>
    s === seg ? shareOp('*', shareVar, shareConst(electricity)) : shareConst(s.electricity);
  let declared = shareConst(0);
  let cleanOthers = shareConst(0);
  for (const s of scope2) {
    if (s.remainder) continue;
    declared = shareOp('+', declared, elec(s));
    cleanOthers = shareOp('+', cleanOthers, shareOp('*', shareConst(s.cleanShare), elec(s)));
  }
  const rest = shareOp('-', shareConst(electricity), declared);
  const out: Record<string, ShareExpr> = {};
  const put = (s: SegmentState, e: ShareExpr) => {
    if (s.driver === 'itLoadPue')
      out[`segments.${s.id}.itLoad`] = shareOp('/', e, shareConst(s.pue));
    else out[`segments.${s.id}.electricity`] = e;
  };
  put(seg, elec(seg));
  for (const r of scope2) {
    if (!r.remainder) continue;
    put(r, rest);
    const groupClean = shareOp('*', shareConst(clean), shareConst(electricity));
    out[`segments.${r.id}.cleanShare`] = {
      pos: rest,
      then: shareOp('/', shareOp('-', groupClean, cleanOthers), rest),
    };
  }
  return out;
}

interface GridContext {
  electricity: number;
  clean: number;
  scope2Location: number;
  scope2Market: number;
  heatEmissions: number;
  marketOnly: boolean;
  assume: (name: string, def: SourcedNumber | undefined) => number | undefined;
  terms: CalibrationTerm[];
}

function calibrateGrids(
  org: Organization,
  gridIds: string[],
  scope2: SegmentState[],
  ctx: GridContext,
): GridState[] {
  const { electricity, clean, scope2Location, scope2Market, heatEmissions, terms } = ctx;
  const single = gridIds.length === 1;
  const name = (base: string, id: string) => (single ? base : `${base}.${id}`);
  const grids: GridState[] = gridIds.map((id) => {
    const g = org.grids[id]!;
    return {
      id,
      label: g.label,
      factor: ctx.assume(name('gridFactor', id), g.factor) ?? Number.NaN,
      residualMixRatio: ctx.assume(name('residualMixRatio', id), g.residualMixRatio) ?? Number.NaN,
    };
  });
  const eOf = (k: number) => {
    let e = 0;
    for (const s of scope2) if (s.grid === k) e += s.electricity;
    return e;
  };
  const cleanOf = (k: number) => {
    let c = 0;
    for (const s of scope2) if (s.grid === k) c += (s.electricity * s.cleanShare) / 100;
    return c;
  };
  const undeclared = grids.filter((g) => Number.isNaN(g.factor));
  if (undeclared.length > 1) {
    throw new DataError(
      `grids ${undeclared.map((g) => `'${g.id}'`).join(' and ')} both leave their factor to be ` +
        'derived from location-based scope 2, which can derive one',
      undefined,
      undefined,
      'give every grid but one a factor (value, unit, provenance, source)',
    );
  }
  if (ctx.marketOnly) {
    if (!single) {
      throw new DataError(
        'a market-based-only inventory (no location-based scope 2) with several grids',
        V.scope2Location,
        undefined,
        'report location-based scope 2, or declare one grid',
      );
    }
    const g = grids[0]!;
    const nonClean = electricity * (1 - clean / 100);
    if (Number.isNaN(g.factor))
      g.factor = nonClean > 0 ? (scope2Market - heatEmissions) / nonClean : 0;
    if (Number.isNaN(g.residualMixRatio)) g.residualMixRatio = 1;
    terms.push({
      name: 'gridFactor',
      value: g.factor,
      unit: 't CO2e/MWh',
      formula: '(market-based scope 2 − heat emissions) ÷ (electricity × (1 − clean share))',
      note: 'derived: the market-based factor of the non-clean power (no location-based figure)',
    });
    return grids;
  }
  if (single && undeclared.length === 1) {
    // The organization's own figures: the average factor of the electricity it buys.
    grids[0]!.factor = electricity > 0 ? (scope2Location - heatEmissions) / electricity : 0;
  } else if (undeclared.length === 1) {
    const g = undeclared[0]!;
    const k = grids.indexOf(g);
    let known = 0;
    grids.forEach((o, j) => {
      if (j !== k) known += eOf(j) * o.factor;
    });
    const e = eOf(k);
    // no scope 2 electricity on it: nothing to derive its factor from (refused below)
    g.factor = e > 0 ? (scope2Location - heatEmissions - known) / e : Number.NaN;
  }
  for (const g of undeclared) {
    ctx.terms.push({
      name: name('gridFactor', g.id),
      value: g.factor,
      unit: 't CO2e/MWh',
      formula: single
        ? '(location-based scope 2 − purchased heat × heatFactor) ÷ purchased electricity'
        : '(location-based scope 2 − heat × heatFactor − Σ other grids’ electricity × ' +
          'factor) ÷ ' +
          `${g.label} electricity`,
      note: 'derived: the average location-based factor of the electricity the group buys',
    });
  }
  const open = grids.filter((g) => Number.isNaN(g.residualMixRatio));
  if (open.length === 0) return grids;
  let ratio: number;
  if (single) {
    const gf = grids[0]!.factor;
    const nonClean = electricity * (1 - clean / 100);
    ratio = nonClean > 0 && gf > 0 ? (scope2Market - heatEmissions) / (nonClean * gf) : 1;
  } else {
    let fixed = 0;
    let free = 0;
    grids.forEach((g, k) => {
      const x = (eOf(k) - cleanOf(k)) * g.factor;
      if (Number.isNaN(g.residualMixRatio)) free += x;
      else fixed += x * g.residualMixRatio;
    });
    ratio = free > 0 ? (scope2Market - heatEmissions - fixed) / free : 1;
  }
  for (const g of open) g.residualMixRatio = ratio;
  terms.push({
    name: single ? 'residualMixRatio' : `residualMixRatio.${open.map((g) => g.id).join('+')}`,
    value: ratio,
    unit: '1',
    formula:
      '(market-based scope 2 − heat emissions) ÷ ' +
      '(electricity × (1 − clean share) × gridFactor)',
    note:
      'calibration term: how much the market-based factor of non-clean power exceeds the ' +
      'location-based average (residual mix, rounding of the clean share)',
  });
  return grids;
}

/**
 * What the calibrated grids explain of reported scope 2, from the segments as the kernel adds
 * them up. Market-based emissions left unexplained (all power clean, or declared factors that
 * fall short) are returned, to be kept as a calibration term; anything else that does not
 * reproduce the reported figures is refused or warned about.
 */
function scope2Residual(
  grids: readonly GridState[],
  scope2: readonly SegmentState[],
  r: {
    scope2Location: number;
    scope2Market: number;
    heatEmissions: number;
    marketOnly: boolean;
    hasScope2: boolean;
    baseYear: number;
  },
  warnings: Warning[],
): number {
  if (!r.hasScope2) return 0;
  let lb = 0;
  let mb = 0;
  grids.forEach((g, k) => {
    let e = 0;
    let c = 0;
    for (const s of scope2) {
      if (s.grid !== k) continue;
      e += s.electricity;
      c += (s.electricity * s.cleanShare) / 100;
    }
    if (!Number.isFinite(g.factor) || g.factor < 0 || !Number.isFinite(g.residualMixRatio)) {
      throw new DataError(
        e > 0
          ? `grid '${g.id}' gets a factor of ${g.factor} (residual-mix ratio ` +
              `${g.residualMixRatio}): the declared factors of the other grids exceed the ` +
              'reported scope 2'
          : `grid '${g.id}' has no scope 2 electricity to derive its factor from`,
        V.scope2Location,
        r.baseYear,
        e > 0
          ? 'check the declared grid factors against location-based scope 2'
          : `declare the factor of grid '${g.id}' (factor: { value, unit, provenance, source })`,
      );
    }
    lb += e * g.factor;
    mb += (e - c) * g.factor * g.residualMixRatio;
  });
  const tol = (x: number) => 1e-6 * Math.max(1, Math.abs(x));
  if (
    !r.marketOnly &&
    Math.abs(lb + r.heatEmissions - r.scope2Location) > 0.005 * r.scope2Location
  ) {
    warnings.push({
      code: 'location-based-not-reproduced',
      message:
        'the declared grid factors give location-based scope 2 of ' +
        `${Math.round(lb + r.heatEmissions)} t ` +
        `in ${r.baseYear}; ${r.scope2Location} t is reported`,
      fix:
        "leave one grid's factor undeclared so that it is derived, or check the declared " +
        'factors',
    });
  }
  const unexplained = r.scope2Market - r.heatEmissions - mb;
  if (unexplained < -tol(r.scope2Market)) {
    throw new DataError(
      `the declared grid factors and residual-mix ratios give market-based scope 2 of ` +
        `${Math.round(mb + r.heatEmissions)} t in ${r.baseYear}, more than the ` +
        `${r.scope2Market} t reported`,
      V.scope2Market,
      r.baseYear,
      'leave the residual-mix ratio undeclared on a grid so that it is calibrated, or lower it',
    );
  }
  return unexplained > tol(r.scope2Market) ? unexplained : 0;
}

interface CategoryContext {
  baseYear: number;
  /** Scope 3's own latest year up to the base year: its categories are calibrated there. */
  scope3Year: number;
  scope3Reported: number | undefined;
  /** Revenue in scope3Year (the intensities' denominator). */
  revenueReported: number | undefined;
  currency: string;
  need: (variable: string, year?: number) => number;
  terms: CalibrationTerm[];
}

function calibrateCategories(
  org: Organization,
  segments: SegmentState[],
  grids: GridState[],
  ctx: CategoryContext,
): CategoryState[] {
  const { baseYear, scope3Year, scope3Reported, revenueReported, currency, terms } = ctx;
  const categories: CategoryState[] = Object.entries(org.scope3).map(([id, c]) => {
    const driver = typeof c.driver === 'string' ? c.driver : 'segment';
    let segment = -1;
    if (typeof c.driver === 'object') {
      const segId = c.driver.segment;
      segment = segments.findIndex((s) => s.id === segId);
      if (segment < 0 || segments[segment]!.scope !== 3) {
        throw new DataError(
          `scope 3 category '${id}' is driven by segment '${segId}', which is not a declared ` +
            'scope 3 segment',
          undefined,
          undefined,
          `use one of: ${
            segments
              .filter((s) => s.scope === 3)
              .map((s) => s.id)
              .join(', ') || '(none)'
          }`,
        );
      }
    }
    return {
      id,
      label: c.label,
      category: c.category,
      driver,
      segment,
      remainder: c.base !== undefined && 'remainder' in c.base,
      emissions: 0,
      intensity: 0,
    };
  });
  for (const c of categories) {
    if (c.driver === 'segment') {
      const s = segments[c.segment]!;
      const g = grids[s.grid]!;
      c.emissions = s.electricity * (1 - s.cleanShare / 100) * g.factor * g.residualMixRatio;
    } else if (!c.remainder) {
      const base = org.scope3[c.id]!.base;
      c.emissions =
        base && 'variable' in base && scope3Reported !== undefined
          ? ctx.need(base.variable, scope3Year)
          : 0;
    }
  }
  const needsRevenue = categories.some((c) => c.driver === 'revenueIntensity');
  if (scope3Reported !== undefined && needsRevenue && revenueReported === undefined) {
    throw new DataError(
      `scope 3 is projected as revenue × intensity, but there is no '${V.revenue}' ` +
        `for ${scope3Year}` +
        (scope3Year < baseYear ? ` (scope 3's latest year, carried forward to ${baseYear})` : ''),
      V.revenue,
      scope3Year,
      `add a ${V.revenue} row for ${scope3Year} (in millions of ${currency})`,
    );
  }
  const revenue = revenueReported ?? 0;
  for (const c of categories.filter((x) => x.remainder)) {
    c.emissions = scope3Reported !== undefined ? scope3Reported - sumOthers(categories) : 0;
  }
  for (const c of categories) {
    if (c.driver !== 'revenueIntensity') continue;
    const rem = c.remainder;
    c.intensity =
      revenue > 0 && scope3Reported !== undefined
        ? rem
          ? (scope3Reported - sumOthers(categories)) / revenue
          : c.emissions / revenue
        : 0;
    const lagging = scope3Year < baseYear ? ` (${scope3Year}, scope 3's latest year)` : '';
    terms.push({
      name: `scope3${cap(c.id)}Intensity`,
      value: c.intensity,
      unit: `t CO2e/M ${currency}`,
      formula: `${
        !rem
          ? `${c.label} scope 3 ÷ revenue`
          : categories.length === 1
            ? 'scope 3 ÷ revenue'
            : `(scope 3 − ${categories
                .filter((o) => !o.remainder)
                .map((o) => `${o.label} scope 3`)
                .join(' − ')}) ÷ revenue`
      }${lagging}`,
      note: rem
        ? 'derived: the value chain other than the declared categories, per unit of revenue'
        : 'derived: this category per unit of revenue',
    });
  }
  return categories;
}

/** Scope 3 reported up to `latestYear` only: how its base-year value is carried forward. */
function carriedScope3(
  segments: readonly SegmentState[],
  categories: readonly CategoryState[],
  latestYear: number,
  baseYear: number,
): CarriedSeries {
  const how = categories.map((c) => {
    const what =
      c.driver === 'revenueIntensity'
        ? `${latestYear} t CO2e per unit of revenue × ${baseYear} revenue`
        : c.driver === 'trend'
          ? `its ${latestYear} tonnes, held`
          : `from ${baseYear} ${segments[c.segment]!.label} electricity`;
    return categories.length === 1 ? what : `${c.label}: ${what}`;
  });
  return {
    variable: V.scope3,
    latestYear,
    coverage: [
      'scope3',
      ...categories.filter((c) => c.driver !== 'segment').map((c) => `category:${c.id}`),
    ],
    how: how.join('; '),
  };
}

/** One line on a carried series, for the terminal summary, targets and the report's notes. */
export function carriedText(
  c: CarriedSeries,
  baseYear: number,
  fy: (year: number) => string = String,
): string {
  return (
    `${c.variable} is reported up to ${fy(c.latestYear)}: its ${fy(baseYear)} value is carried ` +
    `forward from ${fy(c.latestYear)} (${c.how}), kind 'carried' in trajectories.csv`
  );
}

/**
 * A pinned baseYear with newer scope 1 or 2 in the inventory (or in --actuals): the newer
 * figures would otherwise be read and then silently not used.
 */
function pinnedBaseYear(pin: number, inv: Inventory): Warning[] {
  const newer = [V.scope1, V.scope2Location, V.scope2Market].filter(
    (v) => (inv.latestYear(v) ?? pin) > pin,
  );
  if (newer.length === 0) return [];
  const latest = Math.max(...newer.map((v) => inv.latestYear(v)!));
  return [
    {
      code: 'base-year-pinned',
      message:
        `baseYear ${pin} is pinned in organization.yaml, but the actuals report ` +
        `${newer.join(', ')} for ${latest}: the projection still starts from ${pin} and the ` +
        `newer actuals are not used`,
      fix:
        `remove baseYear from organization.yaml to start from ${latest}, ` +
        `or set baseYear: ${latest}`,
    },
  ];
}

const sumOthers = (categories: CategoryState[]): number => {
  let s = 0;
  for (const o of categories) if (!o.remainder) s += o.emissions;
  return s;
};

/** A variable name without case, spaces or punctuation: what a typo leaves the same. */
const normalName = (v: string): string => v.toLowerCase().replace(/[^a-z0-9+]/g, '');
const sameName = (a: string, b: string): boolean => a !== b && normalName(a) === normalName(b);

/** Every inventory variable the structure reads (for actual rows too). */
function variablesRead(org: Organization): Set<string> {
  const read = new Set<string>([
    ...Object.values(V),
    'Emissions|Scope 1+2+3',
    'Emissions|Scope 1+2+3|Net',
  ]);
  for (const f of Object.values(org.fuels)) read.add(f.variable);
  for (const p of Object.values(org.programmes)) read.add(p.variable);
  for (const s of Object.values(org.segments)) {
    if (s.reported?.pue) read.add(s.reported.pue);
    if (s.reported?.cleanShare) read.add(s.reported.cleanShare);
    if ('variable' in s.electricity) read.add(s.electricity.variable);
    if ('fromReductions' in s.electricity) read.add(s.electricity.fromReductions);
  }
  for (const c of Object.values(org.scope3)) {
    if (c.base && 'variable' in c.base) read.add(c.base.variable);
  }
  return read;
}

/**
 * An inventory variable that differs from one the structure reads only in case, spaces or
 * punctuation is a typo that would otherwise be ignored without a word.
 */
function misnamedVariables(org: Organization, inv: Inventory): Warning[] {
  const read = variablesRead(org);
  const byNorm = new Map([...read].map((v) => [normalName(v), v]));
  const seen = new Set<string>();
  const out: Warning[] = [];
  for (const r of inv.rows) {
    if (r.basis !== inv.basis || read.has(r.variable) || seen.has(r.variable)) continue;
    seen.add(r.variable);
    const meant = byNorm.get(normalName(r.variable));
    if (meant === undefined) continue;
    out.push({
      code: 'inventory-variable-misnamed',
      message:
        `inventory line ${r.line}: '${r.variable}' is not a variable carbonpath reads, so its ` +
        `rows are ignored; did you mean '${meant}'?`,
      fix: `write the variable as ${meant}`,
    });
  }
  return out;
}

/**
 * The scope 2 segments must add up to the reported purchased electricity (and, without a
 * remainder segment to close it, to the reported clean share): the kernel adds up segments,
 * so a gap here would be a silently wrong base year.
 */
function checkScope2Segments(
  scope2: readonly SegmentState[],
  r: { electricity: number; clean: number; hasScope2: boolean; baseYear: number },
): void {
  if (!r.hasScope2) return;
  if (scope2.length === 0) {
    throw new DataError(
      'scope 2 is reported, but organization.yaml declares no scope 2 segment to carry it',
      V.electricity,
      r.baseYear,
      'declare a segment with scope: 2 and electricity: { remainder: true }',
    );
  }
  let e = 0;
  let c = 0;
  for (const s of scope2) {
    e += s.electricity;
    c += (s.electricity * s.cleanShare) / 100;
  }
  const tol = (x: number) => 1e-6 * Math.max(1, Math.abs(x));
  const negative = scope2.find((s) => s.electricity < -tol(r.electricity));
  if (negative || Math.abs(e - r.electricity) > tol(r.electricity)) {
    throw new DataError(
      `the scope 2 segments add up to ${Math.round(e)} MWh ` +
        `(${scope2.map((s) => `${s.id} ${Math.round(s.electricity)}`).join(', ')}), but ` +
        `purchased electricity is ${r.electricity} MWh in ${r.baseYear}`,
      V.electricity,
      r.baseYear,
      negative
        ? `the other segments exceed purchased electricity, leaving '${negative.id}' ` +
            `${Math.round(negative.electricity)} MWh: lower their figures`
        : 'let one segment take the rest (electricity: { remainder: true }), or fix the figures',
    );
  }
  if (!scope2.some((s) => s.remainder) && Math.abs(c - (r.electricity * r.clean) / 100) > tol(c)) {
    throw new DataError(
      `the scope 2 segments' clean shares give a group share of ${((c / e) * 100).toFixed(2)}%, ` +
        `but the reported share is ${r.clean}% in ${r.baseYear}`,
      V.cleanShare,
      r.baseYear,
      'let one segment take the rest of the electricity (remainder: its clean share is then ' +
        'derived), or fix the segment shares',
    );
  }
}
