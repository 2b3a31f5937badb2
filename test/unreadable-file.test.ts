/**
 * An input file the user may not read (EACCES). Tests run as root, where chmod 000 does not
 * stop a read, so the read itself is made to fail here; test/input-limits.test.ts also runs the
 * chmod case when not root.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InputError } from '../src/errors.js';
import { validateOrganizationFolder } from '../src/app/validate-folder.js';
import { loadOrganization } from '../src/io/load-organization.js';
import { readInputFile } from '../src/io/safe-path.js';
import { tempDir, writeFile } from './helpers.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    if (String(path).includes('locked')) {
      const e = new Error(`EACCES: permission denied, open '${String(path)}'`);
      throw Object.assign(e, { code: 'EACCES', syscall: 'open', path: String(path) });
    }
    return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, readFileSync, default: { ...fs, readFileSync } };
});

function lockedOrganization(): string {
  const dir = join(tempDir(), 'org');
  cpSync('test/fixtures/annual-100', dir, { recursive: true });
  cpSync(join(dir, 'inventory.csv'), join(dir, 'locked.csv'));
  const yaml = readFileSync(join(dir, 'organization.yaml'), 'utf8');
  writeFile(
    dir,
    'organization.yaml',
    yaml.replace('inventory: inventory.csv', 'inventory: locked.csv'),
  );
  return dir;
}

describe('a file that cannot be read: exit 2 naming it, "permission denied", a fix', () => {
  it('readInputFile', () => {
    const f = writeFile(tempDir(), 'locked.yaml', 'name: x\n');
    let err: unknown;
    try {
      readInputFile(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as InputError).problems).toEqual([
      {
        file: f,
        message: 'cannot read the file: permission denied',
        fix: 'make the file readable (e.g. chmod u+r FILE) or run as a user who can read it',
      },
    ]);
  });
  it('the inventory, for run and validate alike', async () => {
    const dir = lockedOrganization();
    expect(() => loadOrganization(dir)).toThrow(/locked\.csv: cannot read the file: permission/);
    const { problems } = await validateOrganizationFolder(dir);
    expect(problems).toEqual([
      expect.objectContaining({
        file: join(dir, 'locked.csv'),
        message: 'cannot read the file: permission denied',
      }),
    ]);
  });
});
