/**
 * Calibration: the base-year state of the model, taken from the reported inventory. Where
 * the model's identities alone do not reproduce a reported figure, the gap is an explicit,
 * named calibration term (listed in run.json and docs/methodology.md), never a silent fudge.
 */
import type { Organization, ProvenanceKind } from '../schema/organization.js';
import type { AssumptionName, ParameterName } from './parameters.js';
import type { Inventory } from './inventory.js';

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

/** What an organization reports, and so what the model can project (the rest is "not modelled"). */
export const COVERAGE = [
  'scope1',
  'scope2',
  'scope3',
  'revenue',
  'avoided',
  'dataCentres',
  'leased',
] as const;
export type Coverage = (typeof COVERAGE)[number];

export interface BaseState {
  coverage: Record<Coverage, boolean>;
  organization: string;
  currency: string;
  baseYear: number;
  basis: string;
  values: Record<ParameterName, number>;
  fuels: Array<{ id: string; label: string; unit: string; base: number; factor: number }>;
  programmes: Array<{ id: string; label: string; variable: string; base: number }>;
  heatFactor: number;
  /** Reported scope 3+ total ÷ sum of reported programmes (rounding of the printed breakdown). */
  avoidedScale: number;
  avoidedCumulativeAtBase: number;
  avoidedWindowStart: number;
  terms: CalibrationTerm[];
  assumptions: UsedAssumption[];
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
  selfBuiltPue: 'PUE|Self-built DC',
  leasedPue: 'PUE|Leased DC',
  selfBuiltClean: 'Electricity|Clean Share|Self-built DC',
  leasedClean: 'Electricity|Clean Share|Leased DC',
  leasedReductions: 'Reductions|Leased DC',
  avoided: 'Avoided Emissions|Scope 3+',
  offsets1: 'Offsets|Scope 1',
  offsets2: 'Offsets|Scope 2',
  offsets3: 'Offsets|Scope 3',
  scope1Net: 'Emissions|Scope 1|Net',
  scope2MarketNet: 'Emissions|Scope 2|Market-based|Net',
  scope3Net: 'Emissions|Scope 3|Net',
  scope3Intensity: 'Intensity|Scope 3',
} as const;

export function calibrate(
  org: Organization,
  inv: Inventory,
  overrides: Partial<Record<AssumptionName, number>> = {},
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
      "add the latest year's scope 1 and/or scope 2 to the inventory, or set baseYear in organization.yaml",
    );
  }
  const need = (variable: string): number => {
    const v = inv.value(variable, baseYear);
    if (v === undefined) {
      throw new DataError(
        `the base year ${baseYear} needs '${variable}' (basis '${inv.basis}')`,
        variable,
        baseYear,
        `add a row for ${variable}, ${baseYear} to the inventory`,
      );
    }
    return v;
  };
  const optional = (variable: string): number | undefined => inv.value(variable, baseYear);

  const assumptions: UsedAssumption[] = [];
  const assume = (name: AssumptionName, fallback: number | undefined): number | undefined => {
    const def = org.assumptions[name];
    const over = overrides[name];
    if (def === undefined && over === undefined) return fallback;
    const value = over ?? (def as { value: number }).value;
    assumptions.push({
      name,
      value,
      unit: def?.unit ?? '',
      provenance: over !== undefined ? 'assumption' : def!.provenance,
      source: over !== undefined ? 'scenario override' : def!.source,
      why: def?.why,
      overriddenBy: `assumptions.${name}`,
      overridden: over !== undefined,
    });
    return value;
  };

  const terms: CalibrationTerm[] = [];
  const hasScope2 =
    optional(V.scope2Location) !== undefined || optional(V.scope2Market) !== undefined;
  const electricity = hasScope2 ? need(V.electricity) : (optional(V.electricity) ?? 0);
  const scope2Location = hasScope2 ? need(V.scope2Location) : 0;
  const heat = optional(V.heat) ?? 0;
  const heatFactor = assume('heatFactor', heat > 0 ? undefined : 0);
  if (heatFactor === undefined) {
    throw new DataError(
      'purchased heat is reported but organization.yaml has no assumptions.heatFactor',
      V.heat,
      baseYear,
      'add assumptions.heatFactor with its value, unit and source',
    );
  }
  let scope2Market = optional(V.scope2Market);
  let clean = optional(V.cleanShare);
  if (hasScope2 && scope2Market === undefined) {
    // Without a market-based figure, market-based equals location-based (no instruments, residual mix = grid).
    scope2Market = scope2Location;
    clean ??= 0;
    terms.push({
      name: 'scope2Market',
      value: scope2Market,
      unit: 't CO2e',
      formula: 'location-based scope 2 (no market-based figure reported)',
      note: 'assumption: no contractual instruments and a residual mix equal to the grid average until a market-based figure is reported',
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
      note: 'derived, with the residual-mix factor taken equal to the grid factor (no clean share reported)',
    });
  }
  clean ??= 0;
  scope2Market ??= 0;
  const heatEmissions = heat * heatFactor;
  const gridFactor = electricity > 0 ? (scope2Location - heatEmissions) / electricity : 0;
  const nonClean = electricity * (1 - clean / 100);
  const residualMixRatio =
    nonClean > 0 && gridFactor > 0 ? (scope2Market - heatEmissions) / (nonClean * gridFactor) : 1;
  terms.push(
    {
      name: 'gridFactor',
      value: gridFactor,
      unit: 't CO2e/MWh',
      formula: '(location-based scope 2 − purchased heat × heatFactor) ÷ purchased electricity',
      note: 'derived: the average location-based factor of the electricity the group buys',
    },
    {
      name: 'residualMixRatio',
      value: residualMixRatio,
      unit: '1',
      formula:
        '(market-based scope 2 − heat emissions) ÷ (electricity × (1 − clean share) × gridFactor)',
      note: 'calibration term: how much the market-based factor of non-clean power exceeds the location-based average (residual mix, rounding of the clean share)',
    },
  );

  // Data-centre segment (absent for organizations without self-built data centres).
  const dcShare = assume('selfBuiltDcElectricityShare', 0) as number;
  const selfBuiltPue = dcShare > 0 ? need(V.selfBuiltPue) : (optional(V.selfBuiltPue) ?? 1);
  const selfBuiltClean =
    dcShare > 0 ? need(V.selfBuiltClean) : (optional(V.selfBuiltClean) ?? clean);
  const selfBuiltElectricity = dcShare * electricity;
  const otherElectricity = electricity - selfBuiltElectricity;
  const otherClean =
    otherElectricity > 0
      ? (clean * electricity - selfBuiltClean * selfBuiltElectricity) / otherElectricity
      : 0;
  if (otherClean < -1e-9 || otherClean > 100 + 1e-9) {
    throw new DataError(
      `with a self-built data-centre share of ${dcShare}, the other operations would need a clean share of ${otherClean.toFixed(1)}%`,
      V.cleanShare,
      baseYear,
      'choose a selfBuiltDcElectricityShare consistent with the group and data-centre clean shares',
    );
  }
  terms.push({
    name: 'otherCleanShare',
    value: otherClean,
    unit: '%',
    formula:
      '(group clean share × electricity − self-built DC clean share × DC electricity) ÷ other electricity',
    note: 'derived so that the electricity-weighted group clean share equals the reported one',
  });

  // Leased data centres: a scope 3 category with its own electricity, PUE and clean share.
  const leasedClean = optional(V.leasedClean) ?? 0;
  const leasedPue = optional(V.leasedPue) ?? 1;
  const leasedReductions = optional(V.leasedReductions);
  const derivedLeased =
    leasedReductions !== undefined && leasedClean > 0
      ? leasedReductions / ((leasedClean / 100) * gridFactor)
      : 0;
  const leasedElectricity = assume('leasedDcElectricity', undefined) ?? derivedLeased;
  if (leasedElectricity > 0 && !assumptions.some((a) => a.name === 'leasedDcElectricity')) {
    terms.push({
      name: 'leasedDcElectricity',
      value: leasedElectricity,
      unit: 'MWh',
      formula: 'leased-DC reductions ÷ (leased-DC clean share × gridFactor)',
      note: 'derived: the report values clean-power reductions at the location-based factor (scope-2 reductions ≈ LB − MB within 1%), applied here to leased data centres',
    });
  }
  const scope3Leased = leasedElectricity * (1 - leasedClean / 100) * gridFactor * residualMixRatio;

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
    note: 'calibration term: non-combustion scope 1 (refrigerants, fire suppression, process) and fuels not itemised',
  });

  // Scope 3 = leased data centres + revenue × intensity of the rest.
  const scope3Reported = optional(V.scope3);
  const revenueReported = optional(V.revenue);
  if (scope3Reported !== undefined && revenueReported === undefined) {
    throw new DataError(
      `scope 3 is projected as revenue × intensity, but there is no '${V.revenue}' for ${baseYear}`,
      V.revenue,
      baseYear,
      `add a ${V.revenue} row for ${baseYear} (in millions of ${org.currency})`,
    );
  }
  const revenue = revenueReported ?? 0;
  const scope3 = scope3Reported ?? 0;
  const scope3OtherIntensity =
    revenue > 0 && scope3Reported !== undefined ? (scope3 - scope3Leased) / revenue : 0;
  terms.push({
    name: 'scope3OtherIntensity',
    value: scope3OtherIntensity,
    unit: `t CO2e/M ${org.currency}`,
    formula: '(scope 3 − leased-DC scope 3) ÷ revenue',
    note: 'derived: the value chain other than leased data centres, per unit of revenue',
  });

  // Scope 3+ avoided emissions per programme, scaled to the reported total.
  // The breakdown by programme may lag the total: use the latest year that has one.
  const breakdownYear =
    [
      baseYear,
      ...Object.values(org.programmes)
        .flatMap((p) => inv.years(p.variable))
        .filter((y) => y < baseYear)
        .sort((a, b) => b - a),
    ].find((y) =>
      Object.values(org.programmes).some((p) => inv.value(p.variable, y) !== undefined),
    ) ?? baseYear;
  const programmes = Object.entries(org.programmes).map(([id, p]) => ({
    id,
    label: p.label,
    variable: p.variable,
    base: inv.value(p.variable, breakdownYear) ?? 0,
  }));
  const avoidedTotal = optional(V.avoided) ?? 0;
  const programmeSum = programmes.reduce((s, p) => s + p.base, 0);
  const avoidedScale = programmeSum > 0 ? avoidedTotal / programmeSum : 1;
  if (programmeSum > 0) {
    terms.push({
      name: 'avoidedScale',
      value: avoidedScale,
      unit: '1',
      formula:
        breakdownYear === baseYear
          ? 'reported scope 3+ total ÷ Σ reported programmes'
          : `reported FY${baseYear} scope 3+ total ÷ Σ programmes reported for FY${breakdownYear}`,
      note:
        breakdownYear === baseYear
          ? 'calibration term: the programme breakdown is printed in 10^4 t and does not add up exactly to the total'
          : `calibration term: no programme breakdown for FY${baseYear}; the FY${breakdownYear} breakdown is scaled to the FY${baseYear} total`,
    });
  }
  const windowStart = org.avoidedWindowStart ?? inv.years(V.avoided)[0] ?? baseYear;
  let avoidedCumulativeAtBase = 0;
  for (const y of inv.years(V.avoided)) {
    if (y >= windowStart && y <= baseYear) avoidedCumulativeAtBase += inv.value(V.avoided, y) ?? 0;
  }

  const values: Record<ParameterName, number> = {
    revenue,
    selfBuiltItLoad: selfBuiltElectricity / selfBuiltPue,
    selfBuiltPue,
    selfBuiltCleanShare: selfBuiltClean,
    otherElectricity,
    otherCleanShare: otherClean,
    leasedItLoad: leasedElectricity / leasedPue,
    leasedPue,
    leasedCleanShare: leasedClean,
    gridFactor,
    residualMixRatio,
    purchasedHeat: heat,
    scope1Remainder,
    scope3OtherIntensity,
    offsetsScope1: optional(V.offsets1) ?? 0,
    offsetsScope2: optional(V.offsets2) ?? 0,
    offsetsScope3: optional(V.offsets3) ?? 0,
  };
  const coverage: Record<Coverage, boolean> = {
    scope1: optional(V.scope1) !== undefined,
    scope2: hasScope2,
    scope3: scope3Reported !== undefined,
    revenue: revenueReported !== undefined,
    avoided: optional(V.avoided) !== undefined,
    dataCentres: dcShare > 0,
    leased: leasedElectricity > 0,
  };
  return {
    coverage,
    organization: org.name,
    currency: org.currency,
    baseYear,
    basis: inv.basis,
    values,
    fuels,
    programmes,
    heatFactor,
    avoidedScale,
    avoidedCumulativeAtBase,
    avoidedWindowStart: windowStart,
    terms,
    assumptions,
  };
}
