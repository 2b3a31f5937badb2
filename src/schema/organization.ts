import { z } from 'zod';

export const provenanceKinds = ['reported', 'derived', 'assumption'] as const;
export type ProvenanceKind = (typeof provenanceKinds)[number];

/** A number with its provenance: reported (seed file:line), derived (formula) or assumption (why). */
export const sourcedNumber = z.strictObject({
  value: z.number(),
  unit: z.string().min(1),
  provenance: z.enum(provenanceKinds),
  source: z.string().min(1, { error: 'every number needs a source: a file:line, a formula or a publication' }),
  why: z.string().optional(),
  overriddenBy: z.string().optional()
    .meta({ description: 'The scenario field that overrides this value.' }),
});
export type SourcedNumber = z.infer<typeof sourcedNumber>;

const id = z.string().regex(/^[a-z][a-zA-Z0-9]{0,40}$/, { error: 'an id is a lower-case letter then letters or digits, e.g. naturalGas' });

/** The version of the organization folder format documented in docs/organization-format.md. */
export const FORMAT_VERSION = 1;

export const organizationSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z.literal(FORMAT_VERSION, { error: `this carbonpath reads organization format version ${FORMAT_VERSION}` }).optional()
    .meta({ description: 'Version of the folder format (docs/organization-format.md). Default 1.' }),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  name: z.string().min(1).max(200),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'an ISO 4217 currency code, e.g. CNY' }),
  fiscalYear: z.strictObject({
    startMonth: z.number().int().min(1).max(12),
    note: z.string(),
  }),
  inventory: z.string().min(1).meta({ description: 'Inventory CSV, relative to this folder.' }),
  defaultBasis: z.string().min(1),
  bases: z.record(z.string(), z.string()).meta({ description: 'Reporting bases kept side by side (e.g. restated vs original).' }),
  baseYear: z.number().int().optional()
    .meta({ description: 'Year the projection starts from. Default: the latest year with reported scope 1 or scope 2.' }),
  avoidedWindowStart: z.number().int().optional()
    .meta({ description: 'First fiscal year counted in cumulative scope 3+ avoided emissions.' }),
  assumptions: z.strictObject({
    selfBuiltDcElectricityShare: sourcedNumber.optional(),
    heatFactor: sourcedNumber.optional(),
    leasedDcElectricity: sourcedNumber.optional(),
  }),
  fuels: z.record(id, z.strictObject({
    label: z.string(),
    variable: z.string().min(1).meta({ description: 'Inventory variable with the consumption.' }),
    unit: z.string().min(1),
    factor: sourcedNumber,
  })),
  programmes: z.record(id, z.strictObject({
    label: z.string(),
    variable: z.string().min(1).meta({ description: 'Inventory variable with the avoided emissions.' }),
  })),
});
export type Organization = z.infer<typeof organizationSchema>;

export const organizationJsonSchema = (): unknown => z.toJSONSchema(organizationSchema, { target: 'draft-2020-12', unrepresentable: 'any' });

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
