/**
 * A company's own `company,year,metric,value` table (one row per figure, as exported from an
 * ESG data tool or a spreadsheet) → inventory rows. The metric names carbonpath understands are
 * METRIC_MAP (documented in docs/organization-format.md); a metric may also be written as the
 * carbonpath variable itself. Rows of other metrics are listed back, never silently used.
 */
import { basename } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { csvRecords, INVENTORY_COLUMNS } from './load-organization.js';
import { toCsv, type Cell } from './csv-output.js';

export const WIDE_COLUMNS = ['company', 'year', 'metric', 'value'] as const;

/** Metric name (lower case, spaces and _ - . collapsed to one space) → variable and unit. */
export const METRIC_MAP: Record<string, { variable: string; unit: string }> = {
  'scope 1': { variable: 'Emissions|Scope 1', unit: 't CO2e' },
  'scope 2 location based': { variable: 'Emissions|Scope 2|Location-based', unit: 't CO2e' },
  'scope 2 lb': { variable: 'Emissions|Scope 2|Location-based', unit: 't CO2e' },
  'scope 2 market based': { variable: 'Emissions|Scope 2|Market-based', unit: 't CO2e' },
  'scope 2 mb': { variable: 'Emissions|Scope 2|Market-based', unit: 't CO2e' },
  'scope 3': { variable: 'Emissions|Scope 3', unit: 't CO2e' },
  'electricity mwh': { variable: 'Electricity|Purchased', unit: 'MWh' },
  'purchased electricity mwh': { variable: 'Electricity|Purchased', unit: 'MWh' },
  'renewable electricity share': { variable: 'Electricity|Clean Share', unit: '%' },
  'clean electricity share': { variable: 'Electricity|Clean Share', unit: '%' },
  revenue: { variable: 'Revenue', unit: 'M {currency}' },
};

const norm = (metric: string) =>
  metric
    .toLowerCase()
    .replace(/[\s_.\-()%]+/g, ' ')
    .trim();

/** The header is the wide layout (any column order, any case). */
export function isWideLayout(text: string): boolean {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  const cols = first.split(',').map((c) => c.trim().toLowerCase());
  return WIDE_COLUMNS.every((c) => cols.includes(c)) && !cols.includes('variable');
}

export interface WideImport {
  /** Inventory CSV text in carbonpath's columns, each row citing its line of the input. */
  inventory: string;
  company: string;
  /** Metrics carbonpath does not read, with their row counts. */
  ignored: Array<{ metric: string; rows: number }>;
}

export function convertWideInventory(
  file: string,
  text: string,
  currency: string,
  company?: string,
): WideImport {
  const records = csvRecords(file, text, (h) => h.map((c) => c.trim().toLowerCase()), [
    'company',
    'year',
    'metric',
    'value',
  ]);
  const companies = [...new Set(records.map((r) => r.record.company ?? ''))];
  const chosen = company ?? (companies.length === 1 ? companies[0]! : undefined);
  if (chosen === undefined)
    throw new UsageError(
      `${file} holds ${companies.length} companies (${companies.slice(0, 5).join(', ')}` +
        `${companies.length > 5 ? ', …' : ''}); choose one with --company NAME`,
    );
  if (!companies.includes(chosen))
    throw new UsageError(`${file} has no company '${chosen}'; it has ${companies.join(', ')}`);
  const rows: Cell[][] = [];
  const ignored = new Map<string, number>();
  for (const { record, info } of records) {
    if (record.company !== chosen) continue;
    const metric = record.metric ?? '';
    const m =
      METRIC_MAP[norm(metric)] ??
      Object.values(METRIC_MAP).find((x) => x.variable === metric.trim());
    if (!m) {
      ignored.set(metric, (ignored.get(metric) ?? 0) + 1);
      continue;
    }
    const value = Number(record.value);
    const bad = (path: string, message: string, fix: string) =>
      new InputError({ file, line: info.lines, path, message, fix });
    if (record.value === '' || !Number.isFinite(value))
      throw bad(
        'value',
        `'${record.value}' is not a number`,
        'write the number without thousands separators or units, e.g. 1234.5',
      );
    if (!/^\d{4}$/.test(record.year ?? ''))
      throw bad(
        'year',
        `'${record.year}' is not a year`,
        'write the (fiscal) year as four digits, e.g. 2024',
      );
    rows.push([
      'reported',
      m.variable,
      m.unit.replace('{currency}', currency),
      record.year,
      value,
      'reported',
      `${basename(file)}:${info.lines}`,
      `${chosen}: ${metric}`,
    ]);
  }
  return {
    inventory: toCsv(INVENTORY_COLUMNS, rows),
    company: chosen,
    ignored: [...ignored].map(([metric, rows]) => ({ metric, rows })),
  };
}
