/**
 * `--fail-on`: conditions that turn into exit code 3 once the outputs are written. Kept apart
 * from warnings.ts so that main.ts loads no model code before a command is chosen.
 */
import { InvalidArgumentError } from 'commander';
import type { Warning } from '../core/calibrate.js';
import { FailOnError, UsageError } from '../errors.js';

/** The conditions `--fail-on` takes; `off-track` only where targets are evaluated. */
export type FailOnCondition = 'off-track' | 'warning';

/** A commander parser for `--fail-on a,b`: each condition one of `allowed`. */
export const failOnParser =
  (allowed: readonly FailOnCondition[]) =>
  (value: string, previous: FailOnCondition[] | undefined): FailOnCondition[] => {
    const list = value.split(',').map((s) => s.trim());
    const bad = list.find((c) => !(allowed as readonly string[]).includes(c));
    if (bad !== undefined) {
      throw new InvalidArgumentError(
        `'${bad}' is not a condition here; use ${allowed.map((a) => `'${a}'`).join(' or ')} ` +
          '(several: comma-separated)',
      );
    }
    return [...new Set([...(previous ?? []), ...(list as FailOnCondition[])])];
  };

/** For commands called as functions (tests, the library): the same check as the parser's. */
export function checkFailOnConditions(
  failOn: readonly string[] | string | undefined,
  allowed: readonly FailOnCondition[],
): FailOnCondition[] {
  const list = failOn === undefined ? [] : typeof failOn === 'string' ? [failOn] : failOn;
  try {
    return list.reduce<FailOnCondition[]>((acc, c) => failOnParser(allowed)(c, acc), []);
  } catch (e) {
    throw new UsageError(`--fail-on: ${(e as Error).message}`);
  }
}

/** Exit 3 (after the outputs are written) when a condition asked for by `--fail-on` is met. */
export function failOnConditions(
  failOn: readonly FailOnCondition[],
  met: { offTrack?: readonly string[]; warnings?: readonly Warning[] },
): void {
  const reasons: string[] = [];
  const off = met.offTrack ?? [];
  if (failOn.includes('off-track') && off.length > 0)
    reasons.push(`${off.length} target(s) off track: ${off.join(', ')}`);
  const warnings = met.warnings ?? [];
  if (failOn.includes('warning') && warnings.length > 0)
    reasons.push(
      `${warnings.length} warning${warnings.length === 1 ? '' : 's'} ` +
        `(${[...new Set(warnings.map((w) => w.code))].join(', ')}), and --fail-on warning`,
    );
  if (reasons.length > 0) throw new FailOnError(reasons.join('; '));
}
