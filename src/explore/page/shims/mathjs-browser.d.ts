/** The mathjs single-file build (the same package and parser as mathjs's modules). */
declare module 'mathjs/lib/browser/math.js' {
  export const parse: unknown;
}
