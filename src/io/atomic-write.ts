import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';

/**
 * File-system refusals are the user's to fix (a file where a folder should be, no permission):
 * exit 2.
 */
function asInputError(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why: Record<string, string> = {
    EEXIST: 'a file stands where the output folder should be',
    ENOTDIR: 'part of the path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
  };
  return code && why[code]
    ? new InputError({
        file: path,
        message: `cannot write the output: ${why[code]}`,
        fix: 'give --out a folder you can write to',
      })
    : e;
}

function assertReplaceable(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isFile())
    throw new InputError({
      file: path,
      message:
        'cannot write the output: a folder or other non-file stands where this file should go',
      fix: 'give --out a folder where this name is free, or remove what is in the way',
    });
}

/**
 * Write several files so that none is ever half-written and, short of a crash between two
 * renames in one folder, either all or none replace what was there: everything goes to
 * temporary files first, every target is checked, and only then are they renamed into place.
 */
export function writeFilesAtomically(
  files: ReadonlyArray<{ path: string; content: string }>,
): void {
  const temps: Array<{ tmp: string; path: string }> = [];
  try {
    for (const f of files) {
      mkdirSync(dirname(f.path), { recursive: true });
      const tmp = `${f.path}.tmp-${process.pid}`;
      writeFileSync(tmp, f.content);
      temps.push({ tmp, path: f.path });
    }
    for (const t of temps) assertReplaceable(t.path);
  } catch (e) {
    for (const t of temps) rmSync(t.tmp, { force: true });
    throw asInputError(e, files[temps.length]?.path ?? files[0]?.path ?? '');
  }
  for (const t of temps) renameSync(t.tmp, t.path);
}
