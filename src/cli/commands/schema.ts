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

const TITLES: Record<SchemaKind, string> = {
  scenario: 'carbonpath scenario',
  organization: 'carbonpath organization (format version 2)',
  targets: 'carbonpath targets',
  prices: 'carbonpath carbon-credit and clean-power prices',
};

/**
 * The JSON Schema of one kind of input file, for editors as well as for reading: an `$id`
 * (a name, not an address: editors find the file by the path in a file's `$schema` line) and a
 * title, and key rules that hold for YAML keys too (`forEditors`).
 */
export function schemaJson(kind: SchemaKind = 'scenario'): Record<string, unknown> {
  const { $schema, ...rest } = SCHEMAS[kind]() as Record<string, unknown>;
  return forEditors({
    $schema,
    $id: `urn:carbonpath:schema:${kind}`,
    ...rest,
    title: TITLES[kind],
  }) as Record<string, unknown>;
}

/**
 * Map keys in YAML are typed: `2030:` is an integer key, and yaml-language-server checks a
 * `propertyNames` schema against it as such, so `"type": "string"` there marks every year
 * ("Incorrect type. Expected string"). The key's pattern says all a name needs (a pattern
 * applies to strings only, and carbonpath reads every key as its text), so the type goes.
 */
function forEditors(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forEditors);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'propertyNames' && value && typeof value === 'object') {
      const { type: _type, ...names } = value as Record<string, unknown>;
      if (Object.keys(names).length > 0) out[key] = forEditors(names);
    } else out[key] = forEditors(value);
  }
  return out;
}

export function schemaJsonText(kind: SchemaKind = 'scenario'): string {
  return `${JSON.stringify(schemaJson(kind), null, 2)}\n`;
}

export function schemaCommand(kind = 'scenario'): void {
  if (!(kind in SCHEMAS)) throw new UsageError(`--kind takes ${Object.keys(SCHEMAS).join(', ')}`);
  process.stdout.write(schemaJsonText(kind as SchemaKind));
}
