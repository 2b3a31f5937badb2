/**
 * io/safe-path.ts for the page: no file is read here. The CLI resolved and checked every path
 * before it wrote the page, so a path is only joined.
 */
import { join } from './path.js';

export function resolveInside(dir: string, relative: string): string {
  return join(dir, relative);
}

export function readInputFile(file: string): string {
  throw new Error(`the explorer page cannot read ${file}`);
}

export function decodeUtf8(file: string, _bytes: unknown): string {
  throw new Error(`the explorer page cannot read ${file}`);
}
