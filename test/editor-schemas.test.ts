/**
 * The JSON Schemas in schema/ as an editor uses them: yaml-language-server (VS Code's YAML
 * extension) validates every bundled YAML file and every file `init` writes through the
 * `# yaml-language-server: $schema=…` line in it, with YAML's own key typing (`2030:` is an
 * integer key), and ajv applies the same draft (2020-12) to the parsed files as a second
 * validator. A file with an unknown key is flagged, so a silent "no schema found" cannot pass.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from 'yaml';
import { getLanguageService } from 'yaml-language-server';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';

const languageService = getLanguageService({
  schemaRequestService: (uri) => Promise.resolve(readFileSync(fileURLToPath(uri), 'utf8')),
  workspaceContext: { resolveRelativePath: (path, resource) => new URL(path, resource).href },
});
languageService.configure({ validate: true, yamlVersion: '1.2', schemas: [] });

let version = 0; // the language service caches a parsed document by address and version
/** What the editor would underline in `text`, shown as if it were the file at `path`. */
async function diagnostics(path: string, text = readFileSync(path, 'utf8')): Promise<string[]> {
  const doc = TextDocument.create(pathToFileURL(path).href, 'yaml', ++version, text);
  const found = await languageService.doValidation(doc, false);
  return found.map((d) => `${relative(ROOT, path)}:${d.range.start.line + 1}: ${d.message}`);
}

const MODELINE = /^# yaml-language-server: \$schema=(\S+)$/m;

/** Every YAML file carbonpath ships (scenarios/, data/). */
function bundledYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? bundledYaml(p) : p.endsWith('.yaml') ? [p] : [];
  });
}
const BUNDLED = [...bundledYaml(join(ROOT, 'scenarios')), ...bundledYaml(join(ROOT, 'data'))];

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemaOf = (path: string) => {
  const ref = MODELINE.exec(readFileSync(path, 'utf8'))?.[1];
  expect(ref, `${path} has no yaml-language-server line`).toBeDefined();
  const file = resolve(dirname(path), ref!);
  expect(existsSync(file), `${path}: ${ref} does not exist`).toBe(true);
  return file;
};

async function expectValid(path: string): Promise<void> {
  const schemaFile = schemaOf(path);
  expect(await diagnostics(path)).toEqual([]);
  // the same draft through ajv, on the file as YAML 1.2 reads it (map keys as their text)
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $id: string };
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  const ok = validate(parse(readFileSync(path, 'utf8')));
  expect(ok, `${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
  // and the schema is really applied: an unknown top-level key is flagged
  const flagged = await diagnostics(path, `${readFileSync(path, 'utf8')}notAField: 1\n`);
  expect(flagged.length, `${path}: no schema applied`).toBeGreaterThan(0);
}

describe('editor schemas (yaml-language-server)', () => {
  it('ships a $schema line in every bundled YAML file', () => {
    expect(BUNDLED.length).toBeGreaterThanOrEqual(12);
    for (const f of BUNDLED) schemaOf(f);
  });

  for (const f of BUNDLED)
    it(`${relative(ROOT, f)}: no problems in an editor`, () => expectValid(f));

  it("year keys (`points: {2030: …}`) are not 'Incorrect type. Expected string'", async () => {
    const path = join(ROOT, 'scenarios', 'my-scenario.yaml');
    const text =
      '# yaml-language-server: $schema=../schema/scenario.schema.json\n' +
      'extends: baseline\nparameters:\n' +
      '  selfBuiltCleanShare: { points: { 2028: 100 }, why: "our board target" }\n';
    expect(await diagnostics(path, text)).toEqual([]);
    const misspelt = text.replace('selfBuiltCleanShare: {', 'selfBuiltCleanShare: { pionts: {},');
    expect((await diagnostics(path, misspelt)).join('\n')).toMatch(/my-scenario\.yaml:4:/);
  });

  it('every schema has an $id and a title', () => {
    for (const kind of ['scenario', 'organization', 'targets', 'prices', 'cli-output']) {
      const s = JSON.parse(readFileSync(join(ROOT, 'schema', `${kind}.schema.json`), 'utf8')) as {
        $id?: string;
        title?: string;
      };
      expect(s.$id).toBe(`urn:carbonpath:schema:${kind}`);
      expect(s.title).toMatch(/^carbonpath /);
    }
  });

  it('init writes files an editor checks, with paths to the shipped schemas', async () => {
    const dir = join(tempDir(), 'my-co');
    expect(cli(['init', dir, '-q']).code).toBe(0);
    const files = ['organization.yaml', 'targets.yaml', join('scenarios', 'baseline.yaml')];
    for (const f of files) {
      const path = join(dir, f);
      expect(schemaOf(path).startsWith(join(ROOT, 'schema'))).toBe(true);
      await expectValid(path);
    }
  });
});
