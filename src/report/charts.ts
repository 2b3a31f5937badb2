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

/** Lines by series (scenarios, the reported history, pathways, targets). */
export function lineChart(
  id: string,
  title: string,
  caption: Text,
  yTitle: string,
  rows: Array<{ series: string; year: number; value: number }>,
): Chart {
  return {
    id,
    title,
    caption,
    columns: ['series', 'year', 'value'],
    rows,
    spec: {
      ...base(title),
      data: { values: rows },
      mark: { type: 'line', point: { size: 18 }, strokeWidth: 2 },
      encoding: {
        x: {
          field: 'year',
          type: 'quantitative',
          title: 'fiscal year',
          axis: { format: 'd', tickMinStep: 1 },
        },
        y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, sort: null },
        strokeDash: {
          condition: {
            test:
              "indexof(datum.series, 'required') >= 0 || " +
              "indexof(datum.series, 'target') >= 0 || " +
              "indexof(datum.series, 'benchmark') >= 0",
            value: [5, 4],
          },
          value: [1, 0],
        },
      },
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
          mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
          encoding: {
            x,
            y: { field: 'p5', type: 'quantitative', title: yTitle, scale: { zero: false } },
            y2: { field: 'p95' },
          },
        },
        {
          mark: { type: 'area', opacity: 0.4, color: '#4c78a8' },
          encoding: { x, y: { field: 'p25', type: 'quantitative' }, y2: { field: 'p75' } },
        },
        {
          mark: { type: 'line', color: '#1f3b5c', strokeWidth: 2 },
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
): Chart {
  const x = {
    field: 'year',
    type: 'quantitative',
    title: 'fiscal year',
    axis: { format: 'd', tickMinStep: 1 },
  };
  const color = { field: 'series', type: 'nominal', title: null, sort: null };
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
        color: { field: 'series', type: 'nominal', title: null, sort: null },
      },
    },
  };
}

/**
 * SVG for a chart, or — when one cannot be drawn (a degenerate series, a renderer fault) — a
 * small SVG that says so and why: one chart never takes the whole report down. Its CSV is
 * written either way.
 */
export async function renderSvgOrNote(chart: Chart): Promise<string> {
  try {
    return await renderSvg(chart);
  } catch (e) {
    const why = String((e as Error)?.message ?? e)
      .split('\n')[0]!
      .slice(0, 200);
    const text = escapeHtml(`This chart could not be drawn (${why}); its data: ${chart.id}.csv`);
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="640" height="40" ` +
      `aria-label="${escapeHtml(chart.id)}: not drawn" data-chart="${escapeHtml(chart.id)}">` +
      `<text x="8" y="24" font-family="sans-serif" font-size="13">${text}</text></svg>`
    );
  }
}

/** SVG for a chart (vega-lite compiled, rendered by vega without a browser). */
export async function renderSvg(chart: Chart): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(chart.spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg.replace(
    '<svg ',
    `<svg role="img" aria-label="${chart.title.replace(/"/g, '&quot;')}" data-chart="${chart.id}" `,
  );
}
