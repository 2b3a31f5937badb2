/**
 * `--out -` (issue #15 item 1): a command that writes one file writes it to stdout and nothing
 * else there (its summary goes to stderr); a command that writes several refuses, exit 2, and
 * writes nothing. Run in an empty folder: no file or folder named '-' may appear.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const SOLVE = (
  'solve baseline --target cloud-clean-100-2030 --lever constants.dcCleanTrendPp ' +
  '--min 0 --max 20'
).split(' ');

/** The command run twice: into a folder, and with --out - in an empty folder. */
function both(args: string[], file: string) {
  const cwd = tempDir('carbonpath-stdout-');
  const toStdout = cli([...args, '--out', '-'], cwd);
  const out = tempDir();
  const toFolder = cli([...args, '--out', out]);
  return { cwd, toStdout, toFolder, file: readFileSync(join(out, file), 'utf8') };
}

describe('--out - writes the one file to stdout', () => {
  it.each([
    [['run'], 'trajectories.csv'],
    [['run', 'baseline', '--format', 'iamc'], 'trajectories.csv'],
    [SOLVE, 'solved-scenario.yaml'],
  ])('%j → %s', (args, name) => {
    const { cwd, toStdout, toFolder, file } = both(args, name);
    expect(toFolder.code).toBe(0);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout).toBe(file);
    expect(file.length).toBeGreaterThan(1000);
    // the summary that went to stdout goes to stderr, naming stdout
    expect(toStdout.stderr).toContain('to stdout');
    expect(toFolder.stdout).not.toContain('to stdout');
    expect(readdirSync(cwd)).toEqual([]);
  });
  it('with --quiet: the file, and nothing on stderr', () => {
    const { toStdout, file } = both(['run', 'ai-surge', '--quiet'], 'trajectories.csv');
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(file);
    expect(toStdout.stderr).toBe('');
  });
});

describe('--out - is refused where it cannot be kept', () => {
  it.each([['targets'], ['offsets'], ['simulate', '--samples', '10', '--seed', '1'], ['report']])(
    '%j writes several files: exit 2, nothing written',
    (...args) => {
      const cwd = tempDir('carbonpath-stdout-');
      const r = cli([...args, '--out', '-'], cwd);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`'${args[0]}' writes several files`);
      expect(r.stderr).toContain('run, solve');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(readdirSync(cwd)).toEqual([]);
    },
  );
  it('with --json (both would be stdout): exit 2', () => {
    const cwd = tempDir('carbonpath-stdout-');
    const r = cli(['run', '--out', '-', '--json'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out - and --json both write to stdout');
    expect(existsSync(join(cwd, '-'))).toBe(false);
  });
});
