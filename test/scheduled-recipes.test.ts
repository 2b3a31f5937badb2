/**
 * The README's cron and CI recipes, as written there: each run twice into dated folders (a
 * quarter apart), with the actuals file changed in between. Cron: --quiet prints only when a
 * target is off track (exit 3, what cron mails). CI: every run starts from a fresh checkout, so
 * the second finds the first report only if the recipe keeps it (it commits it back). Both:
 * the second report's "what changed" is not empty.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, cli, readCsv, ROOT, tempDir } from './helpers.js';

/** The carbonpath arguments of the README's cron line, with the dated folder given. */
function cronArgs(folder: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```cron\n([\s\S]*?)```/.exec(readme)![1]!;
  const line = block.split('\n').find((l) => !l.startsWith('#') && l.trim() !== '')!;
  const command = line.slice(line.indexOf('npx carbonpath ') + 'npx carbonpath '.length);
  expect(command).toContain('$(date +\\%Y-\\%m)');
  return command.replace('$(date +\\%Y-\\%m)', folder).split(/\s+/);
}

const fixture = readFileSync(join(ROOT, 'test', 'fixtures', 'actuals-fy2027.csv'), 'utf8');
// INVENTED for these tests: the fixture's FY2027 scope 1 (320,000 t) first reported as 330,000,
// restated a quarter later
const firstActuals = fixture.replace(
  'Emissions|Scope 1,t CO2e,2027,320000',
  'Emissions|Scope 1,t CO2e,2027,330000',
);

/** The second of two reports compares with the first, and an input changed: a change shows. */
function expectChangesSince(reports: string, first: string, second: string): void {
  const changes = readCsv(join(reports, second, 'changes.csv'));
  expect(changes.length).toBeGreaterThan(0);
  expect(changes.some((c) => Number(c.change) !== 0)).toBe(true);
  const md = readFileSync(join(reports, second, 'report.md'), 'utf8');
  expect(md).toMatch(new RegExp(`Compared with the report in ${first}`));
}

describe("the README's cron recipe", () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'data'));
  const actuals = join(cwd, 'data', 'new-actuals.csv');

  it('mails (prints) only when off track, and the second report says what changed', () => {
    expect(firstActuals).not.toBe(fixture);
    writeFileSync(actuals, firstActuals);
    const q1 = cli(cronArgs('2027-07'), cwd);
    writeFileSync(actuals, fixture); // the restated figure, a quarter later
    const q2 = cli(cronArgs('2027-10'), cwd);
    for (const r of [q1, q2]) {
      expect([0, 3]).toContain(r.code);
      // exit 3 (off track): the summary, so cron mails; exit 0: nothing at all
      if (r.code === 0) expect(r.stdout + r.stderr).toBe('');
      else expect(r.stdout).toMatch(/target × scenario pairs off track/);
    }
    expectChangesSince(join(cwd, 'reports'), '2027-07', '2027-10');
  }, 600_000);
});

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

/** The README's CI job: its Node version and its steps. */
function ciJob(): { node: number; steps: Step[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes('carbonpath report'))!;
  const job = (parse(block) as { jobs: { report: { steps: Step[] } } }).jobs.report;
  const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'))!;
  return { node: Number(setup.with!['node-version']), steps: job.steps };
}

/** A shell with `npx carbonpath` = this build and `date` = the given month (a fake runner). */
function fakeRunner(month: string): NodeJS.ProcessEnv {
  const bin = tempDir('carbonpath-runner-');
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  script(
    'npx',
    `[ "$1" = carbonpath ] || exit 97\nshift\nexec "${process.execPath}" "${BIN}" "$@"`,
  );
  script('date', `echo ${month}`);
  return { ...process.env, PATH: `${bin}:${process.env.PATH}`, CARBONPATH_DEBUG: '' };
}

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
};

describe("the README's CI recipe", () => {
  it('runs on a supported Node (engines in package.json)', () => {
    const { node } = ciJob();
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    expect(engines).toContain(`^${node}.`);
    expect(node).toBeGreaterThanOrEqual(24);
  });

  it('keeps each report where the next run, from a fresh checkout, finds it', () => {
    // the repository: the organization's new actuals, as the user would commit them
    const origin = join(tempDir(), 'origin.git');
    git(ROOT, 'init', '-q', '--bare', origin);
    const seed = tempDir();
    git(seed, 'clone', '-q', origin, '.');
    mkdirSync(join(seed, 'data'));
    writeFileSync(join(seed, 'data', 'new-actuals.csv'), firstActuals);
    git(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
    git(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'actuals');
    git(seed, 'push', '-q', 'origin', 'HEAD');

    const quarter = (month: string, actuals?: string): string => {
      const work = tempDir('carbonpath-checkout-'); // actions/checkout: a fresh clone
      git(work, 'clone', '-q', origin, '.');
      if (actuals !== undefined) {
        writeFileSync(join(work, 'data', 'new-actuals.csv'), actuals);
        git(work, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-am', 'new');
        git(work, 'push', '-q', 'origin', 'HEAD');
      }
      const env = fakeRunner(month);
      let failed = false;
      for (const step of ciJob().steps) {
        if (!step.run || step.run.trim() === 'npm ci') continue; // actions; npm ci done here
        if (failed && !/always\(\)|failure\(\)/.test(step.if ?? '')) continue;
        const r = spawnSync('bash', ['-e', '-c', step.run], { cwd: work, env, encoding: 'utf8' });
        // the report step may exit 3 (off track, report written); any other failure is real
        expect([0, 3], `${step.run}\n${r.stderr}`).toContain(r.status);
        failed ||= r.status !== 0;
      }
      return work;
    };
    quarter('2027-07');
    const second = quarter('2027-10', fixture); // the restated figure, a quarter later
    expectChangesSince(join(second, 'reports'), '2027-07', '2027-10');
  }, 600_000);
});

describe('npm run inventory:build without the seeds (a clone without ../shared)', () => {
  it.each([
    ['scripts/build-inventory.mjs', 'cannot read the seed facts'],
    ['scripts/snapshot-seed-lines.mjs', 'cannot read the seed report'],
  ])('%s: a message naming the file and the fix, exit 2, no stack trace', (script, says) => {
    const missing = join(tempDir(), 'no-such-seeds');
    const r = spawnSync(process.execPath, [join(ROOT, script), missing], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(says);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain('fix: ');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});
