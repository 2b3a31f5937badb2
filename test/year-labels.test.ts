/**
 * Years as the organization says them (issue #12, item 6): a calendar-year organization reads
 * "2030" everywhere in its report, a fiscal year from July reads "FY2030". Both organizations are
 * invented test fixtures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readCsv, tempDir } from './helpers.js';

function report(data: string): { md: string; html: string; out: string } {
  const out = join(tempDir('carbonpath-years-'), 'report');
  const r = cli(['report', '--data', data, '--samples', '50', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  return {
    md: readFileSync(join(out, 'report.md'), 'utf8'),
    html: readFileSync(join(out, 'report.html'), 'utf8'),
    out,
  };
}

describe('report year labels', () => {
  it('a calendar-year organization: no "FY" anywhere, plain years instead', () => {
    // carbon-negative: calendar year, latest actual 2024, a 2030 target met with credits
    const { md, html, out } = report('test/fixtures/carbon-negative');
    for (const text of [md, html]) {
      expect(text).not.toMatch(/FY/);
      expect(text).toContain('climate pathway progress report, as of 2024');
      expect(text).toContain('Latest actual year 2024 (calendar year)');
      expect(text).toContain('projections to 2035.');
      expect(text).toContain('What drives market-based scope 2 to 2030');
      expect(text).toContain('Why market-based scope 2 changes, 2024 → 2030');
      expect(text).toContain('Calibration terms (2024)');
      expect(text).toMatch(/credits 2030 t/);
      // captions name the organization's own segments and credited scopes, not Alibaba's
      expect(text).not.toMatch(/self-built|leased data cent/i);
      expect(text).toContain('Electricity-weighted over the scope 2 segments: Offices.');
      expect(text).toContain(
        'Equal to the residual of the targets met with credits (scope 1+2+3).',
      );
    }
    // the headline's deadline and credit year cells, as in their CSVs
    const targets = readCsv(join(out, 'headline-targets.csv'));
    expect(targets.find((t) => t['target id'] === 'negative-2030')!.deadline).toBe('2030');
    const credits = readCsv(join(out, 'headline-credits.csv'))[0]!;
    expect(credits.year).toBe('2030');
    expect(Object.keys(credits)).toContain('total to 2035 central M USD');
  });

  it('a fiscal year from July keeps "FY"', () => {
    const { md, html } = report('test/fixtures/annual-100');
    for (const text of [md, html]) {
      expect(text).toContain('climate pathway progress report, as of FY2025');
      expect(text).toContain('What drives market-based scope 2 to FY2030');
      expect(text).not.toMatch(/[^Y]20(2\d|3\d) → /); // every "year → year" is labelled
    }
  });
});
