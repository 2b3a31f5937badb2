/**
 * Base-year values that depend on a segment's share of purchased electricity, as closed-form
 * expressions of the share. Calibration builds them with the operations it performs itself
 * (calibrate.ts: the segment split, the remainder's electricity and clean share, IT load =
 * electricity ÷ PUE), so a Monte Carlo path that draws the share gets, for each such input, the
 * value calibration would give for its draw: the closure evaluates the tree, the generated
 * resolvers render it as source — the same operations in the same order, so the same bits.
 */

/** The share (`s`), a calibrated constant (`k`), an operation, or `pos > 0 ? then : 0`. */
export type ShareExpr =
  | { s: true }
  | { k: number }
  | { op: '+' | '-' | '*' | '/'; a: ShareExpr; b: ShareExpr }
  | { pos: ShareExpr; then: ShareExpr };

export const shareVar: ShareExpr = { s: true };
export const shareConst = (k: number): ShareExpr => ({ k });
export const shareOp = (op: '+' | '-' | '*' | '/', a: ShareExpr, b: ShareExpr): ShareExpr => ({
  op,
  a,
  b,
});

/** The expression's value for share `s`. */
export function evalShare(e: ShareExpr, s: number): number {
  if ('s' in e) return s;
  if ('k' in e) return e.k;
  if ('pos' in e) return evalShare(e.pos, s) > 0 ? evalShare(e.then, s) : 0;
  const a = evalShare(e.a, s);
  const b = evalShare(e.b, s);
  switch (e.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

/** The expression as source: `s` is the share's code, `K` places a constant in a table. */
export function shareCode(e: ShareExpr, s: string, K: (v: number) => string): string {
  if ('s' in e) return s;
  if ('k' in e) return K(e.k);
  if ('pos' in e) return `(${shareCode(e.pos, s, K)} > 0 ? ${shareCode(e.then, s, K)} : 0)`;
  return `(${shareCode(e.a, s, K)} ${e.op} ${shareCode(e.b, s, K)})`;
}

/** A share-dependent base-year value bound to the sample slot that holds the share. */
export interface DerivedBase {
  expr: ShareExpr;
  slot: number;
}
