/**
 * Credits for neutrality targets, their mix, cost and present value. Pure.
 *
 * For each target met with credits, from its first credit year on, the credits retired equal
 * the residual net emissions before them (so net = 0 afterwards), plus, for a carbon-negative
 * target (net ≤ −X), X tonnes of removals beyond the residual (so net = −X). The residual's
 * credits split into removals (removalShare) and avoidance; avoidance cannot take net below
 * zero, so the tonnes beyond it are removals only. Removals split into engineered and
 * nature-based (engineeredShareOfRemovals).
 */
import { BANDS, type BandName } from '../schema/prices.js';
import {
  applyCredits,
  categoryKeys,
  creditApplier,
  type Creditable,
  type Outputs,
} from './model.js';
import { CLEAN_POWER, type PriceBook } from './prices.js';

export interface CreditTarget {
  targetId: string;
  /** The net variable the credits are retired against (see creditableOf). */
  metric: string;
  /** What that variable is in the structure: creditableOf(base, metric). */
  creditable: Creditable;
  from: number;
  /** The net the target requires, t CO2e: 0 (net zero, the default) or −X (carbon negative). */
  netAtMost?: number | undefined;
}

export interface CreditMix {
  removalShare: Float64Array;
  engineeredShareOfRemovals: Float64Array;
  avoidanceCredit: string;
  natureRemovalCredit: string;
  engineeredRemovalCredit: string;
}

export interface TargetCredits {
  targetId: string;
  creditable: Creditable;
  /** Index i = baseYear + i. */
  total: Float64Array;
  /** Of `total`, the removals bought beyond the residual (carbon-negative targets). */
  beyondZero: Float64Array;
  /** The net the target requires (0, or −X when carbon negative). */
  netAtMost: number;
  byCredit: Array<{
    credit: string;
    kind: CreditKind;
    tonnes: Float64Array;
    /** Of `tonnes`, those bought beyond the residual (removals for a carbon-negative target). */
    beyondZero: Float64Array;
  }>;
}

export type CreditKind = 'avoidance' | 'removal';

export class OffsetError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/**
 * The order credits are retired in: a scope 3 category before scope 1+2 and scope 3, those
 * before one pool across all scopes, so a wider pool buys only what the narrower ones leave
 * (listed in any order, they would otherwise buy the same tonnes twice). Stable otherwise.
 */
export function retireOrder(targets: readonly CreditTarget[]): number[] {
  const rank = (c: Creditable) => (c.startsWith('category:') ? 0 : c === 'scope123' ? 2 : 1);
  return targets
    .map((t, k) => ({ k, r: rank(t.creditable) }))
    .sort((a, b) => a.r - b.r || a.k - b.k)
    .map((x) => x.k);
}

/** The net series credits for `what` are retired against. */
export function netOf(out: Outputs, what: Creditable): Float64Array {
  if (what === 'scope12') return out.scope12Net;
  if (what === 'scope3') return out.scope3Net;
  if (what === 'scope123') return out.scope123Net;
  return out[categoryKeys(what).net]!;
}

/** Credits a target retires in a year: the net above what it requires, never negative. */
export const creditsNeeded = (net: number, netAtMost: number): number =>
  Math.max(0, net - netAtMost);

/**
 * Of `total` credits for a target requiring net ≤ netAtMost, the removals beyond the residual:
 * min(total, −netAtMost). With net ≥ 0 that is −netAtMost; with net already below zero, all.
 */
export const beyondZeroOf = (total: number, netAtMost: number): number =>
  Math.max(0, Math.min(total, -netAtMost));

/**
 * Work out and retire the credits each target needs; mutates `out` (net values, credit counters).
 */
export function planCredits(
  out: Outputs,
  baseYear: number,
  targets: readonly CreditTarget[],
  mix: CreditMix,
): TargetCredits[] {
  const n = out.revenue.length;
  const planned: TargetCredits[] = new Array(targets.length);
  for (const k of retireOrder(targets)) planned[k] = planOne(targets[k]!);
  return planned;
  function planOne(t: CreditTarget): TargetCredits {
    const creditable = t.creditable;
    const floor = t.netAtMost ?? 0;
    const net = netOf(out, creditable);
    const total = new Float64Array(n);
    for (let i = 1; i < n; i++)
      if (baseYear + i >= t.from) total[i] = creditsNeeded(net[i]!, floor);
    applyCredits(out, creditable, total);
    const beyondZero = new Float64Array(n);
    const avoidance = new Float64Array(n);
    const nature = new Float64Array(n);
    const engineered = new Float64Array(n);
    const natureBeyond = new Float64Array(n);
    const engineeredBeyond = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const beyond = beyondZeroOf(total[i]!, floor);
      const residual = total[i]! - beyond;
      const removals = residual * mix.removalShare[i]! + beyond;
      beyondZero[i] = beyond;
      engineered[i] = removals * mix.engineeredShareOfRemovals[i]!;
      nature[i] = removals - engineered[i]!;
      avoidance[i] = residual - residual * mix.removalShare[i]!;
      engineeredBeyond[i] = beyond * mix.engineeredShareOfRemovals[i]!;
      natureBeyond[i] = beyond - engineeredBeyond[i]!;
    }
    return {
      targetId: t.targetId,
      creditable,
      total,
      beyondZero,
      netAtMost: floor,
      byCredit: [
        {
          credit: mix.avoidanceCredit,
          kind: 'avoidance',
          tonnes: avoidance,
          beyondZero: new Float64Array(n),
        },
        {
          credit: mix.natureRemovalCredit,
          kind: 'removal',
          tonnes: nature,
          beyondZero: natureBeyond,
        },
        {
          credit: mix.engineeredRemovalCredit,
          kind: 'removal',
          tonnes: engineered,
          beyondZero: engineeredBeyond,
        },
      ],
    };
  }
}

/**
 * The Monte Carlo fast path of planCredits: only the totals (credits = residual) are retired,
 * without the split by credit type; no allocation. Same arithmetic as planCredits (tested).
 */
export function retireCredits(
  out: Outputs,
  baseYear: number,
  targets: readonly CreditTarget[],
  /** One array per target, which keeps its credits; or one scratch array they pass through. */
  into: Float64Array | readonly Float64Array[],
): void {
  creditRetirer(out, baseYear, targets, into)();
}

/**
 * retireCredits bound to its arrays once (the order, each target's net series and first year
 * resolved here): a Monte Carlo path calls the returned function on every path.
 */
export function creditRetirer(
  out: Outputs,
  baseYear: number,
  targets: readonly CreditTarget[],
  into: Float64Array | readonly Float64Array[],
): () => void {
  const n = out.revenue.length;
  const steps = retireOrder(targets).map((k) => {
    const t = targets[k]!;
    const credits = into instanceof Float64Array ? into : into[k]!;
    return {
      net: netOf(out, t.creditable),
      credits,
      // the first year index it retires in (baseYear + i >= t.from)
      from: Math.min(n, Math.max(1, t.from - baseYear)),
      floor: t.netAtMost ?? 0,
      apply: creditApplier(out, t.creditable, credits),
    };
  });
  return () => {
    for (let j = 0; j < steps.length; j++) {
      const { net, credits, from, floor, apply } = steps[j]!;
      for (let i = 0; i < from; i++) credits[i] = 0;
      for (let i = from; i < n; i++) credits[i] = creditsNeeded(net[i]!, floor);
      apply();
    }
  };
}

/**
 * A credit whose price multiplier is uncertain: its unit price on a path is
 * (filePrice × m) × rate,
 * the same operations as PriceBook.price, so m at its central value gives the book's price exactly.
 */
export interface UncertainPrice {
  credit: number;
  slot: number;
  filePrice: Float64Array;
  rate: number;
}

export function fillUncertainPrices(
  prices: readonly Float64Array[],
  uncertain: readonly UncertainPrice[],
  samples: ArrayLike<number>,
): void {
  for (const u of uncertain) {
    const m = samples[u.slot]!;
    const into = prices[u.credit]!;
    for (let i = 1; i < into.length; i++) into[i] = u.filePrice[i]! * m * u.rate;
  }
}

/**
 * Central unit prices, per year index, of the three credits of a mix, at each year's purchase year
 * (as costRows).
 */
export function centralCreditPrices(
  book: PriceBook,
  credits: readonly [string, string, string],
  baseYear: number,
  n: number,
  purchaseLead = 0,
): Float64Array[] {
  return credits.map((credit) =>
    Float64Array.from({ length: n }, (_, i) =>
      i === 0
        ? 0
        : book.price(credit, 'central', purchaseYearOf(baseYear + i, baseYear, purchaseLead)),
    ),
  );
}

/**
 * Each year's cost of the credits at central prices, ÷ `per` (1e6: millions), into `into`: the
 * same arithmetic as planCredits + costRows + the trajectory sum (split, skip empty credits, add
 * in target and credit order), so it equals `Cost|Offsets|Central` bit for bit on a zero-variance
 * path.
 */
export function creditCosts(
  into: Float64Array,
  totals: readonly Float64Array[],
  /** Per target, the net it requires (CreditTarget.netAtMost). */
  netAtMost: readonly number[],
  removalShare: Float64Array,
  engineeredShare: Float64Array,
  prices: readonly Float64Array[],
  per: number,
): void {
  const [pA, pN, pE] = prices as [Float64Array, Float64Array, Float64Array];
  for (let i = 1; i < into.length; i++) {
    let cost = 0;
    for (let k = 0; k < totals.length; k++) {
      const total = totals[k]![i]!;
      const beyond = beyondZeroOf(total, netAtMost[k]!);
      const residual = total - beyond;
      const removals = residual * removalShare[i]! + beyond;
      const engineered = removals * engineeredShare[i]!;
      const nature = removals - engineered;
      const avoidance = residual - residual * removalShare[i]!;
      if (avoidance > 0) cost += avoidance * pA[i]!;
      if (nature > 0) cost += nature * pN[i]!;
      if (engineered > 0) cost += engineered * pE[i]!;
    }
    into[i] = cost / per;
  }
}

export interface OffsetCostRow {
  /** The year the credits are retired. */
  year: number;
  /** The year they are bought (and priced, discounted, inflated): `year` unless bought ahead. */
  purchaseYear: number;
  targetId: string;
  credit: string;
  /** Bought as avoidance or as removal (the mix's role for it). */
  kind: CreditKind;
  tonnes: number;
  /** Of `tonnes`, those bought beyond the residual (carbon-negative targets); else 0. */
  beyondZeroTonnes: number;
  band: BandName;
  /** Reporting currency per tonne. */
  unitPrice: number;
  currency: string;
  cost: number;
  discountedCost: number;
  /** Cost in each year's money (given inflation and the prices' money year), else undefined. */
  nominalCost: number | undefined;
  priceCurrency: string;
  localPrice: number;
  exchangeRate: number;
  discountFactor: number;
}

/** Discount factor to the base year: 1 / (1 + r)^(year − baseYear). */
export const discountFactor = (rate: number, year: number, baseYear: number): number =>
  1 / (1 + rate) ** (year - baseYear);

/**
 * The year credits retired in `year` are bought: `purchaseLead` years earlier, never before the
 * first projected year.
 */
export const purchaseYearOf = (year: number, baseYear: number, purchaseLead = 0): number =>
  Math.max(baseYear + 1, year - purchaseLead);

/** Real cost → cost in that year's money: × (1 + inflation)^(year − moneyYear). */
export const nominalFactor = (
  nominal: { inflation: number; moneyYear: number },
  year: number,
): number => (1 + nominal.inflation) ** (year - nominal.moneyYear);

export interface CostOptions {
  /** Costs in each year's money as well (cost × nominalFactor of the purchase year). */
  nominal?: { inflation: number; moneyYear: number } | undefined;
  /**
   * Buy each year's credits this many years before they are retired (never before the first
   * projected year); default 0.
   */
  purchaseLead?: number | undefined;
}

/**
 * One row per retirement year, target, credit and price band. Credits retired in `year` are bought
 * in purchaseYearOf(year), at that year's price, discounted (and inflated) from it.
 */
export function costRows(
  plan: readonly TargetCredits[],
  book: PriceBook,
  baseYear: number,
  discountRate: number,
  opts: CostOptions = {},
): OffsetCostRow[] {
  const rows: OffsetCostRow[] = [];
  const n = plan[0]?.total.length ?? 0;
  for (let i = 1; i < n; i++) {
    const year = baseYear + i;
    const purchaseYear = purchaseYearOf(year, baseYear, opts.purchaseLead);
    const df = discountFactor(discountRate, purchaseYear, baseYear);
    const nf = opts.nominal ? nominalFactor(opts.nominal, purchaseYear) : undefined;
    for (const t of plan) {
      for (const c of t.byCredit) {
        const tonnes = c.tonnes[i]!;
        if (tonnes <= 0) continue;
        for (const band of BANDS) {
          const unitPrice = book.price(c.credit, band, purchaseYear);
          const cost = tonnes * unitPrice;
          rows.push({
            year,
            purchaseYear,
            targetId: t.targetId,
            credit: c.credit,
            kind: c.kind,
            tonnes,
            beyondZeroTonnes: c.beyondZero[i]!,
            band,
            unitPrice,
            currency: book.currency,
            cost,
            discountedCost: cost * df,
            nominalCost: nf === undefined ? undefined : cost * nf,
            priceCurrency: book.itemCurrency(c.credit),
            localPrice: book.localPrice(c.credit, band, purchaseYear),
            exchangeRate: book.rate(book.itemCurrency(c.credit)),
            discountFactor: df,
          });
        }
      }
    }
  }
  return rows;
}

export interface CleanPowerRow {
  year: number;
  targetId: string;
  credits: number;
  /** Of the credits, the tonnes that more clean electricity could cut instead. */
  abatable: number;
  mwh: number;
  band: BandName;
  premiumPerMwh: number;
  cost: number;
  costPerTonne: number;
  creditCostPerTonne: number;
  currency: string;
}

/**
 * The other lever: clean electricity instead of credits. Only emissions from non-clean
 * purchased electricity can be cut that way (own operations: market-based scope 2 less heat;
 * leased data centres: all of their residual); one MWh made clean cuts gridFactor ×
 * residualMixRatio.
 */
export function cleanPowerAlternative(
  plan: readonly TargetCredits[],
  costs: readonly OffsetCostRow[],
  out: Outputs,
  residualMix: Float64Array,
  /** Market-based scope 2 that more clean electricity cannot cut (heat, unexplained residual). */
  heatEmissions: (i: number) => number,
  book: PriceBook,
  baseYear: number,
): CleanPowerRow[] {
  const rows: CleanPowerRow[] = [];
  for (const t of plan) {
    if (t.creditable === 'scope3') continue;
    for (let i = 1; i < t.total.length; i++) {
      const credits = t.total[i]!;
      if (credits <= 0) continue;
      const year = baseYear + i;
      const tPerMwh = out.gridFactor[i]! * residualMix[i]!;
      const electricityEmissions =
        t.creditable === 'scope12' || t.creditable === 'scope123'
          ? Math.max(0, out.scope2Market[i]! - heatEmissions(i))
          : credits;
      // removals beyond the residual offset no electricity: clean power cannot replace them
      const abatable = Math.min(credits - t.beyondZero[i]!, electricityEmissions);
      const mwh = tPerMwh > 0 ? abatable / tPerMwh : 0;
      for (const band of BANDS) {
        const creditCost = costs
          .filter((c) => c.year === year && c.targetId === t.targetId && c.band === band)
          .reduce((s, c) => s + c.cost, 0);
        const premium = book.price(CLEAN_POWER, band, year);
        rows.push({
          year,
          targetId: t.targetId,
          credits,
          abatable,
          mwh,
          band,
          premiumPerMwh: premium,
          cost: mwh * premium,
          costPerTonne: tPerMwh > 0 ? premium / tPerMwh : 0,
          creditCostPerTonne: creditCost / credits,
          currency: book.currency,
        });
      }
    }
  }
  return rows;
}

export interface OffsetSummary {
  firstYear?: number;
  /** Credits and cost per band in the summary year (2030 or the first credit year). */
  year: number;
  tonnes: number;
  cost: Record<BandName, number>;
  /** From the summary year to 2035; `nominalCost` in each year's money when inflation is given. */
  cumulative: {
    from: number;
    to: number;
    tonnes: number;
    cost: Record<BandName, number>;
    nominalCost?: Record<BandName, number> | undefined;
  };
  npv: Record<BandName, number>;
  discountRate: number;
  /** The summary year's credits and cost per band by kind; removals beyond the residual apart. */
  byKind: Record<CreditKind, { tonnes: number; cost: Record<BandName, number> }> & {
    beyondZero: { tonnes: number; cost: Record<BandName, number> };
  };
}

export function summarizeOffsets(
  plan: readonly TargetCredits[],
  costs: readonly OffsetCostRow[],
  baseYear: number,
  discountRate: number,
  summaryYear = 2030,
  cumulativeTo = 2035,
): OffsetSummary {
  const n = plan[0]?.total.length ?? 1;
  let firstYear: number | undefined;
  for (let i = 1; i < n && firstYear === undefined; i++)
    if (plan.some((t) => t.total[i]! > 0)) firstYear = baseYear + i;
  const year = Math.min(Math.max(summaryYear, firstYear ?? summaryYear), baseYear + n - 1);
  const tonnesIn = (y: number) => plan.reduce((s, t) => s + (t.total[y - baseYear] ?? 0), 0);
  const costIn = (
    pred: (r: OffsetCostRow) => boolean,
    band: BandName,
    field: 'cost' | 'discountedCost' | 'nominalCost' = 'cost',
  ) => costs.filter((r) => r.band === band && pred(r)).reduce((s, r) => s + (r[field] ?? 0), 0);
  const nominal = costs.length > 0 && costs.every((r) => r.nominalCost !== undefined);
  const to = Math.min(cumulativeTo, baseYear + n - 1);
  let cumTonnes = 0;
  for (let y = year; y <= to; y++) cumTonnes += tonnesIn(y);
  const per = (f: (b: BandName) => number) =>
    Object.fromEntries(BANDS.map((b) => [b, f(b)])) as Record<BandName, number>;
  /** Tonnes (`of` each row: all, or the beyond-zero part) and their cost in the summary year. */
  const kindIn = (
    pred: (r: OffsetCostRow) => boolean,
    of: (r: OffsetCostRow) => number = (r) => r.tonnes,
  ) => {
    const rows = costs.filter((r) => r.year === year && pred(r));
    return {
      tonnes: rows.filter((r) => r.band === 'central').reduce((s, r) => s + of(r), 0),
      cost: per((b) =>
        rows.filter((r) => r.band === b).reduce((s, r) => s + of(r) * r.unitPrice, 0),
      ),
    };
  };
  return {
    firstYear,
    year,
    tonnes: tonnesIn(year),
    cost: per((b) => costIn((r) => r.year === year, b)),
    cumulative: {
      from: year,
      to,
      tonnes: cumTonnes,
      cost: per((b) => costIn((r) => r.year >= year && r.year <= to, b)),
      nominalCost: nominal
        ? per((b) => costIn((r) => r.year >= year && r.year <= to, b, 'nominalCost'))
        : undefined,
    },
    npv: per((b) => costIn(() => true, b, 'discountedCost')),
    discountRate,
    byKind: {
      avoidance: kindIn((r) => r.kind === 'avoidance'),
      removal: kindIn((r) => r.kind === 'removal'),
      beyondZero: kindIn(
        () => true,
        (r) => r.beyondZeroTonnes,
      ),
    },
  };
}
