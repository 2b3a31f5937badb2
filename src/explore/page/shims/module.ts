/**
 * node:module for the page. The CLI requires mathjs for its formula parser (app/project.ts
 * loadParser); the page gets, in its place, the parse trees the CLI's parser made of every
 * formula of the embedded scenarios (src/explore/formulas.ts), so no copy of mathjs is bundled.
 */
import type { ParseFn } from '../../../core/formula.js';
import { lookupParser } from '../../formulas.js';
import { pageFiles } from './files.js';

const parse: ParseFn = (expr) => lookupParser(pageFiles.formulas ?? {})(expr);

export function createRequire(_from: string): (id: string) => unknown {
  return (id: string) => {
    if (id === 'mathjs/lib/browser/math.js') return { parse };
    throw new Error(`${id} is not bundled into the explorer page`);
  };
}
