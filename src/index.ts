/**
 * carbonpath as a library. The stable API (semver: changes only with a major version) is the
 * first block, from ./api.ts, documented in docs/library.md; the rest is the lower-level core
 * and loaders the CLI is built from, which may change between minor versions.
 */
export {
  project,
  evaluateTargets,
  offsets,
  monteCarlo,
  writeReport,
  type ProjectOptions,
  type Projection,
  type MonteCarloOptions,
  type ReportOptions,
} from './api.js';
export type { ScenarioEvaluation } from './app/evaluate.js';
export type { ScenarioRun } from './app/project.js';
export type { SimulationResult } from './app/simulate.js';
export type { OffsetResult } from './app/offsets.js';
export type { TargetResult, TargetStatus } from './core/targets.js';
export type { LoadedOrganization } from './io/load-organization.js';
export type { LoadedTargets } from './io/load-targets.js';
export { calibrate, DataError, type BaseState, type CalibrationTerm } from './core/calibrate.js';
export {
  allocateInputs,
  compileScenario,
  resolveInputs,
  runCompiled,
  FieldError,
  type CompiledScenario,
} from './core/engine.js';
export { compileFormula, FormulaError, ALLOWED_FUNCTIONS } from './core/formula.js';
export { Inventory } from './core/inventory.js';
export {
  // the deterministic model of one scenario (the CLI's `simulate` is the Monte Carlo: monteCarlo)
  simulate as runModel,
  allocateOutputs,
  kernelOf,
  applyCredits,
  creditableOf,
  type Outputs,
  type ResolvedInputs,
} from './core/model.js';
export { PARAMETERS, FAMILIES, ASSUMPTIONS } from './core/parameters.js';
export { trajectoryRows, type TrajectoryRow } from './core/trajectory.js';
export { variablesOf, CONTRACT_VARIABLES } from './core/variables.js';
export { compileKernel, type Kernel } from './core/kernel.js';
export { inputsOf, outputKeysOf, V1_PARAMETERS, type InputDef } from './core/structure.js';
export { scenarioSchema, scenarioJsonSchema, type ScenarioFile } from './schema/scenario.js';
export {
  organizationSchema,
  organizationV1Schema,
  upgradeOrganization,
  type Organization,
} from './schema/organization.js';
export { loadOrganization } from './io/load-organization.js';
export { loadScenario, bundledScenarioNames } from './io/load-scenario.js';
export { projectScenarios, loadParser } from './app/project.js';
export { InputError, UsageError, CarbonpathError, FailOnError, type Problem } from './errors.js';
