import type { z } from 'zod';
import type { Problem } from '../errors.js';
import type { SourceFile } from './yaml-source.js';

const SPEC_FORMS =
  'give a number, {value: …}, {points: {YEAR: value}}, {growth: rate} or ' + '{formula: "…"}';

type Issue = z.core.$ZodIssue;

function fixFor(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'unrecognized_keys':
      return (
        'remove or rename it; ' +
        'see `carbonpath schema` or docs/scenarios.md for the allowed keys'
      );
    case 'too_big':
    case 'too_small':
      return 'change the value to lie within the bounds';
    case 'invalid_union':
      return SPEC_FORMS;
    case 'invalid_format':
      return 'write it in the form the message gives';
    case 'invalid_value':
      return 'use one of the allowed values';
    case 'invalid_type':
      return `give ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    default:
      return undefined;
  }
}

/** Flatten zod issues into problems with file, line and field path. */
export function zodProblems(src: SourceFile, issues: readonly Issue[]): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: the one whose first issue is not a type mismatch.
      const branch =
        issue.errors.find((b) => b.length > 0 && b[0]!.code !== 'invalid_type') ?? issue.errors[0]!;
      if (branch.every((b) => b.code !== 'invalid_type' || b.path.length > 0)) {
        out.push(
          ...zodProblems(
            src,
            branch.map((b) => ({ ...b, path: [...path, ...b.path] }) as Issue),
          ),
        );
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          file: src.file,
          line: src.lineOf([...path, key]),
          path: [...path, key].join('.'),
          message: `unknown key '${key}'`,
          fix: fixFor(issue),
        });
      }
      continue;
    }
    out.push({
      file: src.file,
      line: src.lineOf(path),
      path: path.join('.') || undefined,
      message: issue.message,
      fix: fixFor(issue),
    });
  }
  return out;
}
