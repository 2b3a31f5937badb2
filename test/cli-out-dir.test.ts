import { copyFileSync, cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.js';

/** Every file name a "wrote …" (or "created …") line mentions, as a path from `cwd`. */
function printedFiles(stdout: string, dir: string): string[] {
  const lines = stdout.split('\n').filter((l) => /^(wrote|created) /.test(l));
  const names = lines.flatMap((l) =>
    l
      .replace(/ — run it with:.*$/, '')
      .split(/[\s,:]+/)
      .filter((w) => /\.(csv|json|yaml|md|html)$/.test(w)),
  );
  return names.map((n) => (n.startsWith(dir) || isAbsolute(n) ? n : join(dir, n)));
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

describe('--out DIR/ (a trailing slash, as in the README examples)', () => {
  const cwd = tempDir();
  // an organization in format version 1, for migrate
  cpSync(join(ROOT, 'data', 'alibaba-health'), join(cwd, 'health-v1'), { recursive: true });
  copyFileSync(
    join(ROOT, 'test', 'fixtures', 'alibaba-health.v1.organization.yaml'),
    join(cwd, 'health-v1', 'organization.yaml'),
  );
  const commands: Array<{ name: string; dir: string; args: string[] }> = [
    { name: 'run', dir: 'run/', args: ['run', '--out', 'run/'] },
    { name: 'targets', dir: 'targets/', args: ['targets', '--out', 'targets/'] },
    { name: 'offsets', dir: 'offsets/', args: ['offsets', '--out', 'offsets/'] },
    {
      name: 'simulate',
      dir: 'sim/',
      args: ['simulate', 'baseline', '--samples', '50', '--seed', '1', '--out', 'sim/'],
    },
    { name: 'report', dir: 'report/', args: ['report', '--samples', '20', '--out', 'report/'] },
    {
      name: 'solve',
      dir: 'solve/',
      args: [
        'solve',
        'baseline',
        '--target',
        'cloud-clean-100-2030',
        '--lever',
        'constants.dcCleanTrendPp',
        '--min',
        '0',
        '--max',
        '20',
        '--out',
        'solve/',
      ],
    },
    { name: 'init', dir: 'my-co/', args: ['init', 'my-co/'] },
    { name: 'migrate', dir: 'migrated/', args: ['migrate', 'health-v1/', '--out', 'migrated/'] },
  ];
  for (const c of commands) {
    it(`${c.name}: the printed paths and run.json's outputs name real files`, () => {
      const r = cli(c.args, cwd);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const printed = printedFiles(r.stdout, c.dir);
      expect(printed.length).toBeGreaterThan(0);
      // inside the folder, named whole: 'run/trajectories.csv', not 'run//…', 'run/rajectories…'
      expect(r.stdout).not.toContain(`${c.dir}/`);
      const folder = resolve(cwd, c.dir);
      for (const p of printed) {
        expect(resolve(cwd, p).startsWith(folder), p).toBe(true);
        expect(isFile(resolve(cwd, p)), p).toBe(true);
      }
      const manifest = join(cwd, c.dir, 'run.json');
      if (!['solve', 'init', 'migrate'].includes(c.name)) {
        const outputs = (JSON.parse(readFileSync(manifest, 'utf8')) as { outputs: string[] })
          .outputs;
        expect(outputs.length).toBeGreaterThan(0);
        for (const o of outputs) expect(isFile(join(cwd, c.dir, o)), o).toBe(true);
      }
    });
  }
  it('targets lists its outputs with whole names', () => {
    const outputs = (
      JSON.parse(readFileSync(join(cwd, 'targets', 'run.json'), 'utf8')) as { outputs: string[] }
    ).outputs;
    expect(outputs).toEqual([
      'targets.csv',
      'target-pathways.csv',
      'sbti.csv',
      'base-recalculation.csv',
    ]);
  });
});
