import { isUtf8 } from 'node:buffer';
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { errnoCode, fileSystemError } from './fs-errors.js';

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
    if (st.isSymbolicLink()) st = statSync(path);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw fileSystemError(e, path, 'read');
    throw new InputError({ file: path, message: 'file not found', fix: 'check the path' });
  }
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
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw fileSystemError(e, path, 'read');
  }
  return decodeUtf8(path, bytes);
}

/**
 * The text of an input file: UTF-8, without the byte-order mark Excel writes at the start of
 * "CSV UTF-8" files (it would otherwise glue itself to the first column's name). Other
 * encodings are refused rather than decoded into replacement characters.
 */
export function decodeUtf8(file: string, bytes: Buffer): string {
  // UTF-16 (Excel's "Unicode text", Notepad's "Unicode"): a FF FE / FE FF mark, or NUL bytes
  // between the letters, which UTF-8 would take for characters of their own
  const marked = bytes.length >= 2 && [0xfffe, 0xfeff].includes((bytes[0]! << 8) + bytes[1]!);
  const nul = bytes.indexOf(0);
  if (marked || nul >= 0) {
    const at = marked ? 0 : nul;
    throw new InputError({
      file,
      line: bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1,
      message: marked
        ? 'the file is UTF-16 text (it starts with a UTF-16 byte-order mark); ' +
          'carbonpath reads UTF-8'
        : 'the file has NUL bytes (probably UTF-16 text); carbonpath reads UTF-8',
      fix: 'save the file as UTF-8 (in Excel: Save As → "CSV UTF-8", not "Unicode Text")',
    });
  }
  if (!isUtf8(bytes)) {
    const at = Math.min(firstInvalidUtf8(bytes), bytes.length - 1);
    const line = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1;
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
    throw new InputError({
      file,
      line,
      message: `not valid UTF-8: byte 0x${byte} (probably Latin-1 or Windows-1252)`,
      fix: 'save the file as UTF-8 (in Excel: Save As → "CSV UTF-8")',
    });
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    // length of the sequence and the allowed range of its second byte (RFC 3629 table)
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) n = 1;
    else if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < n; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += n;
  }
  return bytes.length;
}
