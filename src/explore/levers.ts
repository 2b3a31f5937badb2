/**
 * Explorer levers: every number a scenario sets (a constant, a level, a growth rate, a point of a
 * path, an offset setting, or the central value of a distribution), found in the merged scenario,
 * and one for every yearly quantity of the declared organization the scenario leaves at its
 * base-year value (core/structure.ts inputsOf, the fuels); set back into a copy of the scenario,
 * and written as the smallest scenario that `extends` the starting one. Pure: used by
 * `carbonpath explore` (to find the levers) and by the page (to move them).
 */
import { centralValue, isDistribution, type Distribution } from '../core/distributions.js';
import { PARAMETERS } from '../core/parameters.js';
import { v1NameOf, type InputDef } from '../core/structure.js';
import type { ScenarioFile } from '../schema/scenario.js';

export type FieldPath = Array<string>;

export interface Lever {
  /** The field path in the scenario, dotted (for a shared distribution: its first use). */
  id: string;
  group: string;
  label: string;
  unit: string;
  value: number;
  min: number;
  max: number;
  step: number;
  /** Where the range comes from (the scenario's uncertainty, the quantity's bounds, a default). */
  range: string;
  /** Where the default comes from: file:line and the scenario's own words. */
  source: string;
  /** Every place the number lives (a distribution reused under one id lives in several). */
  paths: FieldPath[];
  /** For a distribution: the field that holds its central value (uniform: shifted whole). */
  field?: 'mode' | 'mean' | 'median' | 'shift' | undefined;
}

/** What a lever is before its source line is known. */
export type FoundLever = Omit<Lever, 'source'>;

/** Maps whose keys are ids: a `why` there would be read as one more id. */
const NO_WHY = new Set(['priceMultipliers', 'exchangeRates']);
const SKIP_KEYS = new Set(['why', 'id', 'interpolation', 'dist', '$schema']);

/** Every number of a scenario a planner can move, in document order. */
export function findLevers(s: ScenarioFile): FoundLever[] {
  const levers: FoundLever[] = [];
  const byDistId = new Map<string, FoundLever>();
  const visit = (v: unknown, path: FieldPath): void => {
    if (isDistribution(v)) {
      const shared = v.id !== undefined ? byDistId.get(v.id) : undefined;
      if (shared) {
        shared.paths.push(path);
        return;
      }
      const lever = distributionLever(v, path);
      levers.push(lever);
      if (v.id !== undefined) byDistId.set(v.id, lever);
      return;
    }
    if (typeof v === 'number') {
      levers.push(numberLever(v, path));
      return;
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) if (!SKIP_KEYS.has(k)) visit(x, [...path, k]);
    }
  };
  for (const section of ['constants', 'parameters', 'offsets', 'assumptions'] as const) {
    const v = (s as Record<string, unknown>)[section];
    if (v && typeof v === 'object') visit(v, [section]);
  }
  return levers.map((l) => {
    const path = l.paths[0]!;
    if (path[0] !== 'constants') return { ...l, group: groupOf(path, s) };
    const users = formulaUsers(s, last(path));
    const formula = (p: string) =>
      (valueAt(s.parameters, p.split('.')) as { formula: string }).formula;
    return {
      ...l,
      group: groupOf(path, s),
      unit: users.length
        ? `in ${users.map((u) => `${u} = ${formula(u)}`).join('; ')}`
        : 'a scenario constant',
    };
  });
}

function distributionLever(d: Distribution, path: FieldPath): FoundLever {
  const central = centralValue(d);
  let min: number;
  let max: number;
  if (d.dist === 'normal') {
    min = d.min ?? d.mean - 3 * d.sd;
    max = d.max ?? d.mean + 3 * d.sd;
  } else if (d.dist === 'lognormal') {
    min = d.min ?? d.median * Math.exp(-3 * d.sigma);
    max = d.max ?? d.median * Math.exp(3 * d.sigma);
  } else {
    min = d.min;
    max = d.max;
  }
  const field = {
    normal: 'mean',
    lognormal: 'median',
    triangular: 'mode',
    uniform: 'shift',
  } as const;
  return {
    id: path.join('.'),
    group: '',
    label: labelOf(path) + (d.id ? ` (${d.id})` : ''),
    unit: unitOf(path),
    value: central,
    min: Math.min(min, central),
    max: Math.max(max, central),
    step: stepFor(min, max, central),
    range: `the scenario's uncertainty (${d.dist} ${fmt(min)} to ${fmt(max)})`,
    paths: [path],
    field: field[d.dist],
  };
}

function numberLever(v: number, path: FieldPath): FoundLever {
  const { min, max, range } = rangeOf(v, path);
  return {
    id: path.join('.'),
    group: '',
    label: labelOf(path),
    unit: unitOf(path),
    value: v,
    min,
    max,
    step: stepFor(min, max, v),
    range,
    paths: [path],
  };
}

const last = (path: FieldPath) => path[path.length - 1]!;
const isGrowth = (path: FieldPath) => path.includes('growth');
/** The quantity a parameter path sets (its schema name), if it names one. */
const quantityOf = (path: FieldPath): { min?: number; max?: number; unit: string } | undefined => {
  if (path[0] !== 'parameters') return undefined;
  const p = PARAMETERS[path[1] as keyof typeof PARAMETERS] as
    { min?: number; max?: number; unit: string } | undefined;
  if (p) return p;
  if (['segments', 'grids', 'scope3'].includes(path[1]!)) {
    const q = path[3];
    if (q === 'cleanShare') return { min: 0, max: 100, unit: '%' };
    if (q === 'pue') return { min: 1, unit: '1' };
    if (q === 'factor' || q === 'residualMixRatio') return { min: 0, unit: '' };
    return { min: 0, unit: '' };
  }
  return { min: 0, unit: '' };
};

function rangeOf(v: number, path: FieldPath): { min: number; max: number; range: string } {
  const name = last(path);
  if (path[0] === 'offsets') {
    const fixed: Record<string, [number, number]> = {
      discountRate: [0, 0.2],
      inflation: [0, 0.1],
      purchaseLead: [0, 10],
    };
    const r =
      fixed[name] ??
      (path.includes('removalShare') || path.includes('engineeredShareOfRemovals')
        ? [0, 1]
        : path.includes('priceMultipliers')
          ? [0, Math.max(3, 2 * v)]
          : [v / 2, v * 1.5]);
    return { min: Math.min(r[0], v), max: Math.max(r[1], v), range: 'a planning range (explorer)' };
  }
  if (isGrowth(path)) {
    return {
      min: Math.max(-0.95, Math.min(-0.2, v - 0.2)),
      max: Math.max(0.5, v + 0.2),
      range: 'a growth rate from −20%/yr to +50%/yr (explorer; no uncertainty given)',
    };
  }
  const q = quantityOf(path);
  if (q && q.min !== undefined && q.max !== undefined)
    return { min: q.min, max: q.max, range: "the quantity's bounds" };
  const lo = /pue/i.test(path.join('.')) ? 1 : v >= 0 ? 0 : 2 * v;
  const hi = v > 0 ? 2 * v : v < 0 ? 0 : 1;
  return {
    min: q?.min !== undefined ? Math.max(q.min, lo) : lo,
    max: Math.max(hi, lo + 1e-9),
    range: 'from zero to twice the default (explorer; no uncertainty given)',
  };
}

/**
 * A step of about 1/200 of the range, a power of ten. Sliders step on a grid through the
 * default, so the default stays reachable whatever the step.
 */
function stepFor(min: number, max: number, v: number): number {
  const span = Math.max(max - min, Math.abs(v), 1e-9);
  return 10 ** Math.floor(Math.log10(span / 200));
}

export function decimalsOf(x: number): number {
  const s = String(x);
  if (s.includes('e-'))
    return Number(s.split('e-')[1]) + (s.split('.')[1]?.split('e')[0]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));

function labelOf(path: FieldPath): string {
  const parts = path.slice(1).filter((p) => p !== 'points');
  const readable = parts.map((p) => (/^\d{4}$/.test(p) ? `FY${p}` : p));
  return readable.join(' · ');
}

function unitOf(path: FieldPath): string {
  const name = last(path);
  if (path[0] === 'offsets') {
    if (name === 'discountRate' || name === 'inflation') return 'fraction per year';
    if (name === 'purchaseLead') return 'years';
    if (path.includes('priceMultipliers')) return '× file price';
    if (path.includes('exchangeRates')) return 'per unit of currency';
    return 'fraction (0–1)';
  }
  if (path[0] === 'assumptions') return '';
  if (isGrowth(path)) return 'fraction per year';
  return quantityOf(path)?.unit ?? '';
}

const GROUPS: Array<[RegExp, string]> = [
  [/^offsets/, 'Credits and prices'],
  [/avoided/, 'Scope 3+ avoided emissions'],
  [/fuels|scope1|Heat/, 'Scope 1 fuels and heat'],
  [/CleanShare|cleanShare|Clean|\.(onsite|ppa|eac|hourlyCfe)\./, 'Clean-power procurement'],
  [/grid|residualMix/i, 'Grid'],
  [/ItLoad|itLoad|Pue|pue|Electricity|electricity|dcLoad/, 'Data centres and electricity'],
  [/scope3|Scope3|revenue/, 'Revenue and scope 3'],
];

/** A group by what the number moves; a constant by the first formula that names it. */
function groupOf(path: FieldPath, s: ScenarioFile): string {
  let key = path.join('.');
  if (path[0] === 'constants') {
    const user = formulaUsers(s, last(path))[0];
    key = user ? `parameters.${user}` : key;
  }
  return GROUPS.find(([re]) => re.test(key))?.[1] ?? 'Other';
}

/** The parameters whose formula names `constant`. */
export function formulaUsers(s: ScenarioFile, constant: string): string[] {
  const users: string[] = [];
  const word = new RegExp(`\\b${constant.replace(/[^A-Za-z0-9_]/g, '')}\\b`);
  const visit = (v: unknown, path: string[]) => {
    if (!v || typeof v !== 'object') return;
    const f = (v as { formula?: unknown }).formula;
    if (typeof f === 'string' && word.test(f)) users.push(path.join('.'));
    for (const [k, x] of Object.entries(v)) if (k !== 'formula') visit(x, [...path, k]);
  };
  visit(s.parameters, []);
  return users;
}

const child = (o: unknown, k: string): unknown =>
  o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;

/** The value at a field path. */
export function valueAt(s: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>(child, s);
}

/**
 * The object that holds the last key of `path`, made (as empty objects) where the scenario has
 * none: a quantity the scenario leaves unset gets its first path here.
 */
function holderAt(s: Record<string, unknown>, path: FieldPath): Record<string, unknown> {
  let at = s;
  for (const k of path.slice(0, -1)) {
    const next = at[k];
    if (next && typeof next === 'object') at = next as Record<string, unknown>;
    else at = at[k] = {};
  }
  return at;
}

/** A copy of the scenario with each lever at its value (levers not given keep theirs). */
export function applyLevers(
  s: ScenarioFile,
  levers: ReadonlyArray<Pick<Lever, 'id' | 'value' | 'paths' | 'field'>>,
  values: ReadonlyMap<string, number>,
): ScenarioFile {
  const copy = structuredClone(s) as Record<string, unknown>;
  for (const l of levers) {
    const v = values.get(l.id);
    if (v === undefined || v === l.value) continue;
    for (const path of l.paths) {
      const holder = holderAt(copy, path);
      const key = last(path);
      if (!l.field) {
        holder[key] = v;
        continue;
      }
      const d = { ...(holder[key] as Record<string, number>) };
      if (l.field === 'shift') {
        const half = (d.max! - d.min!) / 2;
        d.min = v - half;
        d.max = v + half;
      } else d[l.field] = v;
      holder[key] = d;
    }
  }
  return copy as ScenarioFile;
}

/**
 * The smallest scenario that `extends` the starting one and gives `changed` (the starting
 * scenario with levers moved) when merged as load-scenario.ts merges: per key under constants,
 * offsets, assumptions, parameters.fuels and parameters.avoided; a whole quantity under
 * parameters. Each quantity written gets a `why` to fill in.
 */
export function scenarioDelta(
  start: ScenarioFile,
  changed: ScenarioFile,
  describe: (path: FieldPath) => string,
): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  const put = (section: string, key: string, v: unknown) => ((out[section] ??= {})[key] = v);
  const withWhy = (v: unknown, path: FieldPath): unknown =>
    v && typeof v === 'object' && !isDistribution(v) && !NO_WHY.has(last(path))
      ? { ...(v as object), why: `TODO: say why — ${describe(path)}` }
      : v;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const section of ['constants', 'offsets', 'assumptions'] as const) {
    const a = (start[section] ?? {}) as Record<string, unknown>;
    const b = (changed[section] ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(b))
      if (!same(a[k], b[k])) put(section, k, withWhy(b[k], [section, k]));
  }
  const a = (start.parameters ?? {}) as Record<string, unknown>;
  const b = (changed.parameters ?? {}) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const k of Object.keys(b)) {
    if (same(a[k], b[k])) continue;
    if (k === 'fuels' || k === 'avoided') {
      // merged per id: only the changed ones
      const inner: Record<string, unknown> = {};
      const ak = (a[k] ?? {}) as Record<string, unknown>;
      for (const [id, v] of Object.entries(b[k] as Record<string, unknown>))
        if (!same(ak[id], v)) inner[id] = withWhy(v, ['parameters', k, id]);
      params[k] = inner;
    } else if (k === 'segments' || k === 'grids' || k === 'scope3') {
      // replaced whole by a child: every id, the changed quantities with a why
      const group: Record<string, Record<string, unknown>> = {};
      for (const [id, qs] of Object.entries(b[k] as Record<string, Record<string, unknown>>)) {
        group[id] = {};
        for (const [q, v] of Object.entries(qs)) {
          const changedHere = !same(valueAt(a, [k, id, q]), v);
          group[id][q] = changedHere ? withWhy(v, ['parameters', k, id, q]) : v;
        }
      }
      params[k] = group;
    } else params[k] = withWhy(b[k], ['parameters', k]);
  }
  if (Object.keys(params).length) out.parameters = params;
  return out;
}

/** A yearly quantity of the organization with its base-year value (an input, a fuel). */
export type Quantity = Pick<InputDef, 'key' | 'unit' | 'min' | 'max' | 'default' | 'base'> & {
  description: string;
};

/** Growth levers of an unset quantity: −20%/yr to +50%/yr (documented in docs/explorer.md). */
const UNSET_GROWTH = { min: -0.2, max: 0.5 };
/** An unset ratio (PUE, residual-mix ratio) moves up to twice its base-year value (PUE ≥ 1). */
const UNSET_RATIO_TIMES = 2;

/** Whether the merged scenario gives `key` (under parameters.) a path, by its name or v1 name. */
export function scenarioSets(s: ScenarioFile, key: string): boolean {
  const params = s.parameters as Record<string, unknown> | undefined;
  if (valueAt(params, key.split('.')) !== undefined) return true;
  const v1 = v1NameOf(key);
  return v1 !== undefined && params?.[v1] !== undefined;
}

/**
 * A lever for every quantity the scenario leaves at its base-year value (the `hold` rule): a
 * share (%) or ratio (PUE, residual-mix ratio) as its level in the last year, linear from the base
 * year (points: {endYear: v}); anything else not zero as an annual growth rate. At its default it
 * writes nothing, so the run is the scenario's own. Quantities whose default is zero (credits
 * retired) are not levers here: credits are bought by the offsets strategy, whose numbers are.
 */
export function unsetLevers(
  s: ScenarioFile,
  quantities: readonly Quantity[],
  at: { baseYear: number; endYear: number; scenarioFile: string; baseFrom: string },
): Lever[] {
  const out: Lever[] = [];
  for (const q of quantities) {
    if (q.default !== 'hold' || scenarioSets(s, q.key)) continue;
    const base = q.base;
    // the default shown and stepped from: 4 significant digits (at it, nothing is written)
    const shown = Number(base.toPrecision(4));
    const held =
      `not set by ${at.scenarioFile}: held at its FY${at.baseYear} value ` +
      `${fmt(base)}${q.unit && q.unit !== '1' ? ` ${q.unit}` : ''} (calibrated from ` +
      `${at.baseFrom}) — ${q.description}`;
    const level = q.unit === '%' || q.unit === '1';
    const quantity = ['parameters', ...q.key.split('.')];
    if (level) {
      const path = [...quantity, 'points', String(at.endYear)];
      const min = q.min ?? 0;
      const max = q.max ?? Number((UNSET_RATIO_TIMES * shown).toPrecision(4));
      out.push({
        id: path.join('.'),
        group: groupOf(path, s),
        label: `${labelOf(quantity)} in FY${at.endYear}`,
        unit: `${q.unit === '1' ? 'ratio' : '%'}, linear from FY${at.baseYear}`,
        value: shown,
        min: Math.min(min, shown),
        max: Math.max(max, min + 1, shown),
        step: stepFor(min, max, shown),
        range:
          q.max !== undefined
            ? "the quantity's bounds"
            : `${fmt(min)} to twice the base-year value (explorer; no uncertainty given)`,
        source: held,
        paths: [path],
      });
    } else if (base !== 0) {
      // (a quantity at zero has nothing to grow: no lever)
      const path = [...quantity, 'growth'];
      out.push({
        id: path.join('.'),
        group: groupOf(path, s),
        label: labelOf(path),
        unit: 'fraction per year',
        value: 0,
        ...UNSET_GROWTH,
        step: stepFor(UNSET_GROWTH.min, UNSET_GROWTH.max, 0),
        range: 'a growth rate from −20%/yr to +50%/yr (explorer; no uncertainty given)',
        source: held,
        paths: [path],
      });
    }
  }
  return out;
}
