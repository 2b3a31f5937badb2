import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nodeTxFs,
  outputFolder,
  recoverOutputFolder,
  writeFilesAtomically,
  type OutputFile,
} from '../src/io/atomic-write.js';
import { faultsFromEnv, withFaults, type Fault } from '../src/io/write-faults.js';
import { leftovers, snapshot, tempDir } from './helpers.js';

function plant(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

const asFiles = (dir: string, files: Record<string, string>): OutputFile[] =>
  Object.entries(files).map(([name, content]) => ({ path: join(dir, name), content }));

/** The steps of one transaction, as `withFaults` counts them (no fault fires). */
function stepsOf(old: Record<string, string>, next: Record<string, string>): string[] {
  const dir = tempDir();
  plant(dir, old);
  const log: string[] = [];
  writeFilesAtomically(asFiles(dir, next), {
    fs: withFaults(nodeTxFs, { at: 0, effect: 'crash', log }),
  });
  return log;
}

/** 1-based step of the commit: the journal renamed to its final name. */
const commitStep = (log: string[]) =>
  log.findIndex((s) => /^rename .*journal\.json\.tmp → .*journal\.json$/.test(s)) + 1;

type Outcome = 'threw' | 'returned';

function attempt(dir: string, files: OutputFile[], fault: Fault): Outcome {
  try {
    writeFilesAtomically(files, { fs: withFaults(nodeTxFs, fault) });
    return 'returned';
  } catch {
    return 'threw';
  }
}

const OLD = { 'a.csv': 'old a\n', 'b.csv': 'old b\n', 'run.json': '{"old":true}\n' };
const NEW = { 'a.csv': 'new a\n'.repeat(50), 'b.csv': 'new b\n', 'run.json': '{"new":true}\n' };

describe('write transaction: a failure at every step of publishing 3 files', () => {
  const log = stepsOf(OLD, NEW);
  const commit = commitStep(log);
  it('has a commit step between staging and the renames into place', () => {
    expect(log.length).toBeGreaterThan(10);
    expect(commit).toBeGreaterThan(4); // after the three staged writes
    expect(log.slice(commit).filter((s) => s.startsWith('rename'))).toHaveLength(3);
  });

  for (let k = 1; k <= log.length; k++) {
    const step = `step ${k} (${log[k - 1]!.split(' ')[0]})`;
    it(`killed at ${step}: after the next run's recovery, all old or all new`, () => {
      const dir = tempDir();
      plant(dir, OLD);
      attempt(dir, asFiles(dir, NEW), { at: k, effect: 'crash' });
      recoverOutputFolder(dir);
      expect(snapshot(dir)).toEqual(k <= commit ? OLD : NEW);
      expect(leftovers(dir)).toEqual([]);
    });

    for (const code of ['ENOSPC', 'EACCES']) {
      it(`${code} at step ${k}: all old (exit 2) or all new at once, nothing left over`, () => {
        const dir = tempDir();
        plant(dir, OLD);
        const outcome = attempt(dir, asFiles(dir, NEW), { at: k, effect: code });
        // before the commit the write is undone; after it, completed
        expect(outcome).toBe(k <= commit ? 'threw' : 'returned');
        expect(snapshot(dir)).toEqual(k <= commit ? OLD : NEW);
        expect(leftovers(dir)).toEqual([]);
      });
    }

    it(`EACCES from step ${k} on: the next run completes or undoes it`, () => {
      const dir = tempDir();
      plant(dir, OLD);
      attempt(dir, asFiles(dir, NEW), { at: k, effect: 'EACCES', sticky: true });
      recoverOutputFolder(dir);
      expect(snapshot(dir)).toEqual(k <= commit ? OLD : NEW);
      expect(leftovers(dir)).toEqual([]);
    });
  }

  it('a recovery killed at any step is finished by the next one', () => {
    for (let k = commit + 1; k <= log.length; k++) {
      // crash the publish at k, then the recovery at every one of its steps in turn
      const recoverySteps: string[] = [];
      const probe = tempDir();
      plant(probe, OLD);
      attempt(probe, asFiles(probe, NEW), { at: k, effect: 'crash' });
      recoverOutputFolder(probe, {
        fs: withFaults(nodeTxFs, { at: 0, effect: 'crash', log: recoverySteps }),
      });
      for (let j = 1; j <= recoverySteps.length; j++) {
        const dir = tempDir();
        plant(dir, OLD);
        attempt(dir, asFiles(dir, NEW), { at: k, effect: 'crash' });
        expect(() =>
          recoverOutputFolder(dir, { fs: withFaults(nodeTxFs, { at: j, effect: 'crash' }) }),
        ).toThrow();
        recoverOutputFolder(dir);
        expect(snapshot(dir), `publish step ${k}, recovery step ${j}`).toEqual(NEW);
        expect(leftovers(dir)).toEqual([]);
      }
    }
  });

  it('a SIGKILL in the middle of writing a file leaves no partial output', () => {
    const dir = tempDir();
    plant(dir, OLD);
    attempt(dir, asFiles(dir, NEW), { at: { step: 'write', nth: 1 }, effect: 'crash' });
    // the half-written file is in the staging folder, never under an output's name
    expect(snapshot(dir)['a.csv']).toBe(OLD['a.csv']);
    expect(leftovers(dir)).toHaveLength(1);
    recoverOutputFolder(dir);
    expect(snapshot(dir)).toEqual(OLD);
  });
});

describe('write transaction: recovery', () => {
  it("leaves alone the staging folder of a process that is still running (it isn't done)", () => {
    const dir = tempDir();
    const staging = join(dir, `.carbonpath-staging-${process.ppid}-abcdef`);
    mkdirSync(staging);
    writeFileSync(join(staging, 'f0'), 'half');
    recoverOutputFolder(dir);
    expect(readdirSync(dir)).toEqual([`.carbonpath-staging-${process.ppid}-abcdef`]);
  });
  it('removes the staging folder of a process that is gone, and old NAME.tmp-PID files', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const dir = tempDir();
    mkdirSync(join(dir, `.carbonpath-staging-${gone}-abcdef`));
    writeFileSync(join(dir, `a.csv.tmp-${gone}`), 'half');
    writeFileSync(join(dir, `mine.tmp-${gone}`), 'not one of our names: kept');
    writeFilesAtomically([{ path: join(dir, 'a.csv'), content: 'a' }]);
    expect(readdirSync(dir).sort()).toEqual(['a.csv', `mine.tmp-${gone}`]);
  });
  it('a journal naming a path outside the output folder is not followed', () => {
    const parent = tempDir();
    const dir = join(parent, 'out');
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const staging = join(dir, `.carbonpath-staging-${gone}-abcdef`);
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'f0'), 'planted');
    writeFileSync(
      join(staging, 'journal.json'),
      JSON.stringify({ renames: [{ from: 'f0', to: '../escaped.txt' }] }),
    );
    recoverOutputFolder(dir);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('a refusal (a folder where a file should go) replaces nothing and leaves nothing', () => {
    const dir = tempDir();
    plant(dir, OLD);
    mkdirSync(join(dir, 'sub', 'c.csv'), { recursive: true });
    expect(() => writeFilesAtomically(asFiles(dir, { ...NEW, 'sub/c.csv': 'c' }))).toThrow(
      /a folder or other non-file stands where this file should go/,
    );
    expect(snapshot(dir)).toEqual(OLD);
    expect(leftovers(dir)).toEqual([]);
  });
  it('a full disk is the user’s error with a fix, and undoes the folders it created', () => {
    const dir = tempDir();
    const out = join(dir, 'new', 'out');
    expect(() =>
      writeFilesAtomically(asFiles(out, { 'a.csv': 'a', 'sub/b.csv': 'b' }), {
        fs: withFaults(nodeTxFs, { at: { step: 'write', nth: 2 }, effect: 'ENOSPC' }),
      }),
    ).toThrow(/sub.b\.csv: cannot write the output: the disk is full\n\s+fix: free some space/);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('CARBONPATH_TEST_FAULT is read only when set', () => {
    expect(faultsFromEnv({})).toBeUndefined();
    expect(faultsFromEnv({ CARBONPATH_TEST_FAULT: 'rename#2:kill' })).toEqual({
      at: { step: 'rename', nth: 2 },
      effect: 'kill',
      sticky: false,
    });
    expect(faultsFromEnv({ CARBONPATH_TEST_FAULT: '7:ENOSPC:sticky' })).toMatchObject({
      at: 7,
      sticky: true,
    });
    expect(() => faultsFromEnv({ CARBONPATH_TEST_FAULT: 'nonsense' })).toThrow();
  });
});

describe('write transaction: any file set, any failure point (property)', () => {
  const name = fc.constantFrom('a.csv', 'b.csv', 'run.json', 'sub/c.csv', 'sub/deep/d.svg');
  const files = fc.dictionary(name, fc.string({ maxLength: 40 }), { minKeys: 0, maxKeys: 5 });
  const effect = fc.constantFrom('crash', 'ENOSPC', 'EACCES', 'EIO');
  it('after the failure and a recovery: all old or all new, never a mix, nothing left over', () => {
    fc.assert(
      fc.property(
        files,
        files.filter((f) => Object.keys(f).length > 0),
        fc.integer({ min: 1, max: 40 }),
        effect,
        fc.boolean(),
        (old, next, k, fault, sticky) => {
          const dir = tempDir();
          plant(dir, old);
          const commit = commitStep(stepsOf(old, next));
          attempt(dir, asFiles(dir, next), { at: k, effect: fault, sticky });
          // the next run into the same folder recovers it
          recoverOutputFolder(outputFolder(asFiles(dir, next).map((f) => f.path)));
          const after = snapshot(dir);
          expect(after).toEqual(k <= commit ? old : { ...old, ...next });
          expect(leftovers(dir)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
