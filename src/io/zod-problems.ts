import type { z } from 'zod';
import type { Problem } from '../errors.js';
import { nearest } from './nearest.js';
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

type Key = string | number;
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
  getter?: () => z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The keys an object at `path` may have, by the schema: every branch of a union counted, so
 * "did you mean" can name the nearest. Empty where the schema has no object there.
 */
export function keysAt(schema: z.ZodType, path: readonly Key[], depth = 0): Set<string> {
  const keys = new Set<string>();
  if (depth > 64) return keys; // a recursive (lazy) schema: stop rather than loop
  const d = defOf(schema);
  const next = (s: z.ZodType | undefined, rest: readonly Key[]) =>
    s ? keysAt(s, rest, depth + 1) : new Set<string>();
  const [head, ...rest] = path;
  let found: Array<Set<string>>;
  switch (d.type) {
    case 'object':
      if (head === undefined) return new Set(Object.keys(d.shape ?? {}));
      found = [next(d.shape?.[String(head)], rest)];
      break;
    case 'record':
      found = head === undefined ? [] : [next(d.valueType, rest)];
      break;
    case 'array':
      found = head === undefined ? [] : [next(d.element, rest)];
      break;
    case 'tuple':
      found = typeof head === 'number' ? [next(d.items?.[head], rest)] : [];
      break;
    case 'union':
      found = (d.options ?? []).map((o) => next(o, path));
      break;
    case 'intersection':
      found = [next(d.left, path), next(d.right, path)];
      break;
    case 'pipe':
      found = [next(d.in, path)];
      break;
    case 'lazy':
      found = d.getter ? [next(d.getter(), path)] : [];
      break;
    default:
      // optional, nullable, default, prefault, readonly, catch, nonoptional: the inner type
      found = d.innerType ? [next(d.innerType, path)] : [];
  }
  for (const f of found) for (const k of f) keys.add(k);
  return keys;
}

/**
 * Flatten zod issues into problems with file, line and field path. With the schema, an unknown
 * key's fix names the nearest allowed key ("did you mean").
 */
export function zodProblems(
  src: SourceFile,
  issues: readonly Issue[],
  schema?: z.ZodType,
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k));
    if (issue.code === 'invalid_union' && schema) {
      // A map that no form accepts because of a key none of them has (`{grwth: 0.05}`): that
      // key is the problem, not whichever form's message comes first.
      const value = valueAt(src.value, path);
      const allowed = keysAt(schema, path);
      const unknown = isPlainMap(value) ? Object.keys(value).filter((k) => !allowed.has(k)) : [];
      if (allowed.size > 0 && unknown.length > 0) {
        out.push(...unknownKeys(src, path, unknown, [...allowed], issue));
        continue;
      }
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest: the one whose first issue is not a type mismatch.
      const branch =
        issue.errors.find((b) => b.length > 0 && b[0]!.code !== 'invalid_type') ?? issue.errors[0]!;
      if (branch.every((b) => b.code !== 'invalid_type' || b.path.length > 0)) {
        out.push(
          ...zodProblems(
            src,
            branch.map((b) => ({ ...b, path: [...path, ...b.path] }) as Issue),
            schema,
          ),
        );
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      const allowed = schema ? [...keysAt(schema, path)] : [];
      out.push(...unknownKeys(src, path, issue.keys, allowed, issue));
      continue;
    }
    out.push({
      file: src.file,
      line: src.lineOf(path),
      path: path.join('.') || undefined,
      message: issue.message,
      fix: yaml11Hint(issue, valueAt(src.value, path)) ?? fixFor(issue),
    });
  }
  return out;
}

/**
 * YAML 1.2 reads yes/no/on/off as text and 1:30 as text, where a YAML 1.1 habit means a
 * boolean or a number: say so instead of only "expected boolean".
 */
function yaml11Hint(issue: Issue, value: unknown): string | undefined {
  if (issue.code !== 'invalid_type' || typeof value !== 'string') return undefined;
  if (issue.expected === 'boolean' && /^(y|n|yes|no|on|off)$/i.test(value))
    return `write true or false: YAML 1.2 reads '${value}' as text, not as a yes/no`;
  if (issue.expected === 'number' && /^[-+]?\d+(:[0-5]?\d)+(\.\d*)?$/.test(value))
    return `write the number in decimal: YAML 1.2 reads '${value}' as text, not base 60`;
  return undefined;
}

function unknownKeys(
  src: SourceFile,
  path: readonly Key[],
  keys: readonly string[],
  allowed: readonly string[],
  issue: Issue,
): Problem[] {
  const fix = fixFor({ ...issue, code: 'unrecognized_keys' } as Issue);
  return keys.map((key) => {
    const meant = nearest(key, allowed);
    return {
      file: src.file,
      line: src.lineOf([...path, key]),
      path: [...path, key].join('.'),
      message: `unknown key '${key}'`,
      fix: meant === undefined ? fix : `did you mean '${meant}'? ${fix}`,
    };
  });
}

const isPlainMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function valueAt(value: unknown, path: readonly Key[]): unknown {
  let v = value;
  for (const k of path) {
    if (!isPlainMap(v) && !Array.isArray(v)) return undefined;
    v = Object.hasOwn(v, k) ? (v as Record<Key, unknown>)[k] : undefined;
  }
  return v;
}
