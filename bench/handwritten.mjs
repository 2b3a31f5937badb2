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
  ];
  const U = ids.map(slot);
  if (U.some((u) => !u) || c.uncertain.length !== ids.length)
    throw new Error('handwritten: expects the bundled baseline scenario');
  const fuelRates = { naturalGas: 0.0833, diesel: -0.448, gasoline: 0.0123, lpg: 0 };
  // deterministic inputs, once
  const fuelComb = new Float64Array(n);
  const levels = b.fuels.map((f) => f.base);
  for (let i = 0; i < n; i++) {
    let s = 0;
    b.fuels.forEach((f, k) => {
      if (i > 0) levels[k] *= 1 + fuelRates[f.id];
      s += levels[k] * f.factor;
    });
    fuelComb[i] = s;
  }
  const otherE = new Float64Array(n);
  {
    let l = v.otherElectricity;
    otherE[0] = l;
    for (let i = 1; i < n; i++) {
      l *= 1.0754;
      otherE[i] = l;
    }
  }
  const avBase = b.programmes.map((p) => p.base);
  const heatEm = v.purchasedHeat * b.heatFactor;
  const rmr = v.residualMixRatio,
    lcs = v.leasedCleanShare,
    rem = v.scope1Remainder;
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

  // one path → the fan values (series order = plan.series, written into `vals`) and target flags
  return function path(seed, p, met, vals = ownVals) {
    for (let j = 0; j < ids.length; j++)
      draws[j] = quantile(U[j].dist, uniform(seed, p, U[j].slot));
    const [dcT, otT, pueSbT, pueLT, revG, dc30, gridG, s3G, avG] = draws;
    let rev = v.revenue,
      itSb = v.selfBuiltItLoad,
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
      // IT-load growth: points 2027 0.30 → 2030 dc30 → 2035 0.08, then held
      const g =
        year <= 2027
          ? 0.3
          : year < 2030
            ? 0.3 * (1 - (year - 2027) / 3) + dc30 * ((year - 2027) / 3)
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
      const pueSb = Math.max(1.1, v.selfBuiltPue + pueSbT * i);
      const pueL = Math.max(1.1, v.leasedPue + pueLT * i);
      const csSb = Math.min(100, v.selfBuiltCleanShare + dcT * i);
      const csO = Math.min(100, v.otherCleanShare + otT * i);
      const eDc = itSb * pueSb,
        eO = otherE[i],
        e = eDc + eO;
      const clean = (eDc * csSb + eO * csO) / 100;
      const s2L = e * gf + heatEm;
      const s2M = (e - clean) * gf * rmr + heatEm;
      const s1 = fuelComb[i] + rem;
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
      const row = [
        s1,
        s2L,
        s2M,
        s3,
        s12net,
        s3net / rev,
        rev,
        e,
        (clean / e) * 100,
        pueSb,
        gf,
        avoided,
        cum,
        s1 + s2M,
        s3 / rev,
        credits12,
        creditsL,
        cost / 1e6,
        costCum,
      ];
      for (let q = 0; q < row.length; q++) vals[q * (n - 1) + (i - 1)] = row[q];
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
    met[4] = sbShareOk ? 1 : 0;
    met[5] = allDcOk ? 1 : 0;
    met[6] = pueOk ? 1 : 0;
    void s3iGross2030;
    return vals;
  };
}
