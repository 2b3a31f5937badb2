import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { DEFAULT_END_YEAR, MAX_END_YEAR, runLoaded } from '../../app/project.js';
import { validateOrganizationFolder } from '../../app/validate-folder.js';
import { CarbonpathError, InputError, type Problem } from '../../errors.js';
import { loadOrganization, parseInventory } from '../../io/load-organization.js';
import { loadScenario } from '../../io/load-scenario.js';
import { loadTargets } from '../../io/load-targets.js';
import { loadPrices } from '../../io/load-prices.js';
import { readInputFile } from '../../io/safe-path.js';
import type { ScenarioRun } from '../../app/project.js';
import { checkFailOnConditions, failOnConditions } from '../fail-on.js';
import { printWarnings } from '../warnings.js';

export interface ValidateOptions {
  data?: string;
  failOn?: readonly string[] | string;
}
import { print, result } from '../output.js';

/** Validate each file fully (scenarios are compiled and run against the organization). */
export async function validateCommand(files: string[], opts: ValidateOptions): Promise<void> {
  const failOn = checkFailOnConditions(opts.failOn, ['warning']);
  const problems: Problem[] = [];
  const ok: string[] = [];
  const runs: ScenarioRun[] = [];
  for (const file of files) {
    try {
      ok.push(await validateOne(file, opts, runs));
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else if (e instanceof CarbonpathError) problems.push({ file, message: e.message });
      else throw e;
    }
  }
  // The warnings a run of these files would print (calibration, implausible growth).
  const warnings = printWarnings(runs);
  result({ ok });
  for (const line of ok) print(`ok  ${line}\n`);
  if (problems.length > 0) throw new InputError(problems);
  failOnConditions(failOn, { warnings });
}

async function validateOne(
  file: string,
  opts: { data?: string },
  runs: ScenarioRun[],
): Promise<string> {
  const isDir = (() => {
    try {
      return statSync(file).isDirectory();
    } catch {
      return false;
    }
  })();
  if (isDir || basename(file) === 'organization.yaml') {
    const folder = isDir ? file : join(file, '..');
    const { problems, checked, org, runs: own } = await validateOrganizationFolder(folder);
    runs.push(...own);
    if (problems.length > 0 || !org) throw new InputError(problems);
    return (
      `${file} (organization '${org.organization.name}': ${checked.length} ` +
      `files — organization.yaml, inventory (${org.inventory.rows.length} rows)` +
      `${existsSync(join(folder, 'targets.yaml')) ? ', targets' : ''}` +
      `${checked.length > 3 ? `, ${checked.length - 3} scenarios` : ''})`
    );
  }
  if (extname(file).toLowerCase() === '.csv') {
    const rows = parseInventory(file, readInputFile(file));
    return `${file} (inventory, ${rows.length} rows)`;
  }
  const text = readInputFile(file);
  // Price files and targets files are recognised by their top-level keys, whatever their names.
  if (/^credits\s*:/m.test(text) && /^cleanPower\s*:/m.test(text)) {
    const p = loadPrices(resolve(file));
    return (
      `${file} (prices, ${Object.keys(p.prices.credits).length} ` +
      `credits, every value sourced, bands ordered to 2060)`
    );
  }
  if (/^targets\s*:/m.test(text)) {
    const t = loadTargets(dirname(file), file);
    return `${file} (targets, ${t.targets.targets.length})`;
  }
  const loaded = loadScenario(file);
  const org = loadOrganization(opts.data);
  runs.push(await runLoaded(loaded, org, MAX_END_YEAR, DEFAULT_END_YEAR));
  return (
    `${file} (scenario '${loaded.name}', checked ` +
    `against ${org.organization.name} to ${MAX_END_YEAR})`
  );
}
