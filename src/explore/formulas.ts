/**
 * The formulas of the embedded scenarios, parsed by `carbonpath explore` with the CLI's own parser
 * (app/project.ts loadParser, mathjs) and embedded as plain syntax trees. The page's parser looks
 * them up, so the page carries no copy of mathjs (650 KB of script, half its load time) and the
 * trees it compiles (core/formula.ts, the same allow-list) are exactly those the CLI compiled.
 * Levers move numbers only, never a formula's text, so every formula the page can meet is here.
 */
import type { MathNode, ParseFn } from '../core/formula.js';

/** The fields of a mathjs node that core/formula.ts reads (its MathNode), nothing else. */
const FIELDS = [
  'type',
  'name',
  'op',
  'fn',
  'args',
  'value',
  'content',
  'condition',
  'trueExpr',
  'falseExpr',
] as const;

/** A mathjs node as a plain tree of the fields the formula compiler reads. */
export function plainTree(node: MathNode): MathNode {
  const out: Record<string, unknown> = {};
  for (const k of FIELDS) {
    const v = node[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.map((x: MathNode) => plainTree(x));
    else if (v !== null && typeof v === 'object') out[k] = plainTree(v as MathNode);
    else out[k] = v;
  }
  return out as unknown as MathNode;
}

/** Every `formula` text in a value (a merged scenario), in document order, once each. */
export function formulasIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const x of value) formulasIn(x, found);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === 'formula' && typeof v === 'string') found.add(v);
      else formulasIn(v, found);
    }
  return found;
}

/**
 * The parse trees of `formulas`. A formula the parser refuses is left out: the CLI refused its
 * scenario before the page was written, and the page would say it was not pre-parsed.
 */
export function parsedFormulas(
  formulas: Iterable<string>,
  parse: ParseFn,
): Record<string, MathNode> {
  const out: Record<string, MathNode> = {};
  for (const f of formulas) {
    try {
      out[f] = plainTree(parse(f));
    } catch {
      // refused by the CLI already (see above)
    }
  }
  return out;
}

/** The page's parser: the embedded trees, by the formula's exact text. */
export function lookupParser(trees: Readonly<Record<string, MathNode>>): ParseFn {
  return (expr) => {
    if (!Object.prototype.hasOwnProperty.call(trees, expr))
      throw new Error(`the formula '${expr}' was not parsed by carbonpath explore`);
    return structuredClone(trees[expr]!);
  };
}
