import { calibrate } from '../src/core/calibrate.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrganization } from '../src/io/load-organization.js';
import { SEEDS } from './helpers.js';

const org = loadOrganization(undefined);
const health = loadOrganization('data/alibaba-health');
const rows = [...org.inventory.rows, ...health.inventory.rows];
const seedsHere = existsSync(SEEDS);

/** Every number printed on a line, thousands separators removed. */
function numbersOn(line: string): number[] {
  return [...line.matchAll(/-?\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replace(/,/g, '')));
}

describe('inventory provenance', () => {
  it('every row says reported, derived or assumption, with a source', () => {
    expect(rows.length).toBeGreaterThan(200);
    for (const r of rows) {
      expect(['reported', 'derived', 'assumption']).toContain(r.provenance);
      expect(r.source, `line ${r.line}`).toMatch(/^\d{3}_[0-9a-f]{16}\.txt:\d+$/);
    }
  });
  it('derived rows say how they were derived', () => {
    for (const r of rows.filter((x) => x.provenance === 'derived'))
      expect(r.note, `line ${r.line}`).toMatch(/DERIVED|=/);
  });
  it('every organization assumption has a source and a reason or formula', () => {
    const used = calibrate(org.organization, org.inventory).assumptions;
    const structural = used.filter((a) => !a.name.startsWith('fuelFactor.'));
    expect(structural.map((a) => a.name)).toEqual(['heatFactor', 'selfBuiltDcElectricityShare']);
    for (const a of structural) {
      expect(a.source.length, a.name).toBeGreaterThan(20);
      expect(a.overriddenBy).toBe(`assumptions.${a.name}`);
    }
    for (const f of Object.values(org.organization.fuels)) expect(f.factor.source).toMatch(/NDRC/);
  });
  // data/seed-lines.json holds the cited lines verbatim (scripts/snapshot-seed-lines.mjs), so this
  // check runs everywhere; next to ../shared/seeds the copy itself is checked against the seeds.
  const copied = JSON.parse(readFileSync('data/seed-lines.json', 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  it('every reported value is printed on the seed line it cites', () => {
    let checked = 0;
    for (const r of rows.filter((x) => x.provenance === 'reported')) {
      const [file, lineNo] = r.source.split(':') as [string, string];
      const line = copied[file]?.[lineNo];
      expect(
        line,
        `${r.source} is not in data/seed-lines.json: run npm run seed-lines:build`,
      ).toBeDefined();
      const printed = numbersOn(line!);
      // printed as is, in 万 (10^4), or in kWh
      const candidates = [r.value, r.value / 1e4, r.value * 1000];
      const found = candidates.some((c) =>
        printed.some((p) => Math.abs(p - c) <= 1e-9 * Math.max(1, Math.abs(c))),
      );
      expect(
        found,
        `${r.variable} ${r.year} = ${r.value} not on ${r.source}: ${line!.slice(0, 160)}`,
      ).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(204);
  });
  it.skipIf(!seedsHere)('data/seed-lines.json is a verbatim copy of the seed lines', () => {
    let compared = 0;
    for (const [file, lines] of Object.entries(copied)) {
      if (file === '$comment') continue;
      const seed = readFileSync(join(SEEDS, file), 'utf8').split('\n');
      for (const [n, text] of Object.entries(lines)) {
        expect(text, `${file}:${n}`).toBe(seed[Number(n) - 1]);
        compared++;
      }
    }
    expect(compared).toBe(84);
  });
});
