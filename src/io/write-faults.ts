/**
 * TEST ONLY: make a write transaction fail at a chosen step, to check that every interruption
 * leaves either the old outputs or the new ones (test/write-transaction.test.ts).
 *
 * The CLI honours `CARBONPATH_TEST_FAULT=STEP:EFFECT` and nothing else of this file; without
 * that variable nothing here runs. STEP is `k` (the k-th step of the transaction, from 1) or
 * `NAME#n` (the n-th step of one kind: mkdirp, mkdir, write, sync, rename, unlink, rmdir,
 * remove). EFFECT is `kill` (SIGKILL this process), `sigterm` or `sigint` (send that signal to
 * itself and carry on), `sigstop` (stop until SIGCONT, holding the folder's lock), or an error
 * code such as `ENOSPC` or `EACCES`, thrown at that step
 * only (add `:sticky` to throw it at every later step too).
 * Examples: `rename#2:kill`, `write#1:ENOSPC`.
 */
import type { TxFs } from './atomic-write.js';

export const STEP_NAMES = {
  mkdirp: 'mkdirp',
  mkdir: 'mkdir',
  writeDurable: 'write',
  syncDir: 'sync',
  rename: 'rename',
  unlink: 'unlink',
  rmdir: 'rmdir',
  removeTree: 'remove',
} as const;

export type StepName = (typeof STEP_NAMES)[keyof typeof STEP_NAMES];

export interface Fault {
  /** The k-th step (from 1), or the n-th step of one kind. */
  at: number | { step: StepName; nth: number };
  /**
   * `crash`: throw at that step and at every later one, as if the process had been killed
   * (in-process, for unit tests); `kill`: SIGKILL this process; `sigterm`, `sigint`: send that
   * signal to this process and go on; an error code: throw an error with that code.
   */
  effect: 'crash' | 'kill' | 'sigterm' | 'sigint' | 'sigstop' | string;
  /** With an error code: throw it at every later step too. */
  sticky?: boolean;
  /** Each step taken ('write /path'), appended to if given: lets a test count the steps. */
  log?: string[];
}

/** What a `crash` fault throws: the process is gone, nothing after it may touch the disk. */
export class SimulatedCrash extends Error {
  constructor(step: string) {
    super(`simulated crash at ${step}`);
  }
}

function errnoError(code: string, step: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: injected at ${step}`);
  e.code = code;
  return e;
}

/** `fs` with `fault` injected. Reads pass through and are not steps. */
export function withFaults(fs: TxFs, fault: Fault): TxFs {
  let k = 0;
  const perName = new Map<string, number>();
  let failing = false;
  const step = (method: keyof typeof STEP_NAMES, path: string, partial?: () => void): void => {
    const name = STEP_NAMES[method];
    k += 1;
    const nth = (perName.get(name) ?? 0) + 1;
    perName.set(name, nth);
    fault.log?.push(`${name} ${path}`);
    const hit =
      typeof fault.at === 'number'
        ? fault.at === k
        : fault.at.step === name && fault.at.nth === nth;
    const where = `step ${k} (${name} ${path})`;
    if (failing && (fault.effect === 'crash' || fault.sticky)) {
      throw fault.effect === 'crash' ? new SimulatedCrash(where) : errnoError(fault.effect, where);
    }
    if (!hit) return;
    if (fault.effect === 'sigterm' || fault.effect === 'sigint') {
      process.kill(process.pid, fault.effect === 'sigterm' ? 'SIGTERM' : 'SIGINT');
      return;
    }
    if (fault.effect === 'sigstop') {
      process.kill(process.pid, 'SIGSTOP'); // until the test sends SIGCONT: a writer caught mid-way
      return;
    }
    failing = true;
    partial?.(); // a write cut short: what a full disk or a kill mid-write leaves
    if (fault.effect === 'kill') process.kill(process.pid, 'SIGKILL');
    throw fault.effect === 'crash' || fault.effect === 'kill'
      ? new SimulatedCrash(where)
      : errnoError(fault.effect, where);
  };
  return {
    ...fs,
    mkdirp: (path) => (step('mkdirp', path), fs.mkdirp(path)),
    mkdir: (path) => (step('mkdir', path), fs.mkdir(path)),
    writeDurable(path, content) {
      const half = Math.floor(content.length / 2);
      const cut = typeof content === 'string' ? content.slice(0, half) : content.slice(0, half);
      step('writeDurable', path, () => fs.writeDurable(path, cut));
      fs.writeDurable(path, content);
    },
    syncDir: (path) => (step('syncDir', path), fs.syncDir(path)),
    rename: (from, to) => (step('rename', `${from} → ${to}`), fs.rename(from, to)),
    unlink: (path) => (step('unlink', path), fs.unlink(path)),
    rmdir: (path) => (step('rmdir', path), fs.rmdir(path)),
    removeTree: (path) => (step('removeTree', path), fs.removeTree(path)),
  };
}

const ENV_FAULT =
  /^(?:(\d+)|([a-z]+)#(\d+)):(crash|kill|sigterm|sigint|sigstop|E[A-Z]+)(:sticky)?$/;

/** The fault `CARBONPATH_TEST_FAULT` asks for; undefined when it is not set. */
export function faultsFromEnv(env = process.env): Fault | undefined {
  const spec = env.CARBONPATH_TEST_FAULT;
  if (!spec) return undefined;
  const m = ENV_FAULT.exec(spec);
  const names: readonly string[] = Object.values(STEP_NAMES);
  if (!m || (m[2] !== undefined && !names.includes(m[2])))
    throw new Error(`CARBONPATH_TEST_FAULT: cannot read '${spec}' (see src/io/write-faults.ts)`);
  return {
    at: m[1] !== undefined ? Number(m[1]) : { step: m[2] as StepName, nth: Number(m[3]) },
    effect: m[4]!,
    sticky: m[5] !== undefined,
  };
}
