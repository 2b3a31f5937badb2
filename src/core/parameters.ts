/**
 * Every yearly quantity a scenario can set. Each has a base-year value that comes from
 * calibration (see calibrate.ts) and a path after it that the scenario gives; when the
 * scenario says nothing the default rule applies: `hold` keeps the base-year value, `zero`
 * is zero (used for credit purchases, which no scenario should get by accident).
 */
export interface ParameterDef {
  unit: string;
  description: string;
  min?: number;
  max?: number;
  default: 'hold' | 'zero';
}

export const PARAMETERS = {
  revenue: {
    unit: 'M CNY',
    min: 0,
    default: 'hold',
    description:
      'Group revenue, the denominator of every intensity (the base year is derived from the ' +
      'reported intensities).',
  },
  selfBuiltItLoad: {
    unit: 'MWh',
    min: 0,
    default: 'hold',
    description:
      'IT electricity of self-built data centres; their purchased electricity is IT load × PUE.',
  },
  selfBuiltPue: {
    unit: '1',
    min: 1,
    default: 'hold',
    description: 'Annual average power usage effectiveness of self-built data centres.',
  },
  selfBuiltCleanShare: {
    unit: '%',
    min: 0,
    max: 100,
    default: 'hold',
    description: 'Clean-electricity share of self-built data centres.',
  },
  otherElectricity: {
    unit: 'MWh',
    min: 0,
    default: 'hold',
    description:
      'Purchased electricity of all operations other than self-built data centres (campuses, ' +
      'logistics, retail).',
  },
  otherCleanShare: {
    unit: '%',
    min: 0,
    max: 100,
    default: 'hold',
    description:
      'Clean-electricity share of the other operations (base year derived so that the group ' +
      'share is reproduced).',
  },
  leasedItLoad: {
    unit: 'MWh',
    min: 0,
    default: 'hold',
    description: 'IT electricity of leased data centres (scope 3: the landlord buys the power).',
  },
  leasedPue: {
    unit: '1',
    min: 1,
    default: 'hold',
    description: 'Annual average PUE of leased data centres.',
  },
  leasedCleanShare: {
    unit: '%',
    min: 0,
    max: 100,
    default: 'hold',
    description: 'Clean-electricity share of leased data centres.',
  },
  gridFactor: {
    unit: 't CO2e/MWh',
    min: 0,
    default: 'hold',
    description:
      'Location-based grid emission factor (electricity only; base year derived from ' +
      'location-based scope 2).',
  },
  residualMixRatio: {
    unit: '1',
    min: 0,
    default: 'hold',
    description:
      'Market-based residual-mix factor divided by the location-based grid factor ' +
      '(calibration term, base year ≈ 1.02).',
  },
  purchasedHeat: {
    unit: 'MWh',
    min: 0,
    default: 'hold',
    description: 'Purchased heat (scope 2, no clean-power credit).',
  },
  scope1Remainder: {
    unit: 't CO2e',
    default: 'hold',
    description:
      'Scope 1 not explained by fuel combustion (refrigerants and other process emissions; ' +
      'calibration term).',
  },
  scope3OtherIntensity: {
    unit: 't CO2e/M CNY',
    min: 0,
    default: 'hold',
    description: 'Scope 3 other than leased data centres, per million of revenue.',
  },
  offsetsScope1: {
    unit: 't CO2e',
    min: 0,
    default: 'zero',
    description: 'Carbon credits retired against scope 1.',
  },
  offsetsScope2: {
    unit: 't CO2e',
    min: 0,
    default: 'zero',
    description: 'Carbon credits retired against scope 2.',
  },
  offsetsScope3: {
    unit: 't CO2e',
    min: 0,
    default: 'zero',
    description: 'Carbon credits retired against scope 3.',
  },
} as const satisfies Record<string, ParameterDef>;

export type ParameterName = keyof typeof PARAMETERS;
export const PARAMETER_NAMES = Object.keys(PARAMETERS) as ParameterName[];

/** Families keyed by an id the organization defines (fuel, scope 3+ programme). */
export const FAMILIES = {
  fuels: {
    unit: 'organization fuel unit',
    min: 0,
    default: 'hold',
    description: 'Consumption of each fuel the organization lists (key = fuel id, e.g. diesel).',
  },
  avoided: {
    unit: 't CO2e',
    min: 0,
    default: 'hold',
    description:
      'Scope 3+ avoided emissions of each programme the organization lists (key = programme id).',
  },
} as const satisfies Record<string, ParameterDef>;

export type FamilyName = keyof typeof FAMILIES;

/** Structural base-year assumptions a scenario may override (`assumptions:` block). */
export const ASSUMPTIONS = {
  selfBuiltDcElectricityShare: {
    unit: 'fraction',
    min: 0,
    max: 1,
    description: 'Share of base-year purchased electricity used by self-built data centres.',
  },
  heatFactor: {
    unit: 't CO2e/MWh',
    min: 0,
    description: 'Emission factor of purchased heat.',
  },
  leasedDcElectricity: {
    unit: 'MWh',
    min: 0,
    description:
      'Base-year electricity of leased data centres (default derived from their reported ' +
      'reductions).',
  },
} as const satisfies Record<string, Omit<ParameterDef, 'default'>>;

export type AssumptionName = keyof typeof ASSUMPTIONS;
