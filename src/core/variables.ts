/**
 * The output variables (IAMC-style names, so the iamc format loads into pyam) and where
 * their actual values come from.
 */
import type { BaseState, CategoryState, SegmentState } from './calibrate.js';
import { V } from './calibrate.js';
import type { Inventory } from './inventory.js';
import type { OutputKey } from './model.js';
import {
  categoryOutput,
  hasOwnRows,
  INSTRUMENT_LABELS,
  INSTRUMENTS,
  segmentOutput,
} from './structure.js';

export interface ActualValue {
  value: number;
  provenance: 'reported' | 'derived';
  source: string;
}

export interface VariableDef {
  name: string;
  unit: string;
  key: OutputKey;
  /** The actual value in `year`, or undefined when not reported. */
  actual: (inv: Inventory, base: BaseState, year: number) => ActualValue | undefined;
  /** What the organization must report for this variable to be modelled at all. */
  needs: string[];
}

/**
 * Modelled for this organization: it reports everything the variable needs (else: no rows, not
 * zeros).
 */
export const isModelled = (def: VariableDef, base: BaseState): boolean =>
  def.needs.every((c) => base.coverage[c] === true);
/** The variable's unit in the organization's currency (units are written for CNY). */
export const unitIn = (def: VariableDef, base: BaseState): string =>
  def.unit.replace('CNY', base.currency);

const cite = (inv: Inventory, variable: string, year: number): ActualValue | undefined => {
  const r = inv.row(variable, year);
  return r
    ? {
        value: r.value,
        provenance: r.provenance === 'reported' ? 'reported' : 'derived',
        source: r.source,
      }
    : undefined;
};
const reported = (variable: string) => (inv: Inventory, _b: BaseState, y: number) =>
  cite(inv, variable, y);
const none = () => undefined;

function sum(
  inv: Inventory,
  y: number,
  variables: string[],
  label: string,
): ActualValue | undefined {
  let value = 0;
  for (const v of variables) {
    const x = inv.value(v, y);
    if (x === undefined) return undefined;
    value += x;
  }
  return { value, provenance: 'derived', source: label };
}

const FIXED: VariableDef[] = [
  {
    name: 'Emissions|Scope 1',
    needs: ['scope1'],
    unit: 't CO2e',
    key: 'scope1',
    actual: reported(V.scope1),
  },
  {
    name: 'Emissions|Scope 2|Location-based',
    needs: ['scope2Location'],
    unit: 't CO2e',
    key: 'scope2Location',
    actual: reported(V.scope2Location),
  },
  {
    name: 'Emissions|Scope 2|Market-based',
    needs: ['scope2'],
    unit: 't CO2e',
    key: 'scope2Market',
    actual: reported(V.scope2Market),
  },
  {
    name: 'Emissions|Scope 3',
    needs: ['scope3'],
    unit: 't CO2e',
    key: 'scope3',
    actual: reported(V.scope3),
  },
  {
    name: 'Emissions|Scope 1+2',
    needs: ['scope1', 'scope2'],
    unit: 't CO2e',
    key: 'scope12',
    actual: (inv, _b, y) =>
      sum(inv, y, [V.scope1, V.scope2Market], 'scope 1 + market-based scope 2'),
  },
  {
    name: 'Emissions|Scope 1+2|Net',
    needs: ['scope1', 'scope2'],
    unit: 't CO2e',
    key: 'scope12Net',
    actual: (inv, _b, y) =>
      sum(inv, y, [V.scope1Net, V.scope2MarketNet], 'scope 1 net + market-based scope 2 net'),
  },
  {
    name: 'Intensity|Scope 1+2|Net',
    needs: ['scope1', 'scope2', 'revenue'],
    unit: 't CO2e/M CNY',
    key: 'scope12Intensity',
    actual: (inv, _b, y) => {
      const n = sum(inv, y, [V.scope1Net, V.scope2MarketNet], '');
      const r = inv.value(V.revenue, y);
      return n && r
        ? {
            value: n.value / r,
            provenance: 'derived',
            source: '(scope 1 net + market-based scope 2 net) ÷ revenue',
          }
        : undefined;
    },
  },
  {
    name: 'Emissions|Scope 1+2|Location-based',
    needs: ['scope1', 'scope2Location'],
    unit: 't CO2e',
    key: 'scope12Location',
    actual: (inv, _b, y) =>
      sum(inv, y, [V.scope1, V.scope2Location], 'scope 1 + location-based scope 2'),
  },
  {
    name: 'Emissions|Scope 1+2+3',
    needs: ['scope1', 'scope2', 'scope3'],
    unit: 't CO2e',
    key: 'scope123',
    actual: reported('Emissions|Scope 1+2+3'),
  },
  {
    name: 'Emissions|Scope 1+2+3|Net',
    needs: ['scope1', 'scope2', 'scope3'],
    unit: 't CO2e',
    key: 'scope123Net',
    actual: reported('Emissions|Scope 1+2+3|Net'),
  },
  {
    name: 'Emissions|Scope 3|Net',
    needs: ['scope3'],
    unit: 't CO2e',
    key: 'scope3Net',
    actual: reported(V.scope3Net),
  },
  {
    name: 'Intensity|Scope 3',
    needs: ['scope3', 'revenue'],
    unit: 't CO2e/M CNY',
    key: 'scope3Intensity',
    actual: reported(V.scope3Intensity),
  },
  {
    name: 'Intensity|Scope 3|Gross',
    needs: ['scope3', 'revenue'],
    unit: 't CO2e/M CNY',
    key: 'scope3IntensityGross',
    actual: (inv, _b, y) => {
      const s3 = inv.value(V.scope3, y);
      const r = inv.value(V.revenue, y);
      return s3 !== undefined && r
        ? { value: s3 / r, provenance: 'derived', source: 'scope 3 (before credits) ÷ revenue' }
        : undefined;
    },
  },
  {
    name: 'Revenue',
    needs: ['revenue'],
    unit: 'M CNY',
    key: 'revenue',
    actual: reported(V.revenue),
  },
  {
    name: 'Electricity|Purchased',
    needs: ['scope2'],
    unit: 'MWh',
    key: 'electricity',
    actual: reported(V.electricity),
  },
  {
    name: 'Electricity|Clean Share',
    needs: ['scope2'],
    unit: '%',
    key: 'cleanShare',
    actual: reported(V.cleanShare),
  },
  {
    name: 'Heat|Purchased',
    needs: ['scope2'],
    unit: 'MWh',
    key: 'purchasedHeat',
    actual: reported(V.heat),
  },
  {
    name: 'Grid Emission Factor',
    needs: ['scope2Location'],
    unit: 't CO2e/MWh',
    key: 'gridFactor',
    actual: (inv, base, y) => {
      const lb = inv.value(V.scope2Location, y);
      const e = inv.value(V.electricity, y);
      if (lb === undefined || e === undefined || e === 0) return undefined;
      const heat = inv.value(V.heat, y) ?? 0;
      return {
        value: (lb - heat * base.heatFactor) / e,
        provenance: 'derived',
        source: '(location-based scope 2 − heat × heatFactor) ÷ electricity',
      };
    },
  },
  {
    name: 'Offsets|Scope 1+2',
    needs: ['scope1', 'scope2'],
    unit: 't CO2e',
    key: 'offsets12',
    actual: (inv, _b, y) => sum(inv, y, [V.offsets1, V.offsets2], 'scope 1 + scope 2 credits'),
  },
  {
    name: 'Offsets|Scope 3',
    needs: ['scope3'],
    unit: 't CO2e',
    key: 'offsets3',
    actual: reported(V.offsets3),
  },
  {
    name: 'Avoided Emissions|Scope 3+',
    needs: ['avoided'],
    unit: 't CO2e',
    key: 'avoided',
    actual: reported(V.avoided),
  },
  {
    name: 'Avoided Emissions|Scope 3+|Cumulative',
    needs: ['avoided'],
    unit: 't CO2e',
    key: 'avoidedCumulative',
    actual: (inv, base, y) => {
      if (y < base.avoidedWindowStart || inv.value(V.avoided, y) === undefined) return undefined;
      let value = 0;
      for (let k = base.avoidedWindowStart; k <= y; k++) value += inv.value(V.avoided, k) ?? 0;
      return {
        value,
        provenance: 'derived',
        source: `Σ scope 3+ avoided emissions FY${base.avoidedWindowStart}–FY${y}`,
      };
    },
  },
];

const fixed = (name: string): VariableDef => FIXED.find((d) => d.name === name)!;
type Shape = Pick<BaseState, 'segments' | 'categories'>;
const cache = new WeakMap<Shape, VariableDef[]>();

/**
 * The output variables of one calibrated structure, in trajectories.csv order: the totals,
 * then each declared segment and scope 3 category under its label ("the rest of scope 3"
 * has no rows of its own: hasOwnRows; a remainder segment has no clean share of its own).
 */
export function variablesOf(base: Shape): VariableDef[] {
  const hit = cache.get(base);
  if (hit) return hit;
  const segs = base.segments;
  const cats = base.categories.filter(hasOwnRows);
  const catNeeds = (c: CategoryState) => [`category:${c.id}`];
  const segNeeds = (s: SegmentState) => (s.remainder ? ['scope2'] : [`segment:${s.id}`]);
  const list: VariableDef[] = [
    ...FIXED.slice(
      0,
      FIXED.findIndex((d) => d.name === 'Intensity|Scope 3'),
    ),
    ...cats.flatMap((c): VariableDef[] => [
      {
        name: `Emissions|Scope 3|${c.label}`,
        needs: catNeeds(c),
        unit: 't CO2e',
        key: categoryOutput(c.id, 'gross'),
        actual: none,
      },
      {
        name: `Emissions|Scope 3|${c.label}|Net`,
        needs: catNeeds(c),
        unit: 't CO2e',
        key: categoryOutput(c.id, 'net'),
        actual: none,
      },
    ]),
    fixed('Intensity|Scope 3'),
    fixed('Intensity|Scope 3|Gross'),
    fixed('Revenue'),
    fixed('Electricity|Purchased'),
    ...segs
      .filter((s) => s.scope === 2)
      .map((s) => ({
        name: `Electricity|Purchased|${s.label}`,
        needs: segNeeds(s),
        unit: 'MWh',
        key: segmentOutput(s.id, 'electricity'),
        actual: none,
      })),
    ...segs
      .filter((s) => s.scope === 3)
      .map((s) => ({
        name: `Electricity|${s.label}`,
        needs: segNeeds(s),
        unit: 'MWh',
        key: segmentOutput(s.id, 'electricity'),
        actual: none,
      })),
    fixed('Electricity|Clean Share'),
    ...segs
      .filter((s) => !s.remainder)
      .map((s) => ({
        name: `Electricity|Clean Share|${s.label}`,
        needs: segNeeds(s),
        unit: '%',
        key: segmentOutput(s.id, 'cleanShare'),
        actual: s.reported.cleanShare ? reported(s.reported.cleanShare) : none,
      })),
    // the instruments a segment declares, and its hourly-matched share (tracked only)
    ...segs.flatMap((s) => [
      ...INSTRUMENTS.filter((k) => s.instruments[k] !== undefined).map((k) => ({
        name: `Electricity|Clean Share|${s.label}|${INSTRUMENT_LABELS[k]}`,
        needs: segNeeds(s),
        unit: '%',
        key: segmentOutput(s.id, k),
        actual: none,
      })),
      ...(s.hourlyCfe !== undefined
        ? [
            {
              name: `Electricity|Hourly CFE|${s.label}`,
              needs: segNeeds(s),
              unit: '%',
              key: segmentOutput(s.id, 'hourlyCfe'),
              actual: none,
            },
          ]
        : []),
    ]),
    ...(segs.some((s) => s.dataCentre)
      ? [
          {
            name: 'Electricity|Clean Share|Data Centres',
            // every data-centre segment, or the share would silently be that of the others
            needs: [
              'dataCentres',
              ...segs.filter((x) => x.dataCentre).map((x) => `segment:${x.id}`),
            ],
            unit: '%',
            key: 'dcCleanShare',
            actual: none,
          },
        ]
      : []),
    fixed('Heat|Purchased'),
    ...segs
      .filter((s) => s.driver === 'itLoadPue')
      .map((s) => ({
        name: `PUE|${s.label}`,
        needs: segNeeds(s),
        unit: '1',
        key: segmentOutput(s.id, 'pue'),
        actual: s.reported.pue ? reported(s.reported.pue) : none,
      })),
    fixed('Grid Emission Factor'),
    fixed('Offsets|Scope 1+2'),
    fixed('Offsets|Scope 3'),
    {
      // every credit retired: against scope 1+2, scope 3, a category or all scopes at once
      name: 'Offsets|Scope 1+2+3',
      needs: ['scope1', 'scope2', 'scope3'],
      unit: 't CO2e',
      key: 'offsets123',
      actual: reported('Offsets|Total'),
    },
    ...cats.map((c) => ({
      name: `Offsets|Scope 3|${c.label}`,
      needs: catNeeds(c),
      unit: 't CO2e',
      key: categoryOutput(c.id, 'offsets'),
      actual: none,
    })),
    fixed('Avoided Emissions|Scope 3+'),
    fixed('Avoided Emissions|Scope 3+|Cumulative'),
  ];
  cache.set(base, list);
  return list;
}

/** A variable of this structure by name. */
export const variableOf = (base: Shape, name: string): VariableDef | undefined =>
  variablesOf(base).find((d) => d.name === name);

/** What a coverage key means, for "the inventory has no … data" messages. */
export const coverageName = (c: string): string =>
  c.startsWith('segment:')
    ? `${c.slice(8)} electricity`
    : c.startsWith('category:')
      ? `${c.slice(9)} scope 3`
      : c;

/** The variables DESIGN.md requires in every trajectories.csv. */
export const CONTRACT_VARIABLES = [
  'Emissions|Scope 1',
  'Emissions|Scope 2|Location-based',
  'Emissions|Scope 2|Market-based',
  'Emissions|Scope 3',
  'Emissions|Scope 1+2|Net',
  'Intensity|Scope 3',
  'Revenue',
  'Electricity|Purchased',
  'Electricity|Clean Share',
  'PUE|Self-built DC',
  'Grid Emission Factor',
  'Avoided Emissions|Scope 3+',
  'Avoided Emissions|Scope 3+|Cumulative',
] as const;
