/**
 * dist/parsed-inputs.json: every bundled YAML file (under data/ and scenarios/) as the CLI parses
 * it, with the line of each field path for error messages, and every inventory CSV under data/
 * as checked rows, by path and the SHA-256 of its text (src/io/prebuilt-inputs.ts). The CLI takes
 * a file from it only when the text is unchanged, so that it need not run the YAML and CSV
 * libraries on the bundled files (docs/performance.md, "Start-up").
 * Run by `npm run build` and the tests' global setup, after tsc (it uses tsc's dist/io).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { sha256 } from '../dist/io/parsed-once.js';
import { checkInventory } from '../dist/io/load-organization.js';
import { PARSED_INPUTS } from '../dist/io/prebuilt-inputs.js';
import { readInputFile } from '../dist/io/safe-path.js';
import { prebuildYamlSource } from '../dist/io/yaml-source.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const filesIn = (dir, pattern) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();

const inputs = {};
const keep = (file, text, parsed) => {
  // kept only if JSON gives back the same value (it has no -0, NaN or Infinity)
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parsed)), parsed)) return;
  inputs[relative(ROOT, file).split('\\').join('/')] = { sha256: sha256(text), ...parsed };
};
for (const file of ['data', 'scenarios'].flatMap((d) => filesIn(d, /\.ya?ml$/))) {
  const text = readInputFile(file);
  keep(file, text, prebuildYamlSource(file, text));
}
for (const file of filesIn('data', /^inventory\.csv$/)) {
  const text = readInputFile(file);
  keep(file, text, { rows: checkInventory(file, text) });
}
writeFileSync(PARSED_INPUTS, JSON.stringify(inputs));
