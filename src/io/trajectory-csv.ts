import type { TrajectoryRow } from '../core/trajectory.js';
import { toCsv, type Cell } from './csv-output.js';
import { iamcRows } from './iamc.js';

export const LONG_HEADER = [
  'scenario',
  'entity',
  'variable',
  'unit',
  'year',
  'kind',
  'value',
] as const;
export type TrajectoryFormat = 'long' | 'wide' | 'iamc';

export function trajectoriesCsv(
  rows: readonly TrajectoryRow[],
  format: TrajectoryFormat,
  model: string,
): string {
  if (format === 'long') {
    return toCsv(
      LONG_HEADER,
      rows.map((r) => [r.scenario, r.entity, r.variable, r.unit, r.year, r.kind, r.value]),
    );
  }
  if (format === 'iamc') rows = iamcRows(rows);
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const groups = new Map<string, { head: Cell[]; values: Map<number, number> }>();
  for (const r of rows) {
    const key = `${r.scenario}\u0000${r.entity}\u0000${r.variable}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        head:
          format === 'iamc'
            ? [model, r.scenario, r.entity, r.variable, r.unit]
            : [r.scenario, r.entity, r.variable, r.unit],
        values: new Map(),
      };
      groups.set(key, g);
    }
    g.values.set(r.year, r.value);
  }
  const header =
    format === 'iamc'
      ? ['model', 'scenario', 'region', 'variable', 'unit', ...years.map(String)]
      : ['scenario', 'entity', 'variable', 'unit', ...years.map(String)];
  const body = [...groups.values()].map((g) => [...g.head, ...years.map((y) => g.values.get(y))]);
  return toCsv(header, body);
}
