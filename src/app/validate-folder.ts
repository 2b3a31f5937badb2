/**
 * Check a whole organization folder and report every problem at once: organization.yaml,
 * the inventory, targets.yaml, and each scenario in scenarios/ (run against the organization).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import { variablesOf } from '../core/variables.js';
import { shapeOf } from '../core/structure.js';
import {
  checkInventoryFits,
  loadOrganization,
  parseOrganization,
  readInventory,
  type LoadedOrganization,
} from '../io/load-organization.js';
import { loadScenario, scenarioFilesIn } from '../io/load-scenario.js';
import { loadTargets } from '../io/load-targets.js';
import { BUNDLED_SCENARIOS } from '../io/package-root.js';
import { readInputFile } from '../io/safe-path.js';
import { parseYamlSource, type SourceFile } from '../io/yaml-source.js';
import type { Organization } from '../schema/organization.js';
import { DEFAULT_END_YEAR, MAX_END_YEAR, runLoaded, type ScenarioRun } from './project.js';
import { checkSeriesBreaks } from './series-breaks.js';

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

export async function validateOrganizationFolder(folder: string): Promise<{
  problems: Problem[];
  checked: string[];
  org?: LoadedOrganization | undefined;
  /** The scenarios' runs, for their warnings. */
  runs: ScenarioRun[];
}> {
  const problems: Problem[] = [];
  const checked: string[] = [];
  const runs: ScenarioRun[] = [];
  const orgFile = join(folder, 'organization.yaml');
  let shape: ReturnType<typeof shapeOf> | undefined;
  let src: SourceFile | undefined;
  let parsed: Organization | undefined;
  if (!existsSync(orgFile)) {
    problems.push({
      file: folder,
      message: 'no organization.yaml',
      fix: 'create one (npx carbonpath init DIR writes a template)',
    });
  } else {
    await collect(problems, () => {
      src = parseYamlSource(orgFile, readInputFile(orgFile));
      parsed = parseOrganization(src);
      shape = shapeOf(parsed);
      checked.push(orgFile);
    });
  }
  // The inventory is read the way every command reads it (inside the folder, with rows); when
  // organization.yaml does not parse, the default name is checked.
  const orgSource = src ?? { file: orgFile, value: undefined, lineOf: () => undefined };
  await collect(problems, () => {
    const inventory = readInventory(folder, orgSource, parsed?.inventory);
    if (parsed) checkInventoryFits(orgSource, parsed, inventory, parsed.defaultBasis);
    checked.push(inventory.file);
  });
  // Scenarios run against the organization as `run` loads it. Its problems are listed above,
  // unless `run` would find one more: then that one is listed too.
  let org: LoadedOrganization | undefined;
  if (problems.length === 0) {
    await collect(problems, () => {
      org = loadOrganization(folder);
      checkSeriesBreaks(org);
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
  // Scenarios: parsed on their own, and run against the organization when it loads. The file
  // names are checked as `run` checks them when it lists the folder.
  const scenDir = join(folder, 'scenarios');
  let files: string[] = [];
  await collect(problems, () => {
    files = scenarioFilesIn(scenDir).map((s) => s.file);
  });
  for (const path of files) {
    await collect(problems, async () => {
      const loaded = loadScenario(path, [scenDir, BUNDLED_SCENARIOS]);
      if (org) runs.push(await runLoaded(loaded, org, MAX_END_YEAR, DEFAULT_END_YEAR));
      checked.push(path);
    });
  }
  return { problems, checked, org, runs };
}
