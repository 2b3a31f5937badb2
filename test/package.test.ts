/**
 * The package as npm users get it: `npm pack`, install the tarball in an empty project, run the
 * README's library example (docs/examples/library.mjs) and the bin, and check the two agree.
 * Needs the npm registry (or npm's cache) for carbonpath's dependencies.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' } });

describe('npm pack → install → use', () => {
  const project = tempDir('carbonpath-user-');
  const version = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  let files: string[] = [];

  beforeAll(() => {
    // dist/ is fresh (the global setup built it): pack without running prepare again
    const packed = JSON.parse(
      run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', project], ROOT),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed[0]!.files.map((f) => f.path);
    writeFileSync(join(project, 'package.json'), '{ "private": true, "type": "module" }\n');
    run(
      NPM,
      ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${packed[0]!.filename}`],
      project,
    );
  }, 300_000);

  it('ships the licence, the types, the schemas and the data, not the tests', () => {
    for (const f of [
      'LICENSE',
      'package.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/bin.js',
      'schema/scenario.schema.json',
      'data/alibaba-group/inventory.csv',
      'scenarios/baseline.yaml',
    ])
      expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/'))).toBe(false);
  });

  it("runs the README's library example, and the bin agrees with it", () => {
    copyFileSync(join(ROOT, 'docs', 'examples', 'library.mjs'), join(project, 'library.mjs'));
    const lines = run(process.execPath, ['library.mjs'], project).trimEnd().split('\n');
    const bin = join(project, 'node_modules', '.bin', 'carbonpath');
    expect(run(bin, ['--version'], project).trim()).toBe(version);
    const doc = JSON.parse(
      run(bin, ['targets', 'baseline', 'announced', '--out', 'out', '--json'], project),
    ) as {
      result: { scenarios: Array<{ scenario: string; targets: Array<{ status: string }> }> };
    };
    for (const s of doc.result.scenarios) {
      const off = s.targets.filter((t) => t.status === 'off-track').length;
      expect(lines).toContainEqual(expect.stringMatching(`^${s.scenario}: ${off} target\\(s\\)`));
    }
    expect(lines.some((l) => /^baseline: FY\d{4} credits \d+ t$/.test(l))).toBe(true);
    expect(existsSync(join(project, 'out', 'targets.csv'))).toBe(true);
  });

  it('resolves the schemas from the package, for editors', () => {
    const schema = join(project, 'node_modules', 'carbonpath', 'schema', 'scenario.schema.json');
    expect((JSON.parse(readFileSync(schema, 'utf8')) as { $id: string }).$id).toBe(
      'urn:carbonpath:schema:scenario',
    );
  });

  it('the README shows the example as it is in docs/examples/library.mjs', () => {
    const example = readFileSync(join(ROOT, 'docs', 'examples', 'library.mjs'), 'utf8');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`js\n${example}\`\`\``);
  });
});
