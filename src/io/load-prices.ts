import { join } from 'node:path';
import { InputError } from '../errors.js';
import { checkBandOrder, PriceError } from '../core/prices.js';
import { pricesFileSchema, type PricesFile } from '../schema/prices.js';
import { PACKAGE_ROOT } from './package-root.js';
import { parsedOnce, sha256 } from './parsed-once.js';
import { readInputFile } from './safe-path.js';
import { parseYamlSource } from './yaml-source.js';
import { zodProblems } from './zod-problems.js';

export const BUNDLED_PRICES = join(PACKAGE_ROOT, 'data', 'prices', 'carbon-credits.yaml');

export interface LoadedPrices {
  file: string;
  sha256: string;
  prices: PricesFile;
}

/**
 * A price file: schema-checked (every value sourced) and bands ordered low ≤ central ≤ high to
 * 2060. Read once per process for the same text.
 */
export function loadPrices(file = BUNDLED_PRICES): LoadedPrices {
  const text = readInputFile(file);
  return parsedOnce('prices', file, text, () => checkPrices(file, text));
}

function checkPrices(file: string, text: string): LoadedPrices {
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
  return { file, sha256: sha256(text), prices: parsed.data };
}
