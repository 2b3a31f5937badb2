/**
 * An unknown key in any input file (scenario, organization, targets, prices) is refused at its
 * line, and the fix names the nearest allowed key when it looks like a typo.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysAt } from '../src/io/zod-problems.js';
import { scenarioSchema } from '../src/schema/scenario.js';
import { organizationSchema } from '../src/schema/organization.js';
import { targetsFileSchema } from '../src/schema/targets.js';
import { cli, ROOT, tempDir, writeFile } from './helpers.js';

const ACME = join(ROOT, 'test', 'fixtures', 'acme-calendar');

describe('the keys allowed at a path, by the schema', () => {
  it('walks objects, records, arrays and the forms of a union', () => {
    expect(keysAt(scenarioSchema, [])).toContain('parameters');
    expect(keysAt(scenarioSchema, ['parameters'])).toContain('selfBuiltPue');
    // a number spec is a union: every form's keys count
    const spec = keysAt(scenarioSchema, ['parameters', 'revenue']);
    for (const k of ['value', 'points', 'growth', 'formula', 'dist']) expect(spec).toContain(k);
    expect(keysAt(organizationSchema, [])).toContain('defaultBasis');
    expect(keysAt(targetsFileSchema, ['targets', 0])).toContain('deadline');
    expect(keysAt(scenarioSchema, ['name'])).toEqual(new Set());
  });
});

describe('did you mean, in every input file', () => {
  const cases: Array<{ name: string; text: string; expected: RegExp[] }> = [
    {
      name: 'a scenario: top-level, parameter name, and inside a number spec',
      text:
        'name: typo\nextends: baseline\ntitel: x\nparameters:\n' +
        '  revenue: { grwth: 0.05 }\n  selfBuiltPUE: { value: 1.2 }\n',
      expected: [
        /typo\.yaml:3 at titel: unknown key 'titel'\n\s+fix: did you mean 'title'\?/,
        /typo\.yaml:5 at parameters\.revenue\.grwth: unknown key 'grwth'\n\s+fix: did you mean 'growth'\?/,
        /typo\.yaml:6 at parameters\.selfBuiltPUE: unknown key 'selfBuiltPUE'\n\s+fix: did you mean 'selfBuiltPue'\?/,
      ],
    },
    {
      name: 'a scenario: a point value misspelt, and a key far from any',
      text: 'name: typo\nparameters:\n  revenue: { pionts: { 2030: 5 } }\nzzzzzzzz: 1\n',
      expected: [
        /typo\.yaml:3 at parameters\.revenue\.pionts: unknown key 'pionts'\n\s+fix: did you mean 'points'\?/,
        /typo\.yaml:4 at zzzzzzzz: unknown key 'zzzzzzzz'\n\s+fix: remove or rename it/,
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const f = writeFile(tempDir(), 'typo.yaml', c.text);
      const r = cli(['validate', f]);
      expect(r.code).toBe(2);
      for (const e of c.expected) expect(r.stderr).toMatch(e);
      expect(r.stderr).not.toMatch(/discriminator/);
    });
  }

  it('an organization: a misspelt top-level key and one inside a segment', () => {
    const dir = join(tempDir(), 'org');
    cpSync(join(ROOT, 'test', 'fixtures', 'annual-100'), dir, { recursive: true });
    const file = join(dir, 'organization.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^currency:/m);
    writeFileSync(file, text.replace(/^currency:/m, 'curency:'));
    const r = cli(['validate', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /at curency: unknown key 'curency'\n\s+fix: did you mean 'currency'\?/,
    );
  });

  it('a targets file: a misspelt key of one target', () => {
    const dir = join(tempDir(), 'acme');
    cpSync(ACME, dir, { recursive: true });
    const file = join(dir, 'targets.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('deadline: 2030', 'dedline: 2030'));
    const r = cli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /targets\.yaml:\d+ at targets\.0\.dedline: unknown key 'dedline'\n\s+fix: did you mean 'deadline'\?/,
    );
  });

  it('a price file: a misspelt top-level key', () => {
    const file = join(tempDir(), 'prices.yaml');
    const text = readFileSync(join(ROOT, 'data', 'prices', 'carbon-credits.yaml'), 'utf8');
    writeFileSync(file, text.replace(/^moneyYear:/m, 'monyYear:'));
    const r = cli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /at monyYear: unknown key 'monyYear'\n\s+fix: did you mean 'moneyYear'\?/,
    );
  });
});
