/**
 * --json and --quiet, through the one output module (src/cli/output.ts): every command's --json
 * is one document of the shape in schema/cli-output.schema.json, with the process's exit code,
 * and names files that exist; --quiet prints nothing unless a --fail-on condition is met.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir, writeFile } from './helpers.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validDocument = ajv.compile(
  JSON.parse(readFileSync(join(ROOT, 'schema', 'cli-output.schema.json'), 'utf8')) as object,
);

interface Doc {
  command: string;
  exitCode: number;
  outputs: string[];
  warnings: Array<{ message: string }>;
  result?: Record<string, unknown>;
  error?: { message: string; problems?: Array<{ file?: string; line?: number }> };
}

/** Run with --json: exactly one JSON document on stdout, valid, with the process's exit code. */
function json(args: string[], cwd: string): Doc {
  const r = cli([...args, '--json'], cwd);
  const doc = JSON.parse(r.stdout) as Doc;
  expect(validDocument(doc), JSON.stringify(validDocument.errors)).toBe(true);
  expect(doc.exitCode).toBe(r.code);
  for (const o of doc.outputs) expect(existsSync(resolve(cwd, o)), o).toBe(true);
  return doc;
}

describe('--json: one document on stdout', () => {
  const cwd = tempDir();

  it('run: the scenarios and the rows written', () => {
    const doc = json(['run', 'baseline', 'ai-surge', '--out', 'run/'], cwd);
    expect(doc).toMatchObject({ command: 'run', exitCode: 0 });
    expect(doc.result).toMatchObject({ scenarios: ['baseline', 'ai-surge'], format: 'long' });
    const csvLines = readFileSync(join(cwd, 'run', 'trajectories.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    expect(doc.result!.rows).toBe(csvLines.length - 1);
    expect(doc.outputs).toEqual(['run/trajectories.csv', 'run/run.json']);
  });

  it('targets: every status as in targets.csv', () => {
    const doc = json(['targets', 'baseline', '--out', 't'], cwd);
    const scenarios = doc.result!.scenarios as Array<{
      scenario: string;
      targets: Array<{ targetId: string; status: string; projectedValue?: number }>;
    }>;
    expect(scenarios.map((s) => s.scenario)).toEqual(['baseline']);
    const csv = readFileSync(join(cwd, 't', 'targets.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    const header = csv[0]!.split(',');
    const rows = csv.slice(1).filter((l) => l.startsWith('baseline,'));
    expect(scenarios[0]!.targets).toHaveLength(rows.length);
    for (const [k, t] of scenarios[0]!.targets.entries()) {
      const cells = rows[k]!.split(',');
      expect(cells[header.indexOf('target_id')]).toBe(t.targetId);
      expect(cells[header.indexOf('status')]).toBe(t.status);
    }
  });

  it('targets --fail-on off-track: exit 3, the result and the error in one document', () => {
    const doc = json(['targets', '--out', 't3', '--fail-on', 'off-track'], cwd);
    expect(doc.exitCode).toBe(3);
    expect(doc.error!.message).toMatch(/off track/);
    expect(doc.result).toBeDefined();
    expect(doc.outputs).toContain('t3/targets.csv');
  });

  it('offsets, simulate, solve, explain, init: a result and their files', () => {
    const offsets = json(['offsets', 'baseline', '--out', 'o'], cwd);
    expect(offsets.result).toMatchObject({ currency: 'CNY' });
    const sim = json(['simulate', 'baseline', '--samples', '40', '--seed', '7', '--out', 's'], cwd);
    expect(sim.result).toMatchObject({ samples: 40, seed: 7 });
    const probs = (
      sim.result!.scenarios as Array<{ probabilities: Array<{ probability: number }> }>
    )[0]!.probabilities;
    expect(probs.length).toBeGreaterThan(0);
    for (const p of probs) expect(p.probability).toBeGreaterThanOrEqual(0);
    const lever = '--lever constants.dcCleanTrendPp --min 0 --max 20';
    const solveArgs = `solve baseline --target cloud-clean-100-2030 ${lever} --out sv`;
    const solve = json(solveArgs.split(' '), cwd);
    const solved = JSON.parse(readFileSync(join(cwd, 'sv', 'solve.json'), 'utf8')) as object;
    expect(solve.result).toEqual(solved);
    const explain = json(['explain'], cwd);
    expect(String(explain.result!.text)).toMatch(/Every year i/);
    const init = json(['init', 'new-co'], cwd);
    expect(init.outputs).toContain('new-co/organization.yaml');
  });

  it('bad input: exit 2 and the problems with file and line, nothing written', () => {
    const bad = writeFile(cwd, 'bad.yaml', 'name: bad\nparameters:\n  nope: { growth: 0.1 }\n');
    const doc = json(['validate', bad], cwd);
    expect(doc.exitCode).toBe(2);
    expect(doc.outputs).toEqual([]);
    expect(doc.error!.problems!.length).toBeGreaterThan(0);
    expect(doc.error!.problems![0]!.file).toBe(bad);
    const ok = json(['validate', join(ROOT, 'scenarios', 'baseline.yaml')], cwd);
    expect(ok.exitCode).toBe(0);
    expect(ok.result!.ok).toHaveLength(1);
  });

  it('a usage error (unknown option) is a document too, exit 2', () => {
    const doc = json(['run', '--frmat', 'wide'], cwd);
    expect(doc).toMatchObject({ command: 'run', exitCode: 2 });
    expect(doc.error!.message).toMatch(/--frmat/);
  });
});

describe('-q/--quiet', () => {
  const cwd = tempDir();
  it('prints nothing on success', () => {
    for (const args of [
      ['run', 'baseline', '--out', 'r', '-q'],
      ['targets', 'baseline', '--out', 't', '--quiet'],
      ['validate', join(ROOT, 'scenarios', 'baseline.yaml'), '-q'],
    ]) {
      const r = cli(args, cwd);
      expect(r, args.join(' ')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
    expect(existsSync(join(cwd, 't', 'targets.csv'))).toBe(true);
  });

  it('prints the summary when a --fail-on condition is met (the cron recipe mails then)', () => {
    const loud = cli(['targets', '--out', 'l', '--fail-on', 'off-track'], cwd);
    const quiet = cli(['targets', '--out', 'q', '--fail-on', 'off-track', '-q'], cwd);
    expect(quiet.code).toBe(3);
    expect(loud.code).toBe(3);
    expect(quiet.stdout).toBe(loud.stdout.replaceAll('l/', 'q/'));
    expect(quiet.stderr).toBe(loud.stderr);
  });

  it('still prints errors', () => {
    const r = cli(['run', 'no-such-scenario', '-q', '--out', 'x'], cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no-such-scenario/);
  });
});
