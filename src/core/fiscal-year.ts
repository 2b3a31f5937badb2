/**
 * A year as the organization says it: "FY2030" only for a fiscal year that is not the calendar
 * year (`fiscalYear.startMonth` ≠ 1); a calendar-year organization reads "2030". Every year label
 * in terminal text, warnings and reports goes through here.
 */
export const yearLabel = (fiscalYear: { startMonth: number }, year: number | string): string =>
  fiscalYear.startMonth === 1 ? String(year) : `FY${year}`;
