/**
 * The quantities a declared structure exposes: every yearly input a scenario can set (with
 * its unit, bounds and base-year value) and every output the kernel writes. Both are derived
 * from the organization's segments, grids and scope 3 categories; names become indices here.
 */
import type { CategoryState, GridState, SegmentState } from './calibrate.js';
import type { Organization, Segment } from '../schema/organization.js';
import { PARAMETERS, type ParameterName } from './parameters.js';

export interface InputDef {
  /** Where a scenario sets it, under `parameters.` (e.g. segments.selfBuiltDc.pue). */
  key: string;
  unit: string;
  min?: number | undefined;
  max?: number | undefined;
  /** No scenario path: `hold` keeps the base-year value, `zero` is zero (credits). */
  default: 'hold' | 'zero';
  description: string;
  base: number;
}

interface Shape {
  segments: readonly SegmentState[];
  grids: readonly GridState[];
  categories: readonly CategoryState[];
  currency: string;
}

type Scalar = 'revenue' | 'purchasedHeat' | 'scope1Remainder' | 'offsetsScope1' | 'offsetsScope2';
type Scalars = Record<Scalar | 'offsetsScope3' | 'scope2MarketResidual', number>;

const def = (key: string, name: ParameterName, base: number, currency: string): InputDef => {
  const p = PARAMETERS[name] as {
    unit: string;
    min?: number;
    max?: number;
    default: 'hold' | 'zero';
    description: string;
  };
  return {
    key,
    unit: p.unit.replace('CNY', currency),
    min: p.min,
    max: p.max,
    default: p.default,
    description: p.description,
    base,
  };
};

const share = (key: string, base: number) =>
  ({ key, unit: '%', min: 0, max: 100, default: 'hold', base }) as const;
const INSTRUMENT_ABOUT: Record<Instrument, string> = {
  onsite: 'on-site or physically delivered clean power',
  ppa: 'clean power bought through PPAs',
  eac: 'unbundled energy attribute certificates',
};

/** The inputs in kernel order. */
export function inputsOf(shape: Shape, scalars: Scalars): InputDef[] {
  const c = shape.currency;
  const out: InputDef[] = [def('revenue', 'revenue', scalars.revenue, c)];
  for (const s of shape.segments) {
    const at = `segments.${s.id}`;
    const about = (d: InputDef, what: string): InputDef => ({
      ...d,
      description: `${s.label}: ${what}`,
    });
    if (s.driver === 'itLoadPue') {
      out.push(
        about(
          def(`${at}.itLoad`, 'selfBuiltItLoad', s.electricity / s.pue, c),
          'IT electricity (MWh); electricity = IT load × PUE.',
        ),
      );
      out.push(
        about(
          def(`${at}.pue`, 'selfBuiltPue', s.pue, c),
          'annual average power usage effectiveness.',
        ),
      );
    } else {
      out.push(
        about(def(`${at}.electricity`, 'otherElectricity', s.electricity, c), 'electricity (MWh).'),
      );
    }
    const declared = INSTRUMENTS.filter((k) => s.instruments[k] !== undefined);
    if (declared.length === 0) {
      out.push(
        about(
          def(`${at}.cleanShare`, 'selfBuiltCleanShare', s.cleanShare, c),
          'clean-electricity share (%).',
        ),
      );
    }
    for (const k of declared) {
      out.push({
        ...share(`${at}.${k}`, s.instruments[k]!),
        description: `${s.label}: ${INSTRUMENT_ABOUT[k]}, % of electricity (clean share = sum).`,
      });
    }
    if (s.hourlyCfe !== undefined) {
      out.push({
        ...share(`${at}.hourlyCfe`, s.hourlyCfe),
        description: `${s.label}: hourly-matched carbon-free energy share (%), tracked only.`,
      });
    }
  }
  for (const g of shape.grids) {
    out.push({
      ...def(`grids.${g.id}.factor`, 'gridFactor', g.factor, c),
      description: `${g.label}: location-based emission factor.`,
    });
    out.push({
      ...def(`grids.${g.id}.residualMixRatio`, 'residualMixRatio', g.residualMixRatio, c),
      description: `${g.label}: market-based factor of non-clean power ÷ location-based factor.`,
    });
  }
  out.push(def('purchasedHeat', 'purchasedHeat', scalars.purchasedHeat, c));
  if (scalars.scope2MarketResidual !== 0) {
    out.push({
      key: 'scope2MarketResidual',
      unit: 't CO2e',
      min: 0,
      default: 'hold',
      description:
        'Market-based scope 2 the clean share cannot explain (calibration term; only where the ' +
        'reported share leaves market-based emissions unexplained).',
      base: scalars.scope2MarketResidual,
    });
  }
  out.push(def('scope1Remainder', 'scope1Remainder', scalars.scope1Remainder, c));
  for (const k of shape.categories) {
    if (k.driver === 'revenueIntensity') {
      out.push({
        ...def(`scope3.${k.id}.intensity`, 'scope3OtherIntensity', k.intensity, c),
        description: `${k.label}: scope 3 per million of revenue.`,
      });
    } else if (k.driver === 'trend') {
      out.push({
        key: `scope3.${k.id}.emissions`,
        unit: 't CO2e',
        min: 0,
        default: 'hold',
        description: `${k.label}: scope 3 emissions.`,
        base: k.emissions,
      });
    }
  }
  out.push(def('offsetsScope1', 'offsetsScope1', scalars.offsetsScope1, c));
  out.push(def('offsetsScope2', 'offsetsScope2', scalars.offsetsScope2, c));
  out.push(def('offsetsScope3', 'offsetsScope3', scalars.offsetsScope3, c));
  return out;
}

/**
 * Version 1 parameter names, still accepted in scenarios: each sets the declared quantity it
 * always meant (`*` = every grid). The bundled scenarios use them.
 */
export const V1_PARAMETERS: Record<ParameterName, string> = {
  revenue: 'revenue',
  selfBuiltItLoad: 'segments.selfBuiltDc.itLoad',
  selfBuiltPue: 'segments.selfBuiltDc.pue',
  selfBuiltCleanShare: 'segments.selfBuiltDc.cleanShare',
  otherElectricity: 'segments.other.electricity',
  otherCleanShare: 'segments.other.cleanShare',
  leasedItLoad: 'segments.leasedDc.itLoad',
  leasedPue: 'segments.leasedDc.pue',
  leasedCleanShare: 'segments.leasedDc.cleanShare',
  gridFactor: 'grids.*.factor',
  residualMixRatio: 'grids.*.residualMixRatio',
  purchasedHeat: 'purchasedHeat',
  scope1Remainder: 'scope1Remainder',
  scope3OtherIntensity: 'scope3.other.intensity',
  offsetsScope1: 'offsetsScope1',
  offsetsScope2: 'offsetsScope2',
  offsetsScope3: 'offsetsScope3',
};

/** The version 1 name that sets `key`, if any (a grid key matches its `*` pattern). */
const V1_MATCHERS = Object.entries(V1_PARAMETERS).map(([name, target]) => ({
  name: name as ParameterName,
  // `*` (every grid) as a pattern, built once
  re: new RegExp(`^${target.replaceAll('.', '\\.').replace('*', '[a-zA-Z0-9]+')}$`),
}));

export function v1NameOf(key: string): ParameterName | undefined {
  return V1_MATCHERS.find((m) => m.re.test(key))?.name;
}

/** Aggregate outputs every structure has (segment and category outputs follow them). */
export const AGGREGATE_OUTPUTS = [
  'revenue',
  'electricity',
  'cleanShare',
  'dcCleanShare',
  'gridFactor',
  'purchasedHeat',
  'scope2Location',
  'scope2Market',
  'fuelCombustion',
  'scope1Remainder',
  'scope1',
  'scope3',
  'offsets12',
  'offsets3',
  'scope12',
  'scope12Net',
  'scope12Intensity',
  'scope12Location',
  'scope123',
  'scope123Net',
  'offsets123',
  'scope3Net',
  'scope3Intensity',
  'scope3IntensityGross',
  'avoided',
  'avoidedCumulative',
] as const;
export type AggregateOutput = (typeof AGGREGATE_OUTPUTS)[number];

export const segmentOutput = (
  id: string,
  q: 'electricity' | 'cleanShare' | 'pue' | 'hourlyCfe' | Instrument,
) => `segment.${id}.${q}`;
export const categoryOutput = (id: string, q: 'gross' | 'net' | 'offsets') => `category.${id}.${q}`;

/** Every output key of a structure, in buffer order. */
export function outputKeysOf(shape: Pick<Shape, 'segments' | 'categories'>): string[] {
  const keys: string[] = [...AGGREGATE_OUTPUTS];
  for (const s of shape.segments) {
    keys.push(segmentOutput(s.id, 'electricity'), segmentOutput(s.id, 'cleanShare'));
    if (s.driver === 'itLoadPue') keys.push(segmentOutput(s.id, 'pue'));
    for (const k of INSTRUMENTS)
      if (s.instruments[k] !== undefined) keys.push(segmentOutput(s.id, k));
    if (s.hourlyCfe !== undefined) keys.push(segmentOutput(s.id, 'hourlyCfe'));
  }
  for (const k of shape.categories) {
    keys.push(
      categoryOutput(k.id, 'gross'),
      categoryOutput(k.id, 'net'),
      categoryOutput(k.id, 'offsets'),
    );
  }
  return keys;
}

/** Clean-power instruments a segment may declare, in kernel order. */
export const INSTRUMENTS = ['onsite', 'ppa', 'eac'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];
export const INSTRUMENT_LABELS: Record<Instrument, string> = {
  onsite: 'On-site',
  ppa: 'PPA',
  eac: 'EAC',
};

/**
 * A declared segment before calibration: names, scope, driver, grid index and which instruments
 * it declares (their base values as declared; electricity and shares are calibrated).
 */
export function segmentShape(org: Organization, id: string, s: Segment): SegmentState {
  const instruments: SegmentState['instruments'] = {};
  for (const k of INSTRUMENTS) if (s.instruments?.[k]) instruments[k] = s.instruments[k].value;
  return {
    id,
    label: s.label,
    scope: s.scope,
    driver: s.driver,
    dataCentre: s.dataCentre ?? s.driver === 'itLoadPue',
    grid: Object.keys(org.grids).indexOf(s.grid),
    remainder: 'remainder' in s.electricity,
    electricity: 0,
    pue: 1,
    cleanShare: 0,
    reported: { pue: s.reported?.pue, cleanShare: s.reported?.cleanShare },
    instruments,
    hourlyCfe: s.hourlyCfe?.value,
  };
}

/** The declared shape without calibration (names only: labels, scopes, drivers). */
export function shapeOf(org: Organization): {
  segments: SegmentState[];
  categories: CategoryState[];
} {
  const segIds = Object.keys(org.segments);
  return {
    segments: Object.entries(org.segments).map(([id, s]) => segmentShape(org, id, s)),
    categories: Object.entries(org.scope3).map(([id, c]) => ({
      id,
      label: c.label,
      category: c.category,
      driver: typeof c.driver === 'string' ? c.driver : 'segment',
      segment: typeof c.driver === 'string' ? -1 : segIds.indexOf(c.driver.segment),
      remainder: c.base !== undefined && 'remainder' in c.base,
      emissions: 0,
      intensity: 0,
    })),
  };
}

/**
 * A category with trajectories and credits of its own: all but "the rest of scope 3" (a
 * remainder that is not a GHG Protocol category), which only closes the reported total.
 */
export const hasOwnRows = (c: Pick<CategoryState, 'remainder' | 'category'>): boolean =>
  !(c.remainder && c.category === 'total');
