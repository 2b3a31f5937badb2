/**
 * From a (merged) scenario and a calibrated organization to yearly inputs and outputs.
 * Parse once (compileScenario), then resolve and simulate as often as needed.
 */
import type { ScenarioFile, Spec } from '../schema/scenario.js';
import type { Organization } from '../schema/organization.js';
import { calibrate, type BaseState } from './calibrate.js';
import type { ParseFn } from './formula.js';
import type { Inventory } from './inventory.js';
import { allocateOutputs, simulate, type Outputs, type ResolvedInputs } from './model.js';
import { FAMILIES, PARAMETER_NAMES, PARAMETERS, type ParameterName } from './parameters.js';
import {
  axisLength, checkBounds, prepareSpec, resolveInto, SpecError, type Axis, type PreparedSpec,
} from './resolve.js';

/** A problem in one field of a scenario; the I/O layer adds the file and line. */
export class FieldError extends Error {
  constructor(readonly path: Array<string | number>, message: string, readonly fix?: string) {
    super(message);
  }
}

export interface CompiledScenario {
  name: string;
  scenario: ScenarioFile;
  base: BaseState;
  axis: Axis;
  constants: Record<string, number>;
  params: Record<ParameterName, PreparedSpec>;
  fuels: PreparedSpec[];
  avoided: PreparedSpec[];
}

export const scenarioHasFormula = (s: ScenarioFile): boolean =>
  JSON.stringify(s.parameters ?? {}).includes('"formula"');

function prepared(spec: Spec | undefined, constants: Record<string, number>, parse: ParseFn | undefined, path: Array<string | number>): PreparedSpec {
  try {
    return prepareSpec(spec, constants, parse);
  } catch (e) {
    if (e instanceof SpecError) throw new FieldError([...path, ...(e.subPath ? [e.subPath] : [])], e.message, e.fix);
    throw e;
  }
}

export function compileScenario(
  name: string, scenario: ScenarioFile, org: Organization, inv: Inventory, endYear: number, parse: ParseFn | undefined,
): CompiledScenario {
  const base = calibrate(org, inv, scenario.assumptions ?? {});
  if (endYear <= base.baseYear) {
    throw new FieldError([], `the end year ${endYear} is not after the base year ${base.baseYear}`, `use --to ${base.baseYear + 1} or later`);
  }
  const axis = { baseYear: base.baseYear, endYear };
  const constants = scenario.constants ?? {};
  const ps = scenario.parameters ?? {};
  const params = {} as Record<ParameterName, PreparedSpec>;
  for (const p of PARAMETER_NAMES) params[p] = prepared(ps[p], constants, parse, ['parameters', p]);
  const family = (fam: 'fuels' | 'avoided', ids: string[]): PreparedSpec[] => {
    const given = ps[fam] ?? {};
    for (const key of Object.keys(given)) {
      if (!ids.includes(key)) {
        throw new FieldError(['parameters', fam, key], `unknown ${fam === 'fuels' ? 'fuel' : 'programme'} '${key}'`,
          `use one the organization defines: ${ids.join(', ') || '(none)'}`);
      }
    }
    return ids.map((id) => prepared(given[id], constants, parse, ['parameters', fam, id]));
  };
  return {
    name, scenario, base, axis, constants, params,
    fuels: family('fuels', base.fuels.map((f) => f.id)),
    avoided: family('avoided', base.programmes.map((p) => p.id)),
  };
}

function fill(spec: PreparedSpec, baseValue: number, c: CompiledScenario, rule: 'hold' | 'zero',
  bounds: { min?: number; max?: number; unit: string }, path: Array<string | number>): Float64Array {
  const out = new Float64Array(axisLength(c.axis));
  try {
    resolveInto(out, spec, baseValue, c.axis, rule, c.constants);
    checkBounds(out, c.axis, bounds.min, bounds.max, bounds.unit);
  } catch (e) {
    if (e instanceof SpecError) throw new FieldError([...path, ...(e.subPath ? [e.subPath] : [])], e.message, e.fix);
    throw e;
  }
  return out;
}

export function resolveInputs(c: CompiledScenario): ResolvedInputs {
  const params = {} as Record<ParameterName, Float64Array>;
  for (const p of PARAMETER_NAMES) {
    const def = PARAMETERS[p];
    params[p] = fill(c.params[p], c.base.values[p], c, def.default, def, ['parameters', p]);
  }
  const fuels = c.fuels.map((s, i) => {
    const f = c.base.fuels[i]!;
    return fill(s, f.base, c, 'hold', { min: 0, unit: f.unit }, ['parameters', 'fuels', f.id]);
  });
  const avoided = c.avoided.map((s, i) => {
    const p = c.base.programmes[i]!;
    return fill(s, p.base, c, FAMILIES.avoided.default, FAMILIES.avoided, ['parameters', 'avoided', p.id]);
  });
  return { params, fuels, avoided };
}

export function runCompiled(c: CompiledScenario): { inputs: ResolvedInputs; outputs: Outputs } {
  const inputs = resolveInputs(c);
  const outputs = simulate(c.base, inputs, allocateOutputs(axisLength(c.axis)));
  return { inputs, outputs };
}
