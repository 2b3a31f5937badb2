import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeFile } from './helpers.js';

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

function expectRejected(file: string, message: RegExp) {
  const r = cli(['validate', file]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(/fix: /);
  noStack(r.stderr);
  // and `run` with it writes nothing
  const out = join(tempDir(), 'out');
  const run = cli(['run', file, '--out', out]);
  expect(run.code).toBe(2);
  expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  return r.stderr;
}

describe('validate and run refuse bad scenarios with file, line and field', () => {
  it('a clean share of 140%', () => {
    const dir = tempDir();
    const f = writeFile(
      dir,
      'bad-share.yaml',
      'extends: baseline\nparameters:\n  selfBuiltCleanShare: 140\n',
    );
    const err = expectRejected(
      f,
      /bad-share\.yaml:3 at parameters\.selfBuiltCleanShare: must be at most 100 %/,
    );
    expect(err).toMatch(/within the bounds/);
  });
  it('a clean share that a formula drives past 100% names the year', () => {
    const f = writeFile(
      tempDir(),
      'over.yaml',
      'parameters:\n  selfBuiltCleanShare:\n    formula: base + 10 * t\n',
    );
    expectRejected(f, /over\.yaml:2 at parameters\.selfBuiltCleanShare: reaches 103\.6 % in 2029/);
  });
  it('an unknown key', () => {
    const f = writeFile(
      tempDir(),
      'typo.yaml',
      'extends: baseline\nparameters:\n  revenue: 1\n  selfBuiltPUE: 1.2\n',
    );
    expectRejected(f, /typo\.yaml:4 at parameters\.selfBuiltPUE: unknown key 'selfBuiltPUE'/);
  });
  it('a formula calling import(...)', () => {
    const f = writeFile(
      tempDir(),
      'evil.yaml',
      'parameters:\n  revenue:\n    formula: "import({}, {override: true})"\n',
    );
    expectRejected(
      f,
      /evil\.yaml:3 at parameters\.revenue\.formula: the function 'import' is not allowed/,
    );
  });
  it('malformed YAML', () => {
    const f = writeFile(
      tempDir(),
      'broken.yaml',
      'parameters:\n  revenue: [1, 2\n  gridFactor: 0.5\n',
    );
    expectRejected(f, /broken\.yaml:\d+: malformed YAML/);
  });
  it('a __proto__ key', () => {
    const f = writeFile(tempDir(), 'proto.yaml', 'parameters:\n  __proto__:\n    polluted: 1\n');
    expectRejected(
      f,
      /proto\.yaml:\d+ at parameters\.__proto__: the key '__proto__' is not allowed/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('an unknown fuel names the ones the organization has', () => {
    const f = writeFile(
      tempDir(),
      'fuel.yaml',
      'parameters:\n  fuels:\n    coal: { growth: 0.1 }\n',
    );
    expectRejected(
      f,
      /fuel\.yaml:3 at parameters\.fuels\.coal: unknown fuel 'coal'[\s\S]*naturalGas, diesel, gasoline, lpg/,
    );
  });
  it('extends that climbs out of the folder', () => {
    const dir = tempDir();
    const f = writeFile(dir, 'climb.yaml', 'extends: ../../etc/passwd\n');
    expectRejected(f, /climb\.yaml:1 at extends/);
  });
  it('extends through a link that leads outside the folder', () => {
    const outside = tempDir();
    writeFile(outside, 'secret.yaml', 'parameters: {}\n');
    const dir = tempDir();
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'linked.yaml'));
    const f = writeFile(dir, 'via-link.yaml', 'extends: linked.yaml\n');
    expectRejected(f, /leads outside/);
  });
  it('an extends cycle', () => {
    const dir = tempDir();
    writeFile(dir, 'a.yaml', 'extends: b\n');
    const f = writeFile(dir, 'b.yaml', 'extends: a\n');
    expectRejected(f, /makes a cycle/);
  });
  it('a device or folder instead of a file', () => {
    const r = cli(['validate', '/dev/null']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a regular file/);
  });
  it('reports every problem in every file at once', () => {
    const dir = tempDir();
    const a = writeFile(dir, 'a.yaml', 'parameters:\n  revenue: -1\n  bogus: 2\n');
    const b = writeFile(dir, 'b.yaml', 'parameters:\n  gridFactor: { growth: -2 }\n');
    const r = cli(['validate', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a\.yaml:2 at parameters\.revenue: must be at least 0/);
    expect(r.stderr).toMatch(/a\.yaml:3 at parameters\.bogus: unknown key/);
    expect(r.stderr).toMatch(
      /b\.yaml:2 at parameters\.gridFactor\.growth: a growth rate must be above -1/,
    );
  });
});

describe('validate accepts good input', () => {
  it('every bundled scenario, the organization folder and the inventory', () => {
    const r = cli([
      'validate',
      'scenarios/baseline.yaml',
      'scenarios/announced.yaml',
      'scenarios/ai-surge.yaml',
      'scenarios/stalled-procurement.yaml',
      'scenarios/grid-decarbonization.yaml',
      'data/alibaba-group',
      'data/alibaba-group/inventory.csv',
      'data/alibaba-group/targets.yaml',
      'test/fixtures/acme-calendar/targets-on-track.yaml',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^ok /gm)).toHaveLength(9);
    expect(r.stdout).toMatch(
      /organization 'Alibaba Group': 3 files — organization.yaml, inventory \(278 rows\), targets/,
    );
    expect(r.stdout).toMatch(/targets\.yaml \(targets, 10\)/);
  });
  it('a user scenario in its own folder that extends a bundled one and a sibling file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFile(join(dir, 'sub'), 'mine-base.yaml', 'extends: baseline\nconstants: { cap: 90 }\n');
    const f = writeFile(
      join(dir, 'sub'),
      'mine.json',
      JSON.stringify({
        extends: 'mine-base',
        parameters: { selfBuiltCleanShare: { formula: 'min(cap, base + 5 * t)' } },
      }),
    );
    const r = cli(['validate', f]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/scenario 'mine'/);
  });
});

describe('inventory CSV errors name the line', () => {
  it('a row without a source and a number with separators', () => {
    const f = writeFile(
      tempDir(),
      'inv.csv',
      [
        'basis,variable,unit,year,value,provenance,source,note',
        'x,Emissions|Scope 1,t CO2e,2026,100,reported,a.txt:1,',
        'x,Emissions|Scope 3,t CO2e,2026,"1,000",reported,a.txt:2,',
        'x,Revenue,M CNY,2026,5,derived,,',
      ].join('\n'),
    );
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inv\.csv:3 at value: value must be a plain number/);
    expect(r.stderr).toMatch(/inv\.csv:4 at source: every row needs a source/);
    noStack(r.stderr);
  });
});

describe('validate checks targets files', () => {
  it('an unknown target kind names the line', () => {
    const f = writeFile(
      tempDir(),
      'targets.yaml',
      'targets:\n  - id: x\n    title: t\n    kind: wishful\n    wording: w\n    source: s\n',
    );
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/targets\.yaml:\d+ at targets\.0\.kind/);
  });
});
