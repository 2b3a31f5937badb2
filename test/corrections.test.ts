/**
 * Results the audit (issue #13) found wrong, each held by a test that failed before:
 * scope 3+ projected as zero, leased data centres silently replaced by the self-built ones,
 * and the original 2024 basis failing. (The SBTi ambition from 2020: test/cli-targets.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, pick, readCsv, tempDir } from './helpers.js';

describe('report --as-of 2024 (no programme breakdown or leased data at or before FY2024)', () => {
  const out = join(tempDir(), 'r');
  const r = cli(['report', '--as-of', '2024', '--samples', '0', '--out', out]);
  const targets = () => readCsv(join(out, 'targets.csv')).filter((t) => t.scenario === 'baseline');
  it('runs, and says what it could not model', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: no scope 3\+ breakdown by programme/);
    expect(r.stderr).toMatch(/warning: segment 'leasedDc' has no electricity in 2024/);
  });
  it('projects scope 3+ avoided emissions from the FY2024 total, not zero', () => {
    const rows = readCsv(join(out, 'trajectories.csv'));
    const fy2024 = pick(rows, 'baseline', 'Avoided Emissions|Scope 3+', 2024);
    expect(fy2024).toBeGreaterThan(0);
    // baseline grows the programmes at revenue growth (7.54%/yr, central): one total grows alike
    const fy2025 = pick(rows, 'baseline', 'Avoided Emissions|Scope 3+', 2025);
    expect(fy2025 / fy2024).toBeCloseTo(1.0754, 10);
    const t = targets().find((x) => x.target_id === 'scope3plus-1.5gt-2035')!;
    expect(Number(t.projected_value)).toBeGreaterThan(1e9); // it read "short 1.31 Gt"
  });
  it('the all-data-centre clean share is not modelled without the leased ones', () => {
    const all = targets().find((x) => x.target_id === 'cloud-clean-100-2030-all-dc')!;
    expect(all.status).toBe('not-modelled');
    expect(all.note).toMatch(/no leasedDc electricity data/);
    const cloud = targets().find((x) => x.target_id === 'cloud-scope3-neutral-2030')!;
    expect(cloud.status).toBe('not-modelled');
    // the self-built reading is still evaluated
    const sb = targets().find((x) => x.target_id === 'cloud-clean-100-2030')!;
    expect(sb.status).not.toBe('not-modelled');
  });
});

describe('the original 2024 basis runs', () => {
  it('with its own self-built data-centre share of electricity (43.77%, not 70.8%)', () => {
    const out = tempDir();
    const r = cli(['run', 'baseline', '--basis', 'original-2024', '--to', '2030', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsv(join(out, 'trajectories.csv'));
    // the base year is FY2024 on this basis; self-built DC electricity = share × 8,314,596 MWh
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const values = manifest.scenarios[0].baseYearValues;
    expect(values['segments.selfBuiltDc.itLoad'] * values['segments.selfBuiltDc.pue']).toBeCloseTo(
      0.4377 * 8314596,
      4,
    );
    expect(pick(rows, 'baseline', 'Emissions|Scope 2|Market-based', 2024)).toBe(3732075);
    expect(pick(rows, 'baseline', 'Avoided Emissions|Scope 3+', 2025)).toBeGreaterThan(0);
  });
});
