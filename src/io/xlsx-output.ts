/**
 * The report's workbook for finance: one sheet per CSV the report writes, built from that
 * CSV's text so the workbook cannot disagree with it. Numbers are numbers (the CSV writer's
 * plain decimals), text stays text (a cell is typed, so it is never read as a formula), the
 * header row is frozen. The CSVs stay plain UTF-8 without a byte-order mark: scripts and other
 * tools read them as they are, and Excel users open this workbook instead (docs/report.md).
 *
 * exceljs and jszip are loaded only when a workbook is written. The file is byte-identical
 * for the same inputs: the document dates are `date` (or 1980-01-01, the zip epoch, without
 * one) and every zip entry carries that date too, where exceljs would stamp the clock.
 */
import { parse } from 'csv-parse/sync';

export interface Sheet {
  /** Sheet name as Excel shows it (≤ 31 characters, none of []:*?/\). */
  name: string;
  /** The CSV text this sheet reproduces. */
  csv: string;
}

// What toCsv writes for a number (formatNumber): an optional minus, digits, optional decimals.
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** A CSV cell as a workbook cell: the numbers the CSV writer wrote become numbers again. */
export function cellValue(text: string): string | number | null {
  if (text === '') return null;
  return PLAIN_NUMBER.test(text) ? Number(text) : text;
}

export async function workbookBytes(sheets: readonly Sheet[], date?: string): Promise<Buffer> {
  const [{ default: ExcelJS }, { default: JSZip }] = await Promise.all([
    import('exceljs'),
    import('jszip'),
  ]);
  const stamp = new Date(date ? `${date}T00:00:00Z` : '1980-01-01T00:00:00Z');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'carbonpath';
  wb.lastModifiedBy = 'carbonpath';
  wb.created = stamp;
  wb.modified = stamp;
  for (const sheet of sheets) {
    const rows = parse(sheet.csv, { relax_column_count: true }) as string[][];
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const [header = [], ...body] = rows;
    ws.addRow(header);
    ws.getRow(1).font = { bold: true };
    for (const row of body) ws.addRow(row.map(cellValue));
    ws.columns.forEach((col, i) => {
      const longest = Math.max(
        ...rows.slice(0, 200).map((r) => (r[i] ?? '').length),
        (header[i] ?? '').length,
      );
      col.width = Math.min(48, Math.max(8, longest + 2));
    });
  }
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  // exceljs stamps each zip entry with the clock: re-stamp with the document date
  const zip = await JSZip.loadAsync(raw);
  zip.forEach((_, entry) => {
    entry.date = stamp;
  });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
