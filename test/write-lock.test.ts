/**
 * Two commands writing to the same output folder at once: the output folder's lock makes the
 * second wait for the first (then refuses it with a message), so their files never interleave.
 * A lock whose process is gone is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverOutputFolder, writeFilesAtomically } from '../src/io/atomic-write.js';
import { BIN, leftovers, snapshot, tempDir } from './helpers.js';

const LOCK = '.carbonpath-staging-lock';
const goneProcess = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('the output folder lock', () => {
  it('a writer waits for a live lock, then is refused naming its process; nothing replaced', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'old');
    // the test runner's parent process is alive and is not this process
    writeFileSync(join(dir, LOCK), `${process.ppid}\n`);
    expect(() =>
      writeFilesAtomically([{ path: join(dir, 'a.csv'), content: 'new' }], { lockWaitMs: 100 }),
    ).toThrow(
      new RegExp(
        `another carbonpath command \\(process ${process.ppid}\\) is writing to this folder` +
          '.*\\n\\s+fix: let it finish and run again, or give --out another folder',
      ),
    );
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old');
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(`${process.ppid}\n`); // not ours to take
  });

  it('a lock left by a process that is gone is taken over, and released after writing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK), `${goneProcess()}\n`);
    writeFilesAtomically([{ path: join(dir, 'a.csv'), content: 'new' }], { lockWaitMs: 0 });
    expect(snapshot(dir)).toEqual({ 'a.csv': 'new' });
  });

  it('an empty lock (its process killed while creating it) is taken over once it is old', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, LOCK), past, past);
    writeFilesAtomically([{ path: join(dir, 'a.csv'), content: 'new' }], { lockWaitMs: 0 });
    expect(snapshot(dir)).toEqual({ 'a.csv': 'new' });
  });

  it('recovery removes a stale lock and keeps a live one', () => {
    const stale = tempDir();
    writeFileSync(join(stale, LOCK), `${goneProcess()}\n`);
    recoverOutputFolder(stale);
    expect(existsSync(join(stale, LOCK))).toBe(false);
    const live = tempDir();
    writeFileSync(join(live, LOCK), `${process.ppid}\n`);
    recoverOutputFolder(live);
    expect(existsSync(join(live, LOCK))).toBe(true);
  });

  it('a command stopped while publishing holds the lock: no writer interleaves', async () => {
    const cwd = join(tempDir(), 'w');
    mkdirSync(cwd);
    const args = ['run', 'baseline', 'announced', '--out', 'out'];
    const reference = join(tempDir(), 'w');
    mkdirSync(reference);
    expect(spawnSync(process.execPath, [BIN, ...args], { cwd: reference }).status).toBe(0);
    // stopped (SIGSTOP) after the commit, before the first output is renamed into place
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, CARBONPATH_TEST_FAULT: 'rename#2:sigstop' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let running = true;
    void exited.then(() => (running = false));
    const state = () => {
      try {
        return readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.[0];
      } catch {
        return undefined;
      }
    };
    while (running && state() !== 'T') await new Promise((r) => setTimeout(r, 20));
    expect(state()).toBe('T');
    expect(readFileSync(join(cwd, 'out', LOCK), 'utf8')).toBe(`${child.pid}\n`);
    expect(() =>
      writeFilesAtomically([{ path: join(cwd, 'out', 'trajectories.csv'), content: 'x\n' }], {
        lockWaitMs: 200,
      }),
    ).toThrow(new RegExp(`another carbonpath command \\(process ${child.pid}\\) is writing`));
    child.kill('SIGCONT');
    expect(await exited).toBe(0);
    expect(snapshot(join(cwd, 'out'))).toEqual(snapshot(join(reference, 'out')));
    expect(leftovers(join(cwd, 'out'))).toEqual([]);
    // and now the second writer gets its turn
    writeFilesAtomically([{ path: join(cwd, 'out', 'trajectories.csv'), content: 'x\n' }]);
    expect(readFileSync(join(cwd, 'out', 'trajectories.csv'), 'utf8')).toBe('x\n');
  });
});
