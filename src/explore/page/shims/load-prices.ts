/** io/load-prices.ts for the page: the price file the CLI loaded for this scenario. */
import type { PricesFile } from '../../../schema/prices.js';
import { pageFiles } from './files.js';

export const BUNDLED_PRICES = '/carbonpath/data/prices/carbon-credits.yaml';

export interface LoadedPrices {
  file: string;
  sha256: string;
  prices: PricesFile;
}

export function loadPrices(_file?: string): LoadedPrices {
  if (!pageFiles.prices) throw new Error('the page holds no price file for this scenario');
  return pageFiles.prices;
}
