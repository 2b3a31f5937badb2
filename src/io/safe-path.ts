import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/** Resolve `name` inside `folder`; refuses paths that climb out, links that lead out, non-files. */
export function resolveInside(
  folder: string,
  name: string,
  referencedFrom: { file: string; line?: number | undefined; path?: string },
): string {
  const fail = (message: string, fix: string): never => {
    throw new InputError({
      file: referencedFrom.file,
      line: referencedFrom.line,
      path: referencedFrom.path,
      message,
      fix,
    });
  };
  if (isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
    fail(
      `'${name}' must be a file inside ${folder}`,
      'name a file in the same folder, without .. or an absolute path',
    );
  }
  const full = resolve(folder, name);
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    return fail(`'${name}' does not exist in ${folder}`, 'check the file name');
  }
  const realFolder = realpathSync(folder);
  const rel = relative(realFolder, real);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    fail(
      `'${name}' leads outside ${folder}`,
      'use a regular file inside the folder, not a link out of it',
    );
  }
  if (!statSync(real).isFile()) fail(`'${name}' is not a regular file`, 'name a regular file');
  return full;
}

/** Read a user-named input file: must be a regular file of reasonable size. */
export function readInputFile(path: string): string {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    throw new InputError({ file: path, message: 'file not found', fix: 'check the path' });
  }
  if (st.isSymbolicLink()) st = statSync(path);
  if (!st.isFile())
    throw new InputError({
      file: path,
      message: 'not a regular file',
      fix: 'name a YAML, JSON or CSV file',
    });
  if (st.size > MAX_INPUT_BYTES) {
    throw new InputError({
      file: path,
      message: `file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`,
      fix: 'split it or check it is the right file',
    });
  }
  return readFileSync(path, 'utf8');
}
