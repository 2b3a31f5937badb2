import { relative, sep } from 'node:path';
import type { LoadedOrganization } from '../io/load-organization.js';
import { TOOL_VERSION } from '../io/package-root.js';
import type { ScenarioRun } from './project.js';

const rel = (p: string) => relative(process.cwd(), p) || '.';

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
      folder: rel(org.folder),
      basis: org.inventory.basis,
      baseYear: base?.baseYear,
      fiscalYear: org.organization.fiscalYear.note,
    },
    inputs: [...inputs.entries()].map(([file, sha256]) => ({ file, sha256 })),
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
