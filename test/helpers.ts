import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isStagingName } from '../src/io/atomic-write.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
export const SEEDS = resolve(ROOT, '..', 'shared', 'seeds');

/** What `solve` is asked in everyCommand: a target, a lever and its range. */
export interface SolveArgs {
  target: string;
  lever: string;
  min: string;
  max: string;
}

/**
 * Run every command on an organization folder (outputs under `out`), each with its exit code and
 * output: validate, run, targets, offsets, simulate, report, and solve with `solve`.
 */
export function everyCommand(
  data: string,
  out: string,
  solve: SolveArgs,
): Array<{ args: string[]; r: CliResult }> {
  const { target, lever, min, max } = solve;
  return [
    ['validate', data],
    ['run', '--data', data, '--to', '2035', '--out', join(out, 'run')],
    ['targets', '--data', data, '--to', '2035', '--out', join(out, 'targets')],
    ['offsets', '--data', data, '--to', '2035', '--out', join(out, 'offsets')],
    ['simulate', '--data', data, '--samples', '300', '--seed', '2', '--out', join(out, 'sim')],
    ['report', '--data', data, '--samples', '200', '--out', join(out, 'report')],
    [
      'solve',
      'baseline',
      '--data',
      data,
      ...['--target', target, '--lever', lever, '--min', min, '--max', max],
      '--out',
      join(out, 'solve'),
    ],
  ].map((args) => ({ args, r: cli(args) }));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CARBONPATH_DEBUG: '' },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'carbonpath-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFile(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

export type Row = Record<string, string>;
export function readCsv(path: string): Row[] {
  return parse(readFileSync(path, 'utf8'), { columns: true }) as Row[];
}

/** value of one trajectory row */
export function pick(rows: Row[], scenario: string, variable: string, year: number): number {
  const r = rows.find(
    (x) => x.scenario === scenario && x.variable === variable && Number(x.year) === year,
  );
  if (!r) throw new Error(`no row ${scenario} ${variable} ${year}`);
  return Number(r.value);
}

/** The charts of the bundled organization's report, in page order. */
export const CHARTS = [
  ...[
    'scope12-neutral-2030',
    'scope3-intensity-2030',
    'cloud-scope3-neutral-2030',
    'scope3plus-1-5gt-2035',
    'scope3plus-1-5gt-2035-fy2021',
    'cloud-clean-100-2030',
    'cloud-clean-100-2030-all-dc',
    'dc-pue-1-3',
  ].map((id) => `chart-target-${id}`),
  'chart-grid-factor',
  'chart-fan-scope12',
  'chart-fan-clean-share',
  'chart-credits',
  'chart-credit-cost',
  'chart-fan-credit-cost',
  'chart-fan-credits-scope12',
  'chart-fan-credits-scope3',
  'chart-decomposition',
];

/** Every file under `dir` (hidden ones too), by '/'-separated path: its content. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

/** Staging folders, journals and temporary files left anywhere under `dir`. */
export function leftovers(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (isStagingName(name) || /\.tmp(-\d+)?$/.test(name) || name.startsWith('journal'))
        found.push(join(d, name));
      else if (statSync(join(d, name)).isDirectory()) walk(join(d, name));
    }
  };
  walk(dir);
  return found;
}
