import { describe, expect, it } from 'vitest';
import { REPORTED_COLOR, SCENARIO_PALETTE, scenarioColors } from '../src/report/charts.js';
import { gapWords, readerUnit, statusWords } from '../src/report/headline.js';
import { fmt, pct } from '../src/report/render.js';
import { cellValue } from '../src/io/xlsx-output.js';

/** WCAG 2.1 contrast ratio of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const l = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return 1.05 / (l + 0.05);
}

describe('report colours', () => {
  it('every scenario colour and the reported grey reach 3:1 against white (WCAG 1.4.11)', () => {
    for (const c of [...SCENARIO_PALETTE, REPORTED_COLOR])
      expect(contrastOnWhite(c), c).toBeGreaterThanOrEqual(3);
    // the check itself: vega's default orange (#f58518) is one of the four that fail
    expect(contrastOnWhite('#f58518')).toBeLessThan(3);
  });
  it('gives scenarios distinct colours by position, the same map for every chart', () => {
    const names = ['baseline', 'announced', 'ai-surge', 'stalled-procurement', 'grid'];
    const m = scenarioColors(names);
    expect(new Set(m.values()).size).toBe(5);
    expect(m.get('baseline')).toBe(SCENARIO_PALETTE[0]);
    expect(scenarioColors(names).get('grid')).toBe(m.get('grid'));
  });
});

describe('numbers and words as the report shows them', () => {
  it('shows float noise as 0 and keeps real small numbers', () => {
    expect(fmt(-6.98e-10)).toBe('0');
    expect(fmt(0.00445)).toBe('0.00445');
    expect(fmt(1234567.8)).toBe('1,234,568');
    expect(fmt(75.958488)).toBe('75.96');
    expect(fmt(1.18749)).toBe('1.187');
  });
  it('writes fractions as percentages one way', () => {
    expect(pct(0.08)).toBe('8%');
    expect(pct(0.636667)).toBe('63.7%');
    expect(pct(undefined)).toBe('');
  });
  it('states gaps in the unit a reader expects, with the direction in words', () => {
    expect(readerUnit('%')).toEqual({ unit: 'pp', scale: 1 });
    expect(readerUnit('t CO2e')).toEqual({ unit: 'Mt CO2e', scale: 1e-6 });
    expect(gapWords(30.361375, 'pp')).toBe('30.4 pp short');
    expect(gapWords(-213.4985876, 'Mt CO2e')).toBe('213 Mt CO2e ahead');
    expect(gapWords(-0.1195, '')).toBe('0.12 ahead');
    expect(gapWords(-6.98e-10, 'Mt CO2e')).toBe('on the target');
  });
  it('says met only with credits where emissions alone miss', () => {
    expect(
      statusWords({
        status: 'on-track',
        withoutCredits: { status: 'off-track', gap: 1, projectedValue: 1 },
      }),
    ).toBe('on track with credits');
    expect(statusWords({ status: 'off-track' })).toBe('off track');
  });
});

describe('workbook cells', () => {
  it('turns the CSV writer’s numbers back into numbers and leaves text as text', () => {
    expect(cellValue('-0.385651')).toBe(-0.385651);
    expect(cellValue('2030')).toBe(2030);
    expect(cellValue('FY2030')).toBe('FY2030');
    expect(cellValue("'=1+1")).toBe("'=1+1");
    expect(cellValue('1e5')).toBe('1e5');
    expect(cellValue('')).toBeNull();
  });
});
