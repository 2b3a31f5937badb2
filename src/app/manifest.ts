import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LoadedOrganization } from '../io/load-organization.js';
import { BUNDLED_SCENARIOS, PACKAGE_ROOT, TOOL_VERSION } from '../io/package-root.js';
import type { ScenarioRun } from './project.js';

const BUNDLED_FOLDERS = [BUNDLED_SCENARIOS, join(PACKAGE_ROOT, 'data')];
const inside = (folder: string, p: string) => {
  const r = relative(folder, p);
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
};
const slashes = (p: string) => p.split(sep).join('/');

/**
 * How run.json names an input, the same from whichever folder carbonpath runs and on whichever
 * machine (no absolute paths): relative to the organization folder; a file bundled with
 * carbonpath as `carbonpath/scenarios/…` or `carbonpath/data/…`. The hash says which content.
 */
export function inputName(org: LoadedOrganization, file: string): string {
  const path = resolve(file);
  const folder = resolve(org.folder);
  if (inside(folder, path)) return slashes(relative(folder, path));
  if (BUNDLED_FOLDERS.some((f) => inside(f, path)))
    return `carbonpath/${slashes(relative(PACKAGE_ROOT, path))}`;
  return slashes(relative(folder, path));
}

/** The organization folder as run.json names it: its own name, or where it is bundled. */
function folderName(org: LoadedOrganization): string {
  const folder = resolve(org.folder);
  return BUNDLED_FOLDERS.some((f) => inside(f, folder))
    ? `carbonpath/${slashes(relative(PACKAGE_ROOT, folder))}`
    : basename(folder);
}

/**
 * Output files named relative to their folder, '/'-separated, as run.json lists them. By path,
 * not by slicing off `out.length + 1` characters, which cut a letter off when `out` ends in '/'.
 */
export const outputNames = (out: string, paths: readonly string[]): string[] =>
  paths.map((p) => relative(out, p).split(sep).join('/'));

/** run.json: what produced the outputs beside it. No timestamps, so it is reproducible too. */
export function runManifest(
  command: string,
  options: Record<string, unknown>,
  org: LoadedOrganization,
  runs: ScenarioRun[],
  outputs: string[],
): string {
  const rel = (file: string) => inputName(org, file);
  const inputs = new Map<string, string>();
  for (const f of org.files) inputs.set(rel(f.file), f.sha256);
  for (const r of runs) for (const c of r.loaded.chain) inputs.set(rel(c.file), c.sha256);
  const base = runs[0]?.compiled.base;
  const manifest = {
    tool: { name: 'carbonpath', version: TOOL_VERSION },
    command,
    options,
    seed: null,
    organization: {
      name: org.organization.name,
      folder: folderName(org),
      basis: org.inventory.basis,
      baseYear: base?.baseYear,
      fiscalYear: org.organization.fiscalYear.note,
      // series reported up to an earlier year, carried forward (only when there is one)
      ...(base?.carried.length ? { carried: base.carried } : {}),
    },
    /** Input paths are relative to the organization folder (see inputName). */
    inputs: [...inputs.entries()].map(([file, sha256]) => ({ file, sha256 })),
    /** Inventory values converted to the unit carbonpath reads (src/io/units.ts), if any. */
    ...(org.conversions.length > 0 && {
      unitConversions: org.conversions.map((c) => ({ ...c, file: rel(c.file) })),
    }),
    scenarios: runs.map((r) => ({
      name: r.loaded.name,
      title: r.loaded.scenario.title,
      description: r.loaded.scenario.description,
      extends: r.loaded.chain.slice(1).map((c) => rel(c.file)),
      sources: r.loaded.scenario.sources,
      constants: r.loaded.scenario.constants,
      parameters: r.loaded.scenario.parameters,
      assumptions: r.compiled.base.assumptions,
      calibration: r.compiled.base.terms,
      warnings: r.compiled.base.warnings,
      baseYearValues: r.compiled.base.values,
    })),
    outputs,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
