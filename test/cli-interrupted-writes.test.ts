import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverOutputFolder } from '../src/io/atomic-write.js';
import { BIN, leftovers, snapshot, tempDir } from './helpers.js';

interface Exit {
  /** What a shell reports: the exit code, or 128 + the signal that killed the process. */
  status: number;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Run the CLI; `fault` sets CARBONPATH_TEST_FAULT (src/io/write-faults.ts). */
function carbonpath(args: string[], cwd: string, fault?: string): Exit {
  const env: NodeJS.ProcessEnv = { ...process.env, CARBONPATH_DEBUG: '' };
  delete env.CARBONPATH_TEST_FAULT;
  if (fault) env.CARBONPATH_TEST_FAULT = fault;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8' });
  return { status: shellStatus(r.status, r.signal), signal: r.signal, stderr: r.stderr };
}

const shellStatus = (code: number | null, signal: NodeJS.Signals | null) =>
  code ?? 128 + constants.signals[signal!];

/**
 * A fresh folder holding `out/`, written by `first`. Always named `w`: a report names the
 * folder it looked in for an earlier report, and two runs are compared byte for byte.
 */
function folderWith(first: string[]): string {
  const cwd = join(tempDir(), 'w');
  mkdirSync(cwd);
  expect(carbonpath(first, cwd).status).toBe(0);
  return cwd;
}

const commands: Array<{ name: string; old: string[]; next: string[] }> = [
  { name: 'run', old: ['run', 'baseline', '--out', 'out'], next: ['run', '--out', 'out'] },
  {
    name: 'simulate',
    old: ['simulate', '--samples', '40', '--seed', '1', '--out', 'out'],
    next: ['simulate', '--samples', '40', '--seed', '2', '--out', 'out'],
  },
  {
    name: 'report',
    old: ['report', '--samples', '20', '--seed', '1', '--out', 'out'],
    next: ['report', '--samples', '20', '--seed', '2', '--out', 'out'],
  },
];

describe('a command killed while publishing its outputs (CARBONPATH_TEST_FAULT)', () => {
  for (const c of commands) {
    it(`${c.name}: killed between two renames, then run again: all of the new outputs`, () => {
      // what an uninterrupted old run, then new run, leaves
      const reference = folderWith(c.old);
      expect(carbonpath(c.next, reference).status).toBe(0);
      const expected = snapshot(join(reference, 'out'));

      const cwd = folderWith(c.old);
      const old = snapshot(join(cwd, 'out'));
      // rename 1 commits the journal, rename 2 moves the first file: kill before the second
      const killed = carbonpath(c.next, cwd, 'rename#3:kill');
      expect(killed.signal).toBe('SIGKILL');
      const mixed = snapshot(join(cwd, 'out'));
      // the staging folder (with its journal) and the folder's lock, both of a dead process
      expect(leftovers(join(cwd, 'out'))).toHaveLength(2);
      const visible = Object.keys(mixed).filter((f) => !f.startsWith('.'));
      expect(visible.some((f) => mixed[f] === old[f])).toBe(true);
      expect(visible.some((f) => mixed[f] !== old[f])).toBe(true);

      const again = carbonpath(c.next, cwd);
      expect(again.stderr).toBe('');
      expect(again.status).toBe(0);
      expect(snapshot(join(cwd, 'out'))).toEqual(expected);
      expect(leftovers(join(cwd, 'out'))).toEqual([]);
    });
  }

  it('run: the recovery alone completes the killed run', () => {
    const reference = folderWith(commands[0]!.old);
    expect(carbonpath(commands[0]!.next, reference).status).toBe(0);
    const cwd = folderWith(commands[0]!.old);
    expect(carbonpath(commands[0]!.next, cwd, 'rename#3:kill').signal).toBe('SIGKILL');
    recoverOutputFolder(join(cwd, 'out'));
    expect(snapshot(join(cwd, 'out'))).toEqual(snapshot(join(reference, 'out')));
  });

  it('run: killed before the commit, the next run removes the staging folder', () => {
    const cwd = folderWith(commands[0]!.old);
    const old = snapshot(join(cwd, 'out'));
    expect(carbonpath(commands[0]!.next, cwd, 'write#2:kill').signal).toBe('SIGKILL');
    expect(snapshot(join(cwd, 'out'))).not.toEqual(old); // a half-written staged file
    recoverOutputFolder(join(cwd, 'out'));
    expect(snapshot(join(cwd, 'out'))).toEqual(old);
  });

  it('run: a full disk while staging is exit 2 with the file and a fix, old outputs kept', () => {
    const cwd = folderWith(commands[0]!.old);
    const old = snapshot(join(cwd, 'out'));
    const r = carbonpath(commands[0]!.next, cwd, 'write#2:ENOSPC');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /out.run\.json: cannot write the output: the disk is full\n\s+fix: free some space/,
    );
    expect(snapshot(join(cwd, 'out'))).toEqual(old);
  });

  it('init: a staging folder left by a killed init does not make the folder "not empty"', () => {
    const cwd = tempDir();
    expect(carbonpath(['init', 'co'], cwd, 'write#3:kill').signal).toBe('SIGKILL');
    expect(readdirSync(join(cwd, 'co')).sort()).toEqual([
      expect.stringMatching(/^\.carbonpath-staging-\d+-/),
      '.carbonpath-staging-lock',
    ]);
    expect(carbonpath(['init', 'co'], cwd).status).toBe(0);
    expect(leftovers(join(cwd, 'co'))).toEqual([]);
  });
});

describe('SIGTERM and SIGINT', () => {
  const sim = (seed: number) => [
    'simulate',
    'baseline',
    '--samples',
    '40',
    '--seed',
    String(seed),
    '--out',
    'out',
  ];
  for (const [signal, code] of [
    ['sigterm', 143],
    ['sigint', 130],
  ] as const) {
    it(`${signal} while simulate publishes: it finishes the write, then exits ${code}`, () => {
      const reference = folderWith(sim(1));
      expect(carbonpath(sim(2), reference).status).toBe(0);
      const cwd = folderWith(sim(1));
      const r = carbonpath(sim(2), cwd, `rename#2:${signal}`);
      expect(r.signal).toBeNull(); // handled, not killed
      expect(r.status).toBe(code);
      expect(snapshot(join(cwd, 'out'))).toEqual(snapshot(join(reference, 'out')));
      expect(leftovers(join(cwd, 'out'))).toEqual([]);
    });
  }

  it('SIGTERM while simulate computes: status 143, old outputs kept, nothing left', async () => {
    const cwd = folderWith(sim(1));
    const old = snapshot(join(cwd, 'out'));
    const child = spawn(
      process.execPath,
      [BIN, 'simulate', '--samples', '5000000', '--seed', '3', '--out', 'out'],
      { cwd, env: { ...process.env, CARBONPATH_TEST_FAULT: '' }, stdio: 'ignore' },
    );
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
      child.on('exit', (c, s) => r([c, s])),
    );
    expect(shellStatus(code, signal)).toBe(143);
    expect(snapshot(join(cwd, 'out'))).toEqual(old);
    expect(leftovers(cwd)).toEqual([]);
  });
});
