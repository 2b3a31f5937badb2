/**
 * Apply a scenario's offset strategy to its run: credits retired against the chosen targets'
 * residuals, priced per band, discounted, with the clean-power alternative beside them.
 */
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import type { CompiledScenario } from '../core/engine.js';
import {
  creditableOf,
  creditableVariables,
  type Outputs,
  type ResolvedInputs,
} from '../core/model.js';
import {
  cleanPowerAlternative,
  costRows,
  OffsetError,
  planCredits,
  summarizeOffsets,
  type CleanPowerRow,
  type CreditTarget,
  type OffsetCostRow,
  type OffsetSummary,
  type TargetCredits,
} from '../core/offsets.js';
import {
  CLEAN_POWER,
  marketOf,
  PriceError,
  priceBook,
  type Market,
  type PriceBook,
} from '../core/prices.js';
import {
  axisLength,
  compileResolver,
  firstOutOfBounds,
  SpecError,
  type Resolver,
  type Samples,
} from '../core/resolve.js';
import type { TrajectoryRow } from '../core/trajectory.js';
import type { OffsetsStrategy } from '../schema/scenario.js';
import type { LoadedOrganization } from '../io/load-organization.js';
import type { BaseState } from '../core/calibrate.js';
import { segmentOutput } from '../core/structure.js';
import { loadPrices, type LoadedPrices } from '../io/load-prices.js';
import { ownerOf, scenarioFieldError, type LoadedScenario } from '../io/load-scenario.js';
import { loadTargets } from '../io/load-targets.js';
import { resolveInside } from '../io/safe-path.js';
import { isSlot } from '../core/uncertainty.js';

export const DEFAULT_DISCOUNT_RATE = 0.08;

export interface OffsetResult {
  strategy: OffsetsStrategy;
  prices: LoadedPrices;
  book: PriceBook;
  /** The price market (from the organization's region or offsets.market), if the file has any. */
  market: Market | undefined;
  /** The clean-power comparator priced as `clean-power`: its id in the price file. */
  cleanPowerItem: string;
  plan: TargetCredits[];
  costs: OffsetCostRow[];
  cleanPower: CleanPowerRow[];
  summary: OffsetSummary;
  discountRate: number;
  nominal?: { inflation: number; moneyYear: number } | undefined;
}

function fail(
  loaded: LoadedScenario,
  path: Array<string | number>,
  message: string,
  fix?: string,
): never {
  throw scenarioFieldError(loaded, path, message, fix);
}

export interface CompiledOffsets {
  strategy: OffsetsStrategy;
  prices: LoadedPrices;
  book: PriceBook;
  market: Market | undefined;
  cleanPowerItem: string;
  creditTargets: CreditTarget[];
  /** creditTargets' netAtMost, in their order (the Monte Carlo cost loop reads it per path). */
  netAtMost: number[];
  credits: {
    avoidanceCredit: string;
    natureRemovalCredit: string;
    engineeredRemovalCredit: string;
  };
  removalShare: Resolver;
  engineeredShare: Resolver;
  discountRate: number;
  /**
   * Credits whose price multiplier is uncertain → its sample slot (Monte Carlo prices them per
   * path).
   */
  multiplierSlots: Record<string, number>;
  /** Given offsets.inflation: for nominal costs. */
  nominal?: { inflation: number; moneyYear: number } | undefined;
  loaded: LoadedScenario;
}

/** Check the strategy against the targets and price files once; undefined when there is none. */
export function compileOffsetStrategy(
  loaded: LoadedScenario,
  org: LoadedOrganization,
  compiled: CompiledScenario,
): CompiledOffsets | undefined {
  const strategy = loaded.scenario.offsets;
  if (!strategy) return undefined;
  let pricesFile: string | undefined;
  if (strategy.prices) {
    const owner = ownerOf(loaded, ['offsets', 'prices']);
    pricesFile = resolveInside(dirname(owner.file), strategy.prices, {
      file: owner.file,
      line: owner.source.lineOf(['offsets', 'prices']),
      path: 'offsets.prices',
    });
  }
  const prices = loadPrices(pricesFile);
  // A multiplier may be a distribution: the book prices at its central value; Monte Carlo reads its
  // slot.
  const slottedMultipliers = ((compiled.slotted.offsets ?? {}).priceMultipliers ?? {}) as Record<
    string,
    unknown
  >;
  const multiplierSlots: Record<string, number> = {};
  const centralMultipliers: Record<string, number> = {};
  for (const [k, v] of Object.entries(slottedMultipliers)) {
    if (isSlot(v)) multiplierSlots[k] = v.__slot;
    centralMultipliers[k] = isSlot(v) ? compiled.central[v.__slot]! : (v as number);
  }
  let market: Market | undefined;
  try {
    market = marketOf(prices.prices, org.organization.region, strategy.market);
  } catch (e) {
    if (e instanceof PriceError) fail(loaded, ['offsets', 'market'], e.message, e.fix);
    throw e;
  }
  const cleanPower = strategy.cleanPower ?? market?.cleanPower ?? CLEAN_POWER;
  if (cleanPower !== CLEAN_POWER && !prices.prices.cleanPowerInstruments?.[cleanPower])
    fail(
      loaded,
      ['offsets', 'cleanPower'],
      `no clean-power instrument '${cleanPower}' in ${prices.file}`,
      `use one of ${[CLEAN_POWER, ...Object.keys(prices.prices.cleanPowerInstruments ?? {})].join(
        ', ',
      )}`,
    );
  let book: PriceBook;
  try {
    book = priceBook(
      prices.prices,
      { exchangeRates: strategy.exchangeRates, priceMultipliers: centralMultipliers },
      org.organization.currency,
      cleanPower,
    );
  } catch (e) {
    if (e instanceof PriceError)
      throw new InputError({
        file: prices.file,
        path: e.path.join('.'),
        message: e.message,
        fix: e.fix,
      });
    throw e;
  }
  const credits = {
    avoidanceCredit: strategy.avoidanceCredit ?? market?.avoidanceCredit ?? 'ccer',
    natureRemovalCredit: strategy.natureRemovalCredit ?? 'nature-removal',
    engineeredRemovalCredit: strategy.engineeredRemovalCredit ?? 'engineered-removal',
  };
  for (const [key, id] of Object.entries(credits)) {
    const c = prices.prices.credits[id];
    if (!c)
      fail(
        loaded,
        ['offsets', key],
        `no credit '${id}' in ${prices.file}`,
        `use one of ${Object.keys(prices.prices.credits).join(', ')}`,
      );
    if (c.role !== 'purchasable')
      fail(
        loaded,
        ['offsets', key],
        `'${id}' is a reference price, not a credit a strategy can buy`,
        'choose a purchasable credit',
      );
  }
  for (const key of Object.keys(strategy.priceMultipliers ?? {})) {
    if (key !== 'clean-power' && !prices.prices.credits[key])
      fail(
        loaded,
        ['offsets', 'priceMultipliers', key],
        `no credit '${key}' in ${prices.file}`,
        `use one of ${Object.keys(prices.prices.credits).join(', ')} or clean-power`,
      );
  }
  for (const c of Object.keys(strategy.exchangeRates ?? {})) {
    if (!prices.prices.exchangeRates[c] && c !== org.organization.currency)
      fail(
        loaded,
        ['offsets', 'exchangeRates', c],
        `the price file has no ${c} prices to convert`,
        `use one of ${Object.keys(prices.prices.exchangeRates).join(', ')}`,
      );
  }
  let nominal: CompiledOffsets['nominal'];
  if (strategy.inflation !== undefined) {
    const moneyYear = prices.prices.moneyYear;
    if (moneyYear === undefined) {
      fail(
        loaded,
        ['offsets', 'inflation'],
        `nominal costs need the money year of the prices, and ` +
          `${prices.file} gives none (its basis: "${prices.prices.priceBasis}")`,
        'add moneyYear: <year> to the price file (the year whose money its real prices are ' +
          'in, e.g. moneyYear: 2024)',
      );
    }
    nominal = { inflation: strategy.inflation, moneyYear };
  }
  if (!strategy.targets || strategy.targets.length === 0) {
    fail(
      loaded,
      ['offsets'],
      'an offsets block needs targets (here or in the scenario it extends)',
      'add targets: [{ target: <net-zero target id> }]',
    );
  }
  const targets = loadTargets(org.folder);
  const creditTargets = strategy.targets.map((t, k) => {
    const def = targets.targets.targets.find((x) => x.id === t.target);
    if (!def)
      fail(
        loaded,
        ['offsets', 'targets', k, 'target'],
        `no target '${t.target}' in ${targets.file}`,
        `use a net-zero target: ${targets.targets.targets
          .filter((x) => x.kind === 'net-zero')
          .map((x) => x.id)
          .join(', ')}`,
      );
    if (def.kind !== 'net-zero')
      fail(
        loaded,
        ['offsets', 'targets', k, 'target'],
        `'${t.target}' is a ${def.kind} target; credits serve net-zero targets`,
        'name a net-zero target',
      );
    const creditable = creditableOf(compiled.base, def.metric);
    if (!creditable)
      fail(
        loaded,
        ['offsets', 'targets', k, 'target'],
        `'${t.target}' is measured on '${def.metric}', which credits cannot be retired against`,
        `use a target on ${creditableVariables(compiled.base).join(', ')}`,
      );
    return {
      targetId: def.id,
      metric: def.metric,
      creditable,
      from: t.from ?? def.deadline,
      netAtMost: def.netAtMost ?? 0,
    };
  });
  const slotted = compiled.slotted.offsets ?? {};
  const resolver = (key: 'removalShare' | 'engineeredShareOfRemovals') => {
    try {
      return compileResolver((slotted as Record<string, unknown>)[key], {
        axis: compiled.axis,
        rule: 'zero',
        constants: compiled.slotted.constants ?? {},
        parse: compiled.parse,
      });
    } catch (e) {
      if (e instanceof SpecError)
        fail(
          loaded,
          ['offsets', key, ...(e.subPath ? e.subPath.split('.') : [])],
          e.message,
          e.fix,
        );
      throw e;
    }
  };
  return {
    strategy,
    prices,
    book,
    market,
    cleanPowerItem: cleanPower,
    credits,
    loaded,
    creditTargets,
    netAtMost: creditTargets.map((t) => t.netAtMost),
    removalShare: resolver('removalShare'),
    engineeredShare: resolver('engineeredShareOfRemovals'),
    discountRate: strategy.discountRate ?? DEFAULT_DISCOUNT_RATE,
    nominal,
    multiplierSlots,
  };
}

/**
 * Retire the credits on a run's outputs and price them (Monte Carlo paths only retire: see
 * retireCredits).
 */
export function applyOffsets(
  co: CompiledOffsets,
  compiled: CompiledScenario,
  inputs: ResolvedInputs,
  out: Outputs,
  samples: Samples,
): OffsetResult {
  const n = axisLength(compiled.axis);
  const removal = new Float64Array(n);
  const engineered = new Float64Array(n);
  co.removalShare(removal, 0, samples);
  co.engineeredShare(engineered, 0, samples);
  for (const [key, s] of [
    ['removalShare', removal],
    ['engineeredShareOfRemovals', engineered],
  ] as const) {
    const i = firstOutOfBounds(s, 0, 1);
    if (i >= 0)
      fail(
        co.loaded,
        ['offsets', key],
        `reaches ${s[i]} in ${compiled.axis.baseYear + i}, but a share must be between 0 and 1`,
        'keep the share within 0–1',
      );
  }
  const baseYear = compiled.axis.baseYear;
  const plan = planCredits(out, baseYear, co.creditTargets, {
    ...co.credits,
    removalShare: removal,
    engineeredShareOfRemovals: engineered,
  });
  try {
    const costs = costRows(plan, co.book, baseYear, co.discountRate, {
      nominal: co.nominal,
      purchaseLead: co.strategy.purchaseLead,
    });
    // Market-based emissions more clean power cannot cut: heat, and what the share cannot explain.
    const residual = inputs.params.scope2MarketResidual;
    const heat = (i: number) =>
      inputs.params.purchasedHeat![i]! * compiled.base.heatFactor + (residual?.[i] ?? 0);
    const cleanPower = cleanPowerAlternative(
      plan,
      costs,
      out,
      residualMixOf(compiled.base, inputs, out),
      heat,
      co.book,
      baseYear,
    );
    return {
      strategy: co.strategy,
      prices: co.prices,
      book: co.book,
      market: co.market,
      cleanPowerItem: co.cleanPowerItem,
      plan,
      costs,
      cleanPower,
      summary: summarizeOffsets(plan, costs, baseYear, co.discountRate),
      discountRate: co.discountRate,
      nominal: co.nominal,
    };
  } catch (e) {
    if (e instanceof OffsetError) fail(co.loaded, ['offsets', 'targets'], e.message, e.fix);
    if (e instanceof PriceError) fail(co.loaded, ['offsets', ...e.path], e.message, e.fix);
    throw e;
  }
}

/** Credit volumes by kind and cost per band, as trajectory variables. */
export function offsetTrajectoryRows(
  scenario: string,
  entity: string,
  baseYear: number,
  r: OffsetResult,
): TrajectoryRow[] {
  const rows: TrajectoryRow[] = [];
  const n = r.plan[0]?.total.length ?? 0;
  const series = (pick: (i: number) => number, variable: string, unit: string) => {
    for (let i = 1; i < n; i++)
      rows.push({
        scenario,
        entity,
        variable,
        unit,
        year: baseYear + i,
        kind: 'projected',
        value: pick(i),
      });
  };
  const byKind = (kind: 'avoidance' | 'removal') => (i: number) =>
    r.plan.reduce(
      (s, t) => s + t.byCredit.filter((c) => c.kind === kind).reduce((x, c) => x + c.tonnes[i]!, 0),
      0,
    );
  series(byKind('avoidance'), 'Offsets|Avoidance', 't CO2e');
  series(byKind('removal'), 'Offsets|Removal', 't CO2e');
  // only where a target is carbon negative, so that other organizations' files keep their rows
  if (r.plan.some((t) => t.netAtMost < 0))
    series(
      (i) => r.plan.reduce((s, t) => s + t.beyondZero[i]!, 0),
      'Offsets|Removal|Beyond Zero',
      't CO2e',
    );
  for (const band of ['low', 'central', 'high'] as const) {
    const yearly = new Float64Array(n);
    // rows come in year, target, credit order
    for (const c of r.costs) if (c.band === band) yearly[c.year - baseYear]! += c.cost;
    // the running total from the first projected year: what a budget over the plan period needs
    const cumulative = new Float64Array(n);
    let total = 0;
    for (let i = 1; i < n; i++) {
      yearly[i] = yearly[i]! / 1e6;
      total += yearly[i]!;
      cumulative[i] = total;
    }
    const name = `Cost|Offsets|${band[0]!.toUpperCase()}${band.slice(1)}`;
    series((i) => yearly[i]!, name, `M ${r.book.currency}`);
    series((i) => cumulative[i]!, `${name}|Cumulative`, `M ${r.book.currency}`);
  }
  return rows;
}

/**
 * The residual-mix ratio of the electricity clean power would displace: the grid's own with
 * one grid; with several, the electricity-weighted mean over the scope 2 segments' grids.
 */
function residualMixOf(base: BaseState, inputs: ResolvedInputs, out: Outputs): Float64Array {
  const ratios = base.grids.map((g) => inputs.params[`grids.${g.id}.residualMixRatio`]!);
  if (ratios.length === 1) return ratios[0]!;
  const n = out.revenue.length;
  const mean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = 0;
    let w = 0;
    for (const s of base.segments) {
      if (s.scope !== 2) continue;
      const x = out[segmentOutput(s.id, 'electricity')]![i]!;
      e += x;
      w += x * ratios[s.grid]![i]!;
    }
    mean[i] = e > 0 ? w / e : (ratios[0]?.[i] ?? 1);
  }
  return mean;
}
