/**
 * Parse a YAML (or JSON) file keeping enough of the syntax tree to name the line of any
 * field path in error messages.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError, type Problem } from '../errors.js';

export interface SourceFile {
  file: string;
  value: unknown;
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseYamlSource(file: string, text: string): SourceFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    merge: false,
  });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => ({
      file,
      line: e.linePos?.[0]?.line,
      message: `malformed YAML: ${e.message.split('\n')[0]}`,
      fix: 'check indentation, colons and quotes on that line (strings with : or # need quotes)',
    }));
    throw new InputError(problems);
  }
  const lineOfNode = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;

  const lineOf = (path: ReadonlyArray<string | number>): number | undefined => {
    // Walk down as far as the path exists; the deepest existing node is the best line.
    let node: unknown = doc.contents;
    let best = lineOfNode(doc.contents as Node);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => String((p.key as { value?: unknown })?.value ?? p.key) === String(key),
        );
        if (!pair) break;
        best = lineOfNode(pair.key as Node) ?? best;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        best = lineOfNode(node as Node) ?? best;
      } else break;
    }
    return best;
  };

  const value = doc.toJS({ maxAliasCount: 50 }) as unknown;
  rejectForbiddenKeys(value, [], (path, key) => {
    throw new InputError({
      file,
      line: lineOf(path),
      path: [...path, key].join('.'),
      message: `the key '${key}' is not allowed`,
      fix: 'remove it; carbonpath never reads object prototypes from input',
    });
  });
  return { file, value, lineOf };
}

function rejectForbiddenKeys(
  v: unknown,
  path: Array<string | number>,
  fail: (path: Array<string | number>, key: string) => never,
): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => rejectForbiddenKeys(x, [...path, i], fail));
    return;
  }
  if (v && typeof v === 'object') {
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) fail(path, key);
      rejectForbiddenKeys((v as Record<string, unknown>)[key], [...path, key], fail);
    }
  }
}
