/**
 * `carbonpath explain [--data DIR]`: the equations the kernel runs for one organization, by
 * name, from the same statements the kernel's code is rendered from; then every input with its
 * unit and base-year value.
 */
import { calibrate } from '../../core/calibrate.js';
import { kernelOf } from '../../core/model.js';
import { loadOrganization } from '../../io/load-organization.js';
import { textTable } from '../table.js';
import { yearLabel } from '../../core/fiscal-year.js';
import { dataErrorToInput } from '../../app/project.js';
import { DataError } from '../../core/calibrate.js';
import { print, result } from '../output.js';

export function explainText(data: string | undefined, basis?: string): string {
  const org = loadOrganization(data, basis);
  let base;
  try {
    base = calibrate(org.organization, org.inventory);
  } catch (e) {
    if (e instanceof DataError) throw dataErrorToInput(e, org);
    throw e;
  }
  const kernel = kernelOf(base);
  const inputs = base.inputs.map((d) => [d.key, d.unit, String(d.base)]);
  return (
    `${base.organization}: the model compiled from organization.yaml (base year ` +
    `${yearLabel(org.organization.fiscalYear, base.baseYear)}, ` +
    `basis ${base.basis})\n\n` +
    'Every year i (quantities without [id] are the organization’s totals):\n\n' +
    kernel.equations.map((l) => `  ${l}`).join('\n') +
    '\n\nInputs (a scenario sets each under parameters.<key>):\n\n' +
    textTable(['key', 'unit', yearLabel(org.organization.fiscalYear, base.baseYear)], inputs) +
    '\n'
  );
}

export function explainCommand(opts: { data?: string; basis?: string }): void {
  const text = explainText(opts.data, opts.basis);
  result({ text });
  print(text);
}
