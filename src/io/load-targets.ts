import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { targetsFileSchema, type TargetsFile } from '../schema/targets.js';
import { readInputFile } from './safe-path.js';
import { parseYamlSource, type SourceFile } from './yaml-source.js';
import { zodProblems } from './zod-problems.js';

export interface LoadedTargets {
  file: string;
  sha256: string;
  targets: TargetsFile;
  source: SourceFile;
}

/** The targets file: --targets FILE, else targets.yaml in the organization folder. */
export function loadTargets(orgFolder: string, file?: string): LoadedTargets {
  const path = resolve(file ?? join(orgFolder, 'targets.yaml'));
  if (!file && !existsSync(path)) {
    throw new InputError({
      file: orgFolder,
      message: 'this organization has no targets.yaml',
      fix: 'add one (see data/alibaba-group/targets.yaml) or pass --targets FILE',
    });
  }
  const text = readInputFile(path);
  const source = parseYamlSource(path, text);
  const parsed = targetsFileSchema.safeParse(source.value ?? {});
  if (!parsed.success)
    throw new InputError(zodProblems(source, parsed.error.issues, targetsFileSchema));
  const ids = new Set<string>();
  parsed.data.targets.forEach((t, i) => {
    if (ids.has(t.id)) {
      throw new InputError({
        file: path,
        line: source.lineOf(['targets', i, 'id']),
        path: `targets.${i}.id`,
        message: `duplicate target id '${t.id}'`,
        fix: 'give each target its own id',
      });
    }
    ids.add(t.id);
  });
  return {
    file: path,
    sha256: createHash('sha256').update(text).digest('hex'),
    targets: parsed.data,
    source,
  };
}
