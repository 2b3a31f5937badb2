/**
 * The files the CLI read and validated before writing the page, as the page's io shims serve
 * them: the engine points these at the starting scenario's before each run.
 */
import type { LoadedPrices } from '../../../io/load-prices.js';
import type { LoadedTargets } from '../../../io/load-targets.js';

export const pageFiles: { prices?: LoadedPrices; targets?: LoadedTargets } = {};
