/**
 * The bundled YAML files (data/, scenarios/) and inventory CSVs (data/) as the build parsed them:
 * dist/parsed-inputs.json, written by scripts/parsed-inputs.mjs after the bundle
 * (docs/performance.md, "Start-up"). A file is taken from it only when its text hashes to what
 * the build saw, so an edited file is always parsed; without dist/parsed-inputs.json every file
 * is parsed. Parsing YAML was the largest single cost of a CLI call, the inventory next: the
 * common case now runs neither the YAML nor the CSV library.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';
import { sha256 } from './parsed-once.js';
import type { InventoryRow } from '../schema/organization.js';
import type { SourceFile } from './yaml-source.js';

/**
 * The line of each node, as lineOf finds it: a map's entries by key (the key's line, then the
 * value's tree), a list's items by index (the item's line, then its tree); null for a scalar.
 */
export type LineTree =
  { m: Record<string, [number | null, LineTree]> } | { s: Array<[number | null, LineTree]> } | null;

/** A parsed file as dist/parsed-inputs.json keeps it: its value and the root's line and tree. */
export interface PrebuiltSource {
  value: unknown;
  lines: [number | null, LineTree];
}

/**
 * dist/parsed-inputs.json: by path relative to the package (posix separators), a YAML file's
 * source or an inventory CSV's checked rows.
 */
export type PrebuiltInputs = Record<
  string,
  { sha256: string } & (PrebuiltSource | { rows: InventoryRow[] })
>;

export const PARSED_INPUTS = join(PACKAGE_ROOT, 'dist', 'parsed-inputs.json');

let inputs: PrebuiltInputs | undefined;

/** The entry for a bundled file, if its text is the one the build parsed. */
function prebuilt(file: string, text: string): PrebuiltInputs[string] | undefined {
  const rel = relative(PACKAGE_ROOT, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  inputs ??= existsSync(PARSED_INPUTS)
    ? (JSON.parse(readFileSync(PARSED_INPUTS, 'utf8')) as PrebuiltInputs)
    : {};
  const entry = inputs[rel.split(sep).join('/')];
  return entry?.sha256 === sha256(text) ? entry : undefined;
}

/** A bundled YAML file's source from dist/parsed-inputs.json, if its text is the build's. */
export function prebuiltSource(file: string, text: string): SourceFile | undefined {
  const entry = prebuilt(file, text);
  if (!entry || !('lines' in entry)) return undefined;
  return { file, value: entry.value, lineOf: lineFinder(entry.lines) };
}

/** A bundled inventory's checked rows from dist/parsed-inputs.json, if its text is the build's. */
export function prebuiltRows(file: string, text: string): InventoryRow[] | undefined {
  const entry = prebuilt(file, text);
  return entry && 'rows' in entry ? entry.rows : undefined;
}

/** lineOf over a line tree: the line of the deepest node of the path that exists. */
export function lineFinder([rootLine, root]: PrebuiltSource['lines']): SourceFile['lineOf'] {
  return (path) => {
    let best = rootLine ?? undefined;
    let node: LineTree | undefined = root;
    for (const key of path) {
      let entry: [number | null, LineTree] | undefined;
      if (node && 'm' in node) {
        entry = Object.hasOwn(node.m, String(key)) ? node.m[String(key)] : undefined;
        if (!entry) break;
      } else if (node && 's' in node && typeof key === 'number') {
        entry = node.s[key];
      } else break;
      best = entry?.[0] ?? best;
      node = entry?.[1];
    }
    return best;
  };
}
