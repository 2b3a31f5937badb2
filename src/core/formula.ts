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
function specialize(
  op: string,
  a: MathNode,
  b: MathNode,
  slots: Map<string, number>,
): Compiled | undefined {
  if (op !== 'add' && op !== 'subtract' && op !== 'multiply' && op !== 'divide') return undefined;
  const leaf = (n: MathNode): { slot: number } | { value: number } | undefined => {
    if (n.type === 'SymbolNode') {
      const s = slots.get(String(n.name));
      return s === undefined ? undefined : { slot: s };
    }
    if (n.type === 'ConstantNode' && typeof n.value === 'number' && Number.isFinite(n.value))
      return { value: n.value };
    return undefined;
  };
  const x = leaf(a);
  const y = leaf(b);
  if (!x || !y) return undefined;
  if ('slot' in x && 'slot' in y) {
    const i = x.slot,
      j = y.slot;
    switch (op) {
      case 'add':
        return (v) => v[i]! + v[j]!;
      case 'subtract':
        return (v) => v[i]! - v[j]!;
      case 'multiply':
        return (v) => v[i]! * v[j]!;
      default:
        return (v) => v[i]! / v[j]!;
    }
  }
  if ('slot' in x && 'value' in y) {
    const i = x.slot,
      c = y.value;
    switch (op) {
      case 'add':
        return (v) => v[i]! + c;
      case 'subtract':
        return (v) => v[i]! - c;
      case 'multiply':
        return (v) => v[i]! * c;
      default:
        return (v) => v[i]! / c;
    }
  }
  if ('value' in x && 'slot' in y) {
    const c = x.value,
      j = y.slot;
    switch (op) {
      case 'add':
        return (v) => c + v[j]!;
      case 'subtract':
        return (v) => c - v[j]!;
      case 'multiply':
        return (v) => c * v[j]!;
      default:
        return (v) => c / v[j]!;
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
    if (++nodes > MAX_NODES)
      throw new FormulaError(`the formula is too long (more than ${MAX_NODES} terms)`);
    if (depth > MAX_DEPTH)
      throw new FormulaError(`the formula is nested too deeply (more than ${MAX_DEPTH} levels)`);
    switch (node.type) {
      case 'ConstantNode': {
        const v = node.value;
        if (typeof v === 'number' && Number.isFinite(v)) return () => v;
        if (typeof v === 'boolean') {
          const n = +v;
          return () => n;
        }
        throw new FormulaError(`only numbers are allowed as constants, not ${JSON.stringify(v)}`);
      }
      case 'SymbolNode': {
        const name = String(node.name);
        const slot = slots.get(name);
        if (slot === undefined) {
          throw new FormulaError(
            `unknown symbol '${name}'; a formula may use ${symbols.join(', ')}`,
          );
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
            case 'add':
              return (vars) => a(vars) + b(vars);
            case 'subtract':
              return (vars) => a(vars) - b(vars);
            case 'multiply':
              return (vars) => a(vars) * b(vars);
            case 'divide':
              return (vars) => a(vars) / b(vars);
            default: {
              const f = BINARY[fnName];
              return (vars) => f(a(vars), b(vars));
            }
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
        const def = Object.prototype.hasOwnProperty.call(FUNCTIONS, name)
          ? FUNCTIONS[name]
          : undefined;
        if (!def) {
          throw new FormulaError(
            `the function '${name || '(expression)'}' is not allowed; ` +
              `allowed: ${ALLOWED_FUNCTIONS.join(', ')}`,
          );
        }
        const args = (node.args ?? []).map((a) => build(a, depth + 1));
        if (args.length < def.arity[0] || args.length > def.arity[1]) {
          throw new FormulaError(
            `${name} takes ${
              def.arity[0] === def.arity[1] ? def.arity[0] : `${def.arity[0]} to ${def.arity[1]}`
            } arguments, not ${args.length}`,
          );
        }
        const f = def.fn;
        if (args.length === 1) {
          const [a] = args as [Compiled];
          return (vars) => f(a(vars));
        }
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

/**
 * The checked formula as a JavaScript expression for generated code (resolve-kernel.ts): the
 * tree is validated by compileFormula first, then rendered from fixed tokens only — symbols as
 * the caller's `symbol(index)` code, numbers as `number(value)` code (a table entry, never the
 * file's text), + − × ÷ and unary minus inline, every other operator and function as
 * `F[k]` from FORMULA_FUNCTIONS. The same operations in the same order as compileFormula, so
 * the results are identical (tested).
 */
export function formulaSource(
  expr: string,
  symbols: readonly string[],
  parse: ParseFn,
  symbol: (index: number) => string,
  number: (value: number) => string,
): string {
  compileFormula(expr, symbols, parse); // validates, with the same errors
  const slots = new Map(symbols.map((s, i) => [s, i]));
  const fn = (f: (...a: number[]) => number): string => `F[${FORMULA_FUNCTIONS.indexOf(f)}]`;
  const render = (node: MathNode): string => {
    switch (node.type) {
      case 'ConstantNode':
        return number(typeof node.value === 'boolean' ? +node.value : (node.value as number));
      case 'SymbolNode':
        return symbol(slots.get(String(node.name))!);
      case 'ParenthesisNode':
        return render(node.content as MathNode);
      case 'OperatorNode': {
        const args = (node.args ?? []).map(render);
        const name = String(node.fn);
        if (args.length === 2) {
          const inline = INLINE[name];
          return inline
            ? `(${args[0]} ${inline} ${args[1]})`
            : `${fn(BINARY[name]!)}(${args.join(', ')})`;
        }
        return name === 'unaryMinus' ? `(-${args[0]})` : `${fn(UNARY[name]!)}(${args[0]})`;
      }
      case 'ConditionalNode':
        return (
          `(${render(node.condition as MathNode)} !== 0 ? ` +
          `${render(node.trueExpr as MathNode)} : ${render(node.falseExpr as MathNode)})`
        );
      default: {
        // FunctionNode (compileFormula refused everything else)
        const def = FUNCTIONS[String((node.fn as MathNode).name)]!;
        return `${fn(def.fn)}(${(node.args ?? []).map(render).join(', ')})`;
      }
    }
  };
  return render(parse(expr));
}

const INLINE: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/' };

/** The functions generated formula code calls as F[k]: the same ones compileFormula calls. */
export const FORMULA_FUNCTIONS: ReadonlyArray<(...a: number[]) => number> = [
  ...new Set([
    ...Object.values(FUNCTIONS).map((d) => d.fn),
    ...Object.values(BINARY),
    ...Object.values(UNARY),
  ]),
];

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

/**
 * Whole-path evaluation of a formula that does not read `prev`: the (validated) tree becomes a
 * list of kernels run in post-order, each writing its node's values for every year into its own
 * preallocated buffer — no per-year closure walk, no return values, nothing allocated per call.
 * `yearly` symbols come as fixed arrays; the others are scalars read from `vars`. Same operations
 * in the same order per element as compileFormula, so results are identical (tested).
 */
export type VectorCompiled = (vars: ArrayLike<number>) => Float64Array;

type Operand =
  | { kind: 'vec'; buf: Float64Array }
  | { kind: 'var'; slot: number }
  | { kind: 'const'; value: number }
  | { kind: 'scalar'; buf: Float64Array };

/**
 * A scalar operand: a constant (slot −1, no buf), a variable (slot ≥ 0) or a scalar node's
 * one-element buffer.
 */
interface ScalarRef {
  slot: number;
  value: number;
  buf: Float64Array;
}
const NO_BUF = new Float64Array(0);
const readScalar = (r: ScalarRef, v: ArrayLike<number>): number =>
  r.slot >= 0 ? v[r.slot]! : r.buf.length > 0 ? r.buf[0]! : r.value;

export function compileFormulaVector(
  expr: string,
  symbols: readonly string[],
  yearly: Readonly<Record<string, Float64Array>>,
  parse: ParseFn,
  n: number,
): VectorCompiled {
  compileFormula(expr, symbols, parse); // validates, with the same errors
  const root = parse(expr);
  const slots = new Map(symbols.map((s, i) => [s, i]));
  const kernels: Array<(vars: ArrayLike<number>) => void> = [];

  // A scalar operand as data, read inline (a closure returning a double would box it on every
  // call).
  const scalarReader = (o: Operand): ScalarRef => {
    if (o.kind === 'const') return { slot: -1, value: o.value, buf: NO_BUF };
    if (o.kind === 'var') return { slot: o.slot, value: 0, buf: NO_BUF };
    return { slot: -1, value: 0, buf: (o as { buf: Float64Array }).buf };
  };

  /**
   * Elementwise f over operands; specialised for the arithmetic hot path. Kernels copy their
   * captured arrays into locals first: V8 then keeps them in registers (measured 57 → 37 ns a
   * kernel).
   */
  const emit = (ops: Operand[], f: (...a: number[]) => number, name: string): Operand => {
    if (ops.every((o) => o.kind !== 'vec')) {
      const out = new Float64Array(1);
      const rs = ops.map(scalarReader);
      if (rs.length === 1) {
        const [a] = rs as [ScalarRef];
        kernels.push((v) => {
          out[0] = f(readScalar(a, v));
        });
      } else if (rs.length === 2) {
        const [a, b] = rs as [ScalarRef, ScalarRef];
        kernels.push((v) => {
          out[0] = f(readScalar(a, v), readScalar(b, v));
        });
      } else
        kernels.push((v) => {
          out[0] = f(...rs.map((r) => readScalar(r, v)));
        });
      return { kind: 'scalar', buf: out };
    }
    const out = new Float64Array(n);
    if (ops.length === 2) {
      const [x, y] = ops as [Operand, Operand];
      if (x.kind === 'vec' && y.kind === 'vec') {
        const A = x.buf,
          B = y.buf;
        switch (name) {
          case 'add':
            kernels.push(() => {
              const a = A,
                b = B,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! + b[i]!;
            });
            break;
          case 'subtract':
            kernels.push(() => {
              const a = A,
                b = B,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! - b[i]!;
            });
            break;
          case 'multiply':
            kernels.push(() => {
              const a = A,
                b = B,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! * b[i]!;
            });
            break;
          case 'divide':
            kernels.push(() => {
              const a = A,
                b = B,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! / b[i]!;
            });
            break;
          default:
            kernels.push(() => {
              const a = A,
                b = B,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = f(a[i]!, b[i]!);
            });
        }
        return { kind: 'vec', buf: out };
      }
      if (x.kind === 'vec') {
        const A = x.buf,
          rb = scalarReader(y);
        switch (name) {
          case 'add':
            kernels.push((v) => {
              const c = readScalar(rb, v),
                a = A,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! + c;
            });
            break;
          case 'subtract':
            kernels.push((v) => {
              const c = readScalar(rb, v),
                a = A,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! - c;
            });
            break;
          case 'multiply':
            kernels.push((v) => {
              const c = readScalar(rb, v),
                a = A,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! * c;
            });
            break;
          case 'divide':
            kernels.push((v) => {
              const c = readScalar(rb, v),
                a = A,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = a[i]! / c;
            });
            break;
          case 'min':
            kernels.push((v) => {
              const c = readScalar(rb, v),
                a = A,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = Math.min(a[i]!, c);
            });
            break;
          case 'max':
            kernels.push((v) => {
              const c = readScalar(rb, v),
                a = A,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = Math.max(a[i]!, c);
            });
            break;
          default:
            kernels.push((v) => {
              const c = readScalar(rb, v),
                a = A,
                o = out,
                m = n;
              for (let i = 0; i < m; i++) o[i] = f(a[i]!, c);
            });
        }
        return { kind: 'vec', buf: out };
      }
      const ra = scalarReader(x),
        B = (y as { buf: Float64Array }).buf;
      switch (name) {
        case 'add':
          kernels.push((v) => {
            const c = readScalar(ra, v),
              b = B,
              o = out,
              m = n;
            for (let i = 0; i < m; i++) o[i] = c + b[i]!;
          });
          break;
        case 'subtract':
          kernels.push((v) => {
            const c = readScalar(ra, v),
              b = B,
              o = out,
              m = n;
            for (let i = 0; i < m; i++) o[i] = c - b[i]!;
          });
          break;
        case 'multiply':
          kernels.push((v) => {
            const c = readScalar(ra, v),
              b = B,
              o = out,
              m = n;
            for (let i = 0; i < m; i++) o[i] = c * b[i]!;
          });
          break;
        case 'divide':
          kernels.push((v) => {
            const c = readScalar(ra, v),
              b = B,
              o = out,
              m = n;
            for (let i = 0; i < m; i++) o[i] = c / b[i]!;
          });
          break;
        case 'min':
          kernels.push((v) => {
            const c = readScalar(ra, v),
              b = B,
              o = out,
              m = n;
            for (let i = 0; i < m; i++) o[i] = Math.min(c, b[i]!);
          });
          break;
        case 'max':
          kernels.push((v) => {
            const c = readScalar(ra, v),
              b = B,
              o = out,
              m = n;
            for (let i = 0; i < m; i++) o[i] = Math.max(c, b[i]!);
          });
          break;
        default:
          kernels.push((v) => {
            const c = readScalar(ra, v),
              b = B,
              o = out,
              m = n;
            for (let i = 0; i < m; i++) o[i] = f(c, b[i]!);
          });
      }
      return { kind: 'vec', buf: out };
    }
    // unary and 3+ operands: general elementwise
    const readers = ops.map((o) => (o.kind === 'vec' ? undefined : scalarReader(o)));
    const bufs = ops.map((o) => (o.kind === 'vec' ? o.buf : undefined));
    const args = new Array<number>(ops.length);
    kernels.push((v) => {
      const sc = readers.map((r) => (r ? readScalar(r, v) : 0));
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < ops.length; k++) args[k] = bufs[k] ? bufs[k]![i]! : sc[k]!;
        out[i] = f(...args);
      }
    });
    return { kind: 'vec', buf: out };
  };

  const build = (node: MathNode): Operand => {
    switch (node.type) {
      case 'ConstantNode':
        return {
          kind: 'const',
          value: typeof node.value === 'boolean' ? +node.value : (node.value as number),
        };
      case 'SymbolNode': {
        const name = String(node.name);
        const arr = yearly[name];
        return arr ? { kind: 'vec', buf: arr } : { kind: 'var', slot: slots.get(name)! };
      }
      case 'ParenthesisNode':
        return build(node.content as MathNode);
      case 'OperatorNode': {
        const ops = (node.args ?? []).map(build);
        const name = String(node.fn);
        return emit(
          ops,
          (ops.length === 2 ? BINARY[name] : UNARY[name]) as (...a: number[]) => number,
          name,
        );
      }
      case 'ConditionalNode':
        return emit(
          [build(node.condition!), build(node.trueExpr!), build(node.falseExpr!)],
          (c, a, b) => (c !== 0 ? a! : b!),
          'conditional',
        );
      case 'FunctionNode': {
        const name = String((node.fn as MathNode).name);
        const ops = (node.args ?? []).map(build);
        const f = FUNCTIONS[name]!.fn;
        const two = ops.length === 2 && (name === 'min' || name === 'max');
        return emit(
          ops,
          two ? (name === 'min' ? (a, b) => Math.min(a!, b!) : (a, b) => Math.max(a!, b!)) : f,
          two ? name : `fn:${name}`,
        );
      }
      default:
        throw new FormulaError(`internal: ${node.type} passed validation`);
    }
  };
  const top = build(root);
  const result = top.kind === 'vec' ? top.buf : new Float64Array(n);
  const fillScalar = top.kind === 'vec' ? undefined : scalarReader(top);
  const list = kernels;
  return (vars) => {
    for (let k = 0; k < list.length; k++) list[k]!(vars);
    if (fillScalar) result.fill(readScalar(fillScalar, vars));
    return result;
  };
}

/**
 * Interval arithmetic: bounds on a formula's value for every combination of its symbols within
 * their ranges, used to prove a quantity can never leave its bounds (so Monte Carlo need not check
 * it per path). Each result is widened outward by a few units in the last place, covering the
 * rounding of the real evaluation. Anything not analysed (prev, pow, mod, comparisons' operands
 * that matter, division by an interval holding 0) gives [−∞, ∞]: "not proven", never wrong.
 */
export type Interval = readonly [number, number];
export const UNBOUNDED: Interval = [-Infinity, Infinity];

/**
 * Widen by `ulps` relative units in the last place (and a tiny absolute amount for values
 * near 0).
 */
export function widen([lo, hi]: Interval, ulps = 2): Interval {
  const u = ulps * 1.12e-16;
  const r: Interval = [lo - Math.abs(lo) * u - 1e-300, hi + Math.abs(hi) * u + 1e-300];
  return Number.isNaN(r[0]) || Number.isNaN(r[1]) ? UNBOUNDED : r;
}

/** The smallest interval holding all of `xs`. */
export const hull = (xs: readonly Interval[]): Interval => [
  Math.min(...xs.map((x) => x[0])),
  Math.max(...xs.map((x) => x[1])),
];

export function intervalOp(op: string, a: Interval, b: Interval): Interval {
  switch (op) {
    case 'add':
      return widen([a[0] + b[0], a[1] + b[1]]);
    case 'subtract':
      return widen([a[0] - b[1], a[1] - b[0]]);
    case 'multiply': {
      const p = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]];
      return p.some(Number.isNaN) ? UNBOUNDED : widen([Math.min(...p), Math.max(...p)]);
    }
    case 'divide': {
      if (b[0] <= 0 && b[1] >= 0) return UNBOUNDED;
      const p = [a[0] / b[0], a[0] / b[1], a[1] / b[0], a[1] / b[1]];
      return p.some(Number.isNaN) ? UNBOUNDED : widen([Math.min(...p), Math.max(...p)]);
    }
    default:
      return UNBOUNDED;
  }
}

/** Monotone increasing functions of one argument, with the domain where they are. */
const INCREASING: Record<string, { fn: (x: number) => number; from: number }> = {
  sqrt: { fn: Math.sqrt, from: 0 },
  exp: { fn: Math.exp, from: -Infinity },
  log10: { fn: Math.log10, from: 0 },
  floor: { fn: Math.floor, from: -Infinity },
  ceil: { fn: Math.ceil, from: -Infinity },
  round: { fn: Math.round, from: -Infinity },
  sign: { fn: Math.sign, from: -Infinity },
};

/**
 * Bounds of an already validated formula, given each symbol's range (symbols not given:
 * unbounded).
 */
export function formulaInterval(
  expr: string,
  ranges: Readonly<Record<string, Interval>>,
  parse: ParseFn,
): Interval {
  const walk = (node: MathNode): Interval => {
    switch (node.type) {
      case 'ConstantNode': {
        const v = typeof node.value === 'boolean' ? +node.value : (node.value as number);
        return [v, v];
      }
      case 'SymbolNode':
        return ranges[String(node.name)] ?? UNBOUNDED;
      case 'ParenthesisNode':
        return walk(node.content!);
      case 'ConditionalNode':
        return hull([walk(node.trueExpr!), walk(node.falseExpr!)]);
      case 'OperatorNode': {
        const args = (node.args ?? []).map(walk);
        const op = String(node.fn);
        if (args.length === 1) {
          const [a] = args as [Interval];
          if (op === 'unaryMinus') return [-a[1], -a[0]];
          if (op === 'unaryPlus') return a;
          return op === 'not' ? [0, 1] : UNBOUNDED;
        }
        if (
          ['smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal', 'and', 'or'].includes(
            op,
          )
        )
          return [0, 1];
        return intervalOp(op, args[0]!, args[1]!);
      }
      case 'FunctionNode': {
        const name = String((node.fn as MathNode).name);
        const args = (node.args ?? []).map(walk);
        // min and max are increasing in every argument; clamp(x, lo, hi) = min(hi, max(lo, x))
        if (name === 'min')
          return [Math.min(...args.map((a) => a[0])), Math.min(...args.map((a) => a[1]))];
        if (name === 'max')
          return [Math.max(...args.map((a) => a[0])), Math.max(...args.map((a) => a[1]))];
        if (name === 'clamp') {
          const [x, lo, hi] = args as [Interval, Interval, Interval];
          return [Math.min(hi[0], Math.max(lo[0], x[0])), Math.min(hi[1], Math.max(lo[1], x[1]))];
        }
        if (name === 'abs' && args.length === 1) {
          const [a] = args as [Interval];
          return a[0] >= 0 ? a : a[1] <= 0 ? [-a[1], -a[0]] : [0, Math.max(-a[0], a[1])];
        }
        if (name === 'log' && args.length === 1) return monotone(Math.log, 0, args[0]!);
        const inc = Object.prototype.hasOwnProperty.call(INCREASING, name)
          ? INCREASING[name]
          : undefined;
        return inc && args.length === 1 ? monotone(inc.fn, inc.from, args[0]!) : UNBOUNDED;
      }
      default:
        return UNBOUNDED;
    }
  };
  const monotone = (f: (x: number) => number, from: number, a: Interval): Interval =>
    a[0] < from || (from === 0 && a[0] === 0 && f !== Math.sqrt)
      ? UNBOUNDED
      : widen([f(a[0]), f(a[1])], 8);
  return walk(parse(expr));
}
