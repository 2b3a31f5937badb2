/** carbonpath as a library: the pure core plus the loaders. */
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
  simulate,
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
export { InputError, UsageError, CarbonpathError } from './errors.js';
