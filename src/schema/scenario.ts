import { z } from './zod.js';
import { support, type Distribution } from '../core/distributions.js';
import {
  ASSUMPTIONS,
  FAMILIES,
  PARAMETERS,
  type AssumptionName,
  type ParameterDef,
  type ParameterName,
} from '../core/parameters.js';

const yearKey = z
  .string()
  .regex(/^\d{4}$/, { error: 'a year key must be a four-digit fiscal year, e.g. 2030' });
const why = z
  .string()
  .max(2000)
  .optional()
  .meta({ description: 'Why this value: its source or reasoning. Copied into run.json.' });

function bounded(def: Pick<ParameterDef, 'min' | 'max' | 'unit'>) {
  let n = z.number({ error: 'expected a number' });
  if (def.min !== undefined) {
    n = n.min(def.min, {
      error: `must be at least ${def.min} ${def.unit === '1' ? '' : def.unit}`.trim(),
    });
  }
  if (def.max !== undefined) {
    n = n.max(def.max, { error: `must be at most ${def.max} ${def.unit}`.trim() });
  }
  return n;
}

const rate = z
  .number({ error: 'expected a growth rate, e.g. 0.05 for +5%/yr' })
  .gt(-1, { error: 'a growth rate must be above -1 (-100%/yr)' })
  .max(10, {
    error: 'a growth rate above 10 (+1000%/yr) is surely a typo: rates are fractions, 0.05 = 5%/yr',
  });

const distId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/)
  .optional()
  .meta({
    description:
      'A name for this uncertain number, used by correlations and in sensitivity.csv ' +
      '(default: its field path).',
  });
const bound = z.number().optional();

export const distributionSchema = z
  .discriminatedUnion('dist', [
    z
      .strictObject({
        dist: z.literal('normal'),
        mean: z.number(),
        sd: z.number().min(0),
        min: bound,
        max: bound,
        id: distId,
      })
      .meta({ description: 'Normal, truncated to [min, max] when given.' }),
    z
      .strictObject({
        dist: z.literal('lognormal'),
        median: z.number().gt(0),
        sigma: z.number().min(0),
        min: bound,
        max: bound,
        id: distId,
      })
      .meta({
        description:
          'Lognormal with the given median and log-space standard deviation, truncated when given.',
      }),
    z
      .strictObject({ dist: z.literal('uniform'), min: z.number(), max: z.number(), id: distId })
      .refine((d) => d.min <= d.max, { error: 'min must not exceed max', path: ['max'] }),
    z
      .strictObject({
        dist: z.literal('triangular'),
        min: z.number(),
        mode: z.number(),
        max: z.number(),
        id: distId,
      })
      .refine((d) => d.min <= d.mode && d.mode <= d.max, {
        error: 'need min ≤ mode ≤ max',
        path: ['mode'],
      }),
  ])
  .meta({
    id: 'distribution',
    description:
      'An uncertain number for Monte Carlo; deterministic runs use its central value (mean, ' +
      'median, midpoint or mode).',
  });

/** A number, or a distribution whose every possible value respects the same bounds. */
function numberOrDistribution(
  value: z.ZodNumber,
  def: { min?: number; max?: number; unit: string },
  exclusiveMin = false,
) {
  return z.union([
    value,
    distributionSchema.superRefine((d, ctx) => {
      const [lo, hi] = support(d as Distribution);
      const tooLow = def.min !== undefined && (exclusiveMin ? lo <= def.min : lo < def.min);
      if (tooLow)
        ctx.addIssue({
          code: 'custom',
          message:
            `this distribution can go below ${def.min}` +
            `${def.unit === '1' || def.unit === '' ? '' : ` ${def.unit}`}; truncate it with min`,
        });
      if (def.max !== undefined && hi > def.max)
        ctx.addIssue({
          code: 'custom',
          message:
            `this distribution can go above ${def.max}` +
            `${def.unit === '1' || def.unit === '' ? '' : ` ${def.unit}`}; truncate it with max`,
        });
    }),
  ]);
}

const interpolation = z.enum(['linear', 'step']).optional().meta({
  description: 'Between points: linear (default) or step (hold each point until the next).',
});

/** One yearly quantity: a constant, points, a growth rate or a formula. */
export function specSchema(def: Pick<ParameterDef, 'min' | 'max' | 'unit' | 'description'>) {
  const value = numberOrDistribution(bounded(def), def);
  // Only the hard bound applies to a distribution of rates; 10 is a typo guard for plain numbers.
  const rateOrDist = numberOrDistribution(rate, { min: -1, unit: '' }, true);
  return z
    .union([
      value.meta({
        description: 'Constant from the first projected year on (a number or a distribution).',
      }),
      z.strictObject({ value, why }).meta({ description: 'Constant, with its reason.' }),
      z.strictObject({
        points: z.record(yearKey, value).meta({
          description:
            'Year → value. Linear from the base-year value to the first point, between ' +
            'points, then held.',
        }),
        interpolation,
        why,
      }),
      z.strictObject({
        growth: z
          .union([
            rateOrDist,
            z.strictObject({ points: z.record(yearKey, rateOrDist), interpolation }),
          ])
          .meta({
            description:
              'Annual growth rate (fraction), constant or as yearly points; compounds from ' +
              'the base-year value.',
          }),
        why,
      }),
      z.strictObject({
        formula: z
          .string()
          .min(1)
          .max(400)
          .meta({
            description:
              'Restricted mathjs expression. Symbols: year, t (years since base), base, prev, ' +
              'baseYear and the scenario constants. Functions: min, max, abs, sqrt, exp, log, ' +
              'log10, pow, floor, ceil, round, sign, clamp.',
          }),
        why,
      }),
    ])
    .meta({ description: `${def.description} Unit: ${def.unit}.` });
}

const parameterShape = Object.fromEntries(
  Object.entries(PARAMETERS).map(([name, def]) => [name, specSchema(def).optional()]),
) as Record<ParameterName, z.ZodOptional<ReturnType<typeof specSchema>>>;

const familyShape = {
  fuels: z
    .record(z.string(), specSchema(FAMILIES.fuels))
    .optional()
    .meta({ description: FAMILIES.fuels.description }),
  avoided: z
    .record(z.string(), specSchema(FAMILIES.avoided))
    .optional()
    .meta({ description: FAMILIES.avoided.description }),
};

/** A declared id's quantities: bounds are checked against the organization when compiled. */
const quantity = (unit: string, description: string) =>
  specSchema({ unit, description }).optional();
const declaredId = z.string().regex(/^[a-z][a-zA-Z0-9]{0,40}$/, {
  error: 'an id is a lower-case letter then letters or digits, as in organization.yaml',
});
const declaredShape = {
  segments: z
    .record(
      declaredId,
      z.strictObject({
        itLoad: quantity('MWh', 'IT electricity (itLoadPue segments).'),
        pue: quantity('1', 'Annual average PUE (itLoadPue segments), at least 1.'),
        electricity: quantity('MWh', 'Electricity (electricity-driven segments).'),
        cleanShare: quantity('%', 'Clean-electricity share, 0–100.'),
        onsite: quantity('%', 'On-site clean power, % of electricity (segments with instruments).'),
        ppa: quantity('%', 'Clean power bought through PPAs, % (segments with instruments).'),
        eac: quantity(
          '%',
          'Unbundled energy attribute certificates, % (segments with instruments).',
        ),
        hourlyCfe: quantity('%', 'Hourly-matched carbon-free energy share, % (tracked only).'),
      }),
    )
    .optional()
    .meta({ description: "Paths for the organization's electricity segments, by segment id." }),
  grids: z
    .record(
      declaredId,
      z.strictObject({
        factor: quantity('t CO2e/MWh', 'Location-based grid emission factor.'),
        residualMixRatio: quantity('1', 'Market-based factor of non-clean power / location-based.'),
      }),
    )
    .optional()
    .meta({ description: "Paths for the organization's grids, by grid id." }),
  scope3: z
    .record(
      declaredId,
      z.strictObject({
        intensity: quantity('t CO2e/M currency', 'Per million of revenue (revenueIntensity).'),
        emissions: quantity('t CO2e', 'Tonnes (trend categories).'),
      }),
    )
    .optional()
    .meta({ description: "Paths for the organization's scope 3 categories, by category id." }),
};

/** Assumptions a Monte Carlo path can draw (engine.ts: the base-year values derived from it). */
export const UNCERTAIN_ASSUMPTIONS: readonly AssumptionName[] = ['selfBuiltDcElectricityShare'];

/** A drawn assumption: a number or a distribution, for every basis or per reporting basis. */
function drawnAssumption(def: Pick<ParameterDef, 'min' | 'max' | 'unit'>) {
  const one = numberOrDistribution(bounded(def), def);
  return z.union([
    one,
    z
      .record(z.string().max(100), one)
      .meta({ description: 'Per reporting basis (a basis organization.yaml declares).' }),
  ]);
}

const assumptionShape = Object.fromEntries(
  Object.entries(ASSUMPTIONS).map(([name, def]) => [
    name,
    (UNCERTAIN_ASSUMPTIONS.includes(name as AssumptionName) ? drawnAssumption(def) : bounded(def))
      .optional()
      .meta({
        description:
          `${def.description} Unit: ${def.unit}.` +
          (UNCERTAIN_ASSUMPTIONS.includes(name as AssumptionName)
            ? ' A number or a distribution (each Monte Carlo path calibrates on its draw), ' +
              'or one per reporting basis ({ restated-2026: …, original-2024: … }).'
            : ''),
      }),
  ]),
) as Record<AssumptionName, z.ZodOptional<z.ZodNumber | ReturnType<typeof drawnAssumption>>>;

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,40}$/, {
  error: 'a constant name is a letter followed by letters, digits or _ (at most 41 characters)',
});

const fraction = { unit: 'fraction', min: 0, max: 1 } as const;

export const offsetsSchema = z
  .strictObject({
    targets: z
      .array(
        z.strictObject({
          target: z
            .string()
            .min(1)
            .meta({ description: "Id of a net-zero target in the organization's targets file." }),
          from: z.number().int().optional().meta({
            description: "First year credits are retired (default: the target's deadline).",
          }),
        }),
      )
      .min(1)
      .optional()
      .meta({
        description:
          'Targets met with credits: from `from` on, credits equal the residual net ' +
          'emissions. Required once extends are merged.',
      }),
    removalShare: specSchema({
      ...fraction,
      description: 'Share of credits that are removals (the rest is avoidance).',
    }).optional(),
    engineeredShareOfRemovals: specSchema({
      ...fraction,
      description: 'Share of removals that are engineered (the rest nature-based).',
    }).optional(),
    market: z
      .string()
      .optional()
      .meta({
        description:
          "A price file's market (e.g. us, eu, cn): its avoidance credit and clean-power " +
          "comparator. Default: the market of the organization's region.",
      }),
    cleanPower: z
      .string()
      .optional()
      .meta({
        description:
          "The clean-power comparator: an id under the price file's cleanPowerInstruments " +
          "(default: the market's).",
      }),
    avoidanceCredit: z
      .string()
      .optional()
      .meta({ description: "Price-file credit id for avoidance credits (default: the market's)." }),
    natureRemovalCredit: z.string().optional().meta({ description: 'Default nature-removal.' }),
    engineeredRemovalCredit: z
      .string()
      .optional()
      .meta({ description: 'Default engineered-removal.' }),
    discountRate: z
      .number()
      .min(0)
      .max(0.5)
      .optional()
      .meta({ description: 'Real discount rate for NPV (default 0.08).' }),
    purchaseLead: z
      .number()
      .int()
      .min(0)
      .max(20)
      .optional()
      .meta({
        description:
          "Buy each year's credits this many years before retiring them (forward purchase, " +
          "held until then), at that year's price, discounted from it. Never before the first " +
          'projected year. Default 0.',
      }),
    inflation: z
      .number()
      .min(-0.05)
      .max(0.5)
      .optional()
      .meta({
        description:
          'Annual inflation for nominal costs: nominal_cost = cost × (1 + inflation)^(year − ' +
          "the price file's moneyYear). Not given: no nominal costs.",
      }),
    exchangeRates: z
      .record(z.string().regex(/^[A-Z]{3}$/), z.number().gt(0))
      .optional()
      .meta({
        description:
          "Override the price file's exchange rates (units of the price file's currency per " +
          "unit of each currency); may add the organization's own currency.",
      }),
    priceMultipliers: z
      .record(z.string(), numberOrDistribution(z.number().min(0), { min: 0, unit: '' }))
      .optional()
      .meta({
        description:
          "Scale a credit's prices in every band, e.g. { ccer: 1.5 }; clean-power scales the " +
          'clean-electricity premium. A distribution makes the price uncertain in Monte ' +
          'Carlo (its central value elsewhere).',
      }),
    prices: z
      .string()
      .optional()
      .meta({ description: "Another price file, in the scenario's folder." }),
    why: z.string().optional(),
  })
  .meta({
    description:
      'How credits are bought: which targets, the removal mix, prices and discounting. See ' +
      'docs/methodology.md.',
  });

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
        error: 'a scenario name is lower-case letters, digits and dashes, e.g. my-scenario',
      })
      .optional()
      .meta({
        description: 'Short id used in the scenario column of every CSV. Default: the file name.',
      }),
    title: z.string().max(200).optional(),
    description: z
      .string()
      .max(5000)
      .optional()
      .meta({ description: 'What this scenario assumes, in a sentence or two.' }),
    sources: z
      .array(z.string().max(1000))
      .optional()
      .meta({ description: 'Where its numbers come from (seed file:line, publications).' }),
    extends: z
      .string()
      .max(200)
      .optional()
      .meta({
        description:
          'A bundled scenario name or a file in the same folder; this file overrides only what ' +
          'differs.',
      }),
    constants: z
      .record(identifier, z.union([z.number(), distributionSchema]))
      .optional()
      .meta({ description: 'Named numbers that formulas may use.' }),
    assumptions: z
      .strictObject(assumptionShape)
      .optional()
      .meta({ description: "Overrides of the organization's structural base-year assumptions." }),
    offsets: offsetsSchema.optional(),
    uncertainty: z
      .strictObject({
        correlations: z
          .array(
            z.strictObject({
              between: z
                .tuple([z.string(), z.string()])
                .meta({ description: 'Two uncertain numbers, by id or field path.' }),
              rho: z.number().min(-1).max(1),
            }),
          )
          .optional(),
      })
      .optional()
      .meta({ description: 'Correlations between uncertain numbers (Gaussian copula).' }),
    parameters: z
      .strictObject({ ...parameterShape, ...familyShape, ...declaredShape })
      .optional()
      .meta({
        description:
          'Yearly paths after the base year. Anything not given keeps its base-year value ' +
          '(credits: zero).',
      }),
  })
  .meta({
    title: 'carbonpath scenario',
    description: 'A what-if scenario for carbonpath. See docs/scenarios.md.',
  });

export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type Spec = z.infer<ReturnType<typeof specSchema>>;
export type OffsetsStrategy = z.infer<typeof offsetsSchema>;

export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(scenarioSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
}
