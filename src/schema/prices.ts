import { z } from './zod.js';
import { CLEAN_POWER_ID } from './price-constants.js';

export { BANDS, CLEAN_POWER_ID, type BandName } from './price-constants.js';

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
const creditId = z.string().regex(/^[a-z][a-z0-9-]*$/);
const cleanPowerItem = z.strictObject({
  label: z.string().min(1),
  currency,
  note: z.string().optional(),
  bands,
});

export const pricesFileSchema = z
  .strictObject({
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
      creditId,
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
    cleanPower: cleanPowerItem.meta({
      description:
        'Premium for one MWh of clean electricity (certificate or green-power contract), ' +
        'per band; the comparator where no market names another.',
    }),
    cleanPowerInstruments: z
      .record(creditId, cleanPowerItem)
      .optional()
      .meta({ description: 'More clean-power comparators, by id (e.g. us-rec, eu-go).' }),
    defaultMarket: z.string().optional().meta({
      description:
        'The market of an organization that declares no region (or one no market lists).',
    }),
    markets: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]*$/),
        z.strictObject({
          label: z.string().min(1),
          regions: z
            .array(z.string().regex(/^[A-Z]{2}$/))
            .min(1)
            .meta({
              description: "ISO 3166-1 alpha-2 codes (or EU) of the organization's region.",
            }),
          avoidanceCredit: creditId.meta({ description: 'The default avoidance credit there.' }),
          cleanPower: z.string().min(1).meta({
            description:
              'The clean-power comparator there: clean-power or a cleanPowerInstruments id.',
          }),
          note: z.string().optional(),
        }),
      )
      .optional()
      .meta({
        description:
          'Price sets by market: the avoidance credit and clean-power comparator an organization ' +
          'in one of the regions gets by default (a scenario can override both).',
      }),
  })
  .superRefine((f, ctx) => {
    const cleanIds = [CLEAN_POWER_ID, ...Object.keys(f.cleanPowerInstruments ?? {})];
    for (const [id, m] of Object.entries(f.markets ?? {})) {
      if (!f.credits[m.avoidanceCredit])
        ctx.addIssue({
          code: 'custom',
          path: ['markets', id, 'avoidanceCredit'],
          message:
            `no credit '${m.avoidanceCredit}'; ` +
            `use one of ${Object.keys(f.credits).join(', ')}`,
        });
      if (!cleanIds.includes(m.cleanPower))
        ctx.addIssue({
          code: 'custom',
          path: ['markets', id, 'cleanPower'],
          message: `no clean-power instrument '${m.cleanPower}'; use one of ${cleanIds.join(', ')}`,
        });
    }
    if (f.defaultMarket !== undefined && !f.markets?.[f.defaultMarket])
      ctx.addIssue({
        code: 'custom',
        path: ['defaultMarket'],
        message: `no market '${f.defaultMarket}' under markets`,
      });
  });

export type PricesFile = z.infer<typeof pricesFileSchema>;
export type PriceBand = z.infer<typeof priceBandSchema>;

export const pricesJsonSchema = (): unknown =>
  z.toJSONSchema(pricesFileSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
