import { z } from 'zod';

const sourced = z.strictObject({
  value: z.number(),
  source: z
    .string()
    .min(1, { error: 'every price needs a source: publication and date, or "assumption: why"' }),
});
const yearKey = z.string().regex(/^\d{4}$/, { error: 'a year key is a four-digit year' });

export const priceBandSchema = z.strictObject({
  points: z
    .record(
      yearKey,
      z.strictObject({
        value: z.number().min(0, { error: 'a price cannot be negative' }),
        source: z.string().min(1, {
          error: 'every price needs a source: publication and date, or "assumption: why"',
        }),
      }),
    )
    .refine((p) => Object.keys(p).length > 0, { error: 'give at least one year: {value, source}' })
    .meta({
      description:
        "Observed or published prices by year, in the credit's currency; linear between points.",
    }),
  escalation: sourced
    .extend({ value: z.number().gt(-1).lt(1) })
    .meta({ description: 'Real annual change after the last point (fraction), with its reason.' }),
});

const bands = z.strictObject({
  low: priceBandSchema,
  central: priceBandSchema,
  high: priceBandSchema,
});
const currency = z.string().regex(/^[A-Z]{3}$/, { error: 'an ISO 4217 code, e.g. USD' });

export const pricesFileSchema = z.strictObject({
  $schema: z.string().optional(),
  currency: currency.meta({
    description:
      'The currency the exchange rates are expressed in; ' +
      "costs are converted from it to the organization's currency.",
  }),
  priceBasis: z.string().min(1).meta({ description: 'Real or nominal, and the money year.' }),
  moneyYear: z
    .number()
    .int()
    .min(1990)
    .max(2100)
    .optional()
    .meta({
      description:
        'For real prices: the year whose money they are in. ' +
        "Needed for nominal costs (a scenario's offsets.inflation).",
    }),
  exchangeRates: z
    .record(
      currency,
      z.strictObject({
        value: z.number().gt(0),
        year: z.number().int(),
        source: z.string().min(1, { error: 'every exchange rate needs a source' }),
      }),
    )
    .meta({
      description:
        "Units of this file's currency per unit of each other currency " +
        '(an organization reporting in another currency needs its rate here).',
    }),
  credits: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/),
    z.strictObject({
      label: z.string().min(1),
      type: z.enum(['avoidance', 'removal', 'allowance']),
      role: z
        .enum(['purchasable', 'reference'])
        .meta({ description: 'reference: shown for comparison, not bought by a strategy.' }),
      currency,
      note: z.string().optional(),
      bands,
    }),
  ),
  cleanPower: z
    .strictObject({
      label: z.string().min(1),
      currency,
      note: z.string().optional(),
      bands,
    })
    .meta({
      description:
        'Premium for one MWh of clean electricity (certificate or green-power contract), per band.',
    }),
});

export type PricesFile = z.infer<typeof pricesFileSchema>;
export type PriceBand = z.infer<typeof priceBandSchema>;
export const BANDS = ['low', 'central', 'high'] as const;
export type BandName = (typeof BANDS)[number];

export const pricesJsonSchema = (): unknown =>
  z.toJSONSchema(pricesFileSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
