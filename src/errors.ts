/**
 * Expected failures. Each carries where the problem is (file, line, field path) and how to
 * fix it, so the CLI can print it without a stack trace and exit with the right code.
 */
export interface Problem {
  file?: string | undefined;
  line?: number | undefined;
  /** Field path inside the file, e.g. `parameters.selfBuiltCleanShare.points.2030`. */
  path?: string | undefined;
  message: string;
  fix?: string | undefined;
}

export class CarbonpathError extends Error {
  readonly exitCode: number = 1;
}

/** Bad input: a scenario, data or target file that cannot be used as it is. Exit code 2. */
export class InputError extends CarbonpathError {
  override readonly exitCode = 2;
  readonly problems: Problem[];
  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(formatProblems(list));
    this.problems = list;
  }
}

/** Bad command-line usage. Exit code 2. */
export class UsageError extends CarbonpathError {
  override readonly exitCode = 2;
}

/** At most this many problems are printed; the rest are counted. */
export const MAX_PROBLEMS_SHOWN = 50;
/** A value quoted in a message ('…') is cut to this many characters. */
export const MAX_QUOTED_CHARS = 80;
/** A field path is cut to this many characters. */
export const MAX_PATH_CHARS = 200;
/** Each other part of a problem (file, message, fix) is cut to this many characters. */
export const MAX_PART_CHARS = 500;

// C0 controls except tab and newline, DEL, and C1 controls: they can move the cursor, clear
// the screen or retitle the terminal when echoed. Bidi overrides can reorder what is shown.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Control characters as visible escapes (`\x1b`, `\u202e`), so a terminal shows, not obeys. */
export function sanitizeForTerminal(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

// A quoted value: an opening ' after the start, a space or a bracket; a closing ' before the
// end, a space or punctuation. Apostrophes inside words (metric's) do not open a quote.
const QUOTED = /(^|[\s([{:=])'([^'\n]+)'(?=$|[\s,.;:)\]}])/g;

/** Make one piece of a message safe and short enough to print. */
function printable(s: string, max: number): string {
  const shortQuotes = s.replace(
    QUOTED,
    (_, before: string, quoted: string) => `${before}'${cut(quoted, MAX_QUOTED_CHARS)}'`,
  );
  return sanitizeForTerminal(cut(shortQuotes, max));
}

export function formatProblem(p: Problem): string {
  let where = p.file === undefined ? '' : printable(p.file, MAX_PART_CHARS);
  if (p.line !== undefined) where += `${where ? ':' : 'line '}${p.line}`;
  if (p.path) where += `${where ? ' ' : ''}at ${printable(p.path, MAX_PATH_CHARS)}`;
  const message = printable(p.message, MAX_PART_CHARS);
  const head = where ? `${where}: ${message}` : message;
  return p.fix ? `${head}\n  fix: ${printable(p.fix, MAX_PART_CHARS)}` : head;
}

/** The first MAX_PROBLEMS_SHOWN problems, one after another, then how many were left out. */
export function formatProblems(problems: readonly Problem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map(formatProblem);
  const rest = problems.length - shown.length;
  if (rest > 0)
    shown.push(`… and ${rest} more problem${rest === 1 ? '' : 's'} (fix these and run again)`);
  return shown.join('\n');
}

/** A `--fail-on` condition was met (outputs are still written). Exit code 3. */
export class FailOnError extends CarbonpathError {
  override readonly exitCode = 3;
}
