/**
 * The one unit table: the inventory units carbonpath converts to the unit it reads a variable
 * in, and the conversions it made (recorded in run.json and the report's notes). Only what is
 * unambiguous is converted — magnitudes of one quantity (kWh/MWh/GWh/TWh, kg/t/kt/Mt CO2e, a
 * fraction as a percentage, k/M/bn of a declared currency). Everything else is refused with the
 * file, the line and the units accepted: tonnes that do not say CO2e (CO2 only, or of a fuel?),
 * a currency without its magnitude, another currency (no exchange rates), unknown spellings.
 */
import { InputError, type Problem } from '../errors.js';

/** A quantity and its magnitude as a power of ten of that quantity's reference unit. */
interface Scale {
  quantity: string;
  exp: number;
}

/**
 * Every factor is a power of ten, so a value is converted by moving its decimal point
 * (shiftDecimal): 1234.5 kWh becomes exactly the number 1.2345 written in MWh would be.
 */
const UNITS: Readonly<Record<string, Scale>> = {
  kWh: { quantity: 'energy', exp: -3 },
  MWh: { quantity: 'energy', exp: 0 },
  GWh: { quantity: 'energy', exp: 3 },
  TWh: { quantity: 'energy', exp: 6 },
  'g CO2e': { quantity: 'CO2e', exp: -6 },
  'kg CO2e': { quantity: 'CO2e', exp: -3 },
  't CO2e': { quantity: 'CO2e', exp: 0 },
  'kt CO2e': { quantity: 'CO2e', exp: 3 },
  'Mt CO2e': { quantity: 'CO2e', exp: 6 },
  kg: { quantity: 'mass', exp: -3 },
  t: { quantity: 'mass', exp: 0 },
  kt: { quantity: 'mass', exp: 3 },
  Mt: { quantity: 'mass', exp: 6 },
  m3: { quantity: 'volume', exp: -3 },
  'k m3': { quantity: 'volume', exp: 0 },
  'M m3': { quantity: 'volume', exp: 3 },
  '%': { quantity: 'share', exp: 0 },
  percent: { quantity: 'share', exp: 0 },
  fraction: { quantity: 'share', exp: 2 },
  '1': { quantity: 'ratio', exp: 0 },
};

/** Magnitudes a currency may be given in; a bare code (CNY) is refused as ambiguous. */
const MONEY: Readonly<Record<string, number>> = { k: -3, M: 0, bn: 3 };

/** Other spellings of CO2e that mean the same: tCO2e, t CO2-eq, t CO2eq. */
const spelled = (unit: string): string =>
  unit
    .trim()
    .replace(/\s*CO2[-‑]?eq?\b/g, ' CO2e')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ');

function scaleOf(unit: string): Scale | undefined {
  const parts = spelled(unit).split('/');
  if (parts.length > 2) return undefined;
  const one = (u: string): Scale | undefined => {
    if (Object.hasOwn(UNITS, u)) return UNITS[u];
    const money = /^(k|M|bn) ([A-Z]{3})$/.exec(u);
    return money ? { quantity: `money ${money[2]}`, exp: MONEY[money[1]!]! } : undefined;
  };
  const [a, b] = [one(parts[0]!), parts[1] === undefined ? undefined : one(parts[1])];
  if (!a || (parts[1] !== undefined && !b)) return undefined;
  return b ? { quantity: `${a.quantity}/${b.quantity}`, exp: a.exp - b.exp } : a;
}

/** The spellings of one quantity, in the table's order. */
function spellings(quantity: string, currency: string): string[] {
  if (quantity.startsWith('money ')) return Object.keys(MONEY).map((m) => `${m} ${currency}`);
  return Object.keys(UNITS).filter((u) => UNITS[u]!.quantity === quantity);
}

/** What may be written for `expected`: every spelling of its quantity (per part of a ratio). */
export function acceptedUnits(expected: string, currency: string): string {
  const parts = spelled(expected).split('/');
  const lists = parts.map((p) => spellings(scaleOf(p)?.quantity ?? '', currency));
  if (lists.some((l) => l.length === 0)) return expected;
  if (lists.length === 1) return lists[0]!.join(', ');
  const [top, bottom] = lists.map((l) => l.join(', '));
  return `${expected}, or another magnitude of either part (${top} per ${bottom})`;
}

/** `value` × 10^k, as exactly as the decimal it was written as: its digits, point moved. */
export function shiftDecimal(value: number, k: number): number {
  if (k === 0) return value;
  const [digits, exp = '0'] = String(value).split('e');
  return Number(`${digits}e${Number(exp) + k}`);
}

export interface UnitConversion {
  /** The inventory (or actuals) file and line the value was read from. */
  file: string;
  line: number;
  variable: string;
  year: number;
  from: { value: number; unit: string };
  to: { value: number; unit: string };
  /** What the value was multiplied by: a power of ten. */
  factor: number;
}

interface UnitRow {
  variable: string;
  unit: string;
  value: number;
  year: number;
  line: number;
}

/** Why `given` is not converted to `expected`, and the fix; undefined when it can be. */
function refusal(given: string, expected: string, currency: string): string | undefined {
  const g = scaleOf(given);
  const e = scaleOf(expected);
  if (g && e && g.quantity === e.quantity) return undefined;
  const gq = g?.quantity ?? '';
  const eq = e?.quantity ?? '';
  if (gq.split('/')[0] === 'mass' && eq.split('/')[0] === 'CO2e')
    return (
      `write ${spelled(given).replace(/^(\S+)/, '$1 CO2e')} if the value is CO2-equivalent ` +
      '(carbonpath does not convert CO2 or a fuel mass to CO2e)'
    );
  if (/^[A-Z]{3}$/.test(spelled(given)) && eq.startsWith('money '))
    return `write the magnitude: M ${currency} for millions, bn ${currency} for billions`;
  if (gq.startsWith('money ') && eq.startsWith('money '))
    return (
      `carbonpath does not convert currencies: give the value in ${currency} ` +
      '(the currency in organization.yaml)'
    );
  return `write one of: ${acceptedUnits(expected, currency)}`;
}

/**
 * Rows whose variable carbonpath reads in another unit: converted through the unit table when
 * unambiguous (each conversion returned), else refused with the line and the accepted units.
 * `expected` maps a variable to its unit; rows of variables not in it are returned as they are.
 */
export function convertUnits<R extends UnitRow>(
  file: string,
  rows: readonly R[],
  expected: ReadonlyMap<string, string>,
  currency: string,
): { rows: R[]; conversions: UnitConversion[] } {
  const problems: Problem[] = [];
  const conversions: UnitConversion[] = [];
  const out = rows.map((r) => {
    const unit = expected.get(r.variable);
    if (unit === undefined || r.unit === unit) return r;
    const why = refusal(r.unit, unit, currency);
    if (why !== undefined) {
      problems.push({
        file,
        line: r.line,
        path: 'unit',
        message: `${r.variable} is given in '${r.unit}'; carbonpath reads it in '${unit}'`,
        fix: why,
      });
      return r;
    }
    const k = scaleOf(r.unit)!.exp - scaleOf(unit)!.exp;
    if (spelled(r.unit) === 'fraction' && Math.abs(r.value) > 1) {
      problems.push({
        file,
        line: r.line,
        path: 'value',
        message: `${r.variable} is ${r.value} as a fraction, more than the whole`,
        fix: `if ${r.value} is a percentage, write % in the unit column`,
      });
      return r;
    }
    const value = shiftDecimal(r.value, k);
    conversions.push({
      file,
      line: r.line,
      variable: r.variable,
      year: r.year,
      from: { value: r.value, unit: r.unit },
      to: { value, unit },
      factor: shiftDecimal(1, k),
    });
    return { ...r, value, unit };
  });
  if (problems.length > 0) throw new InputError(problems);
  return { rows: out, conversions };
}

/**
 * The conversions as lines for the report's notes and a terminal: one per file, variable and
 * pair of units, with the lines it covers.
 */
export function conversionLines(
  conversions: readonly UnitConversion[],
  name: (file: string) => string,
): string[] {
  const groups = new Map<string, { c: UnitConversion; lines: number[] }>();
  for (const c of conversions) {
    const key = [c.file, c.variable, c.from.unit, c.to.unit].join('\u0000');
    const g = groups.get(key);
    if (g) g.lines.push(c.line);
    else groups.set(key, { c, lines: [c.line] });
  }
  return [...groups.values()].map(({ c, lines }) => {
    const where = `${name(c.file)} line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`;
    return (
      `${c.variable} converted from ${c.from.unit} to ${c.to.unit} ` +
      `(×${c.factor.toLocaleString('en-US', { maximumSignificantDigits: 6 })}), ${where}`
    );
  });
}
