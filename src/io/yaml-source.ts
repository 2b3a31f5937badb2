/**
 * Parse a YAML (or JSON) file keeping enough of the syntax tree to name the line of any
 * field path in error messages. Input is untrusted: nesting and aliases are bounded before
 * anything recurses over the value (docs/security.md, "Input limits").
 */
import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isSeq,
  LineCounter,
  Parser,
  visit,
  YAMLParseError,
  type CST,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { InputError, type Problem } from '../errors.js';
import { parsedOnce } from './parsed-once.js';
import { prebuiltSource, type LineTree, type PrebuiltSource } from './prebuilt-inputs.js';

export interface SourceFile {
  file: string;
  value: unknown;
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/** Maps and lists inside one another, at most this deep (carbonpath's own files need 7). */
export const MAX_NESTING_DEPTH = 32;
/** Aliases in one file may copy in at most this many values in all (billion-laughs guard). */
export const MAX_ALIAS_VALUES = 10_000;

const ALIAS_FIX = 'write the value out in full where it is used (aliases are a convenience only)';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The file's document and line map; parsed once per process for the same text. A bundled file
 * whose text is the one the build saw comes from dist/parsed-inputs.json instead.
 */
export function parseYamlSource(file: string, text: string): SourceFile {
  return parsedOnce('yaml', file, text, () => prebuiltSource(file, text) ?? parseYaml(file, text));
}

/**
 * The file as dist/parsed-inputs.json keeps it (scripts/parsed-inputs.mjs): its value and the
 * line of every field path, for lineOf.
 */
export function prebuildYamlSource(file: string, text: string): PrebuiltSource {
  const { source, doc, lineOfNode } = parseYamlDocument(file, text);
  const tree = (node: unknown): LineTree => {
    if (isMap(node)) {
      const m: Record<string, [number | null, LineTree]> = {};
      for (const p of node.items) {
        const key = String((p.key as { value?: unknown })?.value ?? p.key);
        // lineOf takes the first pair of a key
        if (!Object.hasOwn(m, key)) m[key] = [lineOfNode(p.key as Node) ?? null, tree(p.value)];
      }
      return { m };
    }
    if (isSeq(node))
      return { s: node.items.map((item) => [lineOfNode(item as Node) ?? null, tree(item)]) };
    return null;
  };
  return {
    value: source.value,
    lines: [lineOfNode(doc.contents as Node) ?? null, tree(doc.contents)],
  };
}

/** The file parsed by the YAML library, neither kept nor taken from dist/parsed-inputs.json. */
export function parseYaml(file: string, text: string): SourceFile {
  return parseYamlDocument(file, text).source;
}

function parseYamlDocument(
  file: string,
  text: string,
): {
  source: SourceFile;
  doc: Document.Parsed;
  lineOfNode: (node: Node | null | undefined) => number | undefined;
} {
  // The parser's syntax tree is built without recursion; the composer's and toJS are not, so
  // the depth is checked on it first (a stack overflow would otherwise be the message). The
  // same tokens are then composed: the text is read once (yaml's parseDocument, in two steps).
  const lineCounter = new LineCounter();
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  checkNestingDepth(file, tokens, lineCounter);
  const doc = composeOne(tokens, text.length);
  // YAML 1.1 reads 010 as 8, yes/no/on/off as true/false and 1:30 as 90: such a file would
  // mean something else than it says to a YAML 1.2 reader, so it is refused, not guessed at.
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') {
    const line = text.split('\n').findIndex((l) => /^%YAML\b/.test(l)) + 1;
    throw new InputError({
      file,
      line: line || undefined,
      message:
        `a %YAML ${doc.directives.yaml.version} directive: carbonpath reads YAML 1.2 only ` +
        '(YAML 1.1 would read 010 as 8, yes/no/on/off as true/false, 1:30 as 90)',
      fix:
        'remove the %YAML line (and the --- after it, if nothing precedes it); write true or ' +
        'false for yes/no, and numbers in decimal',
    });
  }
  if (doc.errors.length > 0) {
    const twice = repeatedKeys(doc, lineCounter);
    const problems: Problem[] = doc.errors.map((e) => {
      const at = errorAt(e, lineCounter);
      const line = at.line;
      const repeat = e.code === 'DUPLICATE_KEY' ? twice.get(line ?? -1) : undefined;
      if (repeat) {
        return {
          file,
          line,
          path: repeat.key,
          message: `the key '${repeat.key}' is given twice, on lines ${repeat.first} and ${line}`,
          fix: 'keep one of them: which one was meant cannot be told from the file',
        };
      }
      return {
        file,
        ...at,
        fix: 'check indentation, colons and quotes on that line (strings with : or # need quotes)',
      };
    });
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

  checkAliases(file, doc, lineOfNode);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_VALUES }) as unknown;
  } catch (e) {
    // checkAliases refuses these first, with the line; this is the library's own guard.
    if (!(e instanceof ReferenceError)) throw e;
    throw new InputError({
      file,
      message: `cannot resolve its aliases: ${e.message}`,
      fix: ALIAS_FIX,
    });
  }
  rejectForbiddenKeys(value, [], (path, key) => {
    throw new InputError({
      file,
      line: lineOf(path),
      path: [...path, key].join('.'),
      message: `the key '${key}' is not allowed`,
      fix: 'remove it; carbonpath never reads object prototypes from input',
    });
  });
  return { source: { file, value, lineOf }, doc, lineOfNode };
}

function tooDeep(file: string, line: number | undefined): InputError {
  return new InputError({
    file,
    line,
    message: `nested deeper than ${MAX_NESTING_DEPTH} levels of maps and lists`,
    fix:
      `keep nesting within ${MAX_NESTING_DEPTH} levels (carbonpath's files need fewer than ` +
      '10); look for unclosed brackets or indentation that keeps growing',
  });
}

/** Refuse nesting deeper than MAX_NESTING_DEPTH, walking the parser's tree with a stack. */
function checkNestingDepth(file: string, tokens: CST.Token[], lineCounter: LineCounter): void {
  const stack: Array<{ token: CST.Token; depth: number }> = [];
  for (const token of tokens) {
    stack.push({ token, depth: 0 });
    while (stack.length > 0) {
      const { token: t, depth } = stack.pop()!;
      if (t.type === 'document') {
        if (t.value) stack.push({ token: t.value, depth });
        continue;
      }
      if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection')
        continue;
      if (depth + 1 > MAX_NESTING_DEPTH) throw tooDeep(file, lineCounter.linePos(t.offset).line);
      for (const item of t.items) {
        if (item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
}

/** One document from the parser's tokens, as yaml's parseDocument composes it. */
function composeOne(tokens: CST.Token[], length: number): Document.Parsed {
  const composer = new Composer({ uniqueKeys: true, merge: false });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          next.range.slice(0, 2) as [number, number],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  return doc!; // compose(…, forceDoc = true) yields at least one document
}

/** A YAML error's line and message, as the message's first line reads with yaml's prettyErrors. */
function errorAt(e: YAMLError, lineCounter: LineCounter): { line?: number; message: string } {
  if (e.pos[0] === -1) return { message: `malformed YAML: ${e.message.split('\n')[0]}` };
  const { line, col } = lineCounter.linePos(e.pos[0]);
  const pretty = `${e.message} at line ${line}, column ${col}`;
  return { line, message: `malformed YAML: ${pretty.split('\n')[0]}` };
}

/**
 * Every alias must follow its anchor and lie outside the anchored value (else toJS builds a
 * cycle), and all aliases together may copy in at most MAX_ALIAS_VALUES values, nesting
 * included. Each is refused at the alias's line.
 */
function checkAliases(
  file: string,
  doc: Document,
  lineOfNode: (node: Node | null | undefined) => number | undefined,
): void {
  // Per anchor: the node, whether it is still being walked, its size and height once done.
  const anchors = new Map<string, { open: boolean; size: number; height: number }>();
  let copied = 0;
  const fail = (node: Node, message: string, fix = ALIAS_FIX): never => {
    throw new InputError({ file, line: lineOfNode(node), message, fix });
  };
  // Returns the node's size (values, aliases expanded) and height; depth is bounded already.
  const walk = (node: unknown, depth: number): { size: number; height: number } => {
    if (isAlias(node)) {
      const a = anchors.get(node.source);
      if (!a)
        fail(
          node,
          `the alias '*${node.source}' has no anchor '&${node.source}' before it`,
          `put '&${node.source}' on a value above this line, or write the value out here`,
        );
      if (a!.open)
        fail(node, `the alias '*${node.source}' is inside the value it refers to (a cycle)`);
      copied += a!.size;
      if (copied > MAX_ALIAS_VALUES)
        fail(node, `aliases copy in more than ${MAX_ALIAS_VALUES.toLocaleString('en-US')} values`);
      if (depth + a!.height > MAX_NESTING_DEPTH) throw tooDeep(file, lineOfNode(node));
      return { size: a!.size, height: a!.height };
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    const entry = { open: true, size: 1, height: 0 };
    if (anchor) anchors.set(anchor, entry);
    const collection = isMap(node) || isSeq(node);
    let size = 1;
    let height = collection ? 1 : 0;
    for (const child of collection ? (node.items as unknown[]) : []) {
      for (const part of isPair(child) ? [child.key, child.value] : [child]) {
        const r = walk(part, depth + 1);
        size += r.size;
        height = Math.max(height, r.height + 1);
      }
    }
    Object.assign(entry, { open: false, size, height });
    return { size, height };
  };
  walk(doc.contents, 0);
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

/** Keys repeated within one map: by the repeat's line, the key and the line it was first on. */
function repeatedKeys(
  doc: Document,
  lines: LineCounter,
): Map<number, { key: string; first: number }> {
  const out = new Map<number, { key: string; first: number }>();
  const lineOf = (n: unknown) => {
    const range = (n as Node | null)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
        const line = lineOf(pair.key);
        if (line === undefined) continue;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, line);
        else out.set(line, { key, first });
      }
    },
  });
  return out;
}
