import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaJsonText } from '../src/cli/commands/schema.js';
import { PARAMETER_NAMES } from '../src/core/parameters.js';
import { cli } from './helpers.js';

describe('published JSON Schema', () => {
  for (const kind of ['scenario', 'organization', 'targets', 'prices'] as const) {
    it(
      `the committed schema/${kind}.schema.json ` +
        `matches the zod schema (run npm run schema:write)`,
      () => {
        expect(readFileSync(`schema/${kind}.schema.json`, 'utf8')).toBe(schemaJsonText(kind));
      },
    );
  }
  it('`carbonpath schema --kind organization` prints the organization format', () => {
    const schema = JSON.parse(cli(['schema', '--kind', 'organization']).stdout);
    expect(Object.keys(schema.properties)).toContain('formatVersion');
    expect(cli(['schema', '--kind', 'nonsense']).code).toBe(2);
  });
  it('`carbonpath schema` prints it', () => {
    const r = cli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.parameters.properties)).toEqual([
      ...PARAMETER_NAMES,
      'fuels',
      'avoided',
      'segments',
      'grids',
      'scope3',
    ]);
    expect(
      schema.properties.parameters.properties.selfBuiltCleanShare.anyOf[0].anyOf[0].maximum,
    ).toBe(100);
    expect(schema.properties.parameters.properties.selfBuiltCleanShare.anyOf[0].anyOf[1]).toEqual({
      $ref: '#/$defs/distribution',
    });
    expect(schema.$defs.distribution.oneOf ?? schema.$defs.distribution.anyOf).toHaveLength(4);
  });
  it('every bundled scenario points editors at the schema', () => {
    for (const s of [
      'baseline',
      'announced',
      'ai-surge',
      'stalled-procurement',
      'grid-decarbonization',
    ]) {
      expect(readFileSync(`scenarios/${s}.yaml`, 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=\.\.\/schema\/scenario\.schema\.json$/m,
      );
    }
  });
});
