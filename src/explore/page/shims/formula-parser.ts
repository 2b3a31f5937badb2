/**
 * app/formula-parser.ts for the page. The CLI parses formulas with mathjs (app/project.ts
 * loadParser); the page gets, in its place, the parse trees the CLI's parser made of every
 * formula of the embedded scenarios (src/explore/formulas.ts), so no copy of mathjs is bundled.
 */
import type { ParseFn } from '../../../core/formula.js';
import { lookupParser } from '../../formulas.js';
import { pageFiles } from './files.js';

export const parse: ParseFn = (expr) => lookupParser(pageFiles.formulas ?? {})(expr);
