/**
 * What a command puts on stdout, in one place for every command. Three modes:
 * - text (default): the human summary, printed as the command goes;
 * - `--json`: nothing but one JSON document at the end (the shape: `JsonDocument`), errors too;
 * - `-q/--quiet`: nothing at all, unless a `--fail-on` condition is met: then the summary and
 *   the warnings that were held back are printed before the error (so cron mails only then).
 * Commands call `print` for text, `warn` for warnings and `result` once for their result.
 *
 * `--out -` (commands that write one file: STDOUT_COMMANDS): that file's content is all there
 * is on stdout; the summary and warnings go to stderr (`writeOutputs`).
 */
import { basename } from 'node:path';
import { UsageError, type Problem } from '../errors.js';
import { writeFilesAtomically } from '../io/atomic-write.js';
import { TOOL_VERSION } from '../io/package-root.js';

export type OutputMode = 'text' | 'json' | 'quiet';

/** The document `--json` prints on stdout, success or failure (docs/automation.md). */
export interface JsonDocument {
  /** The version of this shape; a field removed or changed in meaning raises it. */
  format: 1;
  tool: string;
  command: string;
  /** The process exit code: 0 success, 1 internal error, 2 bad input, 3 a --fail-on condition. */
  exitCode: number;
  /** The files written, as paths from the current folder (none when the command failed). */
  outputs: string[];
  /** Calibration and input warnings, as printed on stderr. */
  warnings: Array<{ message: string; fix?: string }>;
  /** The command's own result (per command: docs/automation.md); absent on bad input. */
  result?: unknown;
  /** Why the exit code is not 0. */
  error?: { message: string; problems?: Problem[] };
}

interface State {
  mode: OutputMode;
  command: string;
  outputs: string[];
  warnings: Array<{ message: string; fix?: string }>;
  result?: unknown;
  /** Text and warnings held back by --quiet, in order. */
  held: Array<{ stream: 'stdout' | 'stderr'; text: string }>;
  /** `--out -`: stdout carries the one file, so text goes to stderr. */
  fileOnStdout: boolean;
}

let state: State = fresh('text', '');

function fresh(mode: OutputMode, command: string, fileOnStdout = false): State {
  return { mode, command, outputs: [], warnings: [], held: [], fileOnStdout };
}

/** `--out -` writes this file of the command to stdout (the others are not written). */
export const STDOUT_COMMANDS: Readonly<Record<string, string>> = {
  run: 'trajectories.csv',
  solve: 'solved-scenario.yaml',
};

/**
 * Called once per process before the command runs (main.ts, from --json / --quiet / --out).
 * `--out -` is refused where a command writes several files, and with --json (both would be
 * stdout).
 */
export function startOutput(mode: OutputMode, command: string, out?: unknown): void {
  const fileOnStdout = out === '-';
  if (fileOnStdout && !STDOUT_COMMANDS[command]) {
    const which = Object.keys(STDOUT_COMMANDS).join(', ');
    throw new UsageError(
      `--out -: '${command}' writes several files, so they need a folder (the commands that ` +
        `write one file to stdout with --out -: ${which})`,
    );
  }
  if (fileOnStdout && mode === 'json')
    throw new UsageError('--out - and --json both write to stdout: use one of them');
  state = fresh(mode, command, fileOnStdout);
}

/**
 * Write a command's files: into the --out folder in one transaction, or with `--out -` only the
 * command's one file (STDOUT_COMMANDS), to stdout. Returns the paths to name in messages.
 */
export function writeOutputs(files: ReadonlyArray<{ path: string; content: string }>): string[] {
  if (!state.fileOnStdout) {
    writeFilesAtomically(files);
    return files.map((f) => f.path);
  }
  const name = STDOUT_COMMANDS[state.command]!;
  const file = files.find((f) => basename(f.path) === name);
  if (file) process.stdout.write(file.content);
  return file ? ['stdout'] : [];
}

/** A written file as messages name it: its path, or 'NAME to stdout' with `--out -`. */
export const shownPath = (path: string): string =>
  state.fileOnStdout ? `${basename(path)} to stdout` : path;

export const outputMode = (): OutputMode => state.mode;

/** Human text for stdout. */
export function print(text: string): void {
  if (state.mode === 'text') (state.fileOnStdout ? process.stderr : process.stdout).write(text);
  else if (state.mode === 'quiet') state.held.push({ stream: 'stdout', text });
}

/** A warning: on stderr (held back by --quiet) and in the --json document. */
export function warn(message: string, fix?: string): void {
  state.warnings.push(fix ? { message, fix } : { message });
  const text = `warning: ${message}\n${fix ? `  fix: ${fix}\n` : ''}`;
  if (state.mode === 'quiet') state.held.push({ stream: 'stderr', text });
  else process.stderr.write(text);
}

/** The command's result for --json, and the files it wrote. */
export function result(value: unknown, outputs: readonly string[] = []): void {
  state.result = value;
  state.outputs = [...outputs];
}

/** The last command's result and files (for the library's writeReport). */
export function lastResult(): { value: unknown; outputs: string[] } {
  return { value: state.result, outputs: state.outputs };
}

/**
 * End of the command (main.ts): the --json document, or what --quiet held back when a --fail-on
 * condition was met (exit 3). `error` is the message main prints on stderr in every mode.
 */
export function finishOutput(
  exitCode: number,
  error?: { message: string; problems?: Problem[] },
): void {
  if (state.mode === 'quiet' && exitCode === 3) {
    for (const h of state.held)
      (h.stream === 'stdout' && !state.fileOnStdout ? process.stdout : process.stderr).write(
        h.text,
      );
  }
  if (state.mode !== 'json') return;
  const doc: JsonDocument = {
    format: 1,
    tool: `carbonpath ${TOOL_VERSION}`,
    command: state.command,
    exitCode,
    outputs: exitCode === 0 || exitCode === 3 ? state.outputs : [],
    warnings: state.warnings,
    ...(state.result !== undefined ? { result: state.result } : {}),
    ...(error ? { error } : {}),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}
