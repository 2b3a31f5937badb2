/**
 * Check a whole organization folder and report every problem at once: organization.yaml,
 * the inventory, targets.yaml, and each scenario in scenarios/ (run against the organization).
 */
import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import { variablesOf } from '../core/variables.js';
import { shapeOf } from '../core/structure.js';
import {
  loadOrganization,
  parseInventory,
  parseOrganization,
  type LoadedOrganization,
} from '../io/load-organization.js';
import { loadScenario } from '../io/load-scenario.js';
import { loadTargets } from '../io/load-targets.js';
import { BUNDLED_SCENARIOS } from '../io/package-root.js';
import { readInputFile } from '../io/safe-path.js';
import { parseYamlSource } from '../io/yaml-source.js';
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
  let shape: ReturnType<typeof shapeOf> | undefined;
  if (!existsSync(orgFile)) {
    problems.push({
      file: folder,
      message: 'no organization.yaml',
      fix: 'create one (npx carbonpath init DIR writes a template)',
    });
  } else {
    await collect(problems, () => {
      const src = parseYamlSource(orgFile, readInputFile(orgFile));
      const parsed = parseOrganization(src);
      inventoryName = parsed.inventory;
      shape = shapeOf(parsed);
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
      // Without a readable organization.yaml only the totals can be checked: names under a
      // segment or category family are left to the run that follows the fix.
      const known = new Set(
        variablesOf(shape ?? { segments: [], categories: [] }).map((v) => v.name),
      );
      const family = /^(Electricity\||PUE\||Emissions\|Scope 3\||Offsets\|Scope 3\|)/;
      const unknown = (v: string) => !known.has(v) && (shape !== undefined || !family.test(v));
      t.targets.targets.forEach((target, i) => {
        for (const key of ['metric', 'gross', 'tonnesPer'] as const) {
          const v = (target as Record<string, unknown>)[key];
          if (typeof v === 'string' && unknown(v)) {
            problems.push({
              file: targetsFile,
              line: t.source.lineOf(['targets', i, key]),
              path: `targets.${i}.${key}`,
              message: `unknown variable '${v}'`,
              fix:
                'use a trajectory variable, e.g. ' +
                ['Emissions|Scope 1+2|Net', 'Intensity|Scope 3', 'Electricity|Clean Share'].join(
                  ', ',
                ),
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
