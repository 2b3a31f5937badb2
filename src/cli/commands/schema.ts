import { organizationJsonSchema } from '../../schema/organization.js';
import { pricesJsonSchema } from '../../schema/prices.js';
import { scenarioJsonSchema } from '../../schema/scenario.js';
import { targetsJsonSchema } from '../../schema/targets.js';
import { UsageError } from '../../errors.js';

export const SCHEMAS = {
  scenario: scenarioJsonSchema,
  organization: organizationJsonSchema,
  targets: targetsJsonSchema,
  prices: pricesJsonSchema,
} as const;
export type SchemaKind = keyof typeof SCHEMAS;

export function schemaJsonText(kind: SchemaKind = 'scenario'): string {
  return `${JSON.stringify(SCHEMAS[kind](), null, 2)}\n`;
}

export function schemaCommand(kind = 'scenario'): void {
  if (!(kind in SCHEMAS)) throw new UsageError(`--kind takes ${Object.keys(SCHEMAS).join(', ')}`);
  process.stdout.write(schemaJsonText(kind as SchemaKind));
}
