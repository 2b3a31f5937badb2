/**
 * The declared structure (organization format version 2): version 1 and version 2 files give
 * the same results; `migrate` writes a folder that runs the same; a structure of another
 * shape (two grids, a leased segment, three scope 3 drivers) is calibrated in closed form and
 * runs through every command; the generated kernel holds no text from any file; a structure
 * that cannot be computed, or a scenario naming an undeclared id, is refused by line.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../src/core/calibrate.js';
import { compileKernel, KERNEL_ALPHABET } from '../src/core/kernel.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { cli, everyCommand, pick, readCsv, tempDir } from './helpers.js';

const FILES = {
  run: ['trajectories.csv'],
  targets: ['targets.csv', 'target-pathways.csv'],
  offsets: ['offsets.csv', 'offsets-vs-clean-power.csv'],
  simulate: ['fan.csv', 'target-probabilities.csv', 'sensitivity.csv'],
} as const;

/** Every CSV of run, targets, offsets and simulate for one organization folder. */
function outputsOf(data: string): Record<string, string> {
  const out = tempDir();
  const files: Record<string, string> = {};
  for (const [command, names] of Object.entries(FILES)) {
    const extra = command === 'simulate' ? ['--samples', '400', '--seed', '3'] : [];
    const r = cli([command, '--data', data, '--to', '2035', '--out', join(out, command), ...extra]);
    expect(r.code, `${command}: ${r.stderr}`).toBe(0);
    for (const f of names) files[`${command}/${f}`] = readFileSync(join(out, command, f), 'utf8');
  }
  return files;
}

/** A copy of a bundled organization folder with the version 1 organization.yaml put back. */
function v1Copy(folder: string, v1File: string): string {
  const dir = join(tempDir(), 'v1');
  cpSync(folder, dir, { recursive: true });
  writeFileSync(join(dir, 'organization.yaml'), readFileSync(v1File, 'utf8'));
  return dir;
}

describe('format version 2 gives the results version 1 gave', () => {
  it('Alibaba Group: every CSV of run, targets, offsets and simulate is identical', () => {
    const v1 = v1Copy('data/alibaba-group', 'test/fixtures/alibaba-group.v1.organization.yaml');
    expect(readFileSync(join(v1, 'organization.yaml'), 'utf8')).toMatch(/^formatVersion: 1$/m);
    const a = outputsOf(v1);
    const b = outputsOf('data/alibaba-group');
    expect(Object.keys(a)).toHaveLength(8);
    for (const f of Object.keys(a)) expect(b[f], f).toBe(a[f]);
  });
  it(
    '`migrate` rewrites Alibaba Health in version 2, and the migrated folder gives the ' + 'same',
    () => {
      const v1 = v1Copy('data/alibaba-health', 'test/fixtures/alibaba-health.v1.organization.yaml');
      const out = join(tempDir(), 'migrated');
      const r = cli(['migrate', v1, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const migrated = readFileSync(join(out, 'organization.yaml'), 'utf8');
      expect(migrated).toMatch(/^formatVersion: 2$/m);
      expect(readFileSync(join(out, 'organization.v1.yaml'), 'utf8')).toMatch(
        /^formatVersion: 1$/m,
      );
      // no self-built or leased data centres: version 1 implied them, the migrated file does not
      expect(migrated).not.toMatch(/selfBuiltDc|leasedDc/);
      const a = outputsOf(v1);
      const b = outputsOf(out);
      for (const f of Object.keys(a)) expect(b[f], f).toBe(a[f]);
      // migrating again is refused: it is version 2 already
      const again = cli(['migrate', out]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already in format version 2/);
    },
  );
});

describe('a structure of another shape: two grids, a leased segment, three scope 3 drivers', () => {
  const data = 'test/fixtures/two-grids';
  const org = loadOrganization(data);
  const base = calibrate(org.organization, org.inventory);
  const close = (a: number, b: number) => expect(a / b - 1).toBeCloseTo(0, 12);
  it('calibrates in closed form (numbers in organization.yaml)', () => {
    const [us, eu] = base.grids;
    expect(us!.factor).toBe(0.37);
    close(eu!.factor, (198000 - 400000 * 0.37) / 200000); // 0.25, derived
    close(us!.residualMixRatio, 1.1);
    expect(eu!.residualMixRatio).toBe(us!.residualMixRatio);
    const [owned, offices, colo] = base.segments;
    expect(owned!.electricity).toBe(400000);
    expect(offices!.electricity).toBe(200000);
    close(offices!.cleanShare, 30);
    expect(colo!.electricity).toBe(100000);
    close(base.values['segments.ownedDc.itLoad']!, 400000 / 1.25);
    const [coloCat, goods, travel] = base.categories;
    close(coloCat!.emissions, 100000 * 0.8 * 0.37 * 1.1); // 32,560 t
    expect(goods!.intensity).toBe(5); // 50,000 t ÷ 10,000 M USD
    close(travel!.emissions, 100000 - 32560 - 50000);
  });
  it(
    'its base year reproduces the reported figures, and a projected year its own ' + 'equations',
    () => {
      const out = join(tempDir(), 'run');
      expect(cli(['run', '--data', data, '--to', '2030', '--out', out]).code).toBe(0);
      const rows = readCsv(join(out, 'trajectories.csv'));
      const v = (variable: string, year: number) => pick(rows, 'baseline', variable, year);
      // CSV numbers carry 10 significant digits
      const near = (a: number, b: number) => expect(a / b - 1).toBeCloseTo(0, 8);
      close(v('Emissions|Scope 2|Market-based', 2025), 103620);
      close(v('Emissions|Scope 3', 2025), 100000);
      // FY2027: two years of each lever (central values) through the equations by hand
      const owned = (400000 / 1.25) * 1.2 ** 2 * 1.25; // IT load +20%/yr, PUE held
      const offices = 200000 * 0.98 ** 2;
      const cleanOwned = 60 + (90 - 60) * (2 / 5); // linear to 90% in 2030
      const us = 0.37 * 0.96 ** 2;
      const eu = 0.25 * 0.94 ** 2;
      const lb = owned * us + offices * eu;
      const mb =
        (owned - (owned * cleanOwned) / 100) * us * 1.1 + (offices - offices * 0.3) * eu * 1.1;
      near(v('Emissions|Scope 2|Location-based', 2027), lb);
      near(v('Emissions|Scope 2|Market-based', 2027), mb);
      const colo = 100000 * 1.1 ** 2 * 0.8 * us * 1.1;
      const s3 = colo + 10000 * 1.05 ** 2 * 5 * 0.97 ** 2 + 17440 * 1.02 ** 2;
      near(v('Emissions|Scope 3', 2027), s3);
      near(v('Emissions|Scope 3|Business travel', 2027), 17440 * 1.02 ** 2);
      near(v('Emissions|Scope 3|Colocation', 2027), colo);
      // the group factor is the electricity-weighted mean of the two grids
      expect(v('Grid Emission Factor', 2027) / (lb / (owned + offices)) - 1).toBeCloseTo(0, 5);
    },
  );
  it('runs through every command', () => {
    const out = tempDir();
    const solve = { target: 'owned-dc-pue', lever: 'parameters.segments.ownedDc.pue' };
    for (const { args, r } of everyCommand(data, out, { ...solve, min: '1', max: '2' }))
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
    const targets = readCsv(join(out, 'targets', 'targets.csv'));
    expect(targets.map((t) => t.target_id)).toEqual([
      's12-neutral-2030',
      'colo-neutral-2030',
      'owned-dc-pue',
    ]);
    const offsets = readCsv(join(out, 'offsets', 'offsets.csv'));
    expect(new Set(offsets.map((o) => o.target_id))).toEqual(
      new Set(['s12-neutral-2030', 'colo-neutral-2030']),
    );
    expect(offsets[0]!.currency).toBe('USD');
  });
});

describe('the kernel is generated from indices, never from file text', () => {
  for (const data of ['data/alibaba-group', 'test/fixtures/two-grids', 'data/alibaba-health']) {
    it(`${data}: its source uses numbers, fixed names and operators only`, () => {
      const org = loadOrganization(data);
      const base = calibrate(org.organization, org.inventory);
      const { source } = compileKernel(base);
      expect(source).toMatch(KERNEL_ALPHABET);
      const words = new Set(source.match(/[A-Za-z_]\w*/g));
      const names = [...base.segments, ...base.categories, ...base.grids].flatMap((x) => [
        x.id,
        ...x.label.split(/\W+/),
      ]);
      for (const name of names) if (name.length > 2) expect(words.has(name), name).toBe(false);
    });
  }
});

describe('a structure that cannot be computed is refused by line, nothing written', () => {
  const broken = (edit: (text: string) => string) => {
    const dir = join(tempDir(), 'org');
    cpSync('test/fixtures/two-grids', dir, { recursive: true });
    const f = join(dir, 'organization.yaml');
    writeFileSync(f, edit(readFileSync(f, 'utf8')));
    return dir;
  };
  const cases: Array<[string, (t: string) => string, RegExp]> = [
    [
      'a category driven by an unknown segment',
      (t) => t.replace('driver: { segment: colo }', 'driver: { segment: cola }'),
      /organization\.yaml:\d+ at scope3\.colo\.driver\.segment: unknown segment 'cola'/,
    ],
    [
      'a segment on an undeclared grid',
      (t) => t.replace('    grid: eu\n', '    grid: asia\n'),
      /organization\.yaml:\d+ at segments\.offices\.grid: unknown grid 'asia'/,
    ],
    [
      'a segment without a driver',
      (t) => t.replace('    driver: electricity\n', ''),
      /organization\.yaml:\d+ at segments\.offices\.driver/,
    ],
    [
      'a category driven by a scope 2 segment',
      (t) => t.replace('driver: { segment: colo }', 'driver: { segment: offices }'),
      /scope3\.colo\.driver\.segment: segment 'offices' is scope 2/,
    ],
    [
      'two remainder segments',
      (t) => t.replace(/mwh: \{ value: 400000[^\n]+/, 'remainder: true'),
      /more than one remainder segment/,
    ],
    [
      'scope 2 segments that do not add up to purchased electricity',
      (t) =>
        t.replace(
          'electricity: { remainder: true }',
          'electricity: { mwh: { value: 150000, unit: MWh, provenance: assumption, source: x } }',
        ),
      /the scope 2 segments add up to 550000 MWh \(ownedDc 400000, offices 150000\), but purchased electricity is 600000 MWh/,
    ],
    [
      'declared segments that exceed purchased electricity',
      (t) => t.replace('value: 400000, unit: MWh', 'value: 700000, unit: MWh'),
      /leaving 'offices' -100000 MWh/,
    ],
    [
      'a grid with a derived factor but no scope 2 electricity on it',
      (t) =>
        t
          .replace('    grid: eu\n    driver: electricity', '    grid: us\n    driver: electricity')
          .replace('    scope: 3\n    grid: us', '    scope: 3\n    grid: eu'),
      /grid 'eu' has no scope 2 electricity to derive its factor from/,
    ],
    [
      'declared factors that explain more market-based scope 2 than reported',
      (t) =>
        t
          .replace(
            "      why: a declared factor, so that the other grid's can be derived\n",
            "      why: a declared factor, so that the other grid's can be derived\n" +
              '    residualMixRatio: { value: 1, unit: "1", provenance: assumption, source: x }\n',
          )
          .replace(
            '  eu:\n    label: EU grid',
            '  eu:\n    label: EU grid\n    factor: { value: 0.3, unit: t CO2e/MWh, ' +
              'provenance: assumption, source: x }\n' +
              '    residualMixRatio: { value: 1.2, unit: "1", ' +
              'provenance: assumption, source: x }',
          ),
      /give market-based scope 2 of \d+ t in 2025, more than the 103620 t reported/,
    ],
    [
      'two labels that give the same variable',
      (t) => t.replace('    label: Colocation\n', '    label: Owned DC\n'),
      /give the same variable: Electricity\|Clean Share\|Owned DC, PUE\|Owned DC/,
    ],
    [
      "a label with '|'",
      (t) => t.replace('label: Purchased goods', 'label: Colocation|Net'),
      /scope3\.goods\.label: a label becomes part of variable names/,
    ],
    [
      'a grid named like a built-in property',
      (t) => t.replace('    scope: 3\n    grid: us', '    scope: 3\n    grid: constructor'),
      /segments\.colo\.grid: unknown grid 'constructor'/,
    ],
  ];
  for (const [what, edit, message] of cases) {
    it(what, () => {
      const dir = broken(edit);
      const out = join(tempDir(), 'out');
      for (const args of [
        ['validate', dir],
        ['run', '--data', dir, '--out', out],
      ]) {
        const r = cli(args);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toMatch(/fix: /);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }
      expect(() => readFileSync(join(out, 'trajectories.csv'))).toThrow();
    });
  }
  it(
    'a bundled scenario naming a segment the organization lacks says which id and how to ' +
      'fix it',
    () => {
      const r = cli(['run', 'ai-surge', '--data', 'test/fixtures/two-grids', '--out', tempDir()]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /parameters\.selfBuiltItLoad sets segments\.selfBuiltDc\.itLoad, but Two Grids Test Co declares no segment 'selfBuiltDc'/,
      );
      expect(r.stderr).toMatch(
        /fix: remove parameters\.selfBuiltItLoad, or set .* under parameters\.segments/,
      );
    },
  );
  it('a scenario naming an undeclared segment id lists the declared ones', () => {
    const dir = tempDir();
    const f = join(dir, 'x.yaml');
    writeFileSync(f, 'name: x\nparameters:\n  segments:\n    ownedDC: { pue: 1.2 }\n');
    const r = cli(['run', f, '--data', 'test/fixtures/two-grids', '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.yaml:4 at parameters\.segments\.ownedDC: .*no segment 'ownedDC'/);
    expect(r.stderr).toMatch(/fix: use one of: ownedDc, offices, colo/);
  });
});

describe('the equations a reader sees are the ones that run', () => {
  it('docs/methodology.md shows the bundled kernel’s statements, as `explain` prints them', () => {
    const doc = readFileSync('docs/methodology.md', 'utf8');
    const block = doc.split('<!-- explain:data/alibaba-group')[1]!.split('```')[1]!;
    const org = loadOrganization(undefined);
    const kernel = compileKernel(calibrate(org.organization, org.inventory));
    expect(block.trim().split('\n')).toEqual(kernel.equations);
    const r = cli(['explain']);
    expect(r.code).toBe(0);
    for (const line of kernel.equations) expect(r.stdout).toContain(`  ${line}\n`);
    expect(r.stdout).toMatch(/segments\.selfBuiltDc\.pue\s+1\s+1\.187/);
  });
});
