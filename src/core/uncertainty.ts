/**
 * Uncertain numbers: every distribution in a scenario becomes a slot in a sample vector. A
 * deterministic run fills the vector with central values; a Monte Carlo path fills it from
 * the counter-based generator, through a Gaussian copula when correlations are given.
 */
import type { ScenarioFile } from '../schema/scenario.js';
import { centralValue, isDistribution, quantile, type Distribution } from './distributions.js';
import { normalCdf, normalQuantile, uniform } from './random.js';

export interface SlotRef {
  __slot: number;
}
export const isSlot = (v: unknown): v is SlotRef =>
  typeof v === 'object' && v !== null && '__slot' in v;

export interface UncertainNumber {
  slot: number;
  /** The `id` given in the file, else the field path. */
  id: string;
  path: string;
  dist: Distribution;
  central: number;
}

export class UncertaintyError extends Error {
  constructor(
    message: string,
    readonly path: Array<string | number>,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/**
 * Replace each distribution in the scenario with a slot reference, in document order.
 * Returns the rewritten scenario and the registry.
 */
export function extractUncertainty(scenario: ScenarioFile): {
  scenario: ScenarioFile;
  numbers: UncertainNumber[];
} {
  const numbers: UncertainNumber[] = [];
  const walk = (v: unknown, path: string[]): unknown => {
    if (isDistribution(v)) {
      const p = path.join('.');
      // The same explicit id with the same distribution is one number (e.g. a YAML anchor reused).
      const same = v.id !== undefined ? numbers.find((n) => n.id === v.id) : undefined;
      if (same) {
        if (JSON.stringify(same.dist) !== JSON.stringify(v)) {
          throw new UncertaintyError(
            `the id '${v.id}' is used for two different distributions (${same.path} and ${p})`,
            path,
            'give each distribution its own id, or the same distribution to tie them together',
          );
        }
        return { __slot: same.slot };
      }
      const slot = numbers.length;
      numbers.push({ slot, id: v.id ?? p, path: p, dist: v, central: centralValue(v) });
      return { __slot: slot };
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    }
    return v;
  };
  const out = { ...scenario };
  if (scenario.constants)
    out.constants = walk(scenario.constants, ['constants']) as ScenarioFile['constants'];
  if (scenario.parameters)
    out.parameters = walk(scenario.parameters, ['parameters']) as ScenarioFile['parameters'];
  // after the parameters: a drawn assumption leaves their slots (and so their draws) as they were
  if (scenario.assumptions)
    out.assumptions = walk(scenario.assumptions, ['assumptions']) as ScenarioFile['assumptions'];
  if (scenario.offsets)
    out.offsets = walk(scenario.offsets, ['offsets']) as ScenarioFile['offsets'];
  return { scenario: out, numbers };
}

export interface Sampler {
  /** Fill `out` with path `path`'s draw of every uncertain number. */
  draw(out: Float64Array, seed: number, path: number): void;
}

/** Lower-triangular Cholesky factor of a correlation matrix (row-major k×k). */
function cholesky(m: Float64Array, k: number): Float64Array | undefined {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i * k + j]!;
      for (let q = 0; q < j; q++) s -= l[i * k + q]! * l[j * k + q]!;
      if (i === j) {
        if (s <= 1e-12) return undefined;
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j]!;
      }
    }
  }
  return l;
}

export function makeSampler(
  numbers: readonly UncertainNumber[],
  correlations: NonNullable<ScenarioFile['uncertainty']>['correlations'] = [],
): Sampler {
  const k = numbers.length;
  const dists = numbers.map((n) => n.dist);
  if (!correlations || correlations.length === 0) {
    return {
      draw(out, seed, path) {
        for (let j = 0; j < k; j++) out[j] = quantile(dists[j]!, uniform(seed, path, j));
      },
    };
  }
  const find = (name: string, c: number, side: number) => {
    const n = numbers.find((x) => x.id === name || x.path === name);
    if (!n) {
      throw new UncertaintyError(
        `no uncertain number '${name}'`,
        ['uncertainty', 'correlations', c, 'between', side],
        'name a distribution by its id or path: ' +
          `${numbers.map((x) => x.id).join(', ') || '(the scenario has none)'}`,
      );
    }
    return n.slot;
  };
  const m = new Float64Array(k * k);
  for (let i = 0; i < k; i++) m[i * k + i] = 1;
  correlations.forEach((c, ci) => {
    const a = find(c.between[0], ci, 0);
    const b = find(c.between[1], ci, 1);
    if (a === b)
      throw new UncertaintyError(
        'a number cannot be correlated with itself',
        ['uncertainty', 'correlations', ci],
        'name two different numbers',
      );
    m[a * k + b] = c.rho;
    m[b * k + a] = c.rho;
  });
  const l = cholesky(m, k);
  if (!l) {
    throw new UncertaintyError(
      'these correlations are not consistent with each other (the matrix is not positive definite)',
      ['uncertainty', 'correlations'],
      'lower some correlations; e.g. A~B 0.9 and B~C 0.9 need A~C well above 0.6',
    );
  }
  const z = new Float64Array(k);
  return {
    draw(out, seed, path) {
      for (let j = 0; j < k; j++) z[j] = normalQuantile(uniform(seed, path, j));
      for (let i = 0; i < k; i++) {
        let y = 0;
        for (let j = 0; j <= i; j++) y += l[i * k + j]! * z[j]!;
        out[i] = quantile(dists[i]!, Math.min(1 - 1e-15, Math.max(1e-15, normalCdf(y))));
      }
    },
  };
}

export const centralSamples = (numbers: readonly UncertainNumber[]): Float64Array =>
  Float64Array.from(numbers, (n) => n.central);
