/**
 * The formula parser: mathjs's own `parse`, from an instance that holds only what parsing needs
 * (`create` with `parseDependencies`, the factory subset mathjs documents for this). The scenario
 * language is checked and compiled by src/core/formula.ts from the syntax tree; nothing of
 * mathjs's evaluator is in this instance. The build bundles this file with just those mathjs
 * modules (scripts/bundle-cli.mjs): ~0.1 s less on every CLI call than mathjs's single-file build.
 */
import { create, parseDependencies } from 'mathjs/number';
import type { ParseFn } from '../core/formula.js';

export const parse = create({ parseDependencies: parseDependencies! }).parse as unknown as ParseFn;
