/**
 * Targets beyond zero and regional price markets (issue #12, items 4 and 5): a carbon-negative
 * target buys removals past the residual, priced and reported apart from avoidance; a US
 * organization gets US credits and RECs, a European one guarantees of origin. The organizations in
 * test/fixtures/carbon-negative and test/fixtures/annual-100 are invented (labelled so).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../src/core/calibrate.js';
import { allocateOutputs, type Creditable } from '../src/core/model.js';
import {
  cleanPowerAlternative,
  costRows,
  creditCosts,
  planCredits,
  retireCredits,
} from '../src/core/offsets.js';
import { marketOf, priceBook, PriceError } from '../src/core/prices.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { loadPrices } from '../src/io/load-prices.js';
import { cli, everyCommand, pick, readCsv, tempDir } from './helpers.js';

const n = 6; // base year 2024 + 5 projected years
const alibaba = loadOrganization(undefined);
const base = calibrate(alibaba.organization, alibaba.inventory);
const mix = (r: number, e: number) => ({
  removalShare: new Float64Array(n).fill(r),
  engineeredShareOfRemovals: new Float64Array(n).fill(e),
  avoidanceCredit: 'ccer',
  natureRemovalCredit: 'nature-removal',
  engineeredRemovalCredit: 'engineered-removal',
});
const negative = (netAtMost: number) => ({
  targetId: 'neg',
  metric: 'Emissions|Scope 1+2+3|Net',
  creditable: 'scope123' as Creditable,
  from: 2026,
  netAtMost,
});
const outputs = (net: number) => {
  const out = allocateOutputs(base, n);
  out.scope123Net.fill(net);
  out.scope2Market.fill(400);
  out.gridFactor.fill(0.5);
  out.revenue.fill(1);
  return out;
};

describe('carbon negative: net ≤ −X (closed form)', () => {
  it('buys the residual (split by the mix) plus X tonnes of removals, so net = −X', () => {
    const out = outputs(1000);
    const [t] = planCredits(out, 2024, [negative(-300)], mix(0.5, 0.2));
    // residual 1,000 t: 500 avoidance + 500 removals; beyond zero 300 t, removals only
    expect(t!.total[2]).toBe(1300);
    expect(t!.beyondZero[2]).toBe(300);
    const [avoid, nature, eng] = t!.byCredit;
    expect([avoid!.tonnes[2], nature!.tonnes[2], eng!.tonnes[2]]).toEqual([500, 640, 160]);
    expect([avoid!.beyondZero[2], nature!.beyondZero[2], eng!.beyondZero[2]]).toEqual([0, 240, 60]);
    expect(out.scope123Net[2]).toBe(-300);
    expect(out.offsets123[2]).toBe(1300);
    // before the first credit year nothing is bought
    expect(t!.total[1]).toBe(0);
  });
  it('a net already below zero needs only removals to reach −X', () => {
    const [t] = planCredits(outputs(-100), 2024, [negative(-300)], mix(0.5, 0.2));
    expect(t!.total[3]).toBe(200);
    expect(t!.beyondZero[3]).toBe(200);
    expect(t!.byCredit[0]!.tonnes[3]).toBe(0); // no avoidance
  });
  it('net zero (netAtMost 0 or absent) buys exactly the residual, as before', () => {
    const [a] = planCredits(outputs(1000), 2024, [negative(0)], mix(0.5, 0.2));
    const [b] = planCredits(
      outputs(1000),
      2024,
      [{ ...negative(0), netAtMost: undefined }],
      mix(0.5, 0.2),
    );
    expect(a!.total[2]).toBe(1000);
    expect([...a!.beyondZero]).toEqual(new Array(n).fill(0));
    expect(b!.byCredit.map((c) => c.tonnes[2])).toEqual(a!.byCredit.map((c) => c.tonnes[2]));
  });
  it('the Monte Carlo fast path retires and prices the same tonnes', () => {
    const book = priceBook(loadPrices().prices, {}, 'USD');
    const plan = planCredits(outputs(1000), 2024, [negative(-300)], mix(0.3, 0.4));
    const rows = costRows(plan, book, 2024, 0.08).filter((r) => r.band === 'central');
    const fast = new Float64Array(n);
    retireCredits(outputs(1000), 2024, [negative(-300)], fast);
    expect([...fast]).toEqual([...plan[0]!.total]);
    const prices = ['ccer', 'nature-removal', 'engineered-removal'].map((c) =>
      Float64Array.from({ length: n }, (_, i) =>
        i === 0 ? 0 : book.price(c, 'central', 2024 + i),
      ),
    );
    const cost = new Float64Array(n);
    const m = mix(0.3, 0.4);
    creditCosts(cost, [fast], [-300], m.removalShare, m.engineeredShareOfRemovals, prices, 1);
    for (let i = 2; i < n; i++) {
      const want = rows.filter((r) => r.year === 2024 + i).reduce((s, r) => s + r.cost, 0);
      expect(cost[i]! / want - 1).toBeCloseTo(0, 12);
    }
  });
  it('clean power can replace the residual from electricity, not removals beyond zero', () => {
    const out = outputs(100); // residual 100 t, all of it from non-clean electricity (400 t MB)
    const plan = planCredits(out, 2024, [negative(-300)], mix(0, 0));
    const book = priceBook(loadPrices().prices, {}, 'USD');
    const rows = cleanPowerAlternative(
      plan,
      costRows(plan, book, 2024, 0.08),
      out,
      new Float64Array(n).fill(1),
      () => 0,
      book,
      2024,
    ).filter((r) => r.band === 'central' && r.year === 2027);
    expect(rows[0]!.credits).toBe(400);
    expect(rows[0]!.abatable).toBe(100);
    expect(rows[0]!.mwh).toBe(200); // 100 t ÷ 0.5 t/MWh
  });
});

describe('price sets by market', () => {
  const file = loadPrices().prices;
  it("the organization's region picks the market; no region gets the file's default", () => {
    expect(marketOf(file, 'US')?.id).toBe('us');
    expect(marketOf(file, 'DE')?.id).toBe('eu');
    expect(marketOf(file, 'NO')?.id).toBe('eu');
    expect(marketOf(file, 'CN')?.id).toBe('cn');
    expect(marketOf(file, undefined)?.id).toBe('cn');
    expect(marketOf(file, 'BR')?.id).toBe('cn'); // listed nowhere: the default, stated in the file
    expect(marketOf(file, 'US', 'eu')?.id).toBe('eu'); // a scenario's offsets.market wins
    expect(() => marketOf(file, 'US', 'mars')).toThrow(PriceError);
    expect(marketOf(file, 'US')).toMatchObject({
      avoidanceCredit: 'voluntary-avoidance',
      cleanPower: 'us-rec',
    });
  });
  it('each comparator is priced from its own sourced points, in the reporting currency', () => {
    const us = priceBook(file, {}, 'USD', 'us-rec');
    expect(us.price('clean-power', 'central', 2021)).toBe(3);
    expect(us.price('clean-power', 'central', 2030)).toBeCloseTo(3 * 1.05 ** 9, 12);
    const eu = priceBook(file, {}, 'USD', 'eu-go');
    // 3.03 EUR/MWh at 7.5257 CNY/EUR and 7.1884 CNY/USD
    expect(eu.price('clean-power', 'central', 2030)).toBeCloseTo((3.03 * 7.5257) / 7.1884, 12);
    expect(priceBook(file).price('clean-power', 'central', 2025)).toBe(5.22); // GEC, Oct 2025
    expect(() => priceBook(file, {}, 'USD', 'uk-rego')).toThrow(/no clean-power instrument/);
  });
});

describe('a carbon-negative US company (invented), every command', () => {
  const data = 'test/fixtures/carbon-negative';
  const out = tempDir();
  const results = everyCommand(data, out, {
    target: 'lb-minus-30',
    lever: 'parameters.segments.offices.electricity.growth',
    min: '-0.3',
    max: '0',
  });
  // scope 1 5,000 t + market-based scope 2 12,000 t + scope 3 100 t/M USD × 1,000 M USD × 1.05^6
  const residual2030 = 5000 + 12000 + 100000 * 1.05 ** 6;
  it('every command runs', () => {
    for (const { args, r } of results) expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
  });
  it('the target is net ≤ −20,000 t: met with credits, off track before them', () => {
    const t = readCsv(join(out, 'targets', 'targets.csv')).find(
      (r) => r.target_id === 'negative-2030',
    )!;
    expect(Number(t.target_value)).toBe(-20000);
    expect(Number(t.projected_value)).toBeCloseTo(-20000, 6);
    expect(t.status).toBe('on-track');
    expect(t.status_without_credits).toBe('off-track');
    expect(Number(t.projected_without_credits) / residual2030 - 1).toBeCloseTo(0, 9);
  });
  it('credits: the residual split 90/10, and 20,000 t of removals beyond it', () => {
    const rows = readCsv(join(out, 'offsets', 'offsets.csv')).filter(
      (r) => r.year === '2030' && r.price_band === 'central',
    );
    const by = (credit: string) => rows.find((r) => r.credit_type === credit)!;
    expect(Number(by('voluntary-avoidance').tonnes) / (0.9 * residual2030) - 1).toBeCloseTo(0, 9);
    expect(by('voluntary-avoidance').credit_kind).toBe('avoidance');
    // removals: 10% of the residual + 20,000 t, half engineered, half nature-based
    const removals = 0.1 * residual2030 + 20000;
    expect(Number(by('nature-removal').tonnes) / (removals / 2) - 1).toBeCloseTo(0, 9);
    expect(Number(by('engineered-removal').tonnes) / (removals / 2) - 1).toBeCloseTo(0, 9);
    expect(Number(by('nature-removal').beyond_zero_tonnes)).toBe(10000);
    expect(Number(by('engineered-removal').beyond_zero_tonnes)).toBe(10000);
    expect(Number(by('voluntary-avoidance').beyond_zero_tonnes)).toBe(0);
    // US market: international avoidance credits, priced in USD as printed (4.8 $/t in 2024)
    expect(Number(by('voluntary-avoidance').unit_price) / (4.8 * 1.05 ** 6) - 1).toBeCloseTo(0, 6);
    const traj = readCsv(join(out, 'run', 'trajectories.csv'));
    expect(pick(traj, 'baseline', 'Offsets|Removal|Beyond Zero', 2030)).toBe(20000);
    expect(pick(traj, 'baseline', 'Emissions|Scope 1+2+3|Net', 2030)).toBeCloseTo(-20000, 6);
  });
  it('the terminal shows avoidance and removals apart, and which market priced them', () => {
    const stdout = results.find((x) => x.args[0] === 'offsets')!.r.stdout;
    expect(stdout).toMatch(
      /United States prices \(avoidance: voluntary-avoidance, clean power: us-rec\)/,
    );
    expect(stdout).toMatch(/avoidance Mt {2}avoidance M USD {2}removals Mt/);
    expect(stdout).toMatch(/baseline +2030 +0\.14 .* 0\.04 .* 0\.02 \/ /);
  });
  it('clean power is compared with US RECs', () => {
    const c = readCsv(join(out, 'offsets', 'offsets-vs-clean-power.csv')).find(
      (r) => r.year === '2030' && r.price_band === 'central',
    )!;
    expect(c.clean_power_instrument).toBe('us-rec');
    expect(Number(c.premium_per_mwh) / (3 * 1.05 ** 9) - 1).toBeCloseTo(0, 6);
    expect(Number(c.abatable_by_clean_power_tonnes)).toBe(12000); // the market-based scope 2
  });
  it('solve finds the electricity trend for −30% location-based scope 1+2', () => {
    const solved = JSON.parse(readFileSync(join(out, 'solve', 'solve.json'), 'utf8'));
    // 5,000 + 20,000 × (1 + g)^6 = 0.7 × 25,000  →  g = (12,500 / 20,000)^(1/6) − 1
    const g = (12500 / 20000) ** (1 / 6) - 1;
    expect(Math.abs(solved.value - g)).toBeLessThan(1e-3);
  });
  it('the report shows the target with its value', () => {
    const md = readFileSync(join(out, 'report', 'report.md'), 'utf8');
    expect(md).toMatch(/Carbon negative by 2030/);
  });
  it('a scenario can choose another market, and an unknown one is refused with the fix', () => {
    const dir = join(tempDir(), 'org');
    cpSync(data, dir, { recursive: true });
    const scenario = join(dir, 'scenarios', 'baseline.yaml');
    writeFileSync(scenario, `${readFileSync(scenario, 'utf8')}  market: eu\n`);
    const r = cli(['offsets', '--data', dir, '--out', join(dir, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    const c = readCsv(join(dir, 'out', 'offsets-vs-clean-power.csv'))[0]!;
    expect(c.clean_power_instrument).toBe('eu-go');
    writeFileSync(scenario, readFileSync(scenario, 'utf8').replace('market: eu', 'market: mars'));
    const bad = cli(['offsets', '--data', dir, '--out', join(dir, 'out2')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/offsets\.market.*no market 'mars'/s);
    expect(bad.stderr).toMatch(/use one of cn, us, eu/);
  });
});

describe('a USD company gets US prices (annual-100, invented)', () => {
  it('avoidance credits are international voluntary ones and the comparator is US RECs', () => {
    const out = tempDir();
    const r = cli(['offsets', '--data', 'test/fixtures/annual-100', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsv(join(out, 'offsets.csv'));
    expect(new Set(rows.map((x) => x.credit_type))).not.toContain('ccer');
    expect(rows.some((x) => x.credit_type === 'voluntary-avoidance')).toBe(true);
    expect(rows.every((x) => x.currency === 'USD')).toBe(true);
    const c = readCsv(join(out, 'offsets-vs-clean-power.csv'));
    expect(new Set(c.map((x) => x.clean_power_instrument))).toEqual(new Set(['us-rec']));
  });
});
