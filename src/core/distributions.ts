/**
 * Distributions for uncertain scenario numbers: each maps a uniform u ∈ (0,1) to a value
 * through its inverse CDF, so a Gaussian copula (correlations) and plain sampling share one path.
 */
import { normalCdf, normalQuantile } from './random.js';

export type Distribution =
  | {
      dist: 'normal';
      mean: number;
      sd: number;
      min?: number | undefined;
      max?: number | undefined;
      id?: string | undefined;
    }
  | {
      dist: 'lognormal';
      median: number;
      sigma: number;
      min?: number | undefined;
      max?: number | undefined;
      id?: string | undefined;
    }
  | { dist: 'uniform'; min: number; max: number; id?: string | undefined }
  | { dist: 'triangular'; min: number; mode: number; max: number; id?: string | undefined };

export function isDistribution(v: unknown): v is Distribution {
  return typeof v === 'object' && v !== null && 'dist' in v;
}

/** The value a deterministic run uses: the distribution's central value. */
export function centralValue(d: Distribution): number {
  switch (d.dist) {
    case 'normal':
      return clampTo(d.mean, d.min, d.max);
    case 'lognormal':
      return clampTo(d.median, d.min, d.max);
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'triangular':
      return d.mode;
  }
}

const clampTo = (x: number, lo?: number, hi?: number) =>
  Math.min(hi ?? Infinity, Math.max(lo ?? -Infinity, x));

/** Inverse CDF; truncation (min/max) for normal and lognormal by rescaling u. */
export function quantile(d: Distribution, u: number): number {
  switch (d.dist) {
    case 'uniform':
      return d.min + u * (d.max - d.min);
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      if (b === a) return a;
      const fc = (c - a) / (b - a);
      return u < fc
        ? a + Math.sqrt(u * (b - a) * (c - a))
        : b - Math.sqrt((1 - u) * (b - a) * (b - c));
    }
    case 'normal': {
      if (d.sd === 0) return clampTo(d.mean, d.min, d.max);
      const lo = d.min === undefined ? 0 : normalCdf((d.min - d.mean) / d.sd);
      const hi = d.max === undefined ? 1 : normalCdf((d.max - d.mean) / d.sd);
      const p = Math.min(1 - 1e-15, Math.max(1e-15, lo + u * (hi - lo)));
      return clampTo(d.mean + d.sd * normalQuantile(p), d.min, d.max);
    }
    case 'lognormal': {
      if (d.sigma === 0) return clampTo(d.median, d.min, d.max);
      const mu = Math.log(d.median);
      const lo =
        d.min === undefined || d.min <= 0 ? 0 : normalCdf((Math.log(d.min) - mu) / d.sigma);
      const hi = d.max === undefined ? 1 : normalCdf((Math.log(d.max) - mu) / d.sigma);
      const p = Math.min(1 - 1e-15, Math.max(1e-15, lo + u * (hi - lo)));
      return clampTo(Math.exp(mu + d.sigma * normalQuantile(p)), d.min, d.max);
    }
  }
}

/** [lowest, highest] possible value, for checking a distribution against a quantity's bounds. */
export function support(d: Distribution): [number, number] {
  switch (d.dist) {
    case 'uniform':
      return [d.min, d.max];
    case 'triangular':
      return [d.min, d.max];
    case 'normal':
      return d.sd === 0
        ? [centralValue(d), centralValue(d)]
        : [d.min ?? -Infinity, d.max ?? Infinity];
    case 'lognormal':
      return d.sigma === 0 ? [centralValue(d), centralValue(d)] : [d.min ?? 0, d.max ?? Infinity];
  }
}
