// The bundled `baseline` scenario's Monte Carlo written by hand as one plain Float64Array loop:
// the reference the engine is measured against (issue #5). It draws the same random numbers
// (same sampler) and must produce the same values as the engine — run-bench checks that first.
// Everything deterministic is precomputed once, as the engine also does.
import { quantile } from '../dist/core/distributions.js';
import { uniform } from '../dist/core/random.js';
import { V1_PARAMETERS } from '../dist/index.js';

export function makeHandwritten(plan) {
  const c = plan.compiled;
  const b = c.base;
  // base-year values by their version 1 names (the bundled scenario is written in them)
  const v = Object.fromEntries(
    Object.entries(V1_PARAMETERS).map(([name, key]) => [
      name,
      b.values[key.replace('*', b.grids[0].id)],
    ]),
  );
  const n = c.axis.endYear - c.axis.baseYear + 1;
  const slot = (id) => c.uncertain.find((u) => u.id === id);
  const ids = [
    'dcCleanTrend',
    'otherCleanTrend',
    'pueTrendSelfBuilt',
    'pueTrendLeased',
    'revenueGrowth',
    'dcLoadGrowth2030',
    'gridTrend',
    'scope3IntensityTrend',
    'avoidedGrowth',
    'dcLoadGrowth2027',
    'scope1RemainderTrend',
    'heatTrend',
    'residualMixScale',
    'fuelTrend.naturalGas',
    'fuelTrend.diesel',
    'fuelTrend.gasoline',
    'dcElectricityShare',
  ];
  const U = ids.map(slot);
  if (U.some((u) => !u) || c.uncertain.length !== ids.length)
    throw new Error('handwritten: expects the bundled baseline scenario');
  // fuels: natural gas, diesel and gasoline grow at uncertain rates, LPG is held
  const fuel = (id) => b.fuels.find((f) => f.id === id);
  const [gas, diesel, petrol, lpg] = ['naturalGas', 'diesel', 'gasoline', 'lpg'].map(fuel);
  if (b.fuels.length !== 4 || lpg.base !== 0) throw new Error('handwritten: expects four fuels');
  // the base year's split of electricity, which each path draws (the data-centre share s):
  // E and the group's clean electricity C × E are the same on every path
  const seg = (id) => b.segments.find((x) => x.id === id);
  const E = seg('selfBuiltDc').electricity + seg('other').electricity;
  const CE =
    seg('selfBuiltDc').cleanShare * seg('selfBuiltDc').electricity +
    seg('other').cleanShare * seg('other').electricity;
  const avBase = b.programmes.map((p) => p.base);
  const lcs = v.leasedCleanShare;
  const by = c.axis.baseYear,
    i2030 = 2030 - by,
    i2035 = 2035 - by;
  const ownVals = new Float64Array(plan.series.length);
  // credit mix and central prices per year (deterministic in baseline), as the engine
  // precomputes them
  const {
    prices: [pA, pN, pE],
    removalShare: rs,
    engineeredShare: es,
  } = plan.creditCost;

  const draws = new Float64Array(ids.length);
  const m = n - 1;

  // one path → the fan values (series order = plan.series, written into `vals`) and target flags
  return function path(seed, p, met, vals = ownVals) {
    for (let j = 0; j < ids.length; j++)
      draws[j] = quantile(U[j].dist, uniform(seed, p, U[j].slot));
    const [dcT, otT, pueSbT, pueLT, revG, dc30, gridG, s3G, avG] = draws;
    const dc27 = draws[9],
      remG = draws[10],
      heatG = draws[11],
      rmScale = draws[12],
      gasG = draws[13],
      dieselG = draws[14],
      petrolG = draws[15],
      share = draws[16];
    // the path's base year: s × E in the data centres, the rest in the other operations, whose
    // clean share keeps the group's
    const eDc0 = share * E,
      eO0 = E - eDc0,
      csO0 = (CE - v.selfBuiltCleanShare * eDc0) / eO0;
    let eO = eO0;
    const rmr = v.residualMixRatio * rmScale;
    let rem = v.scope1Remainder,
      heat = v.purchasedHeat,
      fGas = gas.base,
      fDiesel = diesel.base,
      fPetrol = petrol.base;
    let rev = v.revenue,
      itSb = eDc0 / v.selfBuiltPue,
      itL = v.leasedItLoad,
      gf = v.gridFactor,
      s3i = v.scope3OtherIntensity;
    const av = avBase.slice();
    let cum = b.avoidedCumulativeAtBase;
    let costCum = 0;
    let s12At2030 = 0,
      s3iAt2030 = 0,
      leasedAt2030 = 0,
      cumAt2035 = 0,
      sbShareOk = true,
      pueOk = true,
      allDcOk = true,
      s3iGross2030 = 0;
    for (let i = 1; i < n; i++) {
      const year = by + i;
      // IT-load growth: points 2027 dc27 → 2030 dc30 → 2035 0.08, then held
      const g =
        year <= 2027
          ? dc27
          : year < 2030
            ? dc27 * (1 - (year - 2027) / 3) + dc30 * ((year - 2027) / 3)
            : year === 2030
              ? dc30
              : year < 2035
                ? dc30 * (1 - (year - 2030) / 5) + 0.08 * ((year - 2030) / 5)
                : 0.08;
      rev *= 1 + revG;
      itSb *= 1 + g;
      itL *= 1 + g;
      gf *= 1 + gridG;
      s3i *= 1 + s3G;
      rem *= 1 + remG;
      heat *= 1 + heatG;
      fGas *= 1 + gasG;
      fDiesel *= 1 + dieselG;
      fPetrol *= 1 + petrolG;
      const heatEm = heat * b.heatFactor;
      const pueSb = Math.max(1.1, v.selfBuiltPue + pueSbT * i);
      const pueL = Math.max(1.1, v.leasedPue + pueLT * i);
      const csSb = Math.min(100, v.selfBuiltCleanShare + dcT * i);
      const csO = Math.min(100, csO0 + otT * i);
      eO *= 1.0754;
      const eDc = itSb * pueSb,
        e = eDc + eO;
      const clean = (eDc * csSb + eO * csO) / 100;
      const s2L = e * gf + heatEm;
      const s2M = (e - clean) * gf * rmr + heatEm;
      const s1 = fGas * gas.factor + fDiesel * diesel.factor + fPetrol * petrol.factor + rem;
      const eL = itL * pueL;
      const s3L = eL * (1 - lcs / 100) * gf * rmr;
      const s3 = s3L + rev * s3i;
      let avoided = 0;
      for (let a = 0; a < av.length; a++) {
        av[a] *= 1 + avG;
        avoided += av[a];
      }
      avoided *= b.avoidedScale;
      cum += avoided;
      // credits from FY2030: scope 1+2 and leased data centres to zero
      const credits12 = year >= 2030 ? Math.max(0, s1 + s2M) : 0;
      const creditsL = year >= 2030 ? Math.max(0, s3L) : 0;
      const s12net = s1 + s2M - credits12;
      const s3net = s3 - creditsL;
      const dcShare = eDc + eL > 0 ? (eDc * csSb + eL * lcs) / (eDc + eL) : 0;
      // fan values, in plan.series order (variable-major, then year)
      // cost of both targets' credits in target order (scope 1+2, then leased DCs), M CNY
      let cost = 0;
      {
        const removals = credits12 * rs[i],
          eng = removals * es[i],
          nat = removals - eng,
          avo = credits12 - removals;
        if (avo > 0) cost += avo * pA[i];
        if (nat > 0) cost += nat * pN[i];
        if (eng > 0) cost += eng * pE[i];
      }
      {
        const removals = creditsL * rs[i],
          eng = removals * es[i],
          nat = removals - eng,
          avo = creditsL - removals;
        if (avo > 0) cost += avo * pA[i];
        if (nat > 0) cost += nat * pN[i];
        if (eng > 0) cost += eng * pE[i];
      }
      costCum += cost / 1e6;
      // straight into the fan values: variable q of year i at q × (n − 1) + i − 1
      const k = i - 1;
      vals[0 * m + k] = s1;
      vals[1 * m + k] = s2L;
      vals[2 * m + k] = s2M;
      vals[3 * m + k] = s3;
      vals[4 * m + k] = s12net;
      vals[5 * m + k] = s3net / rev;
      vals[6 * m + k] = rev;
      vals[7 * m + k] = e;
      vals[8 * m + k] = (clean / e) * 100;
      vals[9 * m + k] = pueSb;
      vals[10 * m + k] = gf;
      vals[11 * m + k] = avoided;
      vals[12 * m + k] = cum;
      vals[13 * m + k] = s1 + s2M;
      vals[14 * m + k] = s3 / rev;
      vals[15 * m + k] = credits12;
      vals[16 * m + k] = creditsL;
      vals[17 * m + k] = cost / 1e6;
      vals[18 * m + k] = costCum;
      if (i === i2030) {
        s12At2030 = s12net;
        s3iAt2030 = s3net / rev;
        leasedAt2030 = s3L - creditsL;
        s3iGross2030 = s3 / rev;
      }
      if (i <= i2035) cumAt2035 = cum;
      if (i >= i2030 && csSb < 100 - 1e-4) sbShareOk = false;
      if (i >= i2030 && dcShare < 100 - 1e-4) allDcOk = false;
      if (pueSb > 1.3 + 1.3e-6) pueOk = false;
    }
    met[0] = s12At2030 <= 1e-6 ? 1 : 0;
    met[1] = s3iAt2030 <= 4.795 + 4.795e-6 ? 1 : 0;
    met[2] = leasedAt2030 <= 1e-6 ? 1 : 0;
    met[3] = cumAt2035 >= 1.5e9 - 1.5e3 ? 1 : 0;
    // the window's second reading (from FY2021): no FY2021 value is reported, so the same sum
    met[4] = met[3];
    met[5] = sbShareOk ? 1 : 0;
    met[6] = allDcOk ? 1 : 0;
    met[7] = pueOk ? 1 : 0;
    void s3iGross2030;
    return vals;
  };
}
