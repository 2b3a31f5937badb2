/**
 * SBTi-style absolute-contraction benchmarks: base-year emissions reduced linearly by a fixed
 * share of the base each year (1.5 °C: 4.2%/yr, well-below 2 °C: 2.5%/yr), the years counted
 * from 2020 when the base year is later (by 2030: 42% for 4.2%/yr whatever the base year), the
 * path linear from the base year. Gross emissions only: credits never count toward SBTi
 * reductions.
 */
import type { SbtiConfig } from '../schema/targets.js';
import { TargetError, type SeriesSet } from './targets.js';

export interface SbtiRow {
  scope: string;
  benchmark: string;
  baseYear: number;
  baseValue: number;
  year: number;
  benchmarkValue: number;
  projectedValue: number;
  aligned: boolean;
}

export interface SbtiSummary {
  scope: string;
  benchmark: string;
  targetYear: number;
  benchmarkValue: number;
  projectedValue: number;
  /** projected − benchmark: positive = above the benchmark pathway. */
  gap: number;
  aligned: boolean;
  source: string;
}

/** SBTi's rule: a base year after 2020 has its ambition counted from 2020. */
export const SBTI_AMBITION_YEAR = 2020;
export const ambitionFrom = (cfg: SbtiConfig): number =>
  cfg.ambitionFromYear ?? Math.min(cfg.baseYear, SBTI_AMBITION_YEAR);

export function sbtiPathways(
  cfg: SbtiConfig,
  s: SeriesSet,
): { rows: SbtiRow[]; summary: SbtiSummary[] } {
  const rows: SbtiRow[] = [];
  const summary: SbtiSummary[] = [];
  for (const scope of cfg.scopes) {
    const series = s.values(scope.metric);
    const base = series?.get(cfg.baseYear);
    if (!series || base === undefined) {
      throw new TargetError(
        `sbti.${scope.id}`,
        `no ${scope.metric} in the SBTi base year ${cfg.baseYear}`,
        'choose a base year with reported data',
      );
    }
    for (const b of cfg.benchmarks) {
      // The ambition by the target year counts from ambitionFromYear (2020 for later base
      // years), and is reached on a straight line from the base year.
      const from = ambitionFrom(cfg);
      const span = cfg.targetYear - cfg.baseYear;
      const slope =
        span > 0 ? (b.annualReduction * (cfg.targetYear - from)) / span : b.annualReduction;
      const benchmarkAt = (y: number) => base * Math.max(0, 1 - slope * (y - cfg.baseYear));
      for (let y = cfg.baseYear; y <= s.lastYear; y++) {
        const v = series.get(y);
        if (v === undefined) continue;
        rows.push({
          scope: scope.id,
          benchmark: b.id,
          baseYear: cfg.baseYear,
          baseValue: base,
          year: y,
          benchmarkValue: benchmarkAt(y),
          projectedValue: v,
          aligned: v <= benchmarkAt(y),
        });
      }
      const v = series.get(cfg.targetYear);
      if (v !== undefined) {
        const bv = benchmarkAt(cfg.targetYear);
        summary.push({
          scope: scope.id,
          benchmark: b.id,
          targetYear: cfg.targetYear,
          benchmarkValue: bv,
          projectedValue: v,
          gap: v - bv,
          aligned: v <= bv,
          source: b.source,
        });
      }
    }
  }
  return { rows, summary };
}
