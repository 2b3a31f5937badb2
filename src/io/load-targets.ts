import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import { targetsFileSchema, type TargetsFile } from '../schema/targets.js';
import { parsedOnce, sha256 } from './parsed-once.js';
import { readInputFile } from './safe-path.js';
import { parseYamlSource, type SourceFile } from './yaml-source.js';
import { zodProblems } from './zod-problems.js';

export interface LoadedTargets {
  file: string;
  sha256: string;
  targets: TargetsFile;
  source: SourceFile;
}

/**
 * The targets file: --targets FILE, else targets.yaml in the organization folder. Read once per
 * process for the same text (each offset strategy reads it).
 */
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
  return parsedOnce('targets', path, text, () => checkTargets(path, text));
}

function checkTargets(path: string, text: string): LoadedTargets {
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
  // a target whose base year or window start is not before its deadline cannot be met or missed
  const order: Problem[] = [];
  parsed.data.targets.forEach((t, i) => {
    const deadline = 'deadline' in t ? t.deadline : undefined;
    if (deadline === undefined) return;
    for (const key of ['baseYear', 'windowStart'] as const) {
      const from = key in t ? (t as Record<string, unknown>)[key] : undefined;
      if (typeof from !== 'number') continue;
      const window = key === 'windowStart';
      if (window ? from <= deadline : from < deadline) continue;
      order.push({
        file: path,
        line: source.lineOf(['targets', i, key]),
        path: `targets.${i}.${key}`,
        message: window
          ? `target '${t.id}': its window runs backwards, from ${from} to the deadline ${deadline}`
          : `target '${t.id}': baseYear ${from} is not before its deadline ${deadline}`,
        fix: window
          ? `give a windowStart no later than ${deadline}, or check the deadline`
          : `give a baseYear before ${deadline}, or check the deadline`,
      });
    }
  });
  if (order.length > 0) throw new InputError(order);
  return {
    file: path,
    sha256: sha256(text),
    targets: parsed.data,
    source,
  };
}
