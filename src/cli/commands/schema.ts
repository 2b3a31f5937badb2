import { scenarioJsonSchema } from '../../schema/scenario.js';

export function schemaJsonText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

export function schemaCommand(): void {
  process.stdout.write(schemaJsonText());
}
