/**
 * One write transaction per command: all of its output files appear together or not at all,
 * whether the command fails (disk full, no permission), is stopped (SIGTERM, Ctrl-C) or is
 * killed outright (SIGKILL, power loss).
 *
 *   1. stage: every file is written and fsynced in a fresh folder inside the output folder,
 *      `.carbonpath-staging-<pid>-<random>/` (so every rename stays on one file system);
 *   2. commit: a journal listing the renames is written beside them (to a temporary name,
 *      fsynced, renamed to `journal.json`: it appears whole or not at all);
 *   3. publish: the staged files are renamed into place, then the journal and the staging
 *      folder are removed.
 *
 * Before each transaction the output folder is recovered: a staging folder left by a process
 * that is gone is rolled forward if it holds a journal (the commit happened, so the renames
 * are completed) and deleted if it does not. A killed run is therefore finished or undone by
 * the next command that writes to the same folder.
 *
 * Recovery, staging and publishing run under a lock file in the output folder
 * (`.carbonpath-staging-lock`, holding the process id), so two commands writing to the same
 * folder at once publish one after the other, never interleaved: the second waits for the first
 * (up to LOCK_WAIT_MS), then is refused with a message. A lock whose process is gone is taken
 * over. The layout is described in docs/security.md.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeSync,
  statSync,
  type Stats,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { faultsFromEnv, withFaults, type Fault } from './write-faults.js';

export interface OutputFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * The file-system operations a transaction uses. The mutating ones are its steps, which the
 * tests make fail one at a time (`withFaults` in write-faults.ts).
 */
export interface TxFs {
  /** `mkdir -p`; returns the first folder it created, if any. */
  mkdirp(path: string): string | undefined;
  /** Create one new folder (never an existing one). */
  mkdir(path: string): void;
  /** Create a new file (never replacing one), write it whole and fsync it. */
  writeDurable(path: string, content: string | Uint8Array): void;
  /** fsync a folder, so the names created or renamed in it survive a power loss. */
  syncDir(path: string): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  removeTree(path: string): void;
  /** Reads are not steps: they change nothing. `undefined` when nothing is there. */
  lstat(path: string): Stats | undefined;
  readdir(path: string): string[];
  readText(path: string): string | undefined;
}

const absent = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

export const nodeTxFs: TxFs = {
  mkdirp: (path) => mkdirSync(path, { recursive: true }),
  mkdir: (path) => mkdirSync(path),
  writeDurable(path, content) {
    const fd = openSync(path, 'wx', 0o666);
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at, null);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  syncDir(path) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      fsyncSync(fd);
    } catch (e) {
      // Some platforms (Windows) cannot open or fsync a folder; the data itself is synced.
      const code = (e as NodeJS.ErrnoException)?.code ?? '';
      if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF', 'ENOTSUP'].includes(code)) throw e;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
  rmdir: (path) => rmdirSync(path),
  removeTree: (path) => rmSync(path, { recursive: true, force: true }),
  lstat(path) {
    try {
      return lstatSync(path);
    } catch (e) {
      if (absent(e) || (e as NodeJS.ErrnoException)?.code === 'ENOTDIR') return undefined;
      throw e;
    }
  },
  readdir(path) {
    try {
      return readdirSync(path);
    } catch (e) {
      if (absent(e)) return [];
      throw e;
    }
  },
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      if (absent(e)) return undefined;
      throw e;
    }
  },
};

export interface WriteOptions {
  /** Test hook: the file system to use (e.g. one that fails at a chosen step). */
  fs?: TxFs;
  /** How long to wait for another process's lock on the output folder (default LOCK_WAIT_MS). */
  lockWaitMs?: number;
}

/**
 * A second command writing to the same folder waits this long for the first to publish (a
 * transaction takes well under a second; a report of many files, a few), then is refused.
 */
export const LOCK_WAIT_MS = 30_000;
const LOCK = '.carbonpath-staging-lock';
/** A lock file still empty after this long was left by a process killed while creating it. */
const EMPTY_LOCK_STALE_MS = 5_000;
/** Locks this process holds (released on SIGINT/SIGTERM too). */
const heldLocks = new Set<string>();

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The process id in a lock file; undefined if it is empty or unreadable (being written). */
function lockOwner(path: string): number | undefined {
  try {
    const m = /^(\d+)\n?$/.exec(readFileSync(path, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Is the lock at `path` stale: its process gone, or empty for longer than a write takes? */
function lockStale(path: string, owner: number | undefined): boolean {
  if (owner !== undefined) return !ownerRunning(owner);
  try {
    return Date.now() - statSync(path).mtimeMs > EMPTY_LOCK_STALE_MS;
  } catch {
    return false; // gone: try again
  }
}

/**
 * Remove a stale lock, unless another process has taken it over meanwhile: it is moved aside
 * first, and put back if what was moved is no longer the stale one.
 */
function removeStaleLock(path: string, owner: number | undefined): void {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it: try again
  }
  if (lockOwner(aside) !== owner && lockOwner(aside) !== undefined) {
    try {
      linkSync(aside, path); // a live lock moved by mistake: put it back unless replaced
    } catch {
      // a newer lock is in place: the one moved aside lost, its owner will notice nothing
    }
  }
  unlinkSync(aside);
}

/**
 * Take the output folder's lock, waiting for another process that holds it. Returns the
 * release function.
 */
function lockOutputFolder(root: string, waitMs: number): () => void {
  const path = join(root, LOCK);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      heldLocks.add(path);
      return () => releaseLock(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code !== 'EEXIST') throw asInputError(e, root);
    }
    const owner = lockOwner(path);
    if (lockStale(path, owner)) {
      removeStaleLock(path, owner);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new InputError({
        file: root,
        message:
          `another carbonpath command${owner === undefined ? '' : ` (process ${owner})`} is ` +
          `writing to this folder; waited ${Math.round(waitMs / 1000)} s for it`,
        fix: 'let it finish and run again, or give --out another folder',
      });
    }
    sleepSync(50);
  }
}

function releaseLock(path: string): void {
  if (!heldLocks.delete(path)) return;
  try {
    unlinkSync(path);
  } catch {
    // gone already; a lock left behind is stale once this process ends
  }
}

const STAGING_PREFIX = '.carbonpath-staging-';
const STAGING_NAME = /^\.carbonpath-staging-(\d+)-[0-9a-f]+$/;
const JOURNAL = 'journal.json';
const JOURNAL_TMP = 'journal.json.tmp';
const STAGED_NAME = /^f\d+$/;

/** Whether a name is one of ours (a staging folder), for tests and listings. */
export const isStagingName = (name: string): boolean => name.startsWith(STAGING_PREFIX);

/** Staging folders of this process's transactions that are under way: folder → output folder. */
const active = new Map<string, string>();

/**
 * File-system refusals are the user's to fix (a file where a folder should be, no permission):
 * exit 2.
 */
function asInputError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why: Record<string, string> = {
    EEXIST: 'a file stands where the output folder should be',
    ENOTDIR: 'part of the path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
  };
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return code && why[code]
    ? new InputError({
        file: path,
        message: `cannot write the output: ${why[code]}`,
        fix: full
          ? 'free some space, or give --out a folder on another disk'
          : 'give --out a folder you can write to',
      })
    : e;
}

/**
 * The folders between `root` and `path` are folders or absent (created when published). Not
 * links: a journal found on disk must not be able to move files out of the output folder.
 */
function assertFolders(fs: TxFs, root: string, path: string): void {
  const segments = relative(root, path).split(sep);
  for (let i = 1; i < segments.length; i++) {
    const st = fs.lstat(join(root, ...segments.slice(0, i)));
    if (st && !st.isDirectory())
      throw new InputError({
        file: path,
        message: 'cannot write the output: part of the path is a file or link, not a folder',
        fix: 'give --out a folder where this name is free, or remove what is in the way',
      });
  }
}

function assertReplaceable(fs: TxFs, path: string): void {
  const st = fs.lstat(path);
  if (st && !st.isFile())
    throw new InputError({
      file: path,
      message:
        'cannot write the output: a folder or other non-file stands where this file should go',
      fix: 'give --out a folder where this name is free, or remove what is in the way',
    });
}

/** The folder holding every file: the one the staging folder goes into, and is recovered. */
export function outputFolder(paths: readonly string[]): string {
  let root = dirname(paths[0]!);
  const outside = (p: string) => {
    const r = relative(root, p);
    return r === '' || r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r);
  };
  for (const p of paths) {
    while (outside(p)) {
      const up = dirname(root);
      if (up === root) break;
      root = up;
    }
  }
  return root;
}

interface Journal {
  renames: Array<{ from: string; to: string }>;
}

/** A journal as written by `writeFilesAtomically`, or undefined if it is anything else. */
function parseJournal(text: string | undefined): Journal | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const renames = (value as { renames?: unknown })?.renames;
  if (!Array.isArray(renames)) return undefined;
  const ok = renames.every((r: { from?: unknown; to?: unknown }) => {
    if (typeof r?.from !== 'string' || typeof r.to !== 'string') return false;
    // a target inside the output folder, named by plain segments: no '..', '.', '' or '\'
    const segments = r.to.split('/');
    const plain = segments.every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\'));
    return STAGED_NAME.test(r.from) && plain;
  });
  return ok ? (value as Journal) : undefined;
}

/**
 * Complete the renames of a committed transaction. A staged file that is gone was renamed
 * already.
 */
function rollForward(fs: TxFs, root: string, staging: string, journal: Journal): void {
  const folders = new Set<string>();
  for (const r of journal.renames) {
    const from = join(staging, r.from);
    if (!fs.lstat(from)?.isFile()) continue;
    const segments = r.to.split('/');
    const to = join(root, ...segments);
    assertFolders(fs, root, to);
    assertReplaceable(fs, to);
    if (dirname(to) !== root) fs.mkdirp(dirname(to));
    fs.rename(from, to);
    folders.add(dirname(to));
  }
  for (const f of folders) fs.syncDir(f);
}

/** Finish (journal present) or undo (no journal) one staging folder, then remove it. */
function settle(fs: TxFs, root: string, staging: string): void {
  const st = fs.lstat(staging);
  if (!st) return;
  if (st.isDirectory()) {
    const file = join(staging, JOURNAL);
    const journal = fs.lstat(file)?.isFile() ? parseJournal(fs.readText(file)) : undefined;
    if (journal) {
      rollForward(fs, root, staging, journal);
      fs.unlink(file);
    }
    fs.removeTree(staging);
  } else {
    fs.unlink(staging); // not ours to follow: a link or file under our name
  }
  fs.syncDir(root);
}

/** Is the process that owns a staging folder still running (so its transaction may be too)? */
function ownerRunning(pid: number): boolean {
  if (pid === process.pid) return false; // ours: `active` says which are under way
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException)?.code === 'EPERM';
  }
}

/**
 * Finish or undo what interrupted transactions left in `folder`: roll forward a staging
 * folder with a journal, delete one without. Folders of running processes are left alone.
 * Also removes `NAME.tmp-PID` files of finished processes that older versions left beside the
 * given file names.
 */
export function recoverOutputFolder(
  folder: string,
  options: WriteOptions & { names?: readonly string[] } = {},
): void {
  const fs = options.fs ?? nodeTxFs;
  const root = resolve(folder);
  const names = new Set(options.names ?? []);
  try {
    for (const name of fs.readdir(root)) {
      const path = join(root, name);
      if (name === LOCK) {
        if (!heldLocks.has(path) && lockStale(path, lockOwner(path))) {
          removeStaleLock(path, lockOwner(path));
        }
        continue;
      }
      const own = STAGING_NAME.exec(name);
      if (own) {
        if (!active.has(path) && !ownerRunning(Number(own[1]))) settle(fs, root, path);
        continue;
      }
      const legacy = /^(.+)\.tmp-(\d+)$/.exec(name);
      if (legacy && names.has(legacy[1]!) && !ownerRunning(Number(legacy[2])))
        if (fs.lstat(path)?.isFile()) fs.unlink(path);
    }
  } catch (e) {
    throw asInputError(e, root);
  }
}

/**
 * Write several files as one transaction (see the top of this file): after a failure, a signal
 * or a kill, the folder holds either all of the old files or all of the new ones once the next
 * command has recovered it; no file is ever half-written. Refusals (a folder where a file
 * should go, no permission, a full disk) are InputErrors, raised before anything is replaced.
 */
export function writeFilesAtomically(
  files: ReadonlyArray<OutputFile>,
  options: WriteOptions = {},
): void {
  if (files.length === 0) return;
  installSignalHandlers();
  const base = options.fs ?? nodeTxFs;
  const envFault = faultsFromEnv();
  const fs = envFault ? withFaults(base, envFault) : base;
  const targets = files.map((f) => ({ path: resolve(f.path), content: f.content }));
  const root = outputFolder(targets.map((t) => t.path));
  const made: Created[] = []; // to undo
  try {
    const top = fs.mkdirp(root);
    if (top !== undefined) made.push({ top, asked: root });
  } catch (e) {
    throw asInputError(e, files[0]!.path);
  }
  let unlock = () => {};
  try {
    unlock = lockOutputFolder(root, options.lockWaitMs ?? LOCK_WAIT_MS);
    writeLocked(fs, base, root, targets);
  } catch (e) {
    // Once unlocked, the folders this call created are removed if they are empty (a failure
    // before the commit; after it they hold the new files and stay).
    unlock();
    removeCreatedFolders(base, made);
    throw e;
  } finally {
    unlock();
  }
}

/** The transaction proper, with the output folder locked. */
function writeLocked(
  fs: TxFs,
  base: TxFs,
  root: string,
  targets: ReadonlyArray<{ path: string; content: string | Uint8Array }>,
): void {
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  recoverOutputFolder(root, { fs: base, names: targets.map((t) => rel(t.path)) });
  const staging = join(root, `${STAGING_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
  const journal: Journal = { renames: targets.map((t, i) => ({ from: `f${i}`, to: rel(t.path) })) };
  active.set(staging, root);
  let committed = false;
  let current = root;
  try {
    for (const t of targets) {
      current = t.path;
      assertFolders(fs, root, t.path);
      assertReplaceable(fs, t.path);
    }
    current = root;
    fs.mkdir(staging);
    targets.forEach((t, i) => {
      current = t.path;
      fs.writeDurable(join(staging, `f${i}`), t.content);
    });
    current = root;
    fs.syncDir(staging);
    fs.writeDurable(join(staging, JOURNAL_TMP), `${JSON.stringify(journal)}\n`);
    fs.rename(join(staging, JOURNAL_TMP), join(staging, JOURNAL));
    committed = true; // from here on the new files win: a failure is completed, not undone
    fs.syncDir(staging);
    // Publishing is what recovery does with a journal: one code path for both.
    settle(fs, root, staging);
  } catch (e) {
    const error = afterFailure(e, { base, root, staging, committed, current });
    if (error !== undefined) throw error;
  } finally {
    active.delete(staging);
    // A signal that came during the (synchronous) transaction is handled only when the event
    // loop polls, and measured with Node 20 a poll that does not wait (the first one, when
    // nothing else is pending) can miss it: keep the loop alive for one waiting poll, or a
    // process about to end could exit 0 without handling it.
    if (signalsInstalled) setImmediate(() => setTimeout(() => {}, 20));
  }
}

/**
 * Clean up after a failed step, on the real file system: before the commit, remove the staging
 * folder (the old files are untouched); after it, complete the renames. If that fails too, the
 * next command that writes to the folder completes them, and the error says so.
 */
function afterFailure(
  e: unknown,
  at: {
    base: TxFs;
    root: string;
    staging: string;
    committed: boolean;
    current: string;
  },
): unknown {
  if (!at.committed) {
    removeQuietly(at.base, at.staging);
    return asInputError(e, at.current);
  }
  try {
    settle(at.base, at.root, at.staging);
    return undefined;
  } catch {
    const reason = asInputError(e, at.current);
    if (!(reason instanceof InputError)) return e;
    return new InputError({
      file: at.current,
      message:
        `${reason.problems[0]!.message}; the new outputs are only partly in place, and ` +
        `the next carbonpath command that writes to ${at.root} completes them`,
      fix: reason.problems[0]!.fix,
    });
  }
}

/** A folder `mkdir -p` was asked for, and the topmost folder it had to create for it. */
interface Created {
  top: string;
  asked: string;
}

function removeQuietly(fs: TxFs, staging: string): void {
  try {
    fs.removeTree(staging);
  } catch {
    // left for the next command's recovery
  }
}

/** The folders created, from the one asked for up to the topmost, while they are empty. */
function removeCreatedFolders(fs: TxFs, created: readonly Created[]): void {
  for (const { top, asked } of created) {
    for (let dir = asked; dir === top || dir.startsWith(top + sep); dir = dirname(dir)) {
      try {
        fs.rmdir(dir);
      } catch {
        break;
      }
    }
  }
}

let signalsWanted = false;
let signalsInstalled = false;

/**
 * For the CLI: once a write transaction has begun, SIGINT and SIGTERM end the process with
 * 130 / 143 after settling any transaction under way, rather than killing it mid-write. Until
 * then the default applies (nothing of ours is on disk), so a long computation stops at once.
 * Publishing is synchronous, so a signal that arrives during it is handled right after it.
 */
export function settleWritesOnSignals(): void {
  signalsWanted = true;
}

function installSignalHandlers(): void {
  if (!signalsWanted || signalsInstalled) return;
  signalsInstalled = true;
  const exitOn = (signal: NodeJS.Signals, code: number) =>
    process.on(signal, () => {
      for (const [staging, root] of active) {
        try {
          settle(nodeTxFs, root, staging);
        } catch {
          // the next command's recovery will try again
        }
      }
      for (const lock of [...heldLocks]) releaseLock(lock);
      process.exit(code);
    });
  exitOn('SIGINT', 130);
  exitOn('SIGTERM', 143);
}

export type { Fault };
