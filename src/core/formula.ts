/**
 * The restricted formula language. mathjs only *parses*; we then walk its syntax tree
 * against an allow-list and build plain closures. mathjs's own evaluator is never called,
 * so a formula cannot reach JavaScript, the file system, the network or shared parser
 * state, and a formula has no loops: its cost is bounded by its (capped) size.
 */

/** The subset of a mathjs node we read. */
export interface MathNode {
  type: string;
  name?: string;
  op?: string;
  fn?: MathNode | string;
  args?: MathNode[];
  value?: unknown;
  content?: MathNode;
  condition?: MathNode;
  trueExpr?: MathNode;
  falseExpr?: MathNode;
}

export type ParseFn = (expr: string) => MathNode;
export type Compiled = (vars: ArrayLike<number>) => number;

export class FormulaError extends Error {}

const MAX_NODES = 200;
const MAX_DEPTH = 40;

const FUNCTIONS: Record<string, { arity: [number, number]; fn: (...a: number[]) => number }> = {
  min: { arity: [1, 16], fn: Math.min },
  max: { arity: [1, 16], fn: Math.max },
  abs: { arity: [1, 1], fn: Math.abs },
  sqrt: { arity: [1, 1], fn: Math.sqrt },
  exp: { arity: [1, 1], fn: Math.exp },
  log: { arity: [1, 2], fn: (x, b) => (b === undefined ? Math.log(x) : Math.log(x) / Math.log(b)) },
  log10: { arity: [1, 1], fn: Math.log10 },
  pow: { arity: [2, 2], fn: Math.pow },
  floor: { arity: [1, 1], fn: Math.floor },
  ceil: { arity: [1, 1], fn: Math.ceil },
  round: { arity: [1, 1], fn: Math.round },
  sign: { arity: [1, 1], fn: Math.sign },
  clamp: { arity: [3, 3], fn: (x, lo, hi) => Math.min(hi, Math.max(lo, x)) },
};

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  pow: (a, b) => a ** b,
  mod: (a, b) => a - b * Math.floor(a / b),
  smaller: (a, b) => +(a < b),
  larger: (a, b) => +(a > b),
  smallerEq: (a, b) => +(a <= b),
  largerEq: (a, b) => +(a >= b),
  equal: (a, b) => +(a === b),
  unequal: (a, b) => +(a !== b),
  and: (a, b) => +(a !== 0 && b !== 0),
  or: (a, b) => +(a !== 0 || b !== 0),
};

const UNARY: Record<string, (a: number) => number> = {
  unaryMinus: (a) => -a,
  unaryPlus: (a) => a,
  not: (a) => +(a === 0),
};

export const ALLOWED_FUNCTIONS = Object.keys(FUNCTIONS);

/**
 * The common shapes `symbol op number`, `number op symbol` and `symbol op symbol` for + − × ÷
 * as single closures reading the variables directly: one call instead of three per operation.
 * The arithmetic is identical to the general path.
 */
function specialize(op: string, a: MathNode, b: MathNode, slots: Map<string, number>): Compiled | undefined {
  if (op !== 'add' && op !== 'subtract' && op !== 'multiply' && op !== 'divide') return undefined;
  const leaf = (n: MathNode): { slot: number } | { value: number } | undefined => {
    if (n.type === 'SymbolNode') { const s = slots.get(String(n.name)); return s === undefined ? undefined : { slot: s }; }
    if (n.type === 'ConstantNode' && typeof n.value === 'number' && Number.isFinite(n.value)) return { value: n.value };
    return undefined;
  };
  const x = leaf(a);
  const y = leaf(b);
  if (!x || !y) return undefined;
  if ('slot' in x && 'slot' in y) {
    const i = x.slot, j = y.slot;
    switch (op) {
      case 'add': return (v) => v[i]! + v[j]!;
      case 'subtract': return (v) => v[i]! - v[j]!;
      case 'multiply': return (v) => v[i]! * v[j]!;
      default: return (v) => v[i]! / v[j]!;
    }
  }
  if ('slot' in x && 'value' in y) {
    const i = x.slot, c = y.value;
    switch (op) {
      case 'add': return (v) => v[i]! + c;
      case 'subtract': return (v) => v[i]! - c;
      case 'multiply': return (v) => v[i]! * c;
      default: return (v) => v[i]! / c;
    }
  }
  if ('value' in x && 'slot' in y) {
    const c = x.value, j = y.slot;
    switch (op) {
      case 'add': return (v) => c + v[j]!;
      case 'subtract': return (v) => c - v[j]!;
      case 'multiply': return (v) => c * v[j]!;
      default: return (v) => c / v[j]!;
    }
  }
  return undefined;
}

/**
 * Parse and check `expr`; `symbols` are the names it may read, in the order of the `vars`
 * array the compiled function receives.
 */
export function compileFormula(expr: string, symbols: readonly string[], parse: ParseFn): Compiled {
  let root: MathNode;
  try {
    root = parse(expr);
  } catch (e) {
    throw new FormulaError(`cannot parse the formula: ${(e as Error).message}`);
  }
  const slots = new Map(symbols.map((s, i) => [s, i]));
  let nodes = 0;

  const build = (node: MathNode, depth: number): Compiled => {
    if (++nodes > MAX_NODES) throw new FormulaError(`the formula is too long (more than ${MAX_NODES} terms)`);
    if (depth > MAX_DEPTH) throw new FormulaError(`the formula is nested too deeply (more than ${MAX_DEPTH} levels)`);
    switch (node.type) {
      case 'ConstantNode': {
        const v = node.value;
        if (typeof v === 'number' && Number.isFinite(v)) return () => v;
        if (typeof v === 'boolean') { const n = +v; return () => n; }
        throw new FormulaError(`only numbers are allowed as constants, not ${JSON.stringify(v)}`);
      }
      case 'SymbolNode': {
        const name = String(node.name);
        const slot = slots.get(name);
        if (slot === undefined) {
          throw new FormulaError(`unknown symbol '${name}'; a formula may use ${symbols.join(', ')}`);
        }
        return (vars) => vars[slot] as number;
      }
      case 'ParenthesisNode':
        return build(node.content as MathNode, depth + 1);
      case 'OperatorNode': {
        const args = (node.args ?? []).map((a) => build(a, depth + 1));
        const fnName = String(node.fn);
        if (args.length === 2 && BINARY[fnName]) {
          const special = specialize(fnName, node.args![0]!, node.args![1]!, slots);
          if (special) return special;
          const [a, b] = args as [Compiled, Compiled];
          switch (fnName) {
            case 'add': return (vars) => a(vars) + b(vars);
            case 'subtract': return (vars) => a(vars) - b(vars);
            case 'multiply': return (vars) => a(vars) * b(vars);
            case 'divide': return (vars) => a(vars) / b(vars);
            default: { const f = BINARY[fnName]; return (vars) => f(a(vars), b(vars)); }
          }
        }
        if (args.length === 1 && UNARY[fnName]) {
          const f = UNARY[fnName];
          const [a] = args as [Compiled];
          return (vars) => f(a(vars));
        }
        throw new FormulaError(`the operator '${node.op}' is not allowed`);
      }
      case 'ConditionalNode': {
        const c = build(node.condition as MathNode, depth + 1);
        const t = build(node.trueExpr as MathNode, depth + 1);
        const f = build(node.falseExpr as MathNode, depth + 1);
        return (vars) => (c(vars) !== 0 ? t(vars) : f(vars));
      }
      case 'FunctionNode': {
        const fnNode = node.fn as MathNode;
        const name = fnNode && fnNode.type === 'SymbolNode' ? String(fnNode.name) : '';
        const def = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
        if (!def) {
          throw new FormulaError(
            `the function '${name || '(expression)'}' is not allowed; allowed: ${ALLOWED_FUNCTIONS.join(', ')}`,
          );
        }
        const args = (node.args ?? []).map((a) => build(a, depth + 1));
        if (args.length < def.arity[0] || args.length > def.arity[1]) {
          throw new FormulaError(`${name} takes ${def.arity[0] === def.arity[1] ? def.arity[0] : `${def.arity[0]} to ${def.arity[1]}`} arguments, not ${args.length}`);
        }
        const f = def.fn;
        if (args.length === 1) { const [a] = args as [Compiled]; return (vars) => f(a(vars)); }
        if (args.length === 2) {
          const [a, b] = args as [Compiled, Compiled];
          if (name === 'min') return (vars) => Math.min(a(vars), b(vars));
          if (name === 'max') return (vars) => Math.max(a(vars), b(vars));
          return (vars) => f(a(vars), b(vars));
        }
        return (vars) => f(...args.map((a) => a(vars)));
      }
      default:
        throw new FormulaError(`${describeNode(node.type)} is not allowed in a formula`);
    }
  };
  return build(root, 0);
}

function describeNode(type: string): string {
  const names: Record<string, string> = {
    AssignmentNode: 'assignment (=)',
    FunctionAssignmentNode: 'a function definition',
    AccessorNode: 'property access (a.b or a[b])',
    IndexNode: 'indexing',
    ArrayNode: 'a matrix or array',
    ObjectNode: 'an object',
    RangeNode: 'a range (a:b)',
    BlockNode: 'more than one expression (; or newline)',
    RelationalNode: 'a chained comparison (a < b < c)',
  };
  return names[type] ?? `a ${type}`;
}
