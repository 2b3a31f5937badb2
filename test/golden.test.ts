import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readCsv, tempDir } from './helpers.js';

// The golden file is the bundled run to 2035. After an intended model or data change, review the
// diff and refresh it with:  UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts
const GOLDEN = 'test/golden/trajectories-2035.csv';
const REL_TOL = 1e-9;

describe('golden trajectories', () => {
  it('the bundled run matches test/golden/trajectories-2035.csv within tolerance', () => {
    const dir = tempDir();
    expect(cli(['run', '--out', dir]).code).toBe(0);
    const fresh = join(dir, 'trajectories.csv');
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN))
      writeFileSync(GOLDEN, readFileSync(fresh));
    const want = readCsv(GOLDEN);
    const got = readCsv(fresh);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const g = got[i]!;
      const key = `${w.scenario} ${w.variable} ${w.year}`;
      expect([g.scenario, g.entity, g.variable, g.unit, g.year, g.kind], key).toEqual([
        w.scenario,
        w.entity,
        w.variable,
        w.unit,
        w.year,
        w.kind,
      ]);
      const a = Number(g.value);
      const b = Number(w.value);
      expect(Math.abs(a - b), key).toBeLessThanOrEqual(REL_TOL * Math.max(1, Math.abs(b)) + 1e-6);
    }
  });
});
