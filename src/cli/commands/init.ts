import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { recoverOutputFolder, writeFilesAtomically } from '../../io/atomic-write.js';
import { INVENTORY_COLUMNS, parseInventory } from '../../io/load-organization.js';
import { readInputFile } from '../../io/safe-path.js';
import { convertWideInventory, isWideLayout } from '../../io/wide-inventory.js';
import type { InventoryRow } from '../../schema/organization.js';
import { print, result } from '../output.js';
import { schemaModeline } from '../modeline.js';

export interface InitOptions {
  fromCsv?: string;
  name?: string;
  currency?: string;
  /** With a wide company,year,metric,value file holding several companies: which one. */
  company?: string;
}

/** One driver's history: its first and last reported year and values, with their lines. */
interface Trend {
  variable: string;
  first: { year: number; value: number };
  last: { year: number; value: number };
}

function trendOf(rows: readonly InventoryRow[], variable: string): Trend | undefined {
  const pts = rows.filter((r) => r.variable === variable).sort((a, b) => a.year - b.year);
  if (pts.length === 0) return undefined;
  const at = (r: InventoryRow) => ({ year: r.year, value: r.value });
  return { variable, first: at(pts[0]!), last: at(pts.at(-1)!) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cite = (t: Trend) =>
  `${t.variable}: ${t.first.value} in ${t.first.year}, ${t.last.value} in ${t.last.year}`;

/**
 * The baseline scenario from the company's own history: revenue and electricity grow at their
 * compound annual rate between the first and last reported years, (last / first)^(1/years) − 1;
 * the clean share continues its linear trend to 2030, within 0–100%. One reported year: held.
 */
function historyBaseline(rows: readonly InventoryRow[]): { yaml: string; sources: string[] } {
  const sources: string[] = [];
  const growth = (variable: string): string => {
    const t = trendOf(rows, variable);
    if (!t || t.last.year === t.first.year || t.first.value <= 0) {
      return (
        '{ growth: 0, why: "one reported year (or none): held at its latest value; ' +
        'set your own trend" }'
      );
    }
    sources.push(cite(t));
    const years = t.last.year - t.first.year;
    const g = (t.last.value / t.first.value) ** (1 / years) - 1;
    return (
      `{ growth: ${Number(g.toFixed(4))}, why: "its own trend: ${pct(g)}/yr compound, ` +
      `${t.first.year}–${t.last.year} (sources)" }`
    );
  };
  const share = (): string => {
    const t = trendOf(rows, 'Electricity|Clean Share');
    if (!t) return '';
    const slope =
      t.last.year > t.first.year
        ? (t.last.value - t.first.value) / (t.last.year - t.first.year)
        : 0;
    if (t.last.year > t.first.year) sources.push(cite(t));
    const to = Math.max(2030, t.last.year + 1);
    const v = Math.min(100, Math.max(0, t.last.value + slope * (to - t.last.year)));
    return (
      `
      cleanShare: { points: { ${t.last.year}: ${t.last.value}, ${to}: ` +
      `${Number(v.toFixed(2))} }, why: "its own trend: ${slope.toFixed(2)} points/yr, ` +
      `${t.first.year}–${t.last.year}, held within 0–100% (sources)" }`
    );
  };
  const revenue = growth('Revenue');
  const electricity = growth('Electricity|Purchased');
  const yaml =
    `  revenue: ${revenue}
  segments:
    operations:
` +
    `      electricity: ${electricity}${share()}
`;
  return { yaml, sources };
}

/** First year each of `variables` is reported in (all of them): a target's base year. */
function firstYearOfAll(rows: readonly InventoryRow[], variables: string[]): number | undefined {
  const years = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  return years.find((y) =>
    variables.every((v) => rows.some((r) => r.variable === v && r.year === y)),
  );
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
  let history: ReturnType<typeof historyBaseline> | undefined;
  let scope3Year: number | undefined;
  let imported = '';
  if (opts.fromCsv) {
    let text = readInputFile(opts.fromCsv);
    if (isWideLayout(text)) {
      const wide = convertWideInventory(opts.fromCsv, text, currency, opts.company);
      text = wide.inventory;
      imported = ` (${wide.company}, from the company,year,metric,value layout)`;
      for (const { metric, rows: k } of wide.ignored)
        process.stderr.write(
          `note: ${k} row${k === 1 ? '' : 's'} of '${metric}' not imported: not a metric ` +
            'carbonpath reads (the mapping: docs/organization-format.md)\n',
        );
    }
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
    const own = rows.filter((r) => r.basis === basis);
    history = historyBaseline(own);
    // each target's base year: the first year all of its metric's parts are reported
    const s2 = variables.has('Emissions|Scope 2|Market-based')
      ? 'Emissions|Scope 2|Market-based'
      : 'Emissions|Scope 2|Location-based';
    firstYear =
      firstYearOfAll(own, ['Emissions|Scope 1', s2]) ??
      firstYearOfAll(own, [s2]) ??
      Math.min(...own.map((r) => r.year));
    scope3Year = firstYearOfAll(own, ['Emissions|Scope 3']);
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
    opts.fromCsv
      ? `imported from ${basename(opts.fromCsv)}${imported}`
      : 'template placeholders - replace'
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
${
  scope3Year === undefined
    ? ''
    : `  - id: scope3-minus-25-2030
    title: Scope 3 −25% vs ${scope3Year} by 2030
    kind: absolute
    wording: "TEMPLATE: replace with your target's wording"
    source: "TEMPLATE: where your target is published"
    metric: Emissions|Scope 3
    baseYear: ${scope3Year}   # the first year scope 3 is reported
    reduction: 0.25
    deadline: 2030
`
}`;
  const modeline = schemaModeline(join(folder, 'scenarios', 'baseline.yaml'), 'scenario');
  const scenario = history
    ? modeline +
      `name: baseline
title: Recent trends continue
description: >-
  Each driver continues its own reported trend (first to last reported year); anything not set
  keeps its base-year value. Replace any line with what you expect.
sources:
${
  history.sources.map((x) => `  - "inventory.csv, ${x}"`).join('\n') ||
  '  - "one reported year: nothing to take a trend from"'
}
parameters:
${history.yaml}`
    : modeline +
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
