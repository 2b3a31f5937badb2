/**
 * Report charts: each is a small table of rows (written beside the report as CSV) and a
 * vega-lite spec over exactly those rows, rendered to SVG headless by vega.
 */
import { escapeHtml } from './escape.js';
import type { Text } from './text.js';

export interface ChartRow {
  [column: string]: string | number;
}

export interface Chart {
  id: string;
  title: string;
  caption: Text;
  columns: string[];
  rows: ChartRow[];
  spec: Record<string, unknown>;
}

/**
 * Series colours: one per scenario, the same in every chart, each at least 3:1 against white
 * (WCAG 2.1 SC 1.4.11, non-text contrast; test/report-colors.test.ts checks the ratios).
 */
export const SCENARIO_PALETTE = [
  '#1f6fb4',
  '#c65a00',
  '#2e7d32',
  '#7b3fa0',
  '#00838f',
  '#c2185b',
  '#6b6b00',
  '#8d5524',
] as const;
/** The reported history: always this dark grey. */
export const REPORTED_COLOR = '#3a3a3a';
/** Reference lines (required pathway, target level, benchmark): greys, told apart by dash. */
const REFERENCE = [
  { match: 'required', color: '#111111', dash: [6, 4] },
  { match: 'target', color: '#767676', dash: [2, 3] },
  { match: 'benchmark', color: '#5a5a5a', dash: [9, 3, 2, 3] },
] as const;

/** Scenario → colour, by the scenario's position in the report (beyond 8: the cycle again). */
export function scenarioColors(scenarios: readonly string[]): ReadonlyMap<string, string> {
  return new Map(scenarios.map((s, i) => [s, SCENARIO_PALETTE[i % SCENARIO_PALETTE.length]!]));
}

interface SeriesStyle {
  color: string;
  dash: number[];
  width: number;
}

/**
 * Colour, dash and width of each series. Scenarios are solid and drawn thinner the later they
 * come, so two identical scenarios show as a thin line inside a wide one instead of one hiding
 * the other.
 */
function styleOf(series: string, colors: ReadonlyMap<string, string>): SeriesStyle {
  const k = [...colors.keys()].indexOf(series);
  if (k >= 0) return { color: colors.get(series)!, dash: [1, 0], width: Math.max(1.5, 5 - k) };
  if (series === 'reported') return { color: REPORTED_COLOR, dash: [1, 0], width: 2.5 };
  const ref = REFERENCE.find((r) => series.includes(r.match));
  if (ref) return { color: ref.color, dash: [...ref.dash], width: 1.75 };
  return { color: '#595959', dash: [1, 0], width: 2 };
}

/** Scales over the series in the order they first appear: one legend with colour and dash. */
function seriesScales(series: readonly string[], colors: ReadonlyMap<string, string>) {
  const domain = [...new Set(series)];
  const styles = domain.map((s) => styleOf(s, colors));
  return {
    color: {
      field: 'series',
      type: 'nominal',
      title: null,
      sort: null,
      scale: { domain, range: styles.map((s) => s.color) },
    },
    strokeDash: {
      field: 'series',
      type: 'nominal',
      title: null,
      sort: null,
      scale: { domain, range: styles.map((s) => s.dash) },
    },
    // widths through a lookup: a strokeWidth scale on `series` would drop the merged legend
    strokeWidth: { field: 'line_width', type: 'quantitative', scale: null, legend: null },
    widths: {
      lookup: 'series',
      from: {
        data: { values: domain.map((series, i) => ({ series, line_width: styles[i]!.width })) },
        key: 'series',
        fields: ['line_width'],
      },
    },
  };
}

const WIDTH = 560;
const HEIGHT = 230;
const base = (title: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width: WIDTH,
  height: HEIGHT,
  title,
  config: {
    font: 'Helvetica, Arial, sans-serif',
    view: { stroke: null },
    axis: { labelFontSize: 11, titleFontSize: 11 },
    legend: {
      labelFontSize: 11,
      titleFontSize: 11,
      orient: 'bottom',
      columns: 3,
      labelLimit: 260,
      symbolType: 'stroke',
    },
  },
});

/** A break in a series, drawn as a vertical rule between `year − 1` and `year`. */
export interface ChartBreak {
  year: number;
  label: string;
}

/** The colour of series-break rules and labels: dark enough for text on white. */
export const BREAK_COLOR = '#555555';

/**
 * Layers that mark breaks in a series: a dotted vertical rule halfway between the last year on
 * the old basis and the first on the new one, with its label at the top, right of the rule.
 */
function breakLayers(breaks: readonly ChartBreak[]): Array<Record<string, unknown>> {
  const values = breaks.map((b) => ({ break_x: b.year - 0.5, break_label: b.label }));
  const x = { field: 'break_x', type: 'quantitative' };
  return [
    {
      data: { values },
      mark: { type: 'rule', color: BREAK_COLOR, strokeDash: [2, 2], strokeWidth: 1.25 },
      encoding: { x },
    },
    {
      data: { values },
      mark: {
        type: 'text',
        color: BREAK_COLOR,
        align: 'left',
        baseline: 'top',
        dx: 3,
        y: 2,
        fontSize: 11,
      },
      encoding: { x, text: { field: 'break_label', type: 'nominal' } },
    },
  ];
}

/**
 * Lines by series (scenarios, the reported history, pathways, targets); `breaks`: where the
 * reported series changes basis, drawn over the lines.
 */
export function lineChart(
  id: string,
  title: string,
  caption: Text,
  yTitle: string,
  rows: Array<{ series: string; year: number; value: number }>,
  colors: ReadonlyMap<string, string>,
  breaks: readonly ChartBreak[] = [],
): Chart {
  const { widths, ...scales } = seriesScales(
    rows.map((r) => r.series),
    colors,
  );
  const lines = {
    transform: [widths],
    mark: { type: 'line', point: { size: 18 } },
    encoding: {
      x: {
        field: 'year',
        type: 'quantitative',
        title: 'fiscal year',
        axis: { format: 'd', tickMinStep: 1 },
      },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
      ...scales,
    },
  };
  return {
    id,
    title,
    caption,
    columns: ['series', 'year', 'value'],
    rows,
    spec: {
      ...base(title),
      ...(breaks.length === 0
        ? { data: { values: rows }, ...lines }
        : { layer: [{ data: { values: rows }, ...lines }, ...breakLayers(breaks)] }),
    },
  };
}

/** p5–p95 and p25–p75 bands with the median line. */
export function fanChart(
  id: string,
  title: string,
  caption: Text,
  yTitle: string,
  rows: Array<{ year: number; p5: number; p25: number; p50: number; p75: number; p95: number }>,
  color: string,
): Chart {
  const x = {
    field: 'year',
    type: 'quantitative',
    title: 'fiscal year',
    axis: { format: 'd', tickMinStep: 1 },
  };
  return {
    id,
    title,
    caption,
    columns: ['year', 'p5', 'p25', 'p50', 'p75', 'p95'],
    rows,
    spec: {
      ...base(title),
      data: { values: rows },
      layer: [
        {
          mark: { type: 'area', opacity: 0.2, color },
          encoding: {
            x,
            y: { field: 'p5', type: 'quantitative', title: yTitle, scale: { zero: false } },
            y2: { field: 'p95' },
          },
        },
        {
          mark: { type: 'area', opacity: 0.35, color },
          encoding: { x, y: { field: 'p25', type: 'quantitative' }, y2: { field: 'p75' } },
        },
        {
          mark: { type: 'line', color, strokeWidth: 2.5 },
          encoding: { x, y: { field: 'p50', type: 'quantitative' } },
        },
      ],
    },
  };
}

/** A central line with a low–high band (costs). */
export function bandChart(
  id: string,
  title: string,
  caption: Text,
  yTitle: string,
  rows: Array<{ series: string; year: number; low: number; central: number; high: number }>,
  colors: ReadonlyMap<string, string>,
): Chart {
  const x = {
    field: 'year',
    type: 'quantitative',
    title: 'fiscal year',
    axis: { format: 'd', tickMinStep: 1 },
  };
  const color = seriesScales(
    rows.map((r) => r.series),
    colors,
  ).color;
  return {
    id,
    title,
    caption,
    columns: ['series', 'year', 'low', 'central', 'high'],
    rows,
    spec: {
      ...base(title),
      data: { values: rows },
      layer: [
        {
          mark: { type: 'area', opacity: 0.2 },
          encoding: {
            x,
            y: { field: 'low', type: 'quantitative', title: yTitle },
            y2: { field: 'high' },
            color,
          },
        },
        {
          mark: { type: 'line', strokeWidth: 2 },
          encoding: { x, y: { field: 'central', type: 'quantitative' }, color },
        },
      ],
    },
  };
}

/** Horizontal grouped bars: one group per category, one bar per series. */
export function barChart(
  id: string,
  title: string,
  caption: Text,
  xTitle: string,
  rows: Array<{ category: string; series: string; value: number }>,
  colors: ReadonlyMap<string, string>,
): Chart {
  return {
    id,
    title,
    caption,
    columns: ['category', 'series', 'value'],
    rows,
    spec: {
      ...base(title),
      config: {
        ...base(title).config,
        legend: { ...base(title).config.legend, symbolType: 'square' },
        axisY: { labelLimit: 260 },
      },
      height: { step: 11 },
      data: { values: rows },
      mark: 'bar',
      encoding: {
        y: {
          field: 'category',
          type: 'nominal',
          title: null,
          sort: null,
          axis: { labelLimit: 260 },
        },
        yOffset: { field: 'series', type: 'nominal', sort: null },
        x: { field: 'value', type: 'quantitative', title: xTitle },
        color: seriesScales(
          rows.map((r) => r.series),
          colors,
        ).color,
      },
    },
  };
}

/** The whole SVG's width on a phone: fits 390 px less the page margins, so text stays 11 px. */
export const NARROW_WIDTH = 340;

/**
 * The same chart laid out for a phone: the whole SVG as wide as NARROW_WIDTH (axes and legend
 * included), fewer x ticks, the legend in one column, the title left to the page (HTML).
 */
export function narrowSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(spec)) as Record<string, unknown> & {
    config: Record<string, Record<string, unknown>>;
  };
  delete copy.title;
  if (typeof copy.height === 'number') {
    copy.height = 200;
    copy.width = NARROW_WIDTH;
    copy.autosize = { type: 'fit-x', contains: 'padding' };
  } else {
    // bars in discrete steps cannot be fitted: leave room for the 120 px category labels
    copy.width = NARROW_WIDTH - 150;
  }
  copy.config = {
    ...copy.config,
    legend: { ...copy.config.legend, columns: 1, labelLimit: NARROW_WIDTH - 40 },
    axisX: { ...copy.config.axisX, tickCount: 4 },
    axisY: { ...copy.config.axisY, labelLimit: 120 },
  };
  const enc = (copy as { encoding?: { y?: { axis?: Record<string, unknown> } } }).encoding;
  if (enc?.y?.axis?.labelLimit) enc.y.axis.labelLimit = 120;
  return copy;
}

export type Layout = 'wide' | 'narrow';

/**
 * SVG for a chart, or — when one cannot be drawn (a degenerate series, a renderer fault) — a
 * small SVG that says so and why: one chart never takes the whole report down. Its CSV is
 * written either way.
 */
export async function renderSvgOrNote(chart: Chart, layout: Layout = 'wide'): Promise<string> {
  try {
    return await renderSvg(chart, layout);
  } catch (e) {
    const why = String((e as Error)?.message ?? e)
      .split('\n')[0]!
      .slice(0, 200);
    const text = escapeHtml(`This chart could not be drawn (${why}); its data: ${chart.id}.csv`);
    const width = layout === 'wide' ? 640 : NARROW_WIDTH;
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="40" ` +
      `aria-label="${escapeHtml(chart.id)}: not drawn" ${dataAttribute(layout)}=` +
      `"${escapeHtml(chart.id)}"><text x="8" y="24" font-family="sans-serif" font-size="13">` +
      `${text}</text></svg>`
    );
  }
}

// The wide SVG is the chart (and its .svg file); the narrow one is marked apart.
const dataAttribute = (layout: Layout) => (layout === 'wide' ? 'data-chart' : 'data-chart-narrow');

/** SVG for a chart (vega-lite compiled, rendered by vega without a browser). */
export async function renderSvg(chart: Chart, layout: Layout = 'wide'): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const spec = layout === 'wide' ? chart.spec : narrowSpec(chart.spec);
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg.replace(
    '<svg ',
    `<svg role="img" aria-label="${escapeHtml(chart.title)}" ` +
      `${dataAttribute(layout)}="${chart.id}" `,
  );
}
