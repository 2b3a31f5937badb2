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
  'scope12', 'scope12Net', 'scope12Intensity', 'scope3Net', 'scope3Intensity', 'scope3IntensityGross', 'avoided', 'avoidedCumulative',
] as const;
export type OutputKey = (typeof OUTPUT_KEYS)[number];
export type Outputs = Record<OutputKey, Float64Array>;

export function allocateOutputs(n: number): Outputs {
  const out = {} as Outputs;
  for (const k of OUTPUT_KEYS) out[k] = new Float64Array(n);
  return out;
}

const factorCache = new WeakMap<BaseState, Float64Array>();

/** Index 0 is the base year; `avoidedCumulative` continues from the reported cumulative. */
export function simulate(base: BaseState, inputs: ResolvedInputs, out: Outputs): Outputs {
  const p = inputs.params;
  const n = out.revenue.length;
  const heatFactor = base.heatFactor;
  let fuelFactors = factorCache.get(base);
  if (!fuelFactors) { fuelFactors = Float64Array.from(base.fuels, (f) => f.factor); factorCache.set(base, fuelFactors); }
  const fuels = inputs.fuels;
  const avoidedInputs = inputs.avoided;
  const scale = base.avoidedScale;
  // Hoisted: one lookup per array, not one per year (this loop runs once per Monte Carlo path).
  const revenueIn = p.revenue, itSb = p.selfBuiltItLoad, pueSb = p.selfBuiltPue, csSb = p.selfBuiltCleanShare;
  const eOtherIn = p.otherElectricity, csOtherIn = p.otherCleanShare, gridIn = p.gridFactor, heatIn = p.purchasedHeat;
  const rmrIn = p.residualMixRatio, remIn = p.scope1Remainder, itL = p.leasedItLoad, pueL = p.leasedPue, csL = p.leasedCleanShare;
  const s3iIn = p.scope3OtherIntensity, off1 = p.offsetsScope1, off2 = p.offsetsScope2, off3In = p.offsetsScope3;
  const o = out;
  const oRevenue = o.revenue, oSbE = o.selfBuiltElectricity, oOtherE = o.otherElectricity, oE = o.electricity, oCs = o.cleanShare;
  const oCsSb = o.selfBuiltCleanShare, oCsOther = o.otherCleanShare, oPueSb = o.selfBuiltPue, oPueL = o.leasedPue, oCsL = o.leasedCleanShare;
  const oEL = o.leasedElectricity, oDcCs = o.dcCleanShare, oGf = o.gridFactor, oHeat = o.purchasedHeat, oS2L = o.scope2Location;
  const oS2M = o.scope2Market, oComb = o.fuelCombustion, oRem = o.scope1Remainder, oS1 = o.scope1, oS3L = o.scope3Leased;
  const oS3LN = o.scope3LeasedNet, oOff3L = o.offsets3Leased, oS3 = o.scope3, oOff12 = o.offsets12, oOff3 = o.offsets3;
  const oS12 = o.scope12, oS12N = o.scope12Net, oI12 = o.scope12Intensity, oS3N = o.scope3Net, oI3 = o.scope3Intensity, oI3G = o.scope3IntensityGross;
  const oAv = o.avoided, oAvC = o.avoidedCumulative;
  let cumulative = base.avoidedCumulativeAtBase;
  for (let i = 0; i < n; i++) {
    const revenue = revenueIn[i]!;
    const pue = pueSb[i]!;
    const eDc = itSb[i]! * pue;
    const eOther = eOtherIn[i]!;
    const e = eDc + eOther;
    const csDc = csSb[i]!;
    const csOther = csOtherIn[i]!;
    const cleanMWh = (eDc * csDc + eOther * csOther) / 100;
    const gf = gridIn[i]!;
    const rmr = rmrIn[i]!;
    const heat = heatIn[i]!;
    const heatEm = heat * heatFactor;
    const s2Loc = e * gf + heatEm;
    const s2Mkt = (e - cleanMWh) * gf * rmr + heatEm;

    let combustion = 0;
    for (let f = 0; f < fuelFactors.length; f++) combustion += fuels[f]![i]! * fuelFactors[f]!;
    const s1 = combustion + remIn[i]!;

    const csLeased = csL[i]!;
    const eLeased = itL[i]! * pueL[i]!;
    const s3Leased = eLeased * (1 - csLeased / 100) * gf * rmr;
    const s3 = s3Leased + revenue * s3iIn[i]!;
    const off12 = off1[i]! + off2[i]!;
    const off3 = off3In[i]!;

    let avoided = 0;
    for (let a = 0; a < avoidedInputs.length; a++) avoided += avoidedInputs[a]![i]!;
    avoided *= scale;
    if (i > 0) cumulative += avoided;

    oRevenue[i] = revenue;
    oSbE[i] = eDc;
    oOtherE[i] = eOther;
    oE[i] = e;
    oCs[i] = e > 0 ? (cleanMWh / e) * 100 : 0;
    oCsSb[i] = csDc;
    oCsOther[i] = csOther;
    oPueSb[i] = pue;
    oPueL[i] = pueL[i]!;
    oCsL[i] = csLeased;
    oEL[i] = eLeased;
    oDcCs[i] = eDc + eLeased > 0 ? (eDc * csDc + eLeased * csLeased) / (eDc + eLeased) : 0;
    oGf[i] = gf;
    oHeat[i] = heat;
    oS2L[i] = s2Loc;
    oS2M[i] = s2Mkt;
    oComb[i] = combustion;
    oRem[i] = remIn[i]!;
    oS1[i] = s1;
    oS3L[i] = s3Leased;
    oS3LN[i] = s3Leased;
    oOff3L[i] = 0;
    oS3[i] = s3;
    oOff12[i] = off12;
    oOff3[i] = off3;
    oS12[i] = s1 + s2Mkt;
    oS12N[i] = s1 + s2Mkt - off12;
    oI12[i] = revenue > 0 ? (s1 + s2Mkt - off12) / revenue : 0;
    oS3N[i] = s3 - off3;
    oI3[i] = revenue > 0 ? (s3 - off3) / revenue : 0;
    oI3G[i] = revenue > 0 ? s3 / revenue : 0;
    oAv[i] = avoided;
    oAvC[i] = cumulative;
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
      out.scope12Intensity[i] = out.revenue[i]! > 0 ? out.scope12Net[i]! / out.revenue[i]! : 0;
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