/**
 * `carbonpath migrate DIR [--out DIR]`: an organization folder in format version 1 rewritten
 * in version 2, the structure version 1 implied written out. In place, the version 1 file is
 * kept beside it as organization.v1.yaml; with --out, the folder is copied there with the new
 * file. Nothing is written unless everything can be.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError } from '../../errors.js';
import { writeFilesAtomically } from '../../io/atomic-write.js';
import { parseInventory, readOrganizationFile } from '../../io/load-organization.js';
import { readInputFile, resolveInside } from '../../io/safe-path.js';
import { zodProblems } from '../../io/zod-problems.js';
import {
  organizationV1Schema,
  upgradeOrganization,
  type Organization,
} from '../../schema/organization.js';
import { print, result, warn } from '../output.js';

const HEADER =
  '# Organization format version 2 (docs/organization-format.md), written by carbonpath migrate\n' +
  '# from the version 1 file kept as organization.v1.yaml. Every number keeps its provenance.\n';

export function migrateCommand(dir: string, opts: { out?: string }): void {
  const folder = resolve(dir);
  const { file: orgFile, text, src } = readOrganizationFile(folder);
  const raw = (src.value ?? {}) as { formatVersion?: unknown };
  if (raw.formatVersion === 2) {
    throw new InputError({
      file: orgFile,
      line: src.lineOf(['formatVersion']),
      message: 'this organization is already in format version 2',
      fix: 'nothing to do',
    });
  }
  const parsed = organizationV1Schema.safeParse(src.value ?? {});
  if (!parsed.success)
    throw new InputError(zodProblems(src, parsed.error.issues, organizationV1Schema));
  const invFile = resolveInside(folder, parsed.data.inventory, {
    file: orgFile,
    line: src.lineOf(['inventory']),
    path: 'inventory',
  });
  const rows = parseInventory(invFile, readInputFile(invFile));
  const v2 = withoutAbsentSegments(
    upgradeOrganization(parsed.data),
    new Set(rows.map((r) => r.variable)),
  );
  const out = opts.out ? resolve(opts.out) : folder;
  const yamlText = HEADER + stringify(v2, { lineWidth: 100 });
  if (out === folder) {
    writeFilesAtomically([
      { path: join(folder, 'organization.v1.yaml'), content: text },
      { path: orgFile, content: yamlText },
    ]);
  } else {
    if (existsSync(out) && readdirSync(out).length > 0) {
      throw new InputError({
        file: out,
        message: 'the output folder is not empty',
        fix: 'give --out a new or empty folder',
      });
    }
    cpSync(folder, out, { recursive: true });
    writeFilesAtomically([
      { path: join(out, 'organization.v1.yaml'), content: text },
      { path: join(out, 'organization.yaml'), content: yamlText },
    ]);
  }
  const segs = Object.keys(v2.segments).join(', ');
  for (const line of droppedInScenarios(folder, v2)) warn(line);
  result({ formatVersion: 2, segments: Object.keys(v2.segments), scope3: Object.keys(v2.scope3) }, [
    join(out, 'organization.yaml'),
    join(out, 'organization.v1.yaml'),
  ]);
  print(
    `wrote ${join(out, 'organization.yaml')} (format version 2: segments ${segs}; ` +
      `scope 3 ${Object.keys(v2.scope3).join(', ')})\n` +
      `kept the version 1 file as ${join(out, 'organization.v1.yaml')}\n`,
  );
}

/**
 * Version 1 always implied self-built and leased data centres; written out, a segment the
 * folder never had (no declared share, no leased-DC data in any basis) is left out.
 */
function withoutAbsentSegments(org: Organization, variables: Set<string>): Organization {
  const segments = { ...org.segments };
  const scope3 = { ...org.scope3 };
  const sb = segments.selfBuiltDc?.electricity;
  if (sb && 'share' in sb && segments.selfBuiltDc?.implied) delete segments.selfBuiltDc;
  const leased = segments.leasedDc;
  const leasedData = ['Reductions|Leased DC', 'PUE|Leased DC', 'Electricity|Clean Share|Leased DC'];
  if (
    leased &&
    'fromReductions' in leased.electricity &&
    !leasedData.some((v) => variables.has(v))
  ) {
    delete segments.leasedDc;
    delete scope3.leasedDc;
  }
  // what is kept is the folder's own: no longer merely implied
  for (const [id, seg] of Object.entries(segments)) {
    const { implied: _implied, ...own } = seg;
    segments[id] = own;
  }
  return { ...org, segments, scope3 };
}

/** Scenario files of the folder that name (by a version 1 name) a segment migrate left out. */
function droppedInScenarios(folder: string, v2: Organization): string[] {
  const dir = join(folder, 'scenarios');
  if (!existsSync(dir)) return [];
  const names: Record<string, RegExp> = {
    selfBuiltDc: /\bselfBuilt(ItLoad|Pue|CleanShare)\b/,
    leasedDc: /\bleased(ItLoad|Pue|CleanShare)\b/,
  };
  const out: string[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => /\.(ya?ml|json)$/.test(x))
    .sort()) {
    const text = readInputFile(join(dir, f));
    for (const [id, re] of Object.entries(names)) {
      if (!Object.hasOwn(v2.segments, id) && re.test(text)) {
        out.push(
          `scenarios/${f} sets ${text.match(re)![0]}, for segment '${id}', which this folder ` +
            'never had and the migrated file leaves out: remove it from the scenario',
        );
      }
    }
  }
  return out;
}
