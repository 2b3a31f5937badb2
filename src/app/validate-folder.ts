/**
 * Check a whole organization folder and report every problem at once: organization.yaml,
 * the inventory, targets.yaml, and each scenario in scenarios/ (run against the organization).
 */
import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import { VARIABLES } from '../core/variables.js';
import { organizationSchema } from '../schema/organization.js';
import {
  loadOrganization,
  parseInventory,
  type LoadedOrganization,
} from '../io/load-organization.js';
import { loadScenario } from '../io/load-scenario.js';
import { loadTargets } from '../io/load-targets.js';
import { BUNDLED_SCENARIOS } from '../io/package-root.js';
import { readInputFile } from '../io/safe-path.js';
import { parseYamlSource } from '../io/yaml-source.js';
import { zodProblems } from '../io/zod-problems.js';
import { MAX_END_YEAR, runLoaded } from './project.js';

const collect = async (problems: Problem[], f: () => unknown): Promise<boolean> => {
  try {
    await f();
    return true;
  } catch (e) {
    if (e instanceof InputError) {
      problems.push(...e.problems);
      return false;
    }
    throw e;
  }
};

export async function validateOrganizationFolder(
  folder: string,
): Promise<{ problems: Problem[]; checked: string[]; org?: LoadedOrganization | undefined }> {
  const problems: Problem[] = [];
  const checked: string[] = [];
  const orgFile = join(folder, 'organization.yaml');
  let inventoryName = 'inventory.csv';
  if (!existsSync(orgFile)) {
    problems.push({
      file: folder,
      message: 'no organization.yaml',
      fix: 'create one (npx carbonpath init DIR writes a template)',
    });
  } else {
    await collect(problems, () => {
      const src = parseYamlSource(orgFile, readInputFile(orgFile));
      const parsed = organizationSchema.safeParse(src.value ?? {});
      if (!parsed.success) throw new InputError(zodProblems(src, parsed.error.issues));
      inventoryName = parsed.data.inventory;
      checked.push(orgFile);
    });
  }
  const invFile = join(folder, inventoryName);
  if (existsSync(invFile)) {
    if (await collect(problems, () => parseInventory(invFile, readInputFile(invFile))))
      checked.push(invFile);
  } else {
    problems.push({
      file: invFile,
      message: 'inventory file not found',
      fix: 'add it, or fix `inventory:` in organization.yaml',
    });
  }
  const targetsFile = join(folder, 'targets.yaml');
  if (existsSync(targetsFile)) {
    await collect(problems, () => {
      const t = loadTargets(folder);
      const known = new Set(VARIABLES.map((v) => v.name));
      t.targets.targets.forEach((target, i) => {
        for (const key of ['metric', 'gross', 'tonnesPer'] as const) {
          const v = (target as Record<string, unknown>)[key];
          if (typeof v === 'string' && !known.has(v)) {
            problems.push({
              file: targetsFile,
              line: t.source.lineOf(['targets', i, key]),
              path: `targets.${i}.${key}`,
              message: `unknown variable '${v}'`,
              fix: `use a trajectory variable, e.g. ${['Emissions|Scope 1+2|Net', 'Intensity|Scope 3', 'Electricity|Clean Share'].join(', ')}`,
            });
          }
        }
      });
      checked.push(targetsFile);
    });
  }
  // Scenarios: parsed on their own, and run against the organization when it loads.
  const scenDir = join(folder, 'scenarios');
  const files = existsSync(scenDir)
    ? readdirSync(scenDir)
        .filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f)))
        .sort()
    : [];
  // Its problems are already listed above; here it only serves to run the scenarios.
  let org: LoadedOrganization | undefined;
  try {
    org = loadOrganization(folder);
  } catch {
    org = undefined;
  }
  for (const f of files) {
    const path = join(scenDir, f);
    await collect(problems, async () => {
      const loaded = loadScenario(path, [scenDir, BUNDLED_SCENARIOS]);
      if (org) await runLoaded(loaded, org, MAX_END_YEAR);
      checked.push(path);
    });
  }
  return { problems, checked, org };
}
