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
    super(list.map(formatProblem).join('\n'));
    this.problems = list;
  }
}

/** Bad command-line usage. Exit code 2. */
export class UsageError extends CarbonpathError {
  override readonly exitCode = 2;
}

export function formatProblem(p: Problem): string {
  let where = p.file ?? '';
  if (p.line !== undefined) where += `${where ? ':' : 'line '}${p.line}`;
  if (p.path) where += `${where ? ' ' : ''}at ${p.path}`;
  const head = where ? `${where}: ${p.message}` : p.message;
  return p.fix ? `${head}\n  fix: ${p.fix}` : head;
}

/** A `--fail-on` condition was met (outputs are still written). Exit code 3. */
export class FailOnError extends CarbonpathError {
  override readonly exitCode = 3;
}
