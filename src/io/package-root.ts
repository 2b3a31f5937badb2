import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package folder (works from src/ under vitest and from dist/ when installed). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLED_SCENARIOS = join(PACKAGE_ROOT, 'scenarios');
export const BUNDLED_DATA = join(PACKAGE_ROOT, 'data', 'alibaba-group');
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
