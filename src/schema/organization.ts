import { z } from './zod.js';

export const provenanceKinds = ['reported', 'derived', 'assumption'] as const;
export type ProvenanceKind = (typeof provenanceKinds)[number];

/**
 * A number with its provenance: reported (seed file:line), derived (formula) or assumption (why).
 */
export const sourcedNumber = z.strictObject({
  value: z.number(),
  unit: z.string().min(1),
  provenance: z.enum(provenanceKinds),
  source: z.string().min(1, {
    error: 'every number needs a source: a file:line, a formula or a publication',
  }),
  why: z.string().optional(),
  overriddenBy: z
    .string()
    .optional()
    .meta({ description: 'The scenario field that overrides this value.' }),
});
export type SourcedNumber = z.infer<typeof sourcedNumber>;

const id = z.string().regex(/^[a-z][a-zA-Z0-9]{0,40}$/, {
  error: 'an id is a lower-case letter then letters or digits, e.g. naturalGas',
});
const variable = (description: string) => z.string().min(1).meta({ description });
/** A name that becomes part of variable names (`PUE|<label>`): no `|` of its own. */
const label = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^|\n]*$/, { error: "a label becomes part of variable names: no '|' or line break" });

/** The version of the organization folder format documented in docs/organization-format.md. */
export const FORMAT_VERSION = 2;

/** What both versions share: who the organization is, its inventory, fuels and programmes. */
const common = {
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  name: z.string().min(1).max(200),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'an ISO 4217 currency code, e.g. CNY' }),
  region: z
    .string()
    .regex(/^[A-Z]{2}$/, { error: 'an ISO 3166-1 alpha-2 country code (e.g. US, DE, CN) or EU' })
    .optional()
    .meta({
      description:
        'Where the organization buys credits and clean power: picks the price market ' +
        "(a price file's markets.*.regions), e.g. US, DE, CN or EU.",
    }),
  fiscalYear: z.strictObject({
    startMonth: z.number().int().min(1).max(12),
    note: z.string(),
  }),
  inventory: z.string().min(1).meta({ description: 'Inventory CSV, relative to this folder.' }),
  defaultBasis: z.string().min(1),
  bases: z
    .record(z.string(), z.string())
    .meta({ description: 'Reporting bases kept side by side (e.g. restated vs original).' }),
  baseYear: z.number().int().optional().meta({
    description:
      'Year the projection starts from. Default: the latest year with reported scope 1 or scope 2.',
  }),
  avoidedWindowStart: z
    .number()
    .int()
    .optional()
    .meta({ description: 'First fiscal year counted in cumulative scope 3+ avoided emissions.' }),
  fuels: z.record(
    id,
    z.strictObject({
      label: z.string(),
      variable: variable('Inventory variable with the consumption.'),
      unit: z.string().min(1),
      factor: sourcedNumber,
    }),
  ),
  programmes: z.record(
    id,
    z.strictObject({
      label: z.string(),
      variable: variable('Inventory variable with the avoided emissions.'),
    }),
  ),
};

/** Version 1 (Alibaba's structure, fixed): read and converted to version 2 on load. */
export const organizationV1Schema = z.strictObject({
  ...common,
  formatVersion: z
    .literal(1)
    .optional()
    .meta({ description: 'Version of the folder format (docs/organization-format.md).' }),
  assumptions: z.strictObject({
    selfBuiltDcElectricityShare: sourcedNumber.optional(),
    heatFactor: sourcedNumber.optional(),
    leasedDcElectricity: sourcedNumber.optional(),
  }),
});
export type OrganizationV1 = z.infer<typeof organizationV1Schema>;

const grid = z.strictObject({
  label,
  factor: sourcedNumber.optional().meta({
    description:
      'Base-year location-based factor (t CO2e/MWh). Omit on one grid: its factor is derived ' +
      'from location-based scope 2.',
  }),
  residualMixRatio: sourcedNumber.optional().meta({
    description:
      'Market-based factor of non-clean power ÷ the location-based factor. Omit: one ratio is ' +
      'calibrated on market-based scope 2 for every grid that omits it.',
  }),
});

const segment = z
  .strictObject({
    label,
    scope: z.union([z.literal(2), z.literal(3)]).meta({
      description:
        '2: electricity the organization buys; 3: leased or colocation (the landlord buys).',
    }),
    grid: id.meta({ description: 'Id of the grid region this segment draws from.' }),
    driver: z.enum(['itLoadPue', 'electricity']).meta({
      description:
        'itLoadPue: electricity = IT load × PUE (data centres); electricity: MWh, own path.',
    }),
    dataCentre: z.boolean().optional().meta({
      description: 'Counts in the data-centre clean share. Default: driver is itLoadPue.',
    }),
    electricity: z
      .union([
        z.strictObject({
          share: sourcedNumber.meta({ description: 'Fraction of reported purchased electricity.' }),
          byBasis: z
            .record(z.string(), sourcedNumber)
            .optional()
            .meta({
              description:
                'The fraction on another reporting basis (the purchased electricity it is a ' +
                'fraction of differs between bases).',
            }),
        }),
        z.strictObject({ mwh: sourcedNumber }),
        z.strictObject({ variable: variable('Inventory variable with its MWh.') }),
        z.strictObject({
          remainder: z.literal(true).meta({
            description: 'Purchased electricity less every other scope 2 segment (at most one).',
          }),
        }),
        z.strictObject({
          fromReductions: variable(
            'Inventory variable with the clean-power reductions of this segment: electricity = ' +
              'reductions ÷ (clean share × grid factor).',
          ),
        }),
      ])
      .meta({ description: 'How the base-year electricity is known.' }),
    implied: z
      .literal(true)
      .optional()
      .meta({
        description:
          'Set when a version 1 file is read: a segment version 1 always implied, not modelled ' +
          'without a word when its data are absent.',
      }),
    reported: z
      .strictObject({
        pue: variable('Inventory variable with its PUE.').optional(),
        cleanShare: variable('Inventory variable with its clean share (%).').optional(),
      })
      .optional(),
    instruments: z
      .strictObject({
        onsite: sourcedNumber.optional().meta({
          description: 'On-site or other physically delivered clean power, % of electricity.',
        }),
        ppa: sourcedNumber
          .optional()
          .meta({ description: 'Power purchase agreements (with their certificates), %.' }),
        eac: sourcedNumber.optional().meta({
          description: 'Unbundled energy attribute certificates (RECs, GOs, GECs, I-RECs), %.',
        }),
      })
      .optional()
      .meta({
        description:
          "How the segment's base-year clean share is made up (annual matching, market-based " +
          'method): they must add up to it. Each becomes a quantity a scenario sets ' +
          '(segments.<id>.onsite|ppa|eac) in place of the clean share.',
      }),
    hourlyCfe: sourcedNumber.optional().meta({
      description:
        'Hourly-matched carbon-free energy share (%, e.g. 24/7 CFE), reported for tracking: it ' +
        'does not change market-based scope 2, which follows annual matching.',
    }),
  })
  .meta({ description: 'A consumer of electricity.' });

const scope3Category = z.strictObject({
  label,
  category: z
    .union([z.number().int().min(1).max(15), z.literal('total')])
    .meta({ description: 'GHG Protocol scope 3 category (1–15), or total when not split.' }),
  driver: z
    .union([
      z.literal('revenueIntensity'),
      z.literal('trend'),
      z.strictObject({ segment: id.meta({ description: 'A scope 3 electricity segment.' }) }),
    ])
    .meta({
      description:
        'revenueIntensity: revenue × intensity; trend: its own tonnes path; segment: the ' +
        "market-based emissions of that segment's electricity.",
    }),
  base: z
    .union([
      z.strictObject({ variable: variable('Inventory variable with its tonnes.') }),
      z.strictObject({
        remainder: z.literal(true).meta({
          description: 'Reported scope 3 less every other category (at most one).',
        }),
      }),
    ])
    .optional()
    .meta({ description: 'Base-year tonnes (not for a segment driver).' }),
});

/**
 * A break in a reported series: from `year` on, the organization reports it on another basis
 * (a new emission-factor set, a boundary change). Every chart of a listed variable draws it, and
 * the report lists it in its notes.
 */
export const seriesBreak = z.strictObject({
  variables: z
    .array(variable('A trajectory variable, e.g. Grid Emission Factor.'))
    .min(1, { error: 'name at least one trajectory variable the break affects' })
    .meta({ description: 'The trajectory variables the break affects; their charts draw it.' }),
  year: z.number().int().min(1990).max(2100).meta({
    description: 'First year on the new basis: the break is drawn between year − 1 and year.',
  }),
  label: z
    .string()
    .min(1)
    .max(40, { error: 'a chart label is at most 40 characters; put the rest in reason' })
    .regex(/^[^\n]*$/, { error: 'a chart label is one line' })
    .meta({ description: 'The short label on the chart, e.g. "factor set changed".' }),
  reason: z.string().min(1).meta({ description: 'What changed, in a sentence (report notes).' }),
  source: z.string().min(1, {
    error: 'a series break needs a source: a seed file:line, or the formula that shows it',
  }),
  basis: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'The reporting basis it applies to (default: every basis).' }),
});
export type SeriesBreak = z.infer<typeof seriesBreak>;

export const organizationSchema = z
  .strictObject({
    ...common,
    formatVersion: z
      .literal(FORMAT_VERSION)
      .meta({ description: 'Version of the folder format (docs/organization-format.md).' }),
    heatFactor: sourcedNumber
      .optional()
      .meta({ description: 'Emission factor of purchased heat (needed when heat is reported).' }),
    grids: z.record(id, grid).meta({ description: 'Grid regions, one factor path each.' }),
    segments: z
      .record(id, segment)
      .meta({ description: 'Electricity consumers, in the order their sums are taken.' }),
    scope3: z
      .record(id, scope3Category)
      .meta({ description: 'Scope 3 categories, in the order their sum is taken.' }),
    seriesBreaks: z
      .array(seriesBreak)
      .optional()
      .meta({ description: 'Breaks in reported series, drawn on their charts and noted.' }),
  })
  .superRefine((org, ctx) => {
    (org.seriesBreaks ?? []).forEach((b, i) => {
      if (b.basis !== undefined && !Object.hasOwn(org.bases, b.basis)) {
        ctx.addIssue({
          code: 'custom',
          path: ['seriesBreaks', i, 'basis'],
          message:
            `unknown basis '${b.basis}': use one of ${Object.keys(org.bases).join(', ')}, ` +
            'or leave basis out for every basis',
        });
      }
    });
  })
  .meta({ title: 'carbonpath organization (format version 2)' });
export type Organization = z.infer<typeof organizationSchema>;
export type Segment = z.infer<typeof segment>;
export type Scope3Category = z.infer<typeof scope3Category>;

/** Source of the zero data-centre share that version 1 implied when it declared none. */
const IMPLICIT_SOURCE = 'not declared (organization format version 1)';

/**
 * Version 1 as version 2: the structure version 1 implied, written out (the same equations,
 * so the same results). Segments whose base electricity comes out zero are not modelled.
 */
export function upgradeOrganization(v1: OrganizationV1): Organization {
  const { assumptions: a, formatVersion: _v, $schema: _s, ...rest } = v1;
  const sharePart = a.selfBuiltDcElectricityShare ?? {
    value: 0,
    unit: 'fraction',
    provenance: 'assumption' as const,
    source: IMPLICIT_SOURCE,
  };
  return {
    formatVersion: 2,
    ...rest,
    ...(a.heatFactor ? { heatFactor: a.heatFactor } : {}),
    grids: { main: { label: 'Grid' } },
    segments: {
      selfBuiltDc: {
        label: 'Self-built DC',
        scope: 2,
        grid: 'main',
        driver: 'itLoadPue',
        electricity: { share: sharePart },
        ...(a.selfBuiltDcElectricityShare ? {} : { implied: true as const }),
        reported: { pue: 'PUE|Self-built DC', cleanShare: 'Electricity|Clean Share|Self-built DC' },
      },
      other: {
        label: 'Other',
        scope: 2,
        grid: 'main',
        driver: 'electricity',
        electricity: { remainder: true },
      },
      leasedDc: {
        label: 'Leased DC',
        scope: 3,
        grid: 'main',
        driver: 'itLoadPue',
        electricity: a.leasedDcElectricity
          ? { mwh: a.leasedDcElectricity }
          : { fromReductions: 'Reductions|Leased DC' },
        ...(a.leasedDcElectricity ? {} : { implied: true as const }),
        reported: { pue: 'PUE|Leased DC', cleanShare: 'Electricity|Clean Share|Leased DC' },
      },
    },
    scope3: {
      leasedDc: { label: 'Leased DC', category: 8, driver: { segment: 'leasedDc' } },
      other: {
        label: 'Other',
        category: 'total',
        driver: 'revenueIntensity',
        base: { remainder: true },
      },
    },
  };
}

export const organizationJsonSchema = (): unknown =>
  z.toJSONSchema(organizationSchema, { target: 'draft-2020-12', unrepresentable: 'any' });

export interface InventoryRow {
  basis: string;
  variable: string;
  unit: string;
  year: number;
  value: number;
  provenance: ProvenanceKind;
  source: string;
  note: string;
  /** Line in the inventory CSV. */
  line: number;
}
