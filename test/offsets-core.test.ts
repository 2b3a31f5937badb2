import { describe, expect, it } from 'vitest';
import { calibrate } from '../src/core/calibrate.js';
import { allocateOutputs, creditableOf, type Creditable } from '../src/core/model.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { costRows, discountFactor, planCredits, summarizeOffsets } from '../src/core/offsets.js';
import { bandPrice, checkBandOrder, priceBook, PriceError } from '../src/core/prices.js';
import type { PricesFile } from '../src/schema/prices.js';

const flat = (value: number, escalation = 0) => ({
  points: { 2026: { value, source: 's' } },
  escalation: { value: escalation, source: 's' },
});
const prices: PricesFile = {
  currency: 'CNY',
  priceBasis: 'real 2024',
  exchangeRates: { USD: { value: 7, year: 2024, source: 's' } },
  credits: {
    a: {
      label: 'a',
      type: 'avoidance',
      role: 'purchasable',
      currency: 'CNY',
      bands: { low: flat(50), central: flat(60), high: flat(90) },
    },
    n: {
      label: 'n',
      type: 'removal',
      role: 'purchasable',
      currency: 'USD',
      bands: { low: flat(10), central: flat(20), high: flat(40) },
    },
    e: {
      label: 'e',
      type: 'removal',
      role: 'purchasable',
      currency: 'USD',
      bands: { low: flat(100), central: flat(300), high: flat(900) },
    },
  },
  cleanPower: {
    label: 'c',
    currency: 'CNY',
    bands: { low: flat(1), central: flat(2), high: flat(30) },
  },
};

describe('price paths', () => {
  const band = {
    points: { 2024: { value: 10, source: 's' }, 2030: { value: 40, source: 's' } },
    escalation: { value: 0.05, source: 's' },
  };
  it('holds the first point before it, is linear between points, escalates after the last', () => {
    expect(bandPrice(band, 2020)).toBe(10);
    expect(bandPrice(band, 2027)).toBe(25);
    expect(bandPrice(band, 2030)).toBe(40);
    expect(bandPrice(band, 2035)).toBeCloseTo(40 * 1.05 ** 5, 12);
  });
  it('converts at the exchange rate, and overrides scale prices and rates', () => {
    expect(priceBook(prices).price('n', 'central', 2030)).toBe(140);
    expect(priceBook(prices, { exchangeRates: { USD: 7.5 } }).price('n', 'central', 2030)).toBe(
      150,
    );
    expect(priceBook(prices, { priceMultipliers: { n: 2 } }).price('n', 'high', 2030)).toBe(560);
    expect(priceBook(prices).price('a', 'low', 2030)).toBe(50);
  });
  it('refuses bands that cross', () => {
    const bad = structuredClone(prices);
    bad.credits.a!.bands.central = flat(60, 0.2);
    expect(() => checkBandOrder(bad)).toThrow(PriceError);
    expect(() => checkBandOrder(bad)).toThrow(
      /a: in 2029 the bands are low 50.00, central 103.68, high 90.00/,
    );
  });
});

describe('credits, costs and NPV (closed form)', () => {
  // 11 years FY2026–FY2036; residual net scope 1+2 of 1,000 t a year; credits from 2030
  const n = 11;
  const alibaba = loadOrganization(undefined);
  const base = calibrate(alibaba.organization, alibaba.inventory);
  const make = () => {
    const out = allocateOutputs(base, n);
    out.scope12.fill(1000);
    out.scope12Net.fill(1000);
    out.revenue.fill(1);
    return out;
  };
  const mix = (r: number, e: number) => ({
    removalShare: new Float64Array(n).fill(r),
    engineeredShareOfRemovals: new Float64Array(n).fill(e),
    avoidanceCredit: 'a',
    natureRemovalCredit: 'n',
    engineeredRemovalCredit: 'e',
  });
  it('credits equal the residual from the first credit year, and net becomes zero', () => {
    const out = make();
    const [t] = planCredits(
      out,
      2026,
      [
        {
          targetId: 's12',
          metric: 'Emissions|Scope 1+2|Net',
          creditable: 'scope12' as Creditable,
          from: 2030,
        },
      ],
      mix(0.5, 0.2),
    );
    expect([...t!.total]).toEqual([0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
    expect(out.scope12Net[3]).toBe(1000);
    expect(out.scope12Net[4]).toBe(0);
    expect(out.offsets12[10]).toBe(1000);
    const [avoid, nature, eng] = t!.byCredit;
    expect([avoid!.tonnes[4], nature!.tonnes[4], eng!.tonnes[4]]).toEqual([500, 400, 100]);
  });
  it('cost = tonnes × price per band; NPV = Σ cost / (1+r)^(y − base year)', () => {
    const out = make();
    const plan = planCredits(
      out,
      2026,
      [
        {
          targetId: 's12',
          metric: 'Emissions|Scope 1+2|Net',
          creditable: 'scope12' as Creditable,
          from: 2030,
        },
      ],
      mix(0, 0),
    );
    const r = 0.08;
    const rows = costRows(plan, priceBook(prices), 2026, r);
    for (const row of rows) expect(row.cost).toBeCloseTo(row.tonnes * row.unitPrice, 9);
    const s = summarizeOffsets(plan, rows, 2026, r);
    // 1,000 t × 60 CNY in each of years t = 4..10 after the base year
    let annuity = 0;
    for (let t = 4; t <= 10; t++) annuity += 1 / (1 + r) ** t;
    expect(s.npv.central).toBeCloseTo(60_000 * annuity, 6);
    expect(s.npv.central).toBeCloseTo((60_000 * ((1 - 1.08 ** -7) / 0.08)) / 1.08 ** 3, 6);
    expect(s.tonnes).toBe(1000);
    expect(s.cost).toEqual({ low: 50_000, central: 60_000, high: 90_000 });
    expect(s.cumulative).toEqual({
      from: 2030,
      to: 2035,
      tonnes: 6000,
      cost: { low: 300_000, central: 360_000, high: 540_000 },
      nominalCost: undefined,
    });
    expect(discountFactor(0.08, 2030, 2026)).toBeCloseTo(1 / 1.08 ** 4, 15);
    expect(rows.every((row) => row.nominalCost === undefined)).toBe(true); // no inflation given
  });
  it(
    'bought ahead: priced and discounted in the purchase year, never before the first ' +
      'projected year',
    () => {
      // avoidance credit escalating 10%/yr real from 60 CNY in 2026; 1,000 t retired each year from
      // 2030
      const rising = structuredClone(prices);
      rising.credits.a!.bands = { low: flat(50, 0.1), central: flat(60, 0.1), high: flat(90, 0.1) };
      const plan = planCredits(
        make(),
        2026,
        [
          {
            targetId: 's12',
            metric: 'Emissions|Scope 1+2|Net',
            creditable: 'scope12' as Creditable,
            from: 2030,
          },
        ],
        mix(0, 0),
      );
      const rows = costRows(plan, priceBook(rising), 2026, 0.08, { purchaseLead: 5 }).filter(
        (r) => r.band === 'central',
      );
      const y = (year: number) => rows.find((r) => r.year === year)!;
      // 2030 − 5 = 2025 is before the first projected year, FY2027
      expect(y(2030).purchaseYear).toBe(2027);
      expect(y(2032).purchaseYear).toBe(2027);
      expect(y(2035).purchaseYear).toBe(2030);
      expect(y(2035).unitPrice).toBeCloseTo(60 * 1.1 ** 4, 9); // the 2030 price
      expect(y(2035).discountFactor).toBeCloseTo(1 / 1.08 ** 4, 12); // paid in 2030
      // prices rising faster (10%) than the discount rate (8%): buying ahead lowers the NPV
      const npv = (lead: number) =>
        summarizeOffsets(
          plan,
          costRows(plan, priceBook(rising), 2026, 0.08, { purchaseLead: lead }),
          2026,
          0.08,
        ).npv.central;
      expect(npv(5)).toBeLessThan(npv(0));
      // closed form for retirement year 2036 bought in 2031: 1,000 × 60 × 1.1^5 / 1.08^5
      expect(y(2036).discountedCost).toBeCloseTo((1000 * 60 * 1.1 ** 5) / 1.08 ** 5, 6);
      expect(
        costRows(plan, priceBook(rising), 2026, 0.08).every((r) => r.purchaseYear === r.year),
      ).toBe(true); // default: bought when retired
    },
  );
  it('nominal cost = cost × (1 + inflation)^(year − money year); the NPV stays real', () => {
    const plan = planCredits(
      make(),
      2026,
      [
        {
          targetId: 's12',
          metric: 'Emissions|Scope 1+2|Net',
          creditable: 'scope12' as Creditable,
          from: 2030,
        },
      ],
      mix(0, 0),
    );
    const rows = costRows(plan, priceBook(prices), 2026, 0.08, {
      nominal: { inflation: 0.02, moneyYear: 2024 },
    });
    for (const row of rows)
      expect(row.nominalCost).toBeCloseTo(row.cost * 1.02 ** (row.year - 2024), 6);
    const s = summarizeOffsets(plan, rows, 2026, 0.08);
    // 60,000 CNY a year (central), FY2030–FY2035, each × 1.02^(year − 2024)
    let nominal = 0;
    for (let y = 2030; y <= 2035; y++) nominal += 60_000 * 1.02 ** (y - 2024);
    expect(s.cumulative.nominalCost!.central).toBeCloseTo(nominal, 6);
    expect(s.cumulative.cost.central).toBe(360_000);
    expect(s.npv).toEqual(
      summarizeOffsets(plan, costRows(plan, priceBook(prices), 2026, 0.08), 2026, 0.08).npv,
    );
  });
  it(
    'scope 3 credits for leased data centres also ' + 'lower group scope 3 net and its intensity',
    () => {
      const out = make();
      out['category.leasedDc.net']!.fill(200);
      out.scope3Net.fill(900);
      out.revenue.fill(10);
      planCredits(
        out,
        2026,
        [
          {
            targetId: 'c',
            metric: 'Emissions|Scope 3|Leased DC|Net',
            creditable: creditableOf(base, 'Emissions|Scope 3|Leased DC|Net')!,
            from: 2027,
          },
        ],
        mix(0, 0),
      );
      expect(out['category.leasedDc.net']![1]).toBe(0);
      expect(out.scope3Net[1]).toBe(700);
      expect(out.scope3Intensity[1]).toBe(70);
      expect(out.offsets3[1]).toBe(200);
    },
  );
  it('a category is retired before the wider scope 3 pool, listed in either order', () => {
    for (const order of [0, 1]) {
      const out = make();
      out['category.leasedDc.net']!.fill(200);
      out.scope3Net.fill(900);
      out.scope123Net.fill(1900);
      const cat = {
        targetId: 'c',
        metric: 'Emissions|Scope 3|Leased DC|Net',
        creditable: creditableOf(base, 'Emissions|Scope 3|Leased DC|Net')!,
        from: 2027,
      };
      const pool = {
        targetId: 's3',
        metric: 'Emissions|Scope 3|Net',
        creditable: 'scope3' as Creditable,
        from: 2027,
      };
      const all = {
        targetId: 'all',
        metric: 'Emissions|Scope 1+2+3|Net',
        creditable: 'scope123' as Creditable,
        from: 2027,
      };
      const targets = order === 0 ? [pool, all, cat] : [all, cat, pool];
      const plan = planCredits(out, 2026, targets, mix(0, 0));
      const tonnes = (id: string) => plan.find((p) => p.targetId === id)!.total[1];
      // results stay in the listed order; the tonnes do not depend on it
      expect(plan.map((p) => p.targetId)).toEqual(targets.map((t) => t.targetId));
      expect(tonnes('c')).toBe(200);
      expect(tonnes('s3')).toBe(700);
      expect(tonnes('all')).toBe(1000); // what scope 3 credits leave: the 1,000 t of scope 1+2
      expect(out.scope3Net[1]).toBe(0);
      expect(out.scope123Net[1]).toBe(0);
      expect(out.offsets123[1]).toBe(1900);
    }
  });
  it(
    'credits are retired against net scope 1+2, ' + 'scope 3 or a declared category, nothing else',
    () => {
      expect(creditableOf(base, 'Emissions|Scope 1+2|Net')).toBe('scope12');
      expect(creditableOf(base, 'Emissions|Scope 3|Net')).toBe('scope3');
      expect(creditableOf(base, 'Emissions|Scope 3|Leased DC|Net')).toBe('category:leasedDc');
      expect(creditableOf(base, 'Electricity|Clean Share')).toBeUndefined();
      // the remainder category ("the rest of scope 3") has no net of its own to retire against
      expect(creditableOf(base, 'Emissions|Scope 3|Other|Net')).toBeUndefined();
    },
  );
});
