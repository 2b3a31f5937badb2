/**
 * node:module for the page: the formula parser (app/project.ts loadParser) is the same
 * mathjs single-file build the CLI requires, bundled into the page.
 */
import * as mathjs from 'mathjs/lib/browser/math.js';

export function createRequire(_from: string): (id: string) => unknown {
  return (id: string) => {
    if (id === 'mathjs/lib/browser/math.js') return mathjs;
    throw new Error(`${id} is not bundled into the explorer page`);
  };
}
