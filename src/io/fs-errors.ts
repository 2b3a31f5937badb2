/**
 * File-system refusals (no permission, a read-only disk, a missing folder) are the user's to
 * fix: as input errors naming the file, exit 2, never "internal error".
 */
import { InputError } from '../errors.js';

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOENT: 'a folder on the path does not exist or cannot be created there',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'a file stands where a folder should be',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path has too many symbolic links (a loop?)',
};

function fixFor(code: string, doing: 'read' | 'write'): string {
  if (doing === 'write') return 'give --out a folder you can write to';
  if (code === 'EACCES' || code === 'EPERM')
    return 'make the file readable (e.g. chmod u+r FILE) or run as a user who can read it';
  return code === 'ENOENT' ? 'check the path' : 'check the path and that the file can be read';
}

/** The error code of a Node.js system error (EACCES, ENOENT …), if it is one. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/**
 * `e` as an InputError about `file` when it is a file-system refusal the user can fix; any
 * other error is returned as it is.
 */
export function fileSystemError(e: unknown, file: string, doing: 'read' | 'write'): unknown {
  const code = errnoCode(e);
  const why = code === undefined ? undefined : WHY[code];
  if (why === undefined) return e;
  return new InputError({
    file,
    message: `cannot ${doing} ${doing === 'read' ? 'the file' : 'the output'}: ${why}`,
    fix: fixFor(code!, doing),
  });
}
