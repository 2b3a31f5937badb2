/**
 * From a (merged) scenario and a calibrated organization to yearly inputs and outputs.
 * compileScenario parses and checks once; resolveInputs + simulate run a path (the
 * deterministic one uses every uncertain number's central value).
 */
import type { ScenarioFile } from '../schema/scenario.js';
import type { Organization } from '../schema/organization.js';
import { calibrate, DataError, type BaseState } from './calibrate.js';
import { evalShare, shareCode, type DerivedBase } from './share-bases.js';
import type { ParseFn } from './formula.js';
import type { Inventory } from './inventory.js';
import {
  allocateInputs as allocateModelInputs,
  allocateOutputs,
  flatInputsOf,
  simulate,
  type Outputs,
  type ResolvedInputs,
} from './model.js';
import { FAMILIES, type ParameterName } from './parameters.js';
import { INSTRUMENTS, V1_PARAMETERS, v1NameOf, type InputDef } from './structure.js';
import {
  axisLength,
  checkBounds,
  compileResolver,
  resolverPlan,
  SpecError,
  specInterval,
  type Axis,
  type Resolver,
  type ResolverPlan,
  type Samples,
} from './resolve.js';
import type { FusedInput } from './kernel.js';
import { compileResolverProgram, type ResolveAllFn } from './resolve-kernel.js';
import {
  centralSamples,
  extractUncertainty,
  isSlot,
  UncertaintyError,
  type UncertainNumber,
} from './uncertainty.js';
import { centralValue, isDistribution, support } from './distributions.js';
import { widen, type Interval } from './formula.js';

/** A problem in one field of a scenario; the I/O layer adds the file and line. */
export class FieldError extends Error {
  constructor(
    readonly path: Array<string | number>,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

interface Bounded {
  resolver: Resolver;
  /** The same spec as data, for the generated Monte Carlo resolvers (resolve-kernel.ts). */
  plan: ResolverPlan;
  /** Depends on an uncertain number (else it is the same on every path). */
  uncertain: boolean;
  base: number;
  min?: number | undefined;
  max?: number | undefined;
  /**
   * Proven (interval arithmetic over its distributions' supports) never to leave [min, max]:
   * Monte Carlo skips the check.
   */
  withinBounds: boolean;
  unit: string;
  path: Array<string | number>;
  /** A base-year value that depends on a drawn assumption (the share of electricity). */
  derived?: DerivedBase | undefined;
}

export interface CompiledScenario {
  name: string;
  /** The merged scenario as written (distributions included). */
  scenario: ScenarioFile;
  /** The same with every distribution replaced by a sample slot. */
  slotted: ScenarioFile;
  base: BaseState;
  axis: Axis;
  uncertain: UncertainNumber[];
  /** Central value of every uncertain number: the deterministic run. */
  central: Float64Array;
  /** By input key (base.inputs). */
  params: Record<string, Bounded>;
  fuels: Bounded[];
  avoided: Bounded[];
  parse: ParseFn | undefined;
  /** Scenario points the base year has overtaken (ignored), e.g. after new actuals: field paths. */
  superseded: string[];
}

/**
 * Whether a (slotted) spec reads an uncertain number: a slot in it, or a formula naming an
 * uncertain constant.
 */
export function dependsOnUncertain(spec: unknown, slotted: ScenarioFile): boolean {
  if (JSON.stringify(spec ?? null).includes('"__slot"')) return true;
  const formula = (spec as { formula?: string } | undefined)?.formula;
  if (formula === undefined) return false;
  return Object.entries(slotted.constants ?? {}).some(
    ([k, v]) => typeof v !== 'number' && new RegExp(`\\b${k}\\b`).test(formula),
  );
}

export const scenarioHasFormula = (s: ScenarioFile): boolean =>
  JSON.stringify(s).includes('"formula"');

function withPath<T>(path: Array<string | number>, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpecError)
      throw new FieldError([...path, ...(e.subPath ? e.subPath.split('.') : [])], e.message, e.fix);
    throw e;
  }
}

export function compileScenario(
  name: string,
  scenario: ScenarioFile,
  org: Organization,
  inv: Inventory,
  endYear: number,
  parse: ParseFn | undefined,
): CompiledScenario {
  // the assumptions for this basis: what calibration and the draws read
  const forBasis = assumptionsForBasis(scenario, org, inv.basis);
  const base = calibrate(org, inv, centralAssumptions(forBasis), drawnText(forBasis));
  if (endYear <= base.baseYear) {
    throw new FieldError(
      [],
      `the end year ${endYear} is not after the base year ${base.baseYear}`,
      `use --to ${base.baseYear + 1} or later`,
    );
  }
  let slotted: ScenarioFile;
  let uncertain: UncertainNumber[];
  try {
    ({ scenario: slotted, numbers: uncertain } = extractUncertainty(forBasis));
  } catch (e) {
    if (e instanceof UncertaintyError) throw new FieldError(e.path, e.message, e.fix);
    throw e;
  }
  const axis = { baseYear: base.baseYear, endYear };
  const superseded: string[] = [];
  let currentPath = '';
  const ctx = (rule: 'hold' | 'zero') => ({
    axis,
    rule,
    constants: slotted.constants ?? {},
    parse,
    superseded: (year: number) => superseded.push(`${currentPath}.points.${year}`),
  });
  const isUncertain = (spec: unknown): boolean => dependsOnUncertain(spec, slotted);
  const slotRange = (k: number): Interval => widen(support(uncertain[k]!.dist), 4);
  const proven = (
    spec: unknown,
    base: number,
    rule: 'hold' | 'zero',
    min: number | undefined,
    max: number | undefined,
  ): boolean => {
    if (min === undefined && max === undefined) return true;
    const [lo, hi] = specInterval(spec, base, ctx(rule), slotRange);
    return lo >= (min ?? -Infinity) - 1e-9 && hi <= (max ?? Infinity) + 1e-9;
  };
  const derived = derivedBases(org, inv, base, forBasis, slotted, uncertain);
  const ps = (slotted.parameters ?? {}) as Record<string, unknown>;
  const params: Record<string, Bounded> = {};
  for (const [def, spec, path] of locateSpecs(base, ps)) {
    currentPath = path.join('.');
    const resolver = withPath(path, () => compileResolver(spec, ctx(def.default)));
    const from = derived[def.key];
    const bounded = def.min !== undefined || def.max !== undefined;
    params[def.key] = {
      resolver,
      plan: resolverPlan(spec, ctx(def.default)),
      uncertain: isUncertain(spec) || from !== undefined,
      base: def.base,
      min: def.min,
      max: def.max,
      unit: def.unit,
      path,
      // a drawn base-year value: its later years are held within bounds on each path
      withinBounds: from ? !bounded : proven(spec, def.base, def.default, def.min, def.max),
      derived: from,
    };
  }
  const family = (
    fam: 'fuels' | 'avoided',
    items: Array<{ id: string; base: number; unit: string }>,
  ): Bounded[] => {
    let given = (ps[fam] ?? {}) as Record<string, unknown>;
    if (fam === 'avoided' && base.avoidedTotalOnly) given = totalSpec(given);
    const ids = items.map((x) => x.id);
    for (const key of Object.keys(given)) {
      if (!ids.includes(key)) {
        throw new FieldError(
          ['parameters', fam, key],
          `unknown ${fam === 'fuels' ? 'fuel' : 'programme'} '${key}'`,
          `use one the organization defines: ${ids.join(', ') || '(none)'}`,
        );
      }
    }
    return items.map((it) => {
      const path = ['parameters', fam, it.id];
      currentPath = path.join('.');
      const resolver = withPath(path, () =>
        compileResolver(given[it.id], ctx(FAMILIES[fam].default)),
      );
      return {
        resolver,
        plan: resolverPlan(given[it.id], ctx(FAMILIES[fam].default)),
        uncertain: isUncertain(given[it.id]),
        base: it.base,
        min: 0,
        unit: it.unit,
        path,
        withinBounds: proven(given[it.id], it.base, FAMILIES[fam].default, 0, undefined),
      };
    });
  };
  return {
    name,
    scenario,
    slotted,
    base,
    axis,
    uncertain,
    central: centralSamples(uncertain),
    params,
    parse,
    superseded,
    fuels: family('fuels', base.fuels),
    avoided: family(
      'avoided',
      base.programmes.map((p) => ({ ...p, unit: 't CO2e' })),
    ),
  };
}

export const allocateInputs = (c: CompiledScenario): ResolvedInputs =>
  allocateModelInputs(inputKeys(c), c.fuels.length, c.avoided.length, axisLength(c.axis));

/**
 * Resolve every quantity for one path. Out of bounds: `throw` names the field and year (for a
 * deterministic run); `clamp` holds the value at the bound and reports it (for a Monte Carlo path).
 */
export function resolveInputs(
  c: CompiledScenario,
  samples: Samples = c.central,
  into: ResolvedInputs = allocateInputs(c),
  onBounds: 'throw' | 'clamp' = 'throw',
  clamped?: (path: string) => void,
): ResolvedInputs {
  const fill = (b: Bounded, out: Float64Array) => {
    const base = b.derived ? evalShare(b.derived.expr, samples[b.derived.slot]!) : b.base;
    withPath(b.path, () => b.resolver(out, base, samples));
    if (b.min === undefined && b.max === undefined) return;
    if (onBounds === 'throw') {
      withPath(b.path, () => checkBounds(out, c.axis, b.min, b.max, b.unit));
      return;
    }
    if (clampPath(out, b.min ?? -Infinity, b.max ?? Infinity)) clamped?.(b.path.join('.'));
  };
  for (const key of inputKeys(c)) fill(c.params[key]!, into.params[key]!);
  c.fuels.forEach((b, i) => fill(b, into.fuels[i]!));
  c.avoided.forEach((b, i) => fill(b, into.avoided[i]!));
  for (const g of instrumentGroups(c)) {
    const arrays = g.keys.map((k) => into.params[k]!);
    if (onBounds === 'clamp') {
      if (holdInstruments(arrays)) clamped?.(`segments.${g.id}.instruments`);
      continue;
    }
    for (let i = 1; i < arrays[0]!.length; i++) {
      let sum = 0;
      for (const a of arrays) sum += a[i]!;
      if (sum > 100 + 1e-9) {
        throw new FieldError(
          ['parameters', 'segments', g.id],
          `the clean-power instruments of '${g.id}' ` +
            `(${g.keys.map((k) => k.split('.')[2]).join(' + ')}) ` +
            `add up to ${Number(sum.toPrecision(6))}% in ${c.axis.baseYear + i}, more than 100%`,
          'lower one of their paths so that their sum stays at most 100',
        );
      }
    }
  }
  return into;
}

/**
 * Segments whose clean share is the sum of their instruments (structure.ts): the input keys to
 * hold together at 100%.
 */
const groups = new WeakMap<
  CompiledScenario,
  Array<{ id: string; keys: string[]; uncertain: boolean }>
>();
function instrumentGroups(c: CompiledScenario) {
  let list = groups.get(c);
  if (!list) {
    list = c.base.segments.flatMap((seg) => {
      const keys = INSTRUMENTS.filter((k) => seg.instruments[k] !== undefined).map(
        (k) => `segments.${seg.id}.${k}`,
      );
      return keys.length > 1
        ? [{ id: seg.id, keys, uncertain: keys.some((k) => c.params[k]!.uncertain) }]
        : [];
    });
    groups.set(c, list);
  }
  return list;
}

/** Scale a path's instruments down where they add up to more than 100%; true if any year was. */
function holdInstruments(arrays: readonly Float64Array[]): boolean {
  let hit = false;
  for (let i = 1; i < arrays[0]!.length; i++) {
    let sum = 0;
    for (const a of arrays) sum += a[i]!;
    if (sum > 100 + 1e-9) {
      for (const a of arrays) a[i] = (a[i]! * 100) / sum;
      hit = true;
    }
  }
  return hit;
}

/**
 * Monte Carlo fast path of resolveInputs: only the quantities that depend on an uncertain
 * number, each held within its bounds; returns how many were clamped (same arithmetic as
 * resolveInputs with 'clamp', tested against it).
 */
export function resolveUncertain(
  c: CompiledScenario,
  samples: Samples,
  into: ResolvedInputs,
  clamped: Map<string, number>,
): void {
  let bound = boundResolvers.get(into);
  if (bound?.c !== c) {
    bound = { c, fn: uncertainResolver(c, into) };
    boundResolvers.set(into, bound);
  }
  bound.fn(samples, clamped);
}
const boundResolvers = new WeakMap<
  ResolvedInputs,
  { c: CompiledScenario; fn: ReturnType<typeof uncertainResolver> }
>();

/**
 * resolveUncertain with the compiled scenario and the input buffers bound once (a Monte Carlo
 * path calls the returned function).
 */
export function uncertainResolver(
  c: CompiledScenario,
  into: ResolvedInputs,
  /** Quantities the kernel computes itself (fusableInputs): not written here. */
  fused: readonly FusedInput[] = [],
): (samples: Samples, clamped: Map<string, number>) => void {
  const u = uncertainOf(c, fused);
  const fn = u.fn;
  const I = flatInputsOf(into);
  const checked = u.list.filter((b) => !b.withinBounds);
  const paths = checked.map((b) => b.path.join('.'));
  const groups = instrumentGroups(c)
    .filter((g) => g.uncertain)
    .map((g) => ({
      key: `segments.${g.id}.instruments`,
      arrays: g.keys.map((k) => into.params[k]!),
    }));
  const count = (clamped: Map<string, number>, key: string) =>
    clamped.set(key, (clamped.get(key) ?? 0) + 1);
  return (samples, clamped) => {
    fn(samples, I);
    for (let k = 0; k < checked.length; k++) {
      const b = checked[k]!;
      if (clampPath(into.all[b.index]!, b.min ?? -Infinity, b.max ?? Infinity))
        count(clamped, paths[k]!);
    }
    for (let k = 0; k < groups.length; k++)
      if (holdInstruments(groups[k]!.arrays)) count(clamped, groups[k]!.key);
  };
}

/**
 * Hold a path's projected years (index ≥ 1) within [lo, hi], beyond the 1e-9 tolerance the bounds
 * checks use; true if any year was held. A Monte Carlo path counts it per quantity.
 */
export function clampPath(out: Float64Array, lo: number, hi: number): boolean {
  let hit = false;
  for (let i = 1; i < out.length; i++) {
    const v = out[i]!;
    if (v < lo - 1e-9) {
      out[i] = lo;
      hit = true;
    } else if (v > hi + 1e-9) {
      out[i] = hi;
      hit = true;
    }
  }
  return hit;
}

/**
 * The uncertain quantities (those that depend on an uncertain number) and their resolvers as
 * one generated function (resolve-kernel.ts), made once per compiled scenario. `index` is the
 * quantity's place in the flat inputs (allocateInputs' order: keys, fuels, programmes).
 */
const uncertainPrograms = new WeakMap<
  CompiledScenario,
  Map<string, { fn: ResolveAllFn; source: string; list: Array<Bounded & { index: number }> }>
>();
/** `fused`: quantities left out (a kernel with fused inputs computes them). */
export function uncertainOf(c: CompiledScenario, fused: readonly FusedInput[] = []) {
  let programs = uncertainPrograms.get(c);
  if (!programs) uncertainPrograms.set(c, (programs = new Map()));
  const skip = new Set(fused.map((f) => f.input));
  const id = [...skip].sort((a, b) => a - b).join(',');
  let u = programs.get(id);
  if (!u) {
    const all = [...inputKeys(c).map((key) => c.params[key]!), ...c.fuels, ...c.avoided];
    const list = all.flatMap((b, index) =>
      b.uncertain && !skip.has(index) ? [{ ...b, index }] : [],
    );
    const n = axisLength(c.axis);
    const program = compileResolverProgram(
      list.map((b) => ({
        plan: b.plan,
        base: b.base,
        offset: b.index * n,
        baseCode: b.derived && baseCodeOf(b.derived),
      })),
      c.axis,
      (k, i, v) => nonFinite(c, list[k]!, i, v),
    );
    u = { ...program, list };
    programs.set(id, u);
  }
  return u;
}

/** A formula that gives a non-finite value on a path: the field and the year. */
function nonFinite(c: CompiledScenario, b: Bounded, yearIndex: number, v: number): never {
  throw new FieldError(
    [...b.path, 'formula'],
    `the formula gives ${v} in ${c.axis.baseYear + yearIndex}`,
    'check for division by zero or log of a non-positive number',
  );
}

/**
 * The uncertain quantities a Monte Carlo kernel can compute itself (kernel.ts FusedInput): growth
 * and formula paths proven within their bounds (nothing to hold), outside any instrument group
 * (held together after resolving). The others are resolved into the input buffer.
 */
export function fusableInputs(c: CompiledScenario): FusedInput[] {
  const keys = inputKeys(c);
  const grouped = new Set(
    instrumentGroups(c)
      .filter((g) => g.uncertain)
      .flatMap((g) => g.keys.map((k) => keys.indexOf(k))),
  );
  return uncertainOf(c).list.flatMap((b) =>
    (b.plan.kind === 'growth' || b.plan.kind === 'formula') &&
    b.withinBounds &&
    !b.derived &&
    !grouped.has(b.index)
      ? [{ input: b.index, plan: b.plan, base: b.base, fail: (i, v) => nonFinite(c, b, i, v) }]
      : [],
  );
}

export function runCompiled(
  c: CompiledScenario,
  samples: Samples = c.central,
): { inputs: ResolvedInputs; outputs: Outputs } {
  const inputs = resolveInputs(c, samples);
  const outputs = simulate(c.base, inputs, allocateOutputs(c.base, axisLength(c.axis)));
  return { inputs, outputs };
}

const inputKeys = (c: CompiledScenario): string[] => c.base.inputs.map((d) => d.key);

const IDS: Record<string, (b: BaseState) => string[]> = {
  segments: (b) => b.segments.map((s) => s.id),
  grids: (b) => b.grids.map((g) => g.id),
  scope3: (b) => b.categories.map((k) => k.id),
};

/**
 * Each input with the scenario's spec for it and where that spec is: under its own key
 * (`parameters.segments.selfBuiltDc.pue`) or its version 1 name (`parameters.selfBuiltPue`).
 * A spec for an id the organization does not declare is refused, naming the ids it has.
 */
function locateSpecs(
  base: BaseState,
  ps: Record<string, unknown>,
): Array<[InputDef, unknown, Array<string | number>]> {
  const keys = new Set(base.inputs.map((d) => d.key));
  for (const [group, list] of Object.entries(IDS)) {
    const given = (ps[group] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [id, quantities] of Object.entries(given)) {
      const ids = list(base);
      if (!ids.includes(id)) {
        throw new FieldError(
          ['parameters', group, id],
          `${base.organization} declares no ` +
            `${group === 'scope3' ? 'scope 3 category' : group.slice(0, -1)} '${id}'`,
          `use one of: ${ids.join(', ') || '(none)'}`,
        );
      }
      for (const q of Object.keys(quantities ?? {})) {
        if (!keys.has(`${group}.${id}.${q}`)) {
          const have = [...keys].filter((k) => k.startsWith(`${group}.${id}.`));
          throw new FieldError(
            ['parameters', group, id, q],
            `'${id}' has no quantity '${q}' (its driver does not use it)`,
            `set one of: ${have.map((k) => k.split('.').at(-1)).join(', ')}`,
          );
        }
      }
    }
  }
  for (const name of Object.keys(V1_PARAMETERS) as ParameterName[]) {
    if (ps[name] === undefined) continue;
    const target = V1_PARAMETERS[name];
    if (!base.inputs.some((d) => d.key === target || v1NameOf(d.key) === name)) {
      const [group, id] = target.split('.');
      throw new FieldError(
        ['parameters', name],
        `parameters.${name} sets ${target}, but ${base.organization} declares no ` +
          `${group === 'scope3' ? 'scope 3 category' : (group ?? '').slice(0, -1)} '${id}'`,
        `remove parameters.${name}, or set the quantity of a declared id under parameters.${group}`,
      );
    }
  }
  return base.inputs.map((def) => {
    const parts = def.key.split('.');
    let own: unknown = ps;
    for (const p of parts) own = (own as Record<string, unknown> | undefined)?.[p];
    const alias = v1NameOf(def.key);
    const viaAlias = alias !== undefined && alias !== def.key ? ps[alias] : undefined;
    if (own !== undefined && viaAlias !== undefined) {
      throw new FieldError(
        ['parameters', alias!],
        `parameters.${alias} and parameters.${def.key} both set the same quantity`,
        `keep one of them`,
      );
    }
    if (own !== undefined) return [def, own, ['parameters', ...parts]];
    const path = alias !== undefined ? ['parameters', alias] : ['parameters', ...parts];
    return [def, viaAlias, path];
  });
}

/**
 * Scope 3+ projected as one total (no breakdown by programme): the scenario's programme paths
 * apply to the total when they are all the same (as the bundled ones are); different paths
 * cannot be combined without the breakdown.
 */
function totalSpec(given: Record<string, unknown>): Record<string, unknown> {
  const specs = Object.values(given);
  if (specs.length === 0) return {};
  const first = JSON.stringify(specs[0]);
  if (specs.every((x) => JSON.stringify(x) === first)) return { total: specs[0] };
  throw new FieldError(
    ['parameters', 'avoided'],
    'the programmes have different paths, but this basis has no breakdown by programme to ' +
      'weight them',
    'give parameters.avoided.total one path for the total, or use a basis with the breakdown',
  );
}

const baseCodeOf =
  (d: DerivedBase) =>
  (K: (v: number) => string): string =>
    shareCode(d.expr, `S[${d.slot}]`, K);

/**
 * The scenario with each assumption given per reporting basis replaced by this basis's (a basis
 * it does not name keeps the organization's value for that basis).
 */
function assumptionsForBasis(
  scenario: ScenarioFile,
  org: Organization,
  basis: string,
): ScenarioFile {
  if (!scenario.assumptions) return scenario;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(scenario.assumptions)) {
    if (v === undefined) continue;
    if (typeof v === 'number' || isDistribution(v)) {
      out[name] = v;
      continue;
    }
    // an organization the assumption is for (it has the segment) must declare each basis named:
    // a misspelt basis is refused; a scenario written for another organization goes on to its
    // own errors
    const applies = Object.hasOwn(org.segments, name.replace(/ElectricityShare$/, ''));
    for (const b of Object.keys(v)) {
      if (applies && !Object.hasOwn(org.bases, b)) {
        throw new FieldError(
          ['assumptions', name, b],
          `${org.name} declares no basis '${b}'`,
          `use one of: ${Object.keys(org.bases).join(', ')}`,
        );
      }
    }
    if (v[basis] !== undefined) out[name] = v[basis];
  }
  return { ...scenario, assumptions: out as ScenarioFile['assumptions'] };
}

/** Each drawn assumption's distribution as text (`triangular min 0.6, mode 0.708, max 0.8`). */
function drawnText(forBasis: ScenarioFile): Record<string, string> {
  return Object.fromEntries(
    Object.entries(forBasis.assumptions ?? {}).flatMap(([k, v]) =>
      isDistribution(v)
        ? [
            [
              k,
              `${v.dist} ` +
                Object.entries(v)
                  .filter(([f]) => f !== 'dist' && f !== 'id')
                  .map(([f, x]) => `${f} ${String(x)}`)
                  .join(', '),
            ],
          ]
        : [],
    ),
  );
}

/** The scenario's assumptions with each distribution at its central value (calibrate's input). */
function centralAssumptions(forBasis: ScenarioFile): Record<string, number> {
  // one basis's (assumptionsForBasis): a number or a distribution each
  return Object.fromEntries(
    Object.entries(forBasis.assumptions ?? {}).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, isDistribution(v) ? centralValue(v) : (v as number)]],
    ),
  );
}

/**
 * The base-year inputs that depend on a drawn assumption (a segment's share of purchased
 * electricity), by input key: calibration's expressions of the share (calibrate.ts splitExprs),
 * bound to the draw's slot. Checked here against calibration itself at the distribution's min
 * and max — every base-year input, bit for bit — so a structure where the share moves anything
 * else (a grid factor, a scope 3 category) is refused rather than drawn wrongly. The
 * expressions are monotone in the share (linear, or (a − b·s) ÷ (c − d·s) for the
 * remainder's clean share), so a calibration that holds at both bounds holds in between.
 */
function derivedBases(
  org: Organization,
  inv: Inventory,
  base: BaseState,
  scenario: ScenarioFile,
  slotted: ScenarioFile,
  uncertain: UncertainNumber[],
): Record<string, DerivedBase> {
  const out: Record<string, DerivedBase> = {};
  for (const [name, v] of Object.entries(slotted.assumptions ?? {})) {
    if (!isSlot(v)) continue;
    const path = ['assumptions', name];
    const exprs = base.shareBases[name];
    const number = uncertain[v.__slot]!;
    if (!exprs) {
      throw new FieldError(
        path,
        `${org.name} declares no segment whose share of electricity is ${name}: it cannot ` +
          'be drawn',
        'give it as a number, or remove it',
      );
    }
    const refuse = (s: number, why: string): never => {
      throw new FieldError(
        path,
        `${name} cannot be drawn from this ${number.dist.dist} distribution: at ${s} ${why}`,
        'narrow the distribution to shares the calibration accepts, or give a number',
      );
    };
    const check = (s: number, at: BaseState) => {
      for (const d of at.inputs) {
        const expr = exprs[d.key];
        const want = expr ? evalShare(expr, s) : base.values[d.key];
        if (want !== d.base)
          refuse(s, `${d.key} (${d.base}) is not what the Monte Carlo would give (${want})`);
      }
    };
    check(number.central, base);
    for (const s of support(number.dist)) {
      let at: BaseState;
      try {
        at = calibrate(org, inv, { ...centralAssumptions(scenario), [name]: s });
      } catch (e) {
        if (e instanceof DataError) refuse(s, `the calibration fails: ${e.message}`);
        throw e;
      }
      check(s, at);
    }
    for (const [key, expr] of Object.entries(exprs)) out[key] = { expr, slot: v.__slot };
  }
  return out;
}
