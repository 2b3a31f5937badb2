/**
 * The README's cron recipe, as written there: run twice into dated folders (a quarter apart),
 * with the actuals file changed in between. --quiet: stdout only when a target is off track
 * (exit 3, what cron mails); the second report's "what changed" is not empty.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readCsv, ROOT, tempDir } from './helpers.js';

/** The carbonpath arguments of the README's cron line, with the dated folder given. */
function cronArgs(folder: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```cron\n([\s\S]*?)```/.exec(readme)![1]!;
  const line = block.split('\n').find((l) => !l.startsWith('#') && l.trim() !== '')!;
  const command = line.slice(line.indexOf('npx carbonpath ') + 'npx carbonpath '.length);
  expect(command).toContain('$(date +\\%Y-\\%m)');
  return command.replace('$(date +\\%Y-\\%m)', folder).split(/\s+/);
}

describe("the README's cron recipe", () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'data'));
  const fixture = readFileSync(join(ROOT, 'test', 'fixtures', 'actuals-fy2027.csv'), 'utf8');
  const actuals = join(cwd, 'data', 'new-actuals.csv');

  it('mails (prints) only when off track, and the second report says what changed', () => {
    // INVENTED for this test: the fixture's FY2027 scope 1 (320,000 t) first reported as 330,000
    const first = fixture.replace(
      'Emissions|Scope 1,t CO2e,2027,320000',
      'Emissions|Scope 1,t CO2e,2027,330000',
    );
    expect(first).not.toBe(fixture);
    writeFileSync(actuals, first);
    const q1 = cli(cronArgs('2027-07'), cwd);
    writeFileSync(actuals, fixture); // the restated figure, a quarter later
    const q2 = cli(cronArgs('2027-10'), cwd);
    for (const r of [q1, q2]) {
      expect([0, 3]).toContain(r.code);
      // exit 3 (off track): the summary, so cron mails; exit 0: nothing at all
      if (r.code === 0) expect(r.stdout + r.stderr).toBe('');
      else expect(r.stdout).toMatch(/target × scenario pairs off track/);
    }
    const changes = readCsv(join(cwd, 'reports', '2027-10', 'changes.csv'));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.some((c) => Number(c.change) !== 0)).toBe(true);
    const md = readFileSync(join(cwd, 'reports', '2027-10', 'report.md'), 'utf8');
    expect(md).toMatch(/Compared with the report in 2027-07/);
  }, 600_000);
});
