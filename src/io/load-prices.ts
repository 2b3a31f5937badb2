import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { checkBandOrder, PriceError } from '../core/prices.js';
import { pricesFileSchema, type PricesFile } from '../schema/prices.js';
import { PACKAGE_ROOT } from './package-root.js';
import { readInputFile } from './safe-path.js';
import { parseYamlSource } from './yaml-source.js';
import { zodProblems } from './zod-problems.js';

export const BUNDLED_PRICES = join(PACKAGE_ROOT, 'data', 'prices', 'carbon-credits.yaml');

export interface LoadedPrices {
  file: string;
  sha256: string;
  prices: PricesFile;
}

const cache = new Map<string, LoadedPrices>();

/**
 * A price file: schema-checked (every value sourced) and bands ordered low ≤ central ≤ high to
 * 2060.
 */
export function loadPrices(file = BUNDLED_PRICES): LoadedPrices {
  const hit = cache.get(file);
  if (hit) return hit;
  const text = readInputFile(file);
  const src = parseYamlSource(file, text);
  const parsed = pricesFileSchema.safeParse(src.value ?? {});
  if (!parsed.success)
    throw new InputError(zodProblems(src, parsed.error.issues, pricesFileSchema));
  try {
    checkBandOrder(parsed.data);
  } catch (e) {
    if (e instanceof PriceError)
      throw new InputError({
        file,
        line: src.lineOf(e.path),
        path: e.path.join('.'),
        message: e.message,
        fix: e.fix,
      });
    throw e;
  }
  const loaded = {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    prices: parsed.data,
  };
  cache.set(file, loaded);
  return loaded;
}
