/**
 * Scenario files: locate (bundled name or path), parse, validate, follow `extends`, merge.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Warning } from '../core/calibrate.js';
import { InputError } from '../errors.js';
import { scenarioSchema, type ScenarioFile } from '../schema/scenario.js';
import { parsedOnce, sha256 } from './parsed-once.js';
import { readInputFile, resolveInside } from './safe-path.js';
import { parseYamlSource, type SourceFile } from './yaml-source.js';
import { zodProblems } from './zod-problems.js';
import { BUNDLED_SCENARIOS } from './package-root.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface LoadedScenario {
  name: string;
  /** The merged scenario (parents first, this file last). */
  scenario: ScenarioFile;
  /** This file and every file it extends, leaf first. */
  chain: Array<{ file: string; sha256: string; source: SourceFile }>;
  /**
   * What a reader could take otherwise: an `extends` that names a bundled scenario but reads
   * the file of that name beside it. Printed with the run's warnings, kept in run.json.
   */
  notes?: Warning[] | undefined;
}

export function bundledScenarioNames(): string[] {
  return ['baseline', 'announced', 'ai-surge', 'stalled-procurement', 'grid-decarbonization'];
}

/** What a scenario is called on the command line: also the rule for its file's name. */
const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The scenario files in `folder` (none if it does not exist), by name. A file whose name could
 * not be given on the command line is refused here, for `validate` and `run` alike.
 */
export function scenarioFilesIn(folder: string): Array<{ name: string; file: string }> {
  if (!existsSync(folder)) return [];
  const found = readdirSync(folder)
    .filter((f) => EXTENSIONS.includes(extname(f)))
    .sort()
    .map((f) => ({ name: basename(f, extname(f)), file: join(folder, f) }));
  const bad = found.filter((s) => !SCENARIO_NAME.test(s.name));
  if (bad.length > 0) {
    throw new InputError(
      bad.map((s) => ({
        file: s.file,
        message:
          'a scenario file name must be lower-case ASCII letters, digits and hyphens ' +
          '(it is the name the scenario is run by)',
        fix: `rename it to ${suggestedName(s.name)}${extname(s.file)}`,
      })),
    );
  }
  return found;
}

const suggestedName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'scenario';

/**
 * An organization's own scenarios (its scenarios/ folder), baseline first; none → the bundled
 * ones.
 */
export function scenarioNamesFor(orgFolder: string | undefined): {
  names: string[];
  folder: string;
} {
  const own = orgFolder ? join(orgFolder, 'scenarios') : undefined;
  const names = own ? scenarioFilesIn(own).map((s) => s.name) : [];
  if (own && names.length > 0)
    return {
      names: [...names.filter((n) => n === 'baseline'), ...names.filter((n) => n !== 'baseline')],
      folder: own,
    };
  return { names: bundledScenarioNames(), folder: BUNDLED_SCENARIOS };
}

function locate(arg: string, folders: readonly string[]): string {
  if (SCENARIO_NAME.test(arg) && !existsSync(arg)) {
    for (const folder of folders) {
      for (const ext of EXTENSIONS) {
        const p = join(folder, arg + ext);
        if (existsSync(p)) return p;
      }
    }
    const known = folders.flatMap((f) =>
      existsSync(f)
        ? readdirSync(f)
            .filter((x) => EXTENSIONS.includes(extname(x)))
            .map((x) => basename(x, extname(x)))
        : [],
    );
    throw new InputError({
      message: `no scenario named '${arg}'`,
      fix: `use one of ${[...new Set(known)].join(', ')}, or a path to a scenario file`,
    });
  }
  return resolve(arg);
}

/**
 * The file of the extends chain (leaf first) that sets `path`, or sets the longest part of it:
 * where an error about that field should point.
 */
export function ownerOf(
  loaded: LoadedScenario,
  path: ReadonlyArray<string | number>,
): LoadedScenario['chain'][number] {
  for (let depth = path.length; depth > 0; depth--) {
    const owner = loaded.chain.find((c) => {
      let v: unknown = c.source.value;
      for (const k of path.slice(0, depth))
        v = v && typeof v === 'object' ? (v as Record<string, unknown>)[String(k)] : undefined;
      return v !== undefined;
    });
    if (owner) return owner;
  }
  return loaded.chain[0]!;
}

/** An input error about a field of a loaded scenario, at the file and line that set it. */
export function scenarioFieldError(
  loaded: LoadedScenario,
  path: ReadonlyArray<string | number>,
  message: string,
  fix?: string,
): InputError {
  const owner = ownerOf(loaded, path);
  return new InputError({
    file: owner.file,
    line: owner.source.lineOf(path),
    path: path.join('.') || undefined,
    message,
    fix,
  });
}

type ParsedScenario = { source: SourceFile; scenario: ScenarioFile; sha256: string };

/** One scenario file, parsed and checked once per process for the same text (`extends`). */
function parseOne(file: string): ParsedScenario {
  const text = readInputFile(file);
  return parsedOnce('scenario', file, text, () => checkOne(file, text));
}

function checkOne(file: string, text: string): ParsedScenario {
  const source = parseYamlSource(file, text);
  if (source.value === null || source.value === undefined) {
    throw new InputError({
      file,
      line: 1,
      message: 'the scenario file is empty (or only comments)',
      fix:
        'write at least name: and extends: baseline, then the parameters to change ' +
        '(docs/scenarios.md)',
    });
  }
  const result = scenarioSchema.safeParse(source.value);
  if (!result.success)
    throw new InputError(zodProblems(source, result.error.issues, scenarioSchema));
  return { source, scenario: result.data, sha256: sha256(text) };
}

function mergeScenarios(parent: ScenarioFile, child: ScenarioFile): ScenarioFile {
  const pp = parent.parameters ?? {};
  const cp = child.parameters ?? {};
  const parameters = { ...pp, ...cp } as NonNullable<ScenarioFile['parameters']>;
  if (pp.fuels || cp.fuels) parameters.fuels = { ...pp.fuels, ...cp.fuels };
  if (pp.avoided || cp.avoided) parameters.avoided = { ...pp.avoided, ...cp.avoided };
  return {
    ...parent,
    ...child,
    sources: [...(parent.sources ?? []), ...(child.sources ?? [])],
    constants: { ...parent.constants, ...child.constants },
    assumptions: { ...parent.assumptions, ...child.assumptions },
    parameters,
    ...(parent.offsets || child.offsets
      ? { offsets: { ...parent.offsets, ...child.offsets } as ScenarioFile['offsets'] }
      : {}),
  };
}

/** `arg` is a file path, or a name looked up in `folders` (default: the bundled scenarios). */
export function loadScenario(
  arg: string,
  folders: readonly string[] = [BUNDLED_SCENARIOS],
): LoadedScenario {
  const leaf = locate(arg, folders);
  const chain: LoadedScenario['chain'] = [];
  const seen = new Set<string>();
  let file = leaf;
  let merged: ScenarioFile | undefined;
  const layers: ScenarioFile[] = [];
  const notes: Warning[] = [];
  for (;;) {
    if (seen.has(file)) {
      const prev = chain.at(-1)!;
      throw new InputError({
        file: prev.file,
        line: prev.source.lineOf(['extends']),
        path: 'extends',
        message: `'extends' makes a cycle back to ${file}`,
        fix: 'remove the extends that points back',
      });
    }
    seen.add(file);
    const one = parseOne(file);
    chain.push({ file, sha256: one.sha256, source: one.source });
    layers.push(one.scenario);
    const parent = one.scenario.extends;
    if (parent === undefined) break;
    const ref = { file, line: one.source.lineOf(['extends']), path: 'extends' };
    if (parent.trim() === '') {
      throw new InputError({
        ...ref,
        message: "'extends' is empty, so it is unclear what this scenario builds on",
        fix: 'name the scenario it builds on (extends: baseline), or remove the extends line',
      });
    }
    const sameFolder = EXTENSIONS.map((ext) => (extname(parent) ? parent : parent + ext)).find(
      (n) => existsSync(join(dirname(file), n)),
    );
    if (sameFolder) {
      const child = file;
      file = resolveInside(dirname(child), sameFolder, ref);
      if (sameFolder !== parent && bundledScenarioNames().includes(parent)) {
        if (resolve(dirname(file)) !== resolve(BUNDLED_SCENARIOS))
          notes.push(shadowNote(child, parent, sameFolder));
      }
    } else if (SCENARIO_NAME.test(parent) && bundledScenarioNames().includes(parent)) {
      file = locate(parent, [BUNDLED_SCENARIOS]);
    } else {
      throw new InputError({
        ...ref,
        message:
          `'extends: ${parent}' names neither a bundled scenario ` +
          `nor a file in ${dirname(file)}`,
        fix: `use one of ${bundledScenarioNames().join(', ')}, or a file in the same folder`,
      });
    }
  }
  for (const layer of layers.reverse()) merged = merged ? mergeScenarios(merged, layer) : layer;
  const leafScenario = layers.at(-1)!;
  const name =
    leafScenario.name ??
    basename(leaf, extname(leaf))
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-');
  return { name, scenario: { ...merged!, name, extends: leafScenario.extends }, chain, notes };
}

/**
 * `extends: baseline` where a baseline.yaml lies beside the scenario: the file beside it is
 * read (an organization's scenarios build on its own baseline), and the run says so. Naming the
 * file (`extends: baseline.yaml`) says it outright, and the note goes.
 */
function shadowNote(child: string, parent: string, sameFolder: string): Warning {
  return {
    code: 'extends-beside',
    message:
      `'extends: ${parent}' in ${basename(child)} reads ${sameFolder} beside it, ` +
      `not the bundled scenario '${parent}'`,
    fix:
      `write 'extends: ${sameFolder}' to say so (this note then goes), or rename ` +
      `${sameFolder} to build on the bundled '${parent}'`,
  };
}
