/**
 * Clean-power instruments kept apart (issue #11 item 1, #12 item 2): a segment declares its
 * on-site, PPA and certificate shares and its hourly-matched CFE share; the clean share the
 * market-based method counts is their sum. Invented test organization:
 * test/fixtures/clean-instruments (two-grids with instruments on its owned data centre).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, pick, readCsv, tempDir } from './helpers.js';

const DATA = 'test/fixtures/clean-instruments';
const SHARE = 'Electricity|Clean Share|Owned DC';

function copy(): string {
  const dir = join(tempDir(), 'org');
  cpSync(DATA, dir, { recursive: true });
  return dir;
}
const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
};

describe('clean-power instruments', () => {
  it('the clean share is the sum of the instruments; each and the hourly CFE have rows', () => {
    const out = tempDir();
    const r = cli(['run', '--data', DATA, '--to', '2032', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsv(join(out, 'trajectories.csv'));
    // 2025: 5 + 35 + 20 = 60 (the reported share); 2030: PPAs 35 → 60, certificates 20 → 0
    expect(pick(rows, 'baseline', SHARE, 2025)).toBe(60);
    expect(pick(rows, 'baseline', `${SHARE}|PPA`, 2030)).toBe(60);
    expect(pick(rows, 'baseline', `${SHARE}|EAC`, 2030)).toBe(0);
    expect(pick(rows, 'baseline', `${SHARE}|On-site`, 2030)).toBe(5);
    expect(pick(rows, 'baseline', SHARE, 2030)).toBe(65);
    // linear between 2025 and 2030: w = 1/5 in 2026 → 5 + 40 + 16
    expect(pick(rows, 'baseline', SHARE, 2026)).toBeCloseTo(61, 12);
    // hourly CFE 48 → 70 by 2030: 48 + 22/5 in 2026; it does not move market-based scope 2
    expect(pick(rows, 'baseline', 'Electricity|Hourly CFE|Owned DC', 2026)).toBeCloseTo(52.4, 12);
  });

  it('market-based scope 2 equals the same clean-share path given directly', () => {
    const direct = copy();
    const org = join(direct, 'organization.yaml');
    const text = readFileSync(org, 'utf8');
    writeFileSync(org, text.replace(/ {4}instruments:[\s\S]*?hourlyCfe:[^\n]*\n/, ''));
    const scen = join(direct, 'scenarios', 'baseline.yaml');
    const s = readFileSync(scen, 'utf8');
    writeFileSync(
      scen,
      s.replace(
        / {6}# invented: PPAs[\s\S]*?hourlyCfe:[^\n]*\n/,
        '      cleanShare: { points: { 2030: 65 } }\n',
      ),
    );
    const a = tempDir();
    const b = tempDir();
    expect(cli(['run', '--data', DATA, '--to', '2035', '--out', a]).code).toBe(0);
    const r = cli(['run', '--data', direct, '--to', '2035', '--out', b]);
    expect(r.code, r.stderr).toBe(0);
    const ra = readCsv(join(a, 'trajectories.csv'));
    const rb = readCsv(join(b, 'trajectories.csv'));
    for (const year of [2026, 2028, 2030, 2035]) {
      for (const v of ['Emissions|Scope 2|Market-based', 'Emissions|Scope 2|Location-based']) {
        const x = pick(ra, 'baseline', v, year);
        expect(Math.abs(x - pick(rb, 'baseline', v, year)) / x, `${v} ${year}`).toBeLessThan(1e-12);
      }
    }
    expect(rb.some((row) => row.variable!.includes('|PPA'))).toBe(false);
  });

  it('explain shows the sum; every command runs', () => {
    const ex = cli(['explain', '--data', DATA]);
    expect(ex.stdout).toContain('cs[ownedDc] = onsite[ownedDc] + ppa[ownedDc] + eac[ownedDc]');
    expect(ex.stdout).toMatch(/segments\.ownedDc\.hourlyCfe\s+%\s+48/);
    for (const cmd of [
      ['validate', DATA],
      ['targets'],
      ['offsets'],
      ['simulate', '--samples', '300', '--seed', '1'],
      ['report', '--samples', '200', '--seed', '1'],
    ]) {
      const out = cmd[0] === 'validate' ? [] : ['--out', tempDir()];
      const r = cli([...cmd, '--data', DATA, ...out]);
      expect(r.code, `${cmd[0]}: ${r.stderr}`).toBe(0);
    }
  });

  it('instruments that do not add up to the clean share are refused, naming both', () => {
    const dir = copy();
    edit(join(dir, 'organization.yaml'), 'eac: { value: 20,', 'eac: { value: 10,');
    const r = cli(['run', '--data', dir, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("segment 'ownedDc' declares instruments adding up to 50%");
    expect(r.stderr).toContain('clean share in 2025 is 60%');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('instruments past 100% are refused; the clean share is not settable', () => {
    const dir = copy();
    const scen = join(dir, 'scenarios', 'baseline.yaml');
    edit(scen, 'eac: { points: { 2030: 0 } }', 'eac: { points: { 2030: 50 } }');
    const r = cli(['run', '--data', dir, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/onsite \+ ppa \+ eac\) add up to 10\d(\.\d+)?% in 20(29|30)/);
    edit(scen, 'eac: { points: { 2030: 50 } }', 'cleanShare: { points: { 2030: 90 } }');
    const r2 = cli(['run', '--data', dir, '--out', tempDir()]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("'ownedDc' has no quantity 'cleanShare'");
    expect(r2.stderr).toMatch(/set one of: .*onsite, ppa, eac/);
  });
});
