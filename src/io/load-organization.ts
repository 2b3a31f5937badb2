/**
 * An organization folder: organization.yaml + its inventory CSV (long form, with provenance).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from '../schema/zod.js';
import { InputError, type Problem } from '../errors.js';
import { Inventory } from '../core/inventory.js';
import {
  organizationSchema,
  organizationV1Schema,
  provenanceKinds,
  upgradeOrganization,
  type InventoryRow,
  type Organization,
} from '../schema/organization.js';
import type { SourceFile } from './yaml-source.js';
import { shapeOf } from '../core/structure.js';
import { variablesOf } from '../core/variables.js';
import { V } from '../core/calibrate.js';
import { parsedOnce, sha256 as sha } from './parsed-once.js';
import { prebuiltRows } from './prebuilt-inputs.js';
import { readInputFile, resolveInside } from './safe-path.js';
import { parseYamlSource } from './yaml-source.js';
import { zodProblems } from './zod-problems.js';
import { editDistance, nearest } from './nearest.js';
import { convertUnits, type UnitConversion } from './units.js';
import { BUNDLED_DATA } from './package-root.js';

export interface LoadedOrganization {
  folder: string;
  organization: Organization;
  inventory: Inventory;
  files: Array<{ file: string; sha256: string }>;
  /** Inventory and actuals values converted to the unit carbonpath reads (src/io/units.ts). */
  conversions: UnitConversion[];
}

export const INVENTORY_COLUMNS = [
  'basis',
  'variable',
  'unit',
  'year',
  'value',
  'provenance',
  'source',
  'note',
] as const;

const rowSchema = z.strictObject({
  basis: z.string().min(1, { error: 'basis is empty' }),
  variable: z.string().min(1, { error: 'variable is empty' }),
  unit: z.string().min(1, { error: 'unit is empty' }),
  year: z
    .string()
    .regex(/^\d{4}$/, { error: 'year must be a four-digit fiscal year' })
    .transform(Number),
  value: z
    .string()
    .regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, {
      error: 'value must be a plain number (no thousands separators)',
    })
    .transform(Number),
  provenance: z.enum(provenanceKinds, {
    error: `provenance must be one of ${provenanceKinds.join(', ')}`,
  }),
  source: z.string().min(1, {
    error:
      'every row needs a source: a file:line for reported values, the formula for derived ' +
      'ones, the reason for assumptions',
  }),
  note: z.string(),
});

export type CsvRecord = { record: Record<string, string>; info: { lines: number } };

/**
 * The records of a CSV with a header (`#` lines are comments), each with its line; a malformed
 * file, or a column named twice (it would be read once, the last one winning without a word),
 * is an InputError naming the line. `columns` may rename the header's cells; `expected` is the
 * header to name in the fix.
 */
export function csvRecords(
  file: string,
  text: string,
  columns: true | ((header: string[]) => string[]) = true,
  expected: readonly string[] = INVENTORY_COLUMNS,
): CsvRecord[] {
  let twice: { name: string; first: number; second: number } | undefined;
  const headerOf = (names: string[]): string[] => {
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      const first = seen.get(name);
      if (first !== undefined && !twice) twice = { name, first: first + 1, second: i + 1 };
      seen.set(name, i);
    });
    return columns === true ? names : columns(names);
  };
  let records: CsvRecord[];
  try {
    records = parseCsv(text, {
      columns: headerOf,
      comment: '#',
      info: true,
      skip_empty_lines: true,
      trim: true,
    }) as CsvRecord[];
  } catch (e) {
    const err = e as { message: string; lines?: number };
    throw new InputError({
      file,
      line: err.lines,
      message: `malformed CSV: ${err.message}`,
      fix: 'quote cells that contain commas',
    });
  }
  if (twice) {
    throw new InputError({
      file,
      line: 1,
      path: twice.name,
      message:
        `the column '${twice.name}' is in the header twice (columns ${twice.first} and ` +
        `${twice.second}); only one of them would be read`,
      fix: `keep one '${twice.name}' column (the header is ${expected.join(',')})`,
    });
  }
  return records;
}

/**
 * The rows of an inventory CSV, checked; parsed once per process for the same text. A bundled
 * inventory whose text is the one the build saw comes from dist/parsed-inputs.json instead.
 */
export function parseInventory(file: string, text: string): InventoryRow[] {
  return parsedOnce(
    'inventory',
    file,
    text,
    () => prebuiltRows(file, text) ?? checkInventory(file, text),
  );
}

/** The rows of an inventory CSV, checked, neither kept nor taken from dist/parsed-inputs.json. */
export function checkInventory(file: string, text: string): InventoryRow[] {
  const records = csvRecords(file, text);
  const header = Object.keys(records[0]?.record ?? {});
  const missing = INVENTORY_COLUMNS.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length > 0) {
    throw new InputError({
      file,
      line: 1,
      message: `missing column(s) ${missing.join(', ')}`,
      fix: `the header is ${INVENTORY_COLUMNS.join(',')}`,
    });
  }
  const problems: Problem[] = [];
  const rows: InventoryRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const r = rowSchema.safeParse(record);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const column = String(issue.path[0] ?? '');
        const fixes: Record<string, string> = {
          value: "write the number in the row's unit without thousands separators, e.g. 1234.5",
          year: 'write the fiscal year as four digits, e.g. 2026',
          provenance: 'write reported, derived or assumption',
          source:
            'cite the document and line or page (reported), the formula (derived) or the ' +
            'reason (assumption)',
          basis: 'name the reporting basis, e.g. reported',
          variable: 'name the variable, e.g. Emissions|Scope 1',
          unit: 'give the unit, e.g. t CO2e',
        };
        problems.push({
          file,
          line: info.lines,
          path: issue.path.join('.') || undefined,
          message: issue.message,
          fix:
            issue.code === 'unrecognized_keys'
              ? `the columns are ${INVENTORY_COLUMNS.join(',')}`
              : fixes[column],
        });
      }
      continue;
    }
    const key = `${r.data.basis}|${r.data.variable}|${r.data.year}`;
    if (seen.has(key)) {
      problems.push({
        file,
        line: info.lines,
        message:
          `duplicate row for ${r.data.variable}, ${r.data.year} (basis ` +
          `${r.data.basis}); first on line ${seen.get(key)}`,
        fix: 'keep one of them',
      });
      continue;
    }
    seen.set(key, info.lines);
    rows.push({ ...r.data, line: info.lines });
  }
  if (problems.length > 0) throw new InputError(problems.slice(0, 50));
  if (records.length === 0) {
    throw new InputError({
      file,
      line: 1,
      message: 'the inventory has no rows',
      fix:
        `under the header ${INVENTORY_COLUMNS.join(',')} add one row per variable and year ` +
        '(docs/organization-format.md)',
    });
  }
  return rows;
}

export interface OrganizationOptions {
  /** Newer actuals in the inventory format: they replace or extend the inventory's rows. */
  actuals?: string | undefined;
  /** Ignore actuals after this fiscal year (reproduce an earlier report). */
  asOf?: number | undefined;
}

const yearRange = (years: readonly number[]): string => {
  const first = Math.min(...years);
  const last = Math.max(...years);
  return first === last ? `${first}` : `${first}–${last}`;
};

/** The rows up to fiscal year `asOf`, which must lie within the years the basis reports. */
function rowsAsOf(rows: InventoryRow[], basis: string, asOf: number): InventoryRow[] {
  const years = rows.filter((r) => r.basis === basis).map((r) => r.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  if (asOf < first || asOf > last) {
    throw new InputError({
      path: '--as-of',
      message: `--as-of ${asOf} is outside the actuals, FY${yearRange(years)} (basis '${basis}')`,
      fix: `give a fiscal year from ${first} to ${last}, or leave --as-of out for the latest`,
    });
  }
  return rows.filter((r) => r.year <= asOf);
}

/** A folder's organization.yaml, read and parsed as YAML (not yet checked). */
export function readOrganizationFile(folder: string): {
  file: string;
  text: string;
  src: SourceFile;
} {
  const file = join(folder, 'organization.yaml');
  if (!existsSync(file)) {
    throw new InputError({
      file: folder,
      message: 'no organization.yaml in this folder',
      fix: 'point --data at an organization folder (see data/alibaba-group)',
    });
  }
  const text = readInputFile(file);
  return { file, text, src: parseYamlSource(file, text) };
}

/**
 * The inventory CSV that organization.yaml names (`inventory:`, default inventory.csv): a file
 * inside the folder, parsed, with rows. `validate` and every command read it through here.
 */
export function readInventory(
  folder: string,
  src: SourceFile,
  name = 'inventory.csv',
): { file: string; text: string; rows: InventoryRow[] } {
  const line = src.lineOf(['inventory']);
  const file = resolveInside(folder, name, { file: src.file, line, path: 'inventory' });
  const text = readInputFile(file);
  return { file, text, rows: parseInventory(file, text) };
}

/**
 * What organization.yaml asks of the inventory: rows in the reporting basis, and rows in
 * `baseYear` when it is set (otherwise every series would be "not modelled").
 */
export function checkInventoryFits(
  src: SourceFile,
  organization: Organization,
  inventory: { file: string; rows: readonly InventoryRow[] },
  basis: string,
): void {
  const inBasis = inventory.rows.filter((r) => r.basis === basis);
  if (inBasis.length === 0) {
    const bases = [...new Set(inventory.rows.map((r) => r.basis))];
    throw new InputError({
      file: inventory.file,
      message: `no rows with basis '${basis}'`,
      fix: `use one of: ${bases.join(', ')} (defaultBasis in organization.yaml, or --basis)`,
    });
  }
  inventoryUnits(organization, inventory.file, inventory.rows);
  const { baseYear } = organization;
  if (baseYear !== undefined && !inBasis.some((r) => r.year === baseYear)) {
    const years = inBasis.map((r) => r.year);
    throw new InputError({
      file: src.file,
      line: src.lineOf(['baseYear']),
      path: 'baseYear',
      message: `the inventory has no rows for baseYear ${baseYear} (basis '${basis}')`,
      fix:
        `use a year the inventory reports (${yearRange(years)}), or ` +
        'remove baseYear to start from the latest reported year',
    });
  }
}

/**
 * The unit carbonpath reads each inventory variable in: the model's variables (t CO2e, MWh, %,
 * M of the organization's currency) and each declared fuel in its declared unit.
 */
function expectedUnits(organization: Organization): Map<string, string> {
  const expected = new Map(
    variablesOf(shapeOf(organization)).map((v) => [
      v.name,
      v.unit.replace('CNY', organization.currency),
    ]),
  );
  const also = (variable: string, unit: string) => {
    if (!expected.has(variable)) expected.set(variable, unit);
  };
  for (const f of Object.values(organization.fuels)) expected.set(f.variable, f.unit);
  // inventory variables the calibration reads that are not output variables of their own
  const tonnes = [V.scope1Net, V.scope2MarketNet, V.scope3Net, V.offsets1, V.offsets2, V.offsets3];
  for (const v of [...tonnes, 'Emissions|Scope 1+2+3', 'Emissions|Scope 1+2+3|Net'])
    also(v, 't CO2e');
  for (const p of Object.values(organization.programmes)) also(p.variable, 't CO2e');
  for (const s of Object.values(organization.segments)) {
    if (s.reported?.pue) also(s.reported.pue, '1');
    if (s.reported?.cleanShare) also(s.reported.cleanShare, '%');
    if ('variable' in s.electricity) also(s.electricity.variable, 'MWh');
    if ('fromReductions' in s.electricity) also(s.electricity.fromReductions, 't CO2e');
  }
  for (const c of Object.values(organization.scope3))
    if (c.base && 'variable' in c.base) also(c.base.variable, 't CO2e');
  return expected;
}

/**
 * Rows in another unit than the one carbonpath reads (a value in kWh read as MWh would be 1000×
 * off): converted through the unit table (src/io/units.ts) when unambiguous, else refused.
 */
export function inventoryUnits<R extends InventoryRow>(
  organization: Organization,
  file: string,
  rows: readonly R[],
): { rows: R[]; conversions: UnitConversion[] } {
  const expected = expectedUnits(organization);
  checkVariablesKnown(file, rows, expected);
  return convertUnits(file, rows, expected, organization.currency);
}

/**
 * An inventory row whose variable is a typo of one carbonpath reads (`Emisions|Scope 3`, a
 * changed case or punctuation) is refused: its rows would otherwise be dropped without a word
 * and the series shown as "not modelled". A typo is at most two edits (case aside) from a
 * variable with no row of its own for that year; other extra rows (`Energy|Total`,
 * `Intensity|Scope 1`) are the report's own series and are kept.
 * Checked here, where `validate` and every command read the inventory: the same words.
 */
function checkVariablesKnown(
  file: string,
  rows: readonly InventoryRow[],
  expected: ReadonlyMap<string, string>,
): void {
  const key = (basis: string, variable: string, year: number) => `${basis}|${variable}|${year}`;
  const reported = new Set(rows.map((r) => key(r.basis, r.variable, r.year)));
  const known = [...expected.keys()];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  // the variables a name is a typo of, worked out once per name (not per row: start-up)
  const typoOf = new Map<string, string[]>();
  for (const r of rows) {
    if (expected.has(r.variable) || seen.has(r.variable)) continue;
    let near = typoOf.get(r.variable);
    if (!near) typoOf.set(r.variable, (near = known.filter((v) => isTypoOf(r.variable, v))));
    // a typo of a variable that has no row of its own for that year and basis
    const meant = nearest(
      r.variable,
      near.filter((v) => !reported.has(key(r.basis, v, r.year))),
    );
    if (meant === undefined) continue;
    seen.add(r.variable);
    problems.push({
      file,
      line: r.line,
      path: 'variable',
      message:
        `'${r.variable}' is not a variable carbonpath reads, and ${meant} has no row for ` +
        `${r.year}: this row would be ignored`,
      fix: `did you mean '${meant}'? write the variable as ${meant}`,
    });
  }
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * Spelt the same but for case, spaces or punctuation, or at most two edits apart with the same
 * numbers (`Scope 1` beside `Scope 3` is another series, not a typo).
 */
const isTypoOf = (name: string, variable: string): boolean => {
  const plain = (v: string) => v.toLowerCase().replace(/[^a-z0-9+]/g, '');
  const digits = (v: string) => v.replace(/[^0-9+]/g, '');
  if (plain(name) === plain(variable)) return true;
  return (
    digits(name) === digits(variable) &&
    Math.abs(name.length - variable.length) <= 2 && // else more than two edits apart
    editDistance(name.toLowerCase(), variable.toLowerCase()) <= 2
  );
};

export function loadOrganization(
  folderArg: string | undefined,
  basis?: string,
  options: OrganizationOptions = {},
): LoadedOrganization {
  const folder = resolve(folderArg ?? BUNDLED_DATA);
  const { file: orgFile, text: orgText, src } = readOrganizationFile(folder);
  const organization = parseOrganization(src);
  const inv = readInventory(folder, src, organization.inventory);
  const { file: invFile, text: invText } = inv;
  const converted = inventoryUnits(organization, invFile, inv.rows);
  let rows = converted.rows;
  const conversions = converted.conversions;
  const useBasis = basis ?? organization.defaultBasis;
  const files = [
    { file: orgFile, sha256: sha(orgText) },
    { file: invFile, sha256: sha(invText) },
  ];
  if (options.actuals) {
    const text = readInputFile(options.actuals);
    const parsed = inventoryUnits(
      organization,
      options.actuals,
      parseInventory(options.actuals, text),
    );
    conversions.push(...parsed.conversions);
    const extra = parsed.rows.map((r) => ({ ...r, basis: r.basis || useBasis }));
    const key = (r: InventoryRow) => `${r.basis}|${r.variable}|${r.year}`;
    const replaced = new Set(extra.map(key));
    rows = [...rows.filter((r) => !replaced.has(key(r))), ...extra];
    files.push({ file: resolve(options.actuals), sha256: sha(text) });
  }
  checkInventoryFits(src, organization, { file: invFile, rows }, useBasis);
  if (options.asOf !== undefined) {
    rows = rowsAsOf(rows, useBasis, options.asOf);
    checkInventoryFits(src, organization, { file: invFile, rows }, useBasis);
  }
  return {
    folder,
    organization,
    inventory: new Inventory(rows, useBasis, invFile),
    files,
    conversions,
  };
}

/**
 * organization.yaml as the declared structure (format version 2; version 1 is converted),
 * with every reference checked: the one validation path of `validate` and every command.
 */
export function parseOrganization(src: SourceFile): Organization {
  const raw = (src.value ?? {}) as { formatVersion?: unknown };
  if (raw.formatVersion !== undefined && raw.formatVersion !== 1 && raw.formatVersion !== 2) {
    throw new InputError({
      file: src.file,
      line: src.lineOf(['formatVersion']),
      path: 'formatVersion',
      message:
        `this carbonpath reads organization format versions 1 and 2, not ` +
        `${String(raw.formatVersion)}`,
      fix: 'write formatVersion: 2 (docs/organization-format.md)',
    });
  }
  if (raw.formatVersion !== 2) {
    const v1 = organizationV1Schema.safeParse(src.value ?? {});
    if (!v1.success) throw new InputError(zodProblems(src, v1.error.issues, organizationV1Schema));
    return upgradeOrganization(v1.data);
  }
  const parsed = organizationSchema.safeParse(src.value ?? {});
  if (!parsed.success)
    throw new InputError(zodProblems(src, parsed.error.issues, organizationSchema));
  const org = parsed.data;
  const problems: Problem[] = [];
  const at = (path: Array<string | number>, message: string, fix: string) =>
    problems.push({ file: src.file, line: src.lineOf(path), path: path.join('.'), message, fix });
  const grids = Object.keys(org.grids);
  const segments = Object.entries(org.segments);
  if (segments.length > 0 && grids.length === 0) {
    at(['grids'], 'segments are declared but no grid', 'declare at least one grid under grids:');
  }
  for (const [id, s] of segments) {
    if (!Object.hasOwn(org.grids, s.grid)) {
      at(
        ['segments', id, 'grid'],
        `unknown grid '${s.grid}'`,
        `use one of: ${grids.join(', ') || '(none)'}`,
      );
    }
    const how = Object.keys(s.electricity)[0]!;
    if (s.scope === 3 && (how === 'share' || how === 'remainder')) {
      at(
        ['segments', id, 'electricity', how],
        `a scope 3 segment cannot take its electricity as ${how} of purchased electricity`,
        'give it mwh, variable or fromReductions',
      );
    }
    if (s.scope === 2 && how === 'fromReductions') {
      at(
        ['segments', id, 'electricity', how],
        'fromReductions is for scope 3 segments (leased, colocation)',
        'give a scope 2 segment share, mwh, variable or remainder',
      );
    }
    if (s.driver === 'itLoadPue' && !s.reported?.pue) {
      at(
        ['segments', id, 'reported'],
        'an itLoadPue segment needs its PUE from the inventory',
        'add reported: { pue: <inventory variable> }',
      );
    }
  }
  const remainders = segments.filter(([, s]) => 'remainder' in s.electricity);
  if (remainders.length > 1) {
    at(
      ['segments', remainders[1]![0], 'electricity'],
      `more than one remainder segment (${remainders.map(([id]) => id).join(', ')})`,
      'let one segment take the rest of purchased electricity; give the others share, mwh or ' +
        'variable',
    );
  }
  const cats = Object.entries(org.scope3);
  for (const [id, c] of cats) {
    if (typeof c.driver === 'object') {
      const seg = Object.hasOwn(org.segments, c.driver.segment)
        ? org.segments[c.driver.segment]
        : undefined;
      if (!seg || seg.scope !== 3) {
        const scope3 = segments.filter(([, s]) => s.scope === 3).map(([sid]) => sid);
        at(
          ['scope3', id, 'driver', 'segment'],
          seg
            ? `segment '${c.driver.segment}' is scope 2`
            : `unknown segment '${c.driver.segment}'`,
          `use a scope 3 segment: ${scope3.join(', ') || '(none declared)'}`,
        );
      }
      if (c.base) {
        at(
          ['scope3', id, 'base'],
          'a segment-driven category takes its tonnes from the segment',
          'remove base',
        );
      }
    } else if (!c.base) {
      at(
        ['scope3', id, 'base'],
        `a ${c.driver} category needs its base-year tonnes`,
        'add base: { variable: … } or base: { remainder: true }',
      );
    }
  }
  const catRemainders = cats.filter(([, c]) => c.base !== undefined && 'remainder' in c.base);
  if (catRemainders.length > 1) {
    at(
      ['scope3', catRemainders[1]![0], 'base'],
      `more than one remainder category (${catRemainders.map(([id]) => id).join(', ')})`,
      'let one category take the rest of reported scope 3',
    );
  }
  if (problems.length === 0) {
    // labels become variable names: two that coincide would give two rows of one variable
    const seen = new Map<string, number>();
    for (const v of variablesOf(shapeOf(org))) seen.set(v.name, (seen.get(v.name) ?? 0) + 1);
    const twice = [...seen].filter(([, k]) => k > 1).map(([name]) => name);
    if (twice.length > 0) {
      at(
        ['segments'],
        `two declared segments or categories give the same variable: ${twice.join(', ')}`,
        'give each segment and each scope 3 category a label of its own',
      );
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return org;
}
