/**
 * dist/parsed-inputs.json (scripts/parsed-inputs.mjs, src/io/prebuilt-inputs.ts): the bundled
 * YAML files and inventories as the build parsed them, taken only while a file's text is the
 * build's. The same values, lines and rows as parsing; an edited file parsed anew; the same CLI
 * outputs with and without.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInventory, parseInventory } from '../src/io/load-organization.js';
import {
  prebuiltRows,
  prebuiltSource,
  PARSED_INPUTS,
  type PrebuiltInputs,
} from '../src/io/prebuilt-inputs.js';
import { readInputFile } from '../src/io/safe-path.js';
import { parseYaml, parseYamlSource } from '../src/io/yaml-source.js';
import { ROOT, tempDir } from './helpers.js';

const prebuilt = JSON.parse(readFileSync(PARSED_INPUTS, 'utf8')) as PrebuiltInputs;

/** Every field path of a value, and one that goes on past each leaf. */
function pathsOf(v: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const below =
    v && typeof v === 'object'
      ? Object.entries(v).flatMap(([k, x]) =>
          pathsOf(x, [...path, Array.isArray(v) ? Number(k) : k]),
        )
      : [
          [...path, 'not-there'],
          [...path, 0],
        ];
  return [path, ...below];
}

describe('dist/parsed-inputs.json', () => {
  it('holds every bundled YAML file under data/ and scenarios/, and the inventories', () => {
    const files = (dir: string, pattern: RegExp) =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => pattern.test(f))
        .map((f) => `${dir}/${f.split('\\').join('/')}`);
    expect(Object.keys(prebuilt).sort()).toEqual(
      [
        ...files('data', /\.ya?ml$/),
        ...files('scenarios', /\.ya?ml$/),
        ...files('data', /(^|[\\/])inventory\.csv$/),
      ].sort(),
    );
  });

  const csv = Object.keys(prebuilt).filter((f) => f.endsWith('.csv'));
  it.each(csv)('%s: the rows as checking the CSV gives them', (rel) => {
    const file = join(ROOT, rel);
    const text = readInputFile(file);
    expect(prebuiltRows(file, text)).toEqual(checkInventory(file, text));
    expect(prebuiltRows(file, text.replace(/\n$/, '\n\n'))).toBeUndefined();
    const edited = text.replace(/,(\d{4}),/, ',1999,');
    expect(edited).not.toBe(text);
    expect(prebuiltRows(file, edited)).toBeUndefined();
    expect(parseInventory(file, edited)).toEqual(checkInventory(file, edited));
  });

  it.each(Object.keys(prebuilt).filter((f) => !f.endsWith('.csv')))(
    '%s: the value and every line as parsing gives them',
    (rel) => {
      const file = join(ROOT, rel);
      const text = readInputFile(file);
      const parsed = parseYaml(file, text);
      const built = prebuiltSource(file, text)!;
      expect(built).toBeDefined();
      expect(built.value).toEqual(parsed.value);
      for (const path of [...pathsOf(parsed.value), ['nowhere', 1, 'x']])
        expect(built.lineOf(path), path.join('.')).toBe(parsed.lineOf(path));
    },
  );

  it('an edited bundled file is parsed, not taken from it', () => {
    const file = join(ROOT, 'scenarios', 'baseline.yaml');
    const text = readInputFile(file).replace('pueFloor: 1.10', 'pueFloor: 1.15');
    expect(prebuiltSource(file, text)).toBeUndefined();
    const source = parseYamlSource(file, text);
    expect((source.value as { constants: { pueFloor: number } }).constants.pueFloor).toBe(1.15);
    expect(source.lineOf(['constants', 'pueFloor'])).toBe(
      parseYaml(file, text).lineOf(['constants', 'pueFloor']),
    );
  });
});

describe('the CLI gives the same bytes with and without dist/parsed-inputs.json', () => {
  /** The package as installed, in a temp folder: with or without the file; baseline edited? */
  function install(withPrebuilt: boolean, edit?: (baseline: string) => string): string {
    const dir = join(tempDir(), 'carbonpath');
    for (const part of ['dist', 'data', 'scenarios', 'schema', 'package.json'])
      cpSync(join(ROOT, part), join(dir, part), {
        recursive: true,
        filter: (src) => withPrebuilt || src !== PARSED_INPUTS,
      });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const baseline = join(dir, 'scenarios', 'baseline.yaml');
    if (edit) writeFileSync(baseline, edit(readFileSync(baseline, 'utf8')));
    return dir;
  }
  /** stdout and every file `run` and `targets` write, by name. */
  function outputs(pkg: string): Record<string, string> {
    const out = tempDir();
    const files: Record<string, string> = {};
    for (const command of ['run', 'targets']) {
      const r = spawnSync(
        process.execPath,
        [join(pkg, 'dist', 'cli', 'bin.js'), command, '--out', join(out, command)],
        { cwd: out, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      files[`${command} stdout`] = r.stdout.split(out).join('OUT');
      for (const f of readdirSync(join(out, command)))
        files[`${command}/${f}`] = readFileSync(join(out, command, f), 'utf8');
    }
    return files;
  }
  const edit = (t: string) => t.replace('pueFloor: 1.10', 'pueFloor: 1.25');

  it('bundled files as they are', () => {
    expect(outputs(install(false))).toEqual(outputs(install(true)));
  });
  it('baseline.yaml edited after the build: parsed, the edit shows', () => {
    const edited = outputs(install(true, edit));
    expect(edited).toEqual(outputs(install(false, edit)));
    expect(edited['run/trajectories.csv']).not.toEqual(
      outputs(install(true))['run/trajectories.csv'],
    );
  });
});
