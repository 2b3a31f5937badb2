/**
 * Target evaluation on any trajectory. Pure: a target definition and a set of yearly series
 * in, a result out. Every kind reduces to a condition `value ≤ T` or `value ≥ T` checked in
 * the years the kind says (the deadline, every year from a year on, …).
 */
import type { Target } from '../schema/targets.js';

export interface SeriesSet {
  /** Yearly values of a variable (actual years, then projected), or undefined if absent. */
  values(variable: string): Map<number, number> | undefined;
  unit(variable: string): string | undefined;
  /** Last year with reported (actual) data: the projection starts after it. */
  lastActualYear: number;
  /** Last projected year. */
  lastYear: number;
  /**
   * Why a variable is absent, when it is one the model knows but this organization does not
   * report.
   */
  notModelled?: (variable: string) => string | undefined;
}

export type TargetStatus = 'met' | 'on-track' | 'off-track' | 'not-modelled';

export interface TargetResult {
  targetId: string;
  title: string;
  kind: Target['kind'];
  metric: string;
  unit: string;
  deadline?: number;
  targetValue?: number;
  projectedValue?: number;
  /**
   * Shortfall in the metric's unit: positive = short of the target, ≤ 0 = met with that
   * margin.
   */
  gap?: number;
  /** The shortfall in t CO2e, where the metric converts. */
  gapTonnes?: number;
  status: TargetStatus;
  firstMetYear?: number;
  latestYear?: number;
  latestValue?: number;
  /** Share of the way from the reference to the target covered by the latest actual. */
  progress?: number;
  requiredAnnualChange?: number;
  scenarioAnnualChange?: number;
  pathway: Array<{ year: number; required: number }>;
  /** Neutrality targets: the same test on gross emissions (SBTi view: credits do not count). */
  withoutCredits?: { projectedValue: number; gap: number; status: TargetStatus };
  source: string;
  note?: string;
  /** Cumulative targets: the first year summed. */
  windowStart?: number;
}

export class TargetError extends Error {
  constructor(
    readonly targetId: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/**
 * Relative tolerance of every target comparison: values come from chains of floating-point
 * growth and interpolation, so a path that lands on the target (100% clean from 2030) must count
 * as meeting it. 1e-6 of the target is far below any reported precision.
 */
const TOL = 1e-6;

export function evaluateTarget(t: Target, s: SeriesSet): TargetResult {
  if (t.kind === 'not-modelled') {
    return {
      targetId: t.id,
      title: t.title,
      kind: t.kind,
      metric: '',
      unit: '',
      status: 'not-modelled',
      pathway: [],
      source: t.source,
      note: t.reason,
    };
  }
  const missing = [
    t.metric,
    'gross' in t ? t.gross : undefined,
    t.kind === 'intensity' ? t.tonnesPer : undefined,
  ]
    .map((v) => (v && !s.values(v) ? s.notModelled?.(v) : undefined))
    .find((r) => r !== undefined);
  if (missing && !s.values(t.metric)) {
    return {
      targetId: t.id,
      title: t.title,
      kind: t.kind,
      metric: t.metric,
      unit: '',
      status: 'not-modelled',
      pathway: [],
      source: t.source,
      note: `not modelled for this organization: ${missing}${t.note ? ` ${t.note}` : ''}`,
    };
  }
  const need = (variable: string): Map<number, number> => {
    const v = s.values(variable);
    if (!v || v.size === 0) {
      throw new TargetError(
        t.id,
        `the trajectory has no variable '${variable}'`,
        'use a variable that trajectories.csv contains',
      );
    }
    return v;
  };
  let series = need(t.metric);
  const unit = s.unit(t.metric) ?? '';
  const unreported = t.kind === 'cumulative' ? unreportedStart(series, t.windowStart) : undefined;
  if (t.kind === 'cumulative') series = cumulate(series, t.windowStart);
  const L = s.lastActualYear;

  let T: number;
  let sense: 'le' | 'ge';
  let years: number[]; // years in which the condition must hold
  let D: number | undefined;
  let reference: number | undefined; // where progress is measured from
  switch (t.kind) {
    case 'absolute':
    case 'intensity': {
      const base =
        t.baseValue?.value ?? (t.baseYear !== undefined ? series.get(t.baseYear) : undefined);
      if (t.kind === 'absolute' && t.cap !== undefined) {
        T = t.cap;
      } else {
        if (base === undefined) {
          throw new TargetError(
            t.id,
            `no ${t.metric} in the base year ${t.baseYear}`,
            'add baseValue with its value, provenance and source',
          );
        }
        T = base * (1 - (t.reduction ?? 0));
      }
      reference = base;
      sense = 'le';
      D = t.deadline;
      years = [D];
      break;
    }
    case 'net-zero':
      T = t.netAtMost ?? 0;
      sense = 'le';
      D = t.deadline;
      years = [D];
      reference = series.get(Math.min(...series.keys()));
      break;
    case 'cumulative':
      T = t.threshold;
      sense = 'ge';
      D = t.deadline;
      years = [D];
      reference = 0;
      break;
    case 'share':
      T = t.threshold;
      sense = 'ge';
      D = t.fromYear;
      years = range(t.fromYear, s.lastYear);
      break;
    case 'threshold': {
      T = (t.max ?? t.min) as number;
      sense = t.max !== undefined ? 'le' : 'ge';
      const first = Math.max(t.fromYear ?? -Infinity, Math.min(...series.keys()));
      years = range(first, s.lastYear).filter((y) => series.has(y));
      break;
    }
  }
  if (D !== undefined && D > s.lastYear) {
    throw new TargetError(
      t.id,
      `the projection ends in ${s.lastYear}, before the target year ${D}`,
      `project to ${D} or later (--to ${D})`,
    );
  }
  const ok = (v: number | undefined) =>
    v !== undefined &&
    (sense === 'le'
      ? v <= T + TOL * Math.max(1, Math.abs(T))
      : v >= T - TOL * Math.max(1, Math.abs(T)));
  const shortfall = (v: number) => (sense === 'le' ? v - T : T - v);

  const evalValues = years.map((y) => series.get(y));
  const worstOf = (values: Array<number | undefined>) =>
    values.reduce<number | undefined>((w, v) => {
      if (v === undefined) return w;
      if (w === undefined) return v;
      return sense === 'le' ? Math.max(w, v) : Math.min(w, v);
    }, undefined);
  // Every-year thresholds report the worst projected year (the worst year overall if none is
  // projected).
  const projectedValue =
    t.kind === 'threshold'
      ? (worstOf(years.filter((y) => y > L).map((y) => series.get(y))) ?? worstOf(evalValues))
      : series.get(D!);
  const latestYear = Math.max(...[...series.keys()].filter((y) => y <= L));
  const latestValue = Number.isFinite(latestYear) ? series.get(latestYear) : undefined;

  const satisfied = evalValues.length > 0 && evalValues.every(ok);
  const projectedFailures = years.filter((y) => y > L && !ok(series.get(y)));
  let status: TargetStatus;
  if (t.kind === 'threshold') {
    status = projectedFailures.length > 0 ? 'off-track' : ok(latestValue) ? 'met' : 'on-track';
  } else if (!satisfied) {
    status = 'off-track';
  } else {
    status = (D !== undefined && D <= L) || ok(latestValue) ? 'met' : 'on-track';
  }

  // First year from which the condition holds in every later year of the data.
  let firstMetYear: number | undefined;
  const allYears = [...series.keys()].sort((a, b) => a - b);
  for (let i = allYears.length - 1; i >= 0; i--) {
    if (ok(series.get(allYears[i]!))) firstMetYear = allYears[i];
    else break;
  }

  let requiredAnnualChange: number | undefined;
  let scenarioAnnualChange: number | undefined;
  const pathway: Array<{ year: number; required: number }> = [];
  if (t.kind === 'threshold') {
    for (const y of years) pathway.push({ year: y, required: T });
  } else if (D !== undefined && latestValue !== undefined) {
    if (D > latestYear) {
      requiredAnnualChange = (T - latestValue) / (D - latestYear);
      const atD = series.get(D);
      if (atD !== undefined) scenarioAnnualChange = (atD - latestValue) / (D - latestYear);
      for (let y = latestYear; y <= D; y++)
        pathway.push({ year: y, required: latestValue + requiredAnnualChange * (y - latestYear) });
    }
    for (let y = Math.max(D + 1, latestYear); y <= s.lastYear && t.kind === 'share'; y++)
      pathway.push({ year: y, required: T });
  }

  let progress: number | undefined;
  if (latestValue !== undefined) {
    if (t.kind === 'cumulative' || t.kind === 'share')
      progress = T !== 0 ? latestValue / T : undefined;
    else if (reference !== undefined && reference !== T)
      progress = (reference - latestValue) / (reference - T);
  }

  let gapTonnes: number | undefined;
  if (projectedValue !== undefined) {
    const gap = shortfall(projectedValue);
    if (unit === 't CO2e') gapTonnes = gap;
    else if (t.kind === 'intensity' && t.tonnesPer) {
      const denom = need(t.tonnesPer).get(D!);
      if (denom !== undefined) gapTonnes = gap * denom;
    }
  }

  // The same test on emissions before credits (SBTi counts no credits toward reductions).
  let withoutCredits: TargetResult['withoutCredits'];
  const grossVariable = 'gross' in t ? t.gross : undefined;
  if (grossVariable && D !== undefined) {
    const g = need(grossVariable);
    const atD = g.get(D);
    if (atD !== undefined) {
      withoutCredits = {
        projectedValue: atD,
        gap: shortfall(atD),
        status: !ok(atD) ? 'off-track' : D <= L || ok(g.get(latestYear)) ? 'met' : 'on-track',
      };
    }
  }

  const note =
    [t.note, t.kind === 'net-zero' ? t.proxy : undefined, unreported].filter(Boolean).join(' ') ||
    undefined;
  return {
    targetId: t.id,
    title: t.title,
    kind: t.kind,
    metric: t.metric,
    unit,
    deadline: D ?? (t.kind === 'threshold' ? s.lastYear : undefined),
    targetValue: T,
    projectedValue,
    gap: projectedValue !== undefined ? shortfall(projectedValue) : undefined,
    gapTonnes,
    status,
    firstMetYear,
    latestYear: Number.isFinite(latestYear) ? latestYear : undefined,
    latestValue,
    progress,
    requiredAnnualChange,
    scenarioAnnualChange,
    pathway,
    withoutCredits,
    source: t.source,
    note,
    windowStart: t.kind === 'cumulative' ? t.windowStart : undefined,
  };
}

export function evaluateTargets(targets: readonly Target[], s: SeriesSet): TargetResult[] {
  return targets.map((t) => evaluateTarget(t, s));
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let y = a; y <= b; y++) out.push(y);
  return out;
}

/**
 * A cumulative window that starts before the series' first value counts those years as 0: say
 * so, since the sum is then a lower bound.
 */
function unreportedStart(series: Map<number, number>, start: number): string | undefined {
  const first = Math.min(...series.keys());
  if (!(first > start)) return undefined;
  const years = first - 1 === start ? `${start}` : `${start}–${first - 1}`;
  return (
    `The window starts in ${start} but the data start in ${first}: ${years} counted as 0, so ` +
    'the cumulative values are a lower bound.'
  );
}

/** Running sum from `start` (years before it are dropped). */
function cumulate(series: Map<number, number>, start: number): Map<number, number> {
  const out = new Map<number, number>();
  let sum = 0;
  for (const y of [...series.keys()].sort((a, b) => a - b)) {
    if (y < start) continue;
    sum += series.get(y)!;
    out.set(y, sum);
  }
  return out;
}
