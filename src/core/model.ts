/**
 * The model's equations, one year at a time over typed arrays. Pure: plain data in, plain
 * data out. Every equation is written out in docs/methodology.md with the same names.
 */
import type { BaseState } from './calibrate.js';
import type { ParameterName } from './parameters.js';

export interface ResolvedInputs {
  params: Record<ParameterName, Float64Array>;
  /** Aligned with base.fuels. */
  fuels: Float64Array[];
  /** Aligned with base.programmes. */
  avoided: Float64Array[];
}

export const OUTPUT_KEYS = [
  'revenue', 'selfBuiltElectricity', 'otherElectricity', 'electricity', 'cleanShare',
  'selfBuiltCleanShare', 'otherCleanShare', 'selfBuiltPue', 'leasedPue', 'leasedCleanShare',
  'leasedElectricity', 'dcCleanShare', 'gridFactor', 'purchasedHeat', 'scope2Location', 'scope2Market',
  'fuelCombustion', 'scope1Remainder', 'scope1', 'scope3Leased', 'scope3LeasedNet', 'offsets3Leased', 'scope3', 'offsets12', 'offsets3',
  'scope12', 'scope12Net', 'scope3Net', 'scope3Intensity', 'scope3IntensityGross', 'avoided', 'avoidedCumulative',
] as const;
export type OutputKey = (typeof OUTPUT_KEYS)[number];
export type Outputs = Record<OutputKey, Float64Array>;

export function allocateOutputs(n: number): Outputs {
  const out = {} as Outputs;
  for (const k of OUTPUT_KEYS) out[k] = new Float64Array(n);
  return out;
}

/** Index 0 is the base year; `avoidedCumulative` continues from the reported cumulative. */
export function simulate(base: BaseState, inputs: ResolvedInputs, out: Outputs): Outputs {
  const p = inputs.params;
  const n = out.revenue.length;
  const heatFactor = base.heatFactor;
  const fuelFactors = base.fuels.map((f) => f.factor);
  let cumulative = base.avoidedCumulativeAtBase;
  for (let i = 0; i < n; i++) {
    const revenue = p.revenue[i]!;
    const pue = p.selfBuiltPue[i]!;
    const eDc = p.selfBuiltItLoad[i]! * pue;
    const eOther = p.otherElectricity[i]!;
    const e = eDc + eOther;
    const csDc = p.selfBuiltCleanShare[i]!;
    const csOther = p.otherCleanShare[i]!;
    const cleanMWh = (eDc * csDc + eOther * csOther) / 100;
    const gf = p.gridFactor[i]!;
    const heat = p.purchasedHeat[i]!;
    const heatEm = heat * heatFactor;
    const s2Loc = e * gf + heatEm;
    const s2Mkt = (e - cleanMWh) * gf * p.residualMixRatio[i]! + heatEm;

    let combustion = 0;
    for (let f = 0; f < fuelFactors.length; f++) combustion += inputs.fuels[f]![i]! * fuelFactors[f]!;
    const s1 = combustion + p.scope1Remainder[i]!;

    const eLeased = p.leasedItLoad[i]! * p.leasedPue[i]!;
    const s3Leased = eLeased * (1 - p.leasedCleanShare[i]! / 100) * gf * p.residualMixRatio[i]!;
    const s3 = s3Leased + revenue * p.scope3OtherIntensity[i]!;
    const off12 = p.offsetsScope1[i]! + p.offsetsScope2[i]!;
    const off3 = p.offsetsScope3[i]!;

    let avoided = 0;
    for (let a = 0; a < inputs.avoided.length; a++) avoided += inputs.avoided[a]![i]!;
    avoided *= base.avoidedScale;
    if (i > 0) cumulative += avoided;

    out.revenue[i] = revenue;
    out.selfBuiltElectricity[i] = eDc;
    out.otherElectricity[i] = eOther;
    out.electricity[i] = e;
    out.cleanShare[i] = e > 0 ? (cleanMWh / e) * 100 : 0;
    out.selfBuiltCleanShare[i] = csDc;
    out.otherCleanShare[i] = csOther;
    out.selfBuiltPue[i] = pue;
    out.leasedPue[i] = p.leasedPue[i]!;
    out.leasedCleanShare[i] = p.leasedCleanShare[i]!;
    out.leasedElectricity[i] = eLeased;
    out.dcCleanShare[i] = eDc + eLeased > 0 ? (eDc * csDc + eLeased * p.leasedCleanShare[i]!) / (eDc + eLeased) : 0;
    out.gridFactor[i] = gf;
    out.purchasedHeat[i] = heat;
    out.scope2Location[i] = s2Loc;
    out.scope2Market[i] = s2Mkt;
    out.fuelCombustion[i] = combustion;
    out.scope1Remainder[i] = p.scope1Remainder[i]!;
    out.scope1[i] = s1;
    out.scope3Leased[i] = s3Leased;
    out.scope3LeasedNet[i] = s3Leased;
    out.offsets3Leased[i] = 0;
    out.scope3[i] = s3;
    out.offsets12[i] = off12;
    out.offsets3[i] = off3;
    out.scope12[i] = s1 + s2Mkt;
    out.scope12Net[i] = s1 + s2Mkt - off12;
    out.scope3Net[i] = s3 - off3;
    out.scope3Intensity[i] = revenue > 0 ? (s3 - off3) / revenue : 0;
    out.scope3IntensityGross[i] = revenue > 0 ? s3 / revenue : 0;
    out.avoided[i] = avoided;
    out.avoidedCumulative[i] = cumulative;
  }
  return out;
}

/** What credits can be retired against: the net output, its credit counter, and what else moves. */
export const CREDITABLE = {
  'Emissions|Scope 1+2|Net': 'scope12',
  'Emissions|Scope 3|Leased DC|Net': 'scope3Leased',
  'Emissions|Scope 3|Net': 'scope3',
} as const;
export type Creditable = (typeof CREDITABLE)[keyof typeof CREDITABLE];

/**
 * Retire `credits[i]` tonnes against a net quantity, keeping every identity: net = gross −
 * credits for the quantity, group scope 3 net and intensity follow scope 3 credits.
 */
export function applyCredits(out: Outputs, what: Creditable, credits: Float64Array): void {
  for (let i = 0; i < credits.length; i++) {
    const c = credits[i]!;
    if (c === 0) continue;
    if (what === 'scope12') {
      out.offsets12[i] = out.offsets12[i]! + c;
      out.scope12Net[i] = out.scope12Net[i]! - c;
      continue;
    }
    if (what === 'scope3Leased') {
      out.offsets3Leased[i] = out.offsets3Leased[i]! + c;
      out.scope3LeasedNet[i] = out.scope3LeasedNet[i]! - c;
    }
    out.offsets3[i] = out.offsets3[i]! + c;
    out.scope3Net[i] = out.scope3Net[i]! - c;
    out.scope3Intensity[i] = out.revenue[i]! > 0 ? out.scope3Net[i]! / out.revenue[i]! : 0;
  }
}