import { z } from './zod.js';

const year = z.number().int().min(1990).max(2100);
const variable = z
  .string()
  .min(1)
  .meta({ description: 'A trajectory variable, e.g. Emissions|Scope 1+2|Net.' });

/** A base value the report does not print directly: say how it was derived. */
const baseValue = z.strictObject({
  value: z.number(),
  provenance: z.enum(['reported', 'derived', 'assumption']),
  source: z.string().min(1),
});

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, {
    error: 'a target id is lower-case letters, digits, dots and dashes',
  }),
  title: z.string().min(1),
  wording: z.string().min(1).meta({
    description:
      'The target as the organization words it (in English), with the original if translated.',
  }),
  source: z.string().min(1).meta({ description: 'Where it is stated: seed file:line.' }),
  note: z
    .string()
    .optional()
    .meta({ description: 'Interpretation choices and caveats, shown with the result.' }),
};

const deadline = {
  deadline: year.meta({ description: 'Fiscal year by which the target must be met.' }),
  deadlineNote: z
    .string()
    .optional()
    .meta({ description: 'How the wording maps onto a fiscal year.' }),
};

export const targetSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      ...common,
      ...deadline,
      kind: z.literal('absolute'),
      metric: variable,
      baseYear: year.optional(),
      baseValue: baseValue.optional(),
      reduction: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .meta({ description: 'Fractional reduction vs the base value, e.g. 0.42.' }),
      cap: z
        .number()
        .optional()
        .meta({ description: 'Absolute cap in the metric unit (instead of a reduction).' }),
      gross: variable
        .optional()
        .meta({ description: 'The same metric before credits, for the without-credits view.' }),
    })
    .refine((t) => (t.reduction === undefined) !== (t.cap === undefined), {
      error: 'give either reduction or cap',
      path: ['reduction'],
    })
    .refine((t) => t.cap !== undefined || t.baseYear !== undefined, {
      error: 'a reduction target needs baseYear',
      path: ['baseYear'],
    }),
  z.strictObject({
    ...common,
    ...deadline,
    kind: z.literal('intensity'),
    metric: variable,
    baseYear: year,
    baseValue: baseValue
      .optional()
      .meta({ description: 'Needed when the base year is not in the inventory.' }),
    reduction: z.number().min(0).max(1),
    tonnesPer: variable
      .optional()
      .meta({ description: 'Denominator variable, to express the gap in t CO2e (e.g. Revenue).' }),
    gross: variable
      .optional()
      .meta({ description: 'The same metric before credits, for the without-credits view.' }),
  }),
  z.strictObject({
    ...common,
    ...deadline,
    kind: z.literal('net-zero'),
    metric: variable.meta({ description: 'The net variable (after credits).' }),
    gross: variable.meta({ description: 'The same emissions before credits.' }),
    netAtMost: z
      .number()
      .max(0, { error: 'netAtMost is ≤ 0 (t CO2e): 0 is net zero, −X is carbon negative' })
      .optional()
      .meta({
        description:
          'Carbon negative: net must be at most this (t CO2e, ≤ 0; default 0 = net zero). ' +
          'Credits beyond the residual are removals only.',
      }),
    proxy: z.string().optional().meta({
      description:
        'Set when the metric only covers part of what the target covers: what is missing.',
    }),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('share'),
    metric: variable,
    threshold: z.number(),
    fromYear: year.meta({
      description: 'The share must reach the threshold in this year and stay there.',
    }),
    deadlineNote: z.string().optional(),
  }),
  z
    .strictObject({
      ...common,
      kind: z.literal('threshold'),
      metric: variable,
      max: z.number().optional(),
      min: z.number().optional(),
      fromYear: year.optional().meta({
        description: 'First year the threshold applies (default: every year in the data).',
      }),
    })
    .refine((t) => (t.max === undefined) !== (t.min === undefined), {
      error: 'give either max or min',
      path: ['max'],
    }),
  z.strictObject({
    ...common,
    ...deadline,
    kind: z.literal('cumulative'),
    metric: variable.meta({ description: 'The annual variable that is summed.' }),
    windowStart: year,
    threshold: z.number(),
  }),
  z.strictObject({
    ...common,
    kind: z.literal('not-modelled'),
    reason: z.string().min(1),
  }),
]);

export const sbtiSchema = z.strictObject({
  baseYear: year,
  why: z.string().optional(),
  scopes: z.array(
    z.strictObject({
      id: z.string().min(1),
      metric: variable.meta({
        description: 'Gross emissions (credits never count toward SBTi reductions).',
      }),
    }),
  ),
  benchmarks: z.array(
    z.strictObject({
      id: z.string().min(1),
      annualReduction: z
        .number()
        .gt(0)
        .lt(1)
        .meta({ description: 'Linear reduction per year, as a fraction of base-year emissions.' }),
      source: z.string().min(1),
    }),
  ),
  targetYear: year,
  ambitionFromYear: year.optional().meta({
    description:
      'The year the annual reduction is counted from: the ambition by the target year is ' +
      'annualReduction × (targetYear − ambitionFromYear), reached linearly from the base ' +
      'year. ' +
      'Default: the base year, or 2020 for base years after 2020 (SBTi assesses the ambition ' +
      'of a ' +
      'later base year from 2020).',
  }),
});

export const structuralChangeSchema = z.strictObject({
  id: z.string().min(1),
  kind: z.enum(['divestiture', 'acquisition', 'method-change', 'outsourcing', 'insourcing']),
  description: z.string().min(1),
  year: year.meta({ description: 'Fiscal year the change took effect.' }),
  /** Emissions of the change in the base year; negative removes (divestiture), positive adds. */
  delta: z
    .record(z.string(), z.number())
    .meta({ description: 'Change per metric in the base year (negative = removed).' }),
  source: z.string().min(1),
});

export const targetsFileSchema = z.strictObject({
  $schema: z.string().optional(),
  targets: z.array(targetSchema).min(1),
  sbti: sbtiSchema.optional(),
  recalculation: z
    .strictObject({
      baseYear: year,
      significance: z
        .number()
        .gt(0)
        .lt(1)
        .meta({
          description:
            'Relative cumulative change (all changes since the base year together) that triggers ' +
            "a recalculation. The GHG Protocol asks for the company's own policy; SBTi's " +
            'criteria require one at 5%.',
        }),
      significanceSource: z.string().min(1).optional().meta({
        description:
          "Whose threshold it is: the company's stated policy, or SBTi's (with the text).",
      }),
      original: z
        .record(z.string(), z.number())
        .meta({ description: 'Base-year values before the changes, per metric.' }),
      originalSource: z.string().min(1),
      changes: z.array(structuralChangeSchema),
      ratios: z
        .record(z.string(), z.strictObject({ numerator: z.string(), denominator: z.string() }))
        .optional()
        .meta({
          description:
            'Intensities recomputed from recalculated metrics, e.g. scope 3 per revenue.',
        }),
    })
    .superRefine((r, ctx) => {
      for (const [name, { numerator, denominator }] of Object.entries(r.ratios ?? {})) {
        for (const [key, metric] of [
          ['numerator', numerator],
          ['denominator', denominator],
        ] as const) {
          if (!(metric in r.original)) {
            ctx.addIssue({
              code: 'custom',
              path: ['ratios', name, key],
              message: `'${metric}' has no original value; add it under recalculation.original`,
            });
          }
        }
      }
    })
    .optional(),
});

export type Target = z.infer<typeof targetSchema>;
export type TargetsFile = z.infer<typeof targetsFileSchema>;
export type SbtiConfig = z.infer<typeof sbtiSchema>;
export type Recalculation = NonNullable<TargetsFile['recalculation']>;

export const targetsJsonSchema = (): unknown =>
  z.toJSONSchema(targetsFileSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
