/**
 * What `carbonpath explore` embeds in the page: the files it read and validated (as values),
 * the levers of each scenario, and how a saved scenario extends the starting one.
 */
import type { MathNode } from '../core/formula.js';
import type { Organization, InventoryRow } from '../schema/organization.js';
import type { PricesFile } from '../schema/prices.js';
import type { ScenarioFile } from '../schema/scenario.js';
import type { TargetsFile } from '../schema/targets.js';
import type { Lever } from './levers.js';

export interface ExplorerScenario {
  name: string;
  title: string;
  /** The scenario file, relative to where the command ran. */
  file: string;
  /** What a saved scenario writes after `extends:`, and the folder it must be saved in. */
  extendsAs: string;
  saveIn: string;
  /** The merged scenario and each file of its extends chain (leaf first, values only). */
  scenario: ScenarioFile;
  chain: Array<{ file: string; value: unknown }>;
  prices?: { file: string; sha256: string; prices: PricesFile } | undefined;
  levers: Lever[];
  /** The report's colour for this scenario (the same order as the report). */
  colour: string;
}

export interface ExplorerData {
  version: string;
  organization: Organization;
  /** The organization folder as given (--data), for the commands the page prints. */
  dataArg?: string | undefined;
  folder: string;
  inventory: { rows: InventoryRow[]; basis: string; file: string };
  targets?: { file: string; sha256: string; targets: TargetsFile } | undefined;
  endYear: number;
  scenarios: ExplorerScenario[];
  /** Index of the scenario the page starts from. */
  start: number;
  samples: number;
  seed: number;
  /** Each formula of the scenarios, parsed by the CLI's parser (src/explore/formulas.ts). */
  formulas: Record<string, MathNode>;
}
