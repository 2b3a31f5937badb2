/**
 * Check an output folder (--out) before any work is done, without creating it: a run that
 * cannot write its results should fail in a second, not after the simulation, and never as an
 * "internal error".
 */
import { accessSync, constants, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { errnoCode, fileSystemError } from './fs-errors.js';

export function checkOutputFolder(out: string, flag = '--out'): void {
  if (out.trim() === '') {
    throw new InputError({
      path: flag,
      message: `${flag} is empty (it would write into the current folder)`,
      fix: `name a folder, e.g. ${flag} out (${flag} . for the current folder)`,
    });
  }
  const full = resolve(out);
  // The folder itself, or the nearest folder above it that exists, and the first one missing.
  let existing = full;
  let missing: string | undefined;
  for (;;) {
    try {
      statSync(existing);
      break;
    } catch (e) {
      const parent = dirname(existing);
      if (errnoCode(e) !== 'ENOENT' || parent === existing)
        throw fileSystemError(e, existing, 'write');
      missing = existing;
      existing = parent;
    }
  }
  if (!statSync(existing).isDirectory()) {
    const what = missing === undefined ? 'it is' : 'part of the path is';
    throw new InputError({
      file: existing,
      message: `cannot write the output: ${what} a file, not a folder`,
      fix: `give ${flag} a folder you can write to`,
    });
  }
  try {
    if (missing === undefined) accessSync(full, constants.W_OK);
    // A folder has to be created: create one (and remove it) where it would go. Some file
    // systems (/proc) refuse that although they grant write access.
    else rmdirSync(mkdtempSync(join(existing, '.carbonpath-check-')));
  } catch (e) {
    throw fileSystemError(e, missing ?? full, 'write');
  }
}
