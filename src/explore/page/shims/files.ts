/**
 * The files the CLI read and validated before writing the page, as the page's io shims serve
 * them: the engine points these at the starting scenario's before each run (the formulas: once).
 */
import type { MathNode } from '../../../core/formula.js';
import type { LoadedPrices } from '../../../io/load-prices.js';
import type { LoadedTargets } from '../../../io/load-targets.js';

export const pageFiles: {
  prices?: LoadedPrices;
  targets?: LoadedTargets;
  /** The parse trees of the embedded scenarios' formulas (src/explore/formulas.ts). */
  formulas?: Readonly<Record<string, MathNode>>;
} = {};
