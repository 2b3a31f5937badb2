/** A plain text table for the terminal: first column left-aligned, the rest right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fmtInt = (v: number | undefined) => (v === undefined ? 'n/a' : grouped(Math.round(v)));
export const fmtFixed = (v: number | undefined, digits: number) =>
  v === undefined ? 'n/a' : grouped(v, digits);

/**
 * `v` with `digits` decimals and thousands separators: what `toLocaleString('en-US')` writes
 * with that many fraction digits, without its first call's ICU set-up, which every command paid
 * at start-up (~3% of `run`'s CPU profile on Node 20; docs/performance.md, "Second pass"). Like
 * ICU, it rounds the shortest decimal that reads back as `v` (1.005 → 1.01), half away from zero,
 * and writes `-0` for a negative that rounds to zero.
 */
export function grouped(v: number, digits = 0): string {
  if (!Number.isFinite(v) || Math.abs(v) >= 1e21) {
    return v.toLocaleString('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  }
  // |v| = mantissa digits × 10^-scale, from the shortest round-trip decimal (String(v))
  const [mantissa, exponent = '0'] = String(Math.abs(v)).split('e');
  const [int, frac = ''] = mantissa!.split('.');
  const scale = frac.length - Number(exponent);
  let n = BigInt(int! + frac);
  if (scale <= digits) n *= 10n ** BigInt(digits - scale);
  else {
    const q = 10n ** BigInt(scale - digits);
    n = (n + q / 2n) / q; // half away from zero
  }
  const text = n.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+$)/g, ',');
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  return `${sign}${whole}${digits > 0 ? `.${text.slice(text.length - digits)}` : ''}`;
}
