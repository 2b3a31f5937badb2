/**
 * Breaks in reported series (organization.yaml `seriesBreaks`): checked against the variables the
 * organization's trajectories have, and picked for a run (its basis, its history).
 */
import { join } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import { shapeOf } from '../core/structure.js';
import { variablesOf } from '../core/variables.js';
import type { LoadedOrganization } from '../io/load-organization.js';
import { nearest } from '../io/nearest.js';
import type { SeriesBreak } from '../schema/organization.js';

/** Every variable a break names is one the trajectories can have; else exit 2 naming it. */
export function checkSeriesBreaks(org: LoadedOrganization): void {
  const breaks = org.organization.seriesBreaks ?? [];
  if (breaks.length === 0) return;
  const known = variablesOf(shapeOf(org.organization)).map((v) => v.name);
  const problems: Problem[] = [];
  breaks.forEach((b, i) =>
    b.variables.forEach((v, j) => {
      if (known.includes(v)) return;
      const near = nearest(v, known);
      problems.push({
        file: join(org.folder, 'organization.yaml'),
        path: `seriesBreaks.${i}.variables.${j}`,
        message: `'${v}' is not a trajectory variable of this organization`,
        fix: near
          ? `did you mean '${near}'?`
          : `use a variable of trajectories.csv, e.g. ${known.slice(0, 3).join(', ')}`,
      });
    }),
  );
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * The breaks in a run's history: on its basis (or every basis) and no later than its base year
 * (a break after it lies in data the run does not use).
 */
export function breaksInHistory(
  breaks: readonly SeriesBreak[] | undefined,
  basis: string,
  baseYear: number,
): SeriesBreak[] {
  return (breaks ?? []).filter(
    (b) => (b.basis === undefined || b.basis === basis) && b.year <= baseYear,
  );
}
