/** io/load-targets.ts for the page: the targets file the CLI loaded and checked. */
import type { TargetsFile } from '../../../schema/targets.js';
import type { SourceFile } from '../../../io/yaml-source.js';
import { pageFiles } from './files.js';

export interface LoadedTargets {
  file: string;
  sha256: string;
  targets: TargetsFile;
  source: SourceFile;
}

export function loadTargets(_orgFolder: string, _file?: string): LoadedTargets {
  if (!pageFiles.targets) throw new Error('the page holds no targets file');
  return pageFiles.targets;
}
