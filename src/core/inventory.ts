import type { InventoryRow } from '../schema/organization.js';

/** Rows of one reporting basis, looked up by variable and year. */
export class Inventory {
  private readonly byKey = new Map<string, InventoryRow>();
  constructor(
    readonly rows: readonly InventoryRow[],
    readonly basis: string,
    readonly file: string,
  ) {
    for (const r of rows) if (r.basis === basis) this.byKey.set(`${r.variable}\u0000${r.year}`, r);
  }
  row(variable: string, year: number): InventoryRow | undefined {
    return this.byKey.get(`${variable}\u0000${year}`);
  }
  value(variable: string, year: number): number | undefined {
    return this.row(variable, year)?.value;
  }
  years(variable: string): number[] {
    const ys: number[] = [];
    for (const r of this.rows)
      if (r.basis === this.basis && r.variable === variable) ys.push(r.year);
    return ys.sort((a, b) => a - b);
  }
  latestYear(variable: string): number | undefined {
    return this.years(variable).at(-1);
  }
}
