/**
 * The prices file's fixed names, apart from its zod schema (schema/prices.ts re-exports them):
 * the explorer page's bundle takes these without zod (src/explore/bundle.mjs).
 */

/** The id a market uses for the file's own `cleanPower` comparator. */
export const CLEAN_POWER_ID = 'clean-power';

export const BANDS = ['low', 'central', 'high'] as const;
export type BandName = (typeof BANDS)[number];
