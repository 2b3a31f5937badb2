/**
 * Additive LMDI-I decomposition (Ang 2005) of the change in market-based scope 2 between two
 * years into activity, PUE, clean share and grid factor (plus purchased heat):
 *
 *   V = Σ_segments  activity × PUE × (1 − clean share) × (grid factor × residual-mix ratio)
 *       +  heat
 *   ΔV_k = Σ_i L(V_i^T, V_i^0) · ln(x_k,i^T / x_k,i^0),   L(a, b) = (a − b) / (ln a − ln b)
 *
 * The effects sum to ΔV exactly when no factor is zero. A factor of zero (a segment reaching
 * 100% clean power) is replaced by δ = 1e-12 of its base value (Ang & Liu 2007); the residual
 * this leaves is reported, and is below 1e-6 t for the bundled data.
 */
import type { BaseState, SegmentState } from './calibrate.js';
import type { Outputs, ResolvedInputs } from './model.js';
import { segmentOutput } from './structure.js';

export const EFFECTS = ['activity', 'pue', 'cleanShare', 'gridFactor', 'heat'] as const;
export type Effect = (typeof EFFECTS)[number];

export interface Decomposition {
  fromYear: number;
  toYear: number;
  from: number;
  to: number;
  effects: Record<Effect, number>;
  /** to − from − Σ effects (zero-value replacement only). */
  residual: number;
}

const logMean = (a: number, b: number): number =>
  Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))
    ? a
    : (a - b) / (Math.log(a) - Math.log(b));

export function decomposeScope2Market(
  base: BaseState,
  inputs: ResolvedInputs,
  out: Outputs,
  baseYear: number,
  fromYear: number,
  toYear: number,
): Decomposition {
  const i0 = fromYear - baseYear;
  const i1 = toYear - baseYear;
  const p = inputs.params;
  const q = (key: string, i: number): number => p[key]![i]!;
  // factors per scope 2 segment: [activity, pue, non-clean share, emission factor]
  const segment = (s: SegmentState, i: number): number[] => {
    const at = `segments.${s.id}`;
    const g = `grids.${base.grids[s.grid]!.id}`;
    return [
      s.driver === 'itLoadPue' ? q(`${at}.itLoad`, i) : q(`${at}.electricity`, i),
      s.driver === 'itLoadPue' ? q(`${at}.pue`, i) : 1,
      // the share the kernel computed (a sum of instruments where the segment declares them)
      1 - out[segmentOutput(s.id, 'cleanShare')]![i]! / 100,
      q(`${g}.factor`, i) * q(`${g}.residualMixRatio`, i),
    ];
  };
  const effects: Record<Effect, number> = {
    activity: 0,
    pue: 0,
    cleanShare: 0,
    gridFactor: 0,
    heat: 0,
  };
  const keys: Effect[] = ['activity', 'pue', 'cleanShare', 'gridFactor'];
  for (const s of base.segments.filter((x) => x.scope === 2)) {
    const x0 = segment(s, i0);
    const x1 = segment(s, i1);
    const fix = (x: number[], ref: number[]) =>
      x.map((v, k) => (v > 0 ? v : 1e-12 * Math.max(ref[k]!, 1e-300)));
    const a0 = fix(x0, x1);
    const a1 = fix(x1, x0);
    const v0 = a0.reduce((m, v) => m * v, 1);
    const v1 = a1.reduce((m, v) => m * v, 1);
    const w = logMean(v1, v0);
    keys.forEach((k, j) => {
      effects[k] += w * Math.log(a1[j]! / a0[j]!);
    });
  }
  effects.heat = (q('purchasedHeat', i1) - q('purchasedHeat', i0)) * base.heatFactor;
  const from = out.scope2Market[i0]!;
  const to = out.scope2Market[i1]!;
  const sum = EFFECTS.reduce((s, k) => s + effects[k], 0);
  return { fromYear, toYear, from, to, effects, residual: to - from - sum };
}
