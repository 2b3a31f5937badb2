import { lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function assertReplaceable(path: string): void {
  let st;
  try { st = lstatSync(path); } catch { return; }
  if (!st.isFile()) throw new Error(`cannot write ${path}: something that is not a regular file is in the way`);
}

/**
 * Write several files so that none is ever half-written and, short of a crash between two
 * renames in one folder, either all or none replace what was there: everything goes to
 * temporary files first, every target is checked, and only then are they renamed into place.
 */
export function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string }>): void {
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
    throw e;
  }
  for (const t of temps) renameSync(t.tmp, t.path);
}
