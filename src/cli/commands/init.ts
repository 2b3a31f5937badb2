import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { recoverOutputFolder, writeFilesAtomically } from '../../io/atomic-write.js';
import { INVENTORY_COLUMNS, parseInventory } from '../../io/load-organization.js';
import { readInputFile } from '../../io/safe-path.js';
import { print, result } from '../output.js';
import { schemaModeline } from '../modeline.js';

export interface InitOptions {
  fromCsv?: string;
  name?: string;
  currency?: string;
}

const TEMPLATE_YEAR = 2025;
/** Placeholder inventory: one year, clearly marked; replace every row with reported figures. */
const TEMPLATE_ROWS: Array<[string, string, number]> = [
  ['Emissions|Scope 1', 't CO2e', 1200],
  ['Emissions|Scope 2|Location-based', 't CO2e', 4000],
  ['Emissions|Scope 2|Market-based', 't CO2e', 3000],
  ['Electricity|Purchased', 'MWh', 8000],
  ['Electricity|Clean Share', '%', 25],
  ['Revenue', 'M {currency}', 150],
  ['Emissions|Scope 3', 't CO2e', 20000],
];

export async function initCommand(dir: string, opts: InitOptions): Promise<void> {
  const folder = resolve(dir);
  // what a killed init left (a staging folder) is finished or removed first
  if (existsSync(folder) && statSync(folder).isDirectory()) recoverOutputFolder(folder);
  if (existsSync(folder) && readdirSync(folder).length > 0) {
    throw new UsageError(
      `${dir} exists and is not empty; choose a new folder (init never overwrites)`,
    );
  }
  const currency = (opts.currency ?? 'USD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    throw new UsageError('--currency takes an ISO 4217 code, e.g. USD');
  const id =
    basename(folder)
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'my-organization';
  const name =
    opts.name ??
    id
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ');

  let inventory: string;
  let basis = 'reported';
  let variables = new Set(TEMPLATE_ROWS.map((r) => r[0]));
  let firstYear = TEMPLATE_YEAR;
  if (opts.fromCsv) {
    const text = readInputFile(opts.fromCsv);
    const rows = parseInventory(opts.fromCsv, text); // refuses a CSV without rows
    basis = rows[0]!.basis;
    variables = new Set(rows.filter((r) => r.basis === basis).map((r) => r.variable));
    if (
      !variables.has('Emissions|Scope 1') &&
      !variables.has('Emissions|Scope 2|Location-based') &&
      !variables.has('Emissions|Scope 2|Market-based')
    ) {
      throw new InputError({
        file: opts.fromCsv,
        message: 'the inventory has no scope 1 or scope 2 rows',
        fix:
          'add at least Emissions|Scope 1 or Emissions|Scope 2|Location-based ' +
          'with Electricity|Purchased',
      });
    }
    firstYear = Math.min(
      ...rows
        .filter((r) => r.basis === basis && /^Emissions\|Scope [12]/.test(r.variable))
        .map((r) => r.year),
    );
    inventory = text;
  } else {
    inventory =
      [
        '# TEMPLATE: placeholder figures so that ' +
          '`carbonpath run --data <this folder>` works at once.',
        '# Replace every row with your reported figures; ' +
          'provenance is reported, derived or assumption,',
        '# source is the document and page/line (reported), ' +
          'the formula (derived) or the reason (assumption).',
        INVENTORY_COLUMNS.join(','),
        ...TEMPLATE_ROWS.map(
          ([v, u, x]) =>
            `${basis},${v},${u.replace('{currency}', currency)},${TEMPLATE_YEAR},${x},` +
            'assumption,template placeholder - replace with your figure,',
        ),
      ].join('\n') + '\n';
  }
  const both =
    variables.has('Emissions|Scope 1') &&
    (variables.has('Emissions|Scope 2|Location-based') ||
      variables.has('Emissions|Scope 2|Market-based'));
  const metric = both ? 'Emissions|Scope 1+2' : 'Emissions|Scope 2|Location-based';
  const organization =
    schemaModeline(join(folder, 'organization.yaml'), 'organization') +
    `# ${name}: the organization carbonpath models. Format: docs/organization-format.md.
# Check the folder with: npx carbonpath validate ${dir}
formatVersion: 2
id: ${id}
name: ${name}
currency: ${currency}            # revenue is in millions of this currency
fiscalYear:
  # 1 = calendar year; 4 = April–March (year = the calendar year it ends in)
  startMonth: 1
  note: "calendar year"
inventory: inventory.csv
defaultBasis: ${basis}
bases:
  ${basis}: "${
    opts.fromCsv ? `imported from ${basename(opts.fromCsv)}` : 'template placeholders - replace'
  }"
# Your structure (format version 2). One grid whose factor is derived from location-based
# scope 2; one segment for all purchased electricity; scope 3 as revenue × intensity. Split it
# as your data allow: data centres (driver: itLoadPue), leased sites (scope: 3), more grids, scope 3
# categories with their own drivers. See docs/organization-format.md.
# With Heat|Purchased in the inventory add heatFactor: { value, unit, provenance, source, why }.
grids:
  main: { label: Grid }
segments:
  operations:
    label: Operations
    scope: 2
    grid: main
    driver: electricity
    electricity: { remainder: true }
scope3:
  all: { label: All, category: total, driver: revenueIntensity, base: { remainder: true } }
# Fuels burnt (scope 1), each with its inventory variable and emission factor, e.g.
#   diesel: { label: Diesel, variable: Fuel|Diesel, unit: t, ` +
    `factor: { value: 3.0959, unit: t CO2e/t, provenance: assumption, source: "…" } }
fuels: {}
# Scope 3+ avoided-emissions programmes, each with its inventory variable.
programmes: {}
`;
  const targets =
    schemaModeline(join(folder, 'targets.yaml'), 'targets') +
    `# ${name}'s targets. ` +
    `Kinds: absolute, intensity, net-zero, share, threshold, cumulative, not-modelled.
# Format: docs/organization-format.md; data/alibaba-group/targets.yaml has one of each.
targets:
  - id: halve-${both ? 'scope12' : 'scope2'}-2030
    title: ${both ? 'Scope 1+2' : 'Scope 2'} −50% vs ${firstYear} by 2030
    kind: absolute
    wording: "TEMPLATE: replace with your target's wording"
    source: "TEMPLATE: where your target is published"
    metric: ${metric}
    baseYear: ${firstYear}
    reduction: 0.5
    deadline: 2030
`;
  const scenario =
    schemaModeline(join(folder, 'scenarios', 'baseline.yaml'), 'scenario') +
    `name: baseline
title: TEMPLATE baseline
description: Replace with what you expect. Anything not set keeps its base-year value.
parameters:
  revenue: { growth: 0.03, why: "TEMPLATE assumption: 3%/yr" }
  segments:
    operations:
      electricity: { growth: 0.02, why: "TEMPLATE assumption: 2%/yr" }
      cleanShare: { points: { 2030: 60 }, why: "TEMPLATE assumption: 60% clean by 2030" }
`;
  writeFilesAtomically([
    { path: join(folder, 'organization.yaml'), content: organization },
    { path: join(folder, 'inventory.csv'), content: inventory },
    { path: join(folder, 'targets.yaml'), content: targets },
    { path: join(folder, 'scenarios', 'baseline.yaml'), content: scenario },
  ]);
  const created = ['organization.yaml', 'inventory.csv', 'targets.yaml', 'scenarios/baseline.yaml'];
  result(
    { folder: dir },
    created.map((f) => join(dir, f)),
  );
  print(
    `created ${join(dir, '/')}: organization.yaml, inventory.csv` +
      `${opts.fromCsv ? ` (from ${opts.fromCsv})` : ' (template placeholders)'}` +
      ', targets.yaml, scenarios/baseline.yaml\n' +
      `next: npx carbonpath validate ${dir} && npx carbonpath run --data ${dir} ` +
      `&& npx carbonpath targets --data ${dir}\n`,
  );
}
