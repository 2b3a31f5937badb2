import { z } from '../schema/zod.js';
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
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  entries?: Record<string, unknown>;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
  getter?: () => z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The schemas a value at `path` must match, wrappers (optional, default, pipe, lazy …) taken
 * off and the branches of a plain union listed one by one. A discriminated union is one form.
 */
export function schemasAt(schema: z.ZodType, path: readonly Key[], depth = 0): z.ZodType[] {
  if (depth > 64) return []; // a recursive (lazy) schema: stop rather than loop
  const d = defOf(schema);
  const next = (s: z.ZodType | undefined, rest: readonly Key[]) =>
    s ? schemasAt(s, rest, depth + 1) : [];
  const [head, ...rest] = path;
  switch (d.type) {
    case 'object':
      return head === undefined ? [schema] : next(d.shape?.[String(head)], rest);
    case 'record':
      return head === undefined ? [schema] : next(d.valueType, rest);
    case 'array':
      return head === undefined ? [schema] : next(d.element, rest);
    case 'tuple':
      if (head === undefined) return [schema];
      return typeof head === 'number' ? next(d.items?.[head], rest) : [];
    case 'union':
      if (head === undefined && d.discriminator !== undefined) return [schema];
      return (d.options ?? []).flatMap((o) => next(o, path));
    case 'intersection':
      return [...next(d.left, path), ...next(d.right, path)];
    case 'pipe':
      return next(d.in, path);
    case 'lazy':
      return d.getter ? next(d.getter(), path) : [];
    default:
      // optional, nullable, default, prefault, readonly, catch, nonoptional: the inner type
      if (d.innerType) return next(d.innerType, path);
      return head === undefined ? [schema] : [];
  }
}

/**
 * The keys an object at `path` may have, by the schema: every branch of a union counted, so
 * "did you mean" can name the nearest. Empty where the schema has no object there.
 */
export function keysAt(schema: z.ZodType, path: readonly Key[]): Set<string> {
  const keys = new Set<string>();
  const objects = schemasAt(schema, path).flatMap((s) => {
    const d = defOf(s);
    // a discriminated union's options are objects too
    return d.type === 'union' ? (d.options ?? []).flatMap((o) => schemasAt(o, [])) : [s];
  });
  for (const o of objects) for (const k of Object.keys(defOf(o).shape ?? {})) keys.add(k);
  return keys;
}

/** How a form is written, for a message: `a number`, `{points: {…}}`. */
function formOf(schema: z.ZodType): string {
  const d = defOf(schema);
  const placeholder = (s: z.ZodType | undefined) => {
    const t = s ? defOf(schemasAt(s, [])[0] ?? s).type : '';
    return t === 'record' || t === 'object' ? '{…}' : t === 'string' ? '"…"' : '…';
  };
  switch (d.type) {
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'literal':
      return (d.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'enum':
      return `one of ${Object.values(d.entries ?? {}).join(', ')}`;
    case 'array':
      return 'a list';
    case 'record':
      return 'a map';
    case 'union': {
      const tags = (d.options ?? []).map((o) => {
        const tag = defOf(schemasAt(o, [])[0] ?? o).shape?.[d.discriminator!];
        return tag ? (defOf(tag).values ?? []).join(' | ') : '';
      });
      const example = `{${d.discriminator}: ${tags.filter(Boolean).join(' | ')}, …}`;
      const name = registeredId(d.options);
      return name ? `a ${name} ${example}` : example;
    }
    case 'object': {
      const shape = d.shape ?? {};
      const required = Object.keys(shape).filter((k) => defOf(shape[k]!).type !== 'optional');
      const keys = required.length > 0 ? required : Object.keys(shape).slice(0, 1);
      const more = required.length > 0 ? '' : ', …';
      const form = `{${keys.map((k) => `${k}: ${placeholder(shape[k])}`).join(', ')}${more}}`;
      return more ? `a map ${form}` : form;
    }
    default:
      return d.type;
  }
}

/**
 * The id a union was registered with (`.meta({ id })`). A refinement copies a schema without
 * its metadata but keeps its options, so the copy is known by them.
 */
function registeredId(options: readonly z.ZodType[] | undefined): string | undefined {
  const ids = (z.globalRegistry as unknown as { _idmap?: Map<string, z.ZodType> })._idmap;
  for (const [id, s] of ids ?? []) if (defOf(s).options === options) return id;
  return undefined;
}

/** The forms a value at `path` may take, as they are written in a message. */
export function formsAt(schema: z.ZodType, path: readonly Key[]): string[] {
  return [...new Set(schemasAt(schema, path).map(formOf))];
}

const orList = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** What was given, in words: `the text 'abc'`, `a list`, `a map with keys a, b`. */
function given(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (isPlainMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty map';
    return `a map with ${keys.length === 1 ? 'key' : 'keys'} ${keys.join(', ')}`;
  }
  if (typeof value === 'string') return `the text '${value}'`;
  return `${JSON.stringify(value)}`;
}

/**
 * How well a union's branch fits the value it was given: 0 the value is another form (a string
 * where a map belongs, a key the form does not have); 1 the form's key is missing; 2 it is the
 * form, with something wrong inside.
 */
function fitOf(branch: readonly Issue[], value: unknown): number {
  let fit = 2;
  for (const b of branch) {
    if (b.path.length === 0) {
      if (b.code === 'invalid_type' || b.code === 'unrecognized_keys') return 0;
      if (b.code === 'invalid_union' && b.errors.length > 0) {
        fit = Math.min(fit, Math.max(...b.errors.map((e) => fitOf(e, value))));
        if (fit === 0) return 0;
      }
    }
    const discriminator = b.code === 'invalid_union' ? b.discriminator : undefined;
    if (discriminator !== undefined && valueAt(value, [discriminator]) === undefined) return 0;
    if (b.path.length === 1 && isPlainMap(value) && valueAt(value, b.path as Key[]) === undefined)
      fit = Math.min(fit, 1);
  }
  return fit;
}

/** The one branch the value is meant as, if one fits better than every other. */
function meantBranch(branches: readonly Issue[][], value: unknown): Issue[] | undefined {
  const fits = branches.map((b) => fitOf(b, value));
  const best = Math.max(...fits);
  const candidates = branches.filter((_, i) => fits[i] === best);
  return best > 0 && candidates.length === 1 ? candidates[0] : undefined;
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
      // Follow the branch the value is meant as (the form whose keys it has); when none or
      // several fit, the value itself is the problem: say which forms are accepted there.
      const value = valueAt(src.value, path);
      const branch = meantBranch(issue.errors, value);
      if (branch) {
        const inner = branch.map((b) => ({ ...b, path: [...path, ...b.path] }) as Issue);
        out.push(...zodProblems(src, inner, schema));
      } else if (value === undefined && schema && isMissing(src.value, path)) {
        out.push(missingKey(src, path, schema));
      } else {
        out.push(wrongForm(src, path, value, schema) ?? problemOf(src, path, issue));
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
      out.push(
        badTag(src, path, issue.discriminator, (issue as { options?: unknown[] }).options ?? []),
      );
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const allowed = schema ? [...keysAt(schema, path)] : [];
      out.push(...unknownKeys(src, path, issue.keys, allowed, issue));
      continue;
    }
    const value = valueAt(src.value, path);
    if (issue.code === 'invalid_type' && schema && path.length > 0) {
      if (value === undefined && isMissing(src.value, path)) {
        out.push(missingKey(src, path, schema));
        continue;
      }
      // zod's own wording ("Invalid input: expected object, received string") is replaced by
      // the forms accepted there; a schema's own message ("expected a growth rate …") is kept.
      const wrong = /^Invalid input/.test(issue.message)
        ? wrongForm(src, path, value, schema)
        : undefined;
      if (wrong && !yaml11Hint(issue, value)) {
        out.push(wrong);
        continue;
      }
    }
    out.push(problemOf(src, path, issue));
  }
  return out;
}

/**
 * YAML 1.2 reads yes/no/on/off as text and 1:30 as text, where a YAML 1.1 habit means a
 * boolean or a number: say so instead of only "expected boolean".
 */
function problemOf(src: SourceFile, path: readonly Key[], issue: Issue): Problem {
  return {
    file: src.file,
    line: src.lineOf(path),
    path: path.join('.') || undefined,
    message: issue.message,
    fix: yaml11Hint(issue, valueAt(src.value, path)) ?? fixFor(issue),
  };
}

/** A value of none of the forms accepted where it is: which forms are, and what it is. */
function wrongForm(
  src: SourceFile,
  path: readonly Key[],
  value: unknown,
  schema: z.ZodType | undefined,
): Problem | undefined {
  const forms = schema ? formsAt(schema, path) : [];
  if (forms.length === 0) return undefined;
  return {
    file: src.file,
    line: src.lineOf(path),
    path: path.join('.') || undefined,
    message: `expected ${orList(forms)}, not ${given(value)}`,
    fix: `write ${orList(forms)} here (the forms: docs/scenarios.md, \`carbonpath schema\`)`,
  };
}

/** A required key that is not there. */
function missingKey(src: SourceFile, path: readonly Key[], schema: z.ZodType): Problem {
  const key = String(path.at(-1));
  const forms = formsAt(schema, path);
  return {
    file: src.file,
    line: src.lineOf(path),
    path: path.join('.'),
    message: `'${key}' is missing`,
    fix: `add ${key}: ${forms.length > 0 ? orList(forms) : 'a value'}`,
  };
}

/** A discriminator (`dist: gamma`) that names no form. */
function badTag(
  src: SourceFile,
  path: readonly Key[],
  tag: string,
  options: readonly unknown[],
): Problem {
  const value = valueAt(src.value, path);
  const known = options.map(String);
  const meant = typeof value === 'string' ? nearest(value, known) : undefined;
  const fix = `use one of ${known.join(', ')}`;
  return {
    file: src.file,
    line: src.lineOf(path),
    path: path.join('.'),
    message: value === undefined ? `'${tag}' is missing` : `unknown ${tag} '${String(value)}'`,
    fix: meant === undefined ? fix : `did you mean '${meant}'? ${fix}`,
  };
}

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

/** The last key of `path` is absent from a map that is there. */
const isMissing = (root: unknown, path: readonly Key[]): boolean =>
  path.length > 0 &&
  valueAt(root, path) === undefined &&
  isPlainMap(valueAt(root, path.slice(0, -1)));

function valueAt(value: unknown, path: readonly Key[]): unknown {
  let v = value;
  for (const k of path) {
    if (!isPlainMap(v) && !Array.isArray(v)) return undefined;
    v = Object.hasOwn(v, k) ? (v as Record<Key, unknown>)[k] : undefined;
  }
  return v;
}
