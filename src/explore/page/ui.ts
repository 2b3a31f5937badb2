/// <reference lib="dom" />
/**
 * The explorer's page: levers → the same model run as the CLI → target cards, credits and
 * charts; Monte Carlo in a Web Worker once the levers rest; the URL hash holds the levers.
 * Every text from the organization or scenario files is set with textContent (never as HTML).
 */
import { stringify } from 'yaml';
import type { Probability } from '../../app/montecarlo.js';
import type { ScenarioFile } from '../../schema/scenario.js';
import type { ExplorerData, ExplorerScenario } from '../data.js';
import { applyLevers, decimalsOf, scenarioDelta, type Lever } from '../levers.js';
import { makeEngine, messageOf, type Band, type Outcome } from './engine.js';

/** Monte Carlo starts once no lever has moved for this long. */
const REST_MS = 300;

interface State {
  index: number;
  values: Map<string, number>;
}

interface Pinned {
  label: string;
  colour: string;
  outcome: Outcome;
  probabilities?: Probability[] | undefined;
}

const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
};
const SVG = 'http://www.w3.org/2000/svg';
const s = (tag: string, attrs: Record<string, string | number>): SVGElement => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

const num = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
/** Axis labels: 16.1M, 1.5B (the unit is in the chart's caption). */
const compact = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumSignificantDigits: 3,
});
/** A number for reading: 4 significant digits, large tonnes in Mt. */
export function show(x: number | undefined, unit = ''): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (unit === 't CO2e' && Math.abs(x) >= 1e5) return `${num.format(x / 1e6)} Mt CO2e`;
  return `${num.format(x)}${unit && unit !== '1' ? ` ${unit}` : ''}`;
}
const money = (x: number, currency: string) =>
  Math.abs(x) >= 1e9
    ? `${num.format(x / 1e9)} bn ${currency}`
    : `${num.format(x / 1e6)} M ${currency}`;

export function startUi(data: ExplorerData, engineScript: string): void {
  const engine = makeEngine(data);
  const state: State = { index: data.start, values: new Map() };
  let pinned: Pinned | undefined;
  let last: Outcome | undefined;
  let lastProbabilities: Probability[] | undefined;
  /** The Monte Carlo percentiles of the levers as they are (none while they move). */
  let lastBands: Record<string, Band> | undefined;
  const root = document.getElementById('app')!;
  const scenarioOf = () => data.scenarios[state.index]!;

  // --- worker: the same script, from a Blob (a file:// page cannot load a worker file) ---
  let worker: Worker | undefined;
  let token = 0;
  let restTimer: ReturnType<typeof setTimeout> | undefined;
  /** Started after the first draw, so that its copy of the script does not delay the page. */
  function startWorker(): void {
    try {
      const url = URL.createObjectURL(new Blob([engineScript], { type: 'text/javascript' }));
      worker = new Worker(url);
      worker.postMessage({ data });
      worker.addEventListener('message', onWorkerMessage);
    } catch (e) {
      status.textContent = `Monte Carlo unavailable in this browser: ${messageOf(e)}`;
    }
  }

  // --- layout ---
  const select = h('select', { id: 'start', 'aria-label': 'Start from scenario' });
  data.scenarios.forEach((sc, i) => select.append(h('option', { value: String(i) }, sc.name)));
  const saveBtn = h('button', { type: 'button', id: 'save' }, 'Save scenario');
  const pinBtn = h('button', { type: 'button', id: 'pin' }, 'Compare: pin this state');
  const resetBtn = h('button', { type: 'button', id: 'reset' }, 'Reset levers');
  const status = h('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
  const levers = h('div', { id: 'levers' });
  const cards = h('div', { id: 'cards' });
  const credits = h('section', { id: 'credits', 'aria-labelledby': 'credits-h' });
  const charts = h('div', { id: 'charts' });
  const numbers = h('table', { id: 'numbers' });
  const saveNote = h('p', { id: 'save-note' });
  root.append(
    h(
      'header',
      {},
      h('h1', {}, `${data.organization.name} — scenario explorer`),
      h('div', { class: 'bar' }, h('label', { for: 'start' }, 'Start from '), select, saveBtn),
      h('div', { class: 'bar' }, pinBtn, resetBtn),
      status,
      saveNote,
    ),
    h(
      'main',
      {},
      h('section', { id: 'lever-panel', 'aria-label': 'Levers' }, h('h2', {}, 'Levers'), levers),
      h(
        'div',
        { id: 'results' },
        h(
          'section',
          { 'aria-labelledby': 'targets-h' },
          h('h2', { id: 'targets-h' }, 'Targets'),
          cards,
        ),
        credits,
        h(
          'section',
          { 'aria-labelledby': 'charts-h' },
          h('h2', { id: 'charts-h' }, 'Trajectories'),
          charts,
        ),
        h('details', {}, h('summary', {}, 'The numbers behind the charts'), numbers),
      ),
    ),
  );

  // --- levers ---
  const controls = new Map<
    string,
    { range: HTMLInputElement; box: HTMLInputElement; note: HTMLElement }
  >();
  const valueOf = (l: Lever) => state.values.get(l.id) ?? l.value;
  const decimals = (l: Lever) => Math.max(decimalsOf(l.value), decimalsOf(l.step));
  const tidy = (l: Lever, x: number) => Number(x.toFixed(Math.min(12, decimals(l))));

  /** Hold a typed or hash value within the lever's range; say so when it had to. */
  function setValue(l: Lever, x: number, from: 'slider' | 'typed'): void {
    const c = controls.get(l.id)!;
    let v = x;
    c.note.textContent = '';
    if (!Number.isFinite(v)) {
      v = valueOf(l);
      c.note.textContent = 'Not a number: kept the previous value.';
    } else if (v < l.min || v > l.max) {
      v = v < l.min ? l.min : l.max;
      c.note.textContent =
        `${show(x)} is outside ${show(l.min)}–${show(l.max)}: ` + `held at ${show(v)}.`;
    }
    if (from === 'slider') v = tidy(l, v);
    if (v === l.value) state.values.delete(l.id);
    else state.values.set(l.id, v);
    c.range.value = String(v);
    c.box.value = String(v);
    c.range.setAttribute('aria-valuetext', `${v} ${l.unit}`);
    c.range.closest('.lever')!.classList.toggle('moved', v !== l.value);
  }

  function buildLevers(): void {
    levers.replaceChildren();
    controls.clear();
    const sc = scenarioOf();
    const groups = new Map<string, Lever[]>();
    for (const l of sc.levers) groups.set(l.group, [...(groups.get(l.group) ?? []), l]);
    let k = 0;
    for (const [group, list] of groups) {
      const fs = h('fieldset', {}, h('legend', {}, group));
      for (const l of list) {
        const id = `lever-${k++}`;
        const range = h('input', {
          type: 'range',
          id,
          min: String(l.min),
          max: String(l.max),
          step: 'any',
          value: String(l.value),
          'data-lever': l.id,
          'aria-describedby': `${id}-src`,
          'aria-valuetext': `${l.value} ${l.unit}`,
        });
        const box = h('input', {
          type: 'number',
          step: 'any',
          value: String(l.value),
          'aria-label': `${l.label} (${l.unit}), typed`,
          'data-lever-box': l.id,
        });
        const note = h('p', { class: 'note', role: 'status' });
        const src = h(
          'p',
          { class: 'src', id: `${id}-src` },
          [
            `default ${l.value}`,
            `range ${show(l.min)} to ${show(l.max)} (${l.range})`,
            l.source,
          ].join(' · '),
        );
        fs.append(
          h(
            'div',
            { class: 'lever' },
            h('label', { for: id }, l.label, h('span', { class: 'unit' }, ` ${l.unit}`)),
            h('div', { class: 'ctl' }, range, box),
            note,
            src,
          ),
        );
        controls.set(l.id, { range, box, note });
        range.addEventListener('keydown', (e) => {
          const steps: Record<string, number> = {
            ArrowRight: 1,
            ArrowUp: 1,
            ArrowLeft: -1,
            ArrowDown: -1,
            PageUp: 10,
            PageDown: -10,
          };
          let v: number | undefined;
          if (e.key in steps) {
            // steps on a grid through the default, so the default stays reachable exactly
            const n = Math.round((valueOf(l) - l.value) / l.step) + steps[e.key]!;
            v = l.value + n * l.step;
            v = Math.min(l.max, Math.max(l.min, v));
          } else if (e.key === 'Home') v = l.min;
          else if (e.key === 'End') v = l.max;
          if (v === undefined) return;
          e.preventDefault();
          performance.mark('explorer:input');
          setValue(l, v, 'slider');
          changed();
        });
        range.addEventListener('input', () => {
          performance.mark('explorer:input');
          const n = Math.round((Number(range.value) - l.value) / l.step);
          setValue(l, l.value + n * l.step, 'slider');
          changed();
        });
        box.addEventListener('change', () => {
          performance.mark('explorer:input');
          setValue(l, box.value.trim() === '' ? NaN : Number(box.value), 'typed');
          changed();
        });
      }
      levers.append(fs);
    }
  }

  // --- state ↔ hash ---
  function writeHash(): void {
    const p = new URLSearchParams();
    p.set('scenario', scenarioOf().name);
    for (const [k, v] of state.values) p.set(k, String(v));
    history.replaceState(null, '', `#${p.toString()}`);
  }
  function readHash(): void {
    const p = new URLSearchParams(location.hash.slice(1));
    const i = data.scenarios.findIndex((x) => x.name === p.get('scenario'));
    if (i >= 0) state.index = i;
    select.value = String(state.index);
    state.values.clear();
    buildLevers();
    for (const l of scenarioOf().levers) {
      const v = p.get(l.id);
      if (v !== null) setValue(l, Number(v), 'typed');
    }
  }

  // --- compute and draw ---
  let computing = false;
  let again = false;
  const currentScenario = (): ScenarioFile =>
    applyLevers(scenarioOf().scenario, scenarioOf().levers, state.values);

  function changed(): void {
    writeHash();
    void recompute();
    scheduleMonteCarlo();
  }

  async function recompute(): Promise<void> {
    if (computing) {
      again = true;
      return;
    }
    computing = true;
    try {
      do {
        again = false;
        try {
          last = await engine.run(state.index, currentScenario());
          status.textContent = '';
          draw();
        } catch (e) {
          status.textContent = `This combination of levers cannot run: ${messageOf(e)}`;
        }
      } while (again);
    } finally {
      computing = false;
    }
    performance.mark('explorer:drawn');
    try {
      performance.measure('explorer:update', 'explorer:input', 'explorer:drawn');
    } catch {
      // no input mark yet (the first draw)
    }
  }

  function scheduleMonteCarlo(): void {
    lastProbabilities = undefined;
    // stale bands go with the next draw, which follows every lever move
    lastBands = undefined;
    for (const p of cards.querySelectorAll('.prob')) p.textContent = 'P(met): waiting…';
    if (!worker) return;
    clearTimeout(restTimer);
    restTimer = setTimeout(() => {
      token++;
      status.textContent = `Monte Carlo: ${data.samples.toLocaleString('en-US')} paths…`;
      worker!.postMessage({ token, index: state.index, scenario: currentScenario() });
    }, REST_MS);
  }
  function onWorkerMessage(
    e: MessageEvent<{
      token: number;
      probabilities?: Probability[];
      bands?: Record<string, Band>;
      ms?: number;
      error?: string;
    }>,
  ): void {
    {
      if (e.data.token !== token) return;
      if (e.data.error) {
        status.textContent = `Monte Carlo failed: ${e.data.error}`;
        return;
      }
      lastProbabilities = e.data.probabilities;
      lastBands = e.data.bands;
      document.body.dataset.mcMs = String(e.data.ms);
      document.body.dataset.mcToken = String(token);
      status.textContent =
        `Monte Carlo: ${data.samples.toLocaleString('en-US')} paths in ` +
        `${Math.round(e.data.ms!)} ms (seed ${data.seed})`;
      drawCards();
      drawCharts();
    }
  }

  function draw(): void {
    drawCards();
    drawCredits();
    drawCharts();
    drawNumbers();
  }

  function probabilityText(p: Probability | undefined): string {
    if (!p) return lastProbabilities ? 'P(met): not simulated' : 'P(met): waiting…';
    const lo = Math.max(0, p.probability - 1.96 * p.stdError);
    const hi = Math.min(1, p.probability + 1.96 * p.stdError);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return `P(met) ${pct(p.probability)} (95%: ${pct(lo)}–${pct(hi)}, ${p.samples} paths)`;
  }

  function drawCards(): void {
    if (!last) return;
    cards.replaceChildren();
    for (const r of last.targets) {
      const p = lastProbabilities?.find((x) => x.targetId === r.targetId);
      const gapText =
        r.gap === undefined
          ? '—'
          : r.gap > 0
            ? `${show(r.gap, r.unit)} short`
            : r.gap === 0
              ? 'none (exactly at the target)'
              : `${show(-r.gap, r.unit)} to spare`;
      const card = h(
        'article',
        {
          class: `card ${r.status}`,
          'data-target': r.targetId,
          'data-status': r.status,
          'data-projected': String(r.projectedValue ?? ''),
          'data-gap': String(r.gap ?? ''),
          'data-first-met': String(r.firstMetYear ?? ''),
          'data-probability': String(p?.probability ?? ''),
        },
        h('h3', {}, r.title),
        h('p', { class: 'badge' }, r.status.replace('-', ' ')),
        h(
          'dl',
          {},
          h('dt', {}, 'Deadline'),
          h('dd', {}, r.deadline ? `FY${r.deadline}` : '—'),
          h('dt', {}, 'Projected'),
          h('dd', {}, show(r.projectedValue, r.unit)),
          h('dt', {}, 'Gap'),
          h('dd', {}, gapText),
          h('dt', {}, 'First met'),
          h('dd', {}, r.firstMetYear ? `FY${r.firstMetYear}` : 'not by the last year'),
        ),
        h('p', { class: 'prob' }, probabilityText(p)),
      );
      if (r.withoutCredits)
        card.append(
          h(
            'p',
            { class: 'small' },
            `Without credits: ${r.withoutCredits.status.replace('-', ' ')}`,
          ),
        );
      if (r.status === 'not-modelled' && r.note) card.append(h('p', { class: 'small' }, r.note));
      const old = pinned?.outcome.targets.find((x) => x.targetId === r.targetId);
      if (old)
        card.append(
          h(
            'p',
            { class: 'pinned' },
            `Pinned (${pinned!.label}): ${old.status.replace('-', ' ')}, ` +
              `${show(old.projectedValue, old.unit)}` +
              pinnedProbability(r.targetId),
          ),
        );
      cards.append(card);
    }
    if (last.targets.length === 0)
      cards.append(h('p', {}, 'This organization has no targets file.'));
  }

  function pinnedProbability(target: string): string {
    const p = pinned?.probabilities?.find((x) => x.targetId === target);
    return p ? `, P(met) ${(100 * p.probability).toFixed(1)}%` : '';
  }

  function drawCredits(): void {
    credits.replaceChildren(h('h2', { id: 'credits-h' }, 'Credits to buy and their cost'));
    const o = last?.offsets;
    if (!o) {
      credits.append(h('p', {}, 'This scenario buys no credits (no offsets strategy).'));
      return;
    }
    const band = (c: Record<string, number>) =>
      `${money(c.central!, o.currency)} (low–high ${money(c.low!, o.currency)}–` +
      `${money(c.high!, o.currency)})`;
    const dl = h(
      'dl',
      {
        'data-year': String(o.year),
        'data-tonnes': String(o.tonnes),
        'data-cost-central': String(o.cost.central),
        'data-cumulative-central': String(o.cumulative.cost.central),
        'data-npv-central': String(o.npv.central),
        'data-npv-low': String(o.npv.low),
        'data-npv-high': String(o.npv.high),
      },
      h('dt', {}, `FY${o.year} (first credit year)`),
      h('dd', {}, `${show(o.tonnes, 't CO2e')} for ${band(o.cost)}`),
      h('dt', {}, `FY${o.cumulative.from}–FY${o.cumulative.to}`),
      h('dd', {}, `${show(o.cumulative.tonnes, 't CO2e')} for ${band(o.cumulative.cost)}`),
      h('dt', {}, `NPV at ${(100 * o.discountRate).toFixed(1)}% real`),
      h('dd', {}, band(o.npv)),
    );
    credits.append(dl);
    const old = pinned?.outcome.offsets;
    if (old)
      credits.append(
        h(
          'p',
          { class: 'pinned' },
          `Pinned (${pinned!.label}): FY${old.year} ${show(old.tonnes, 't CO2e')}, NPV ` +
            money(old.npv.central, old.currency),
        ),
      );
  }

  /** Chart panels: the issue's four, then one per target metric not already drawn. */
  function panels(o: Outcome): Array<{ title: string; variables: string[] }> {
    const base = [
      {
        title: 'Scope 1+2 (market-based, location-based, net of credits)',
        variables: [
          'Emissions|Scope 1+2',
          'Emissions|Scope 1+2|Location-based',
          'Emissions|Scope 1+2|Net',
        ],
      },
      { title: 'Scope 3', variables: ['Emissions|Scope 3'] },
      { title: 'Clean-electricity share', variables: ['Electricity|Clean Share'] },
      { title: 'PUE', variables: Object.keys(o.series).filter((v) => v.startsWith('PUE|')) },
    ];
    const shown = new Set(base.flatMap((p) => p.variables));
    for (const t of o.targets)
      if (!shown.has(t.metric) && o.series[t.metric]) {
        base.push({ title: t.metric, variables: [t.metric] });
        shown.add(t.metric);
      }
    return base
      .map((p) => ({ ...p, variables: p.variables.filter((v) => o.series[v]) }))
      .filter((p) => p.variables.length > 0);
  }

  function drawCharts(): void {
    if (!last) return;
    charts.replaceChildren();
    const colour = scenarioOf().colour;
    for (const p of panels(last)) {
      const W = 360;
      const H = 200;
      const m = { l: 44, r: 16, t: 10, b: 24 };
      const lines: Array<{ xs: number[]; ys: number[]; style: Record<string, string | number> }> =
        [];
      p.variables.forEach((v, k) => {
        const sr = last!.series[v]!;
        lines.push({
          xs: sr.years,
          ys: sr.values,
          style: {
            stroke: colour,
            'stroke-width': 2,
            'stroke-dasharray': ['', '6 3', '2 2'][k] ?? '',
          },
        });
        const old = pinned?.outcome.series[v];
        if (old)
          lines.push({
            xs: old.years,
            ys: old.values,
            style: {
              stroke: pinned!.colour,
              'stroke-opacity': 0.45,
              'stroke-width': 1.5,
              'stroke-dasharray': ['', '6 3', '2 2'][k] ?? '',
            },
          });
      });
      for (const t of last.targets)
        if (p.variables.includes(t.metric) && t.pathway.length > 1)
          lines.push({
            xs: t.pathway.map((x) => x.year),
            ys: t.pathway.map((x) => x.required),
            style: { stroke: '#222', 'stroke-width': 1, 'stroke-dasharray': '1 3' },
          });
      // Monte Carlo bands as in the report's fan charts: p5–p95 (opacity 0.2), p25–p75 (0.35),
      // p50 a thin line; for the panel's first variable, in the scenario's colour
      const band = lastBands?.[p.variables[0]!];
      const bandYs = band ? [...band.p5, ...band.p95] : [];
      const all = [...lines.flatMap((l) => l.ys), ...bandYs].filter(Number.isFinite);
      const xsAll = lines.flatMap((l) => l.xs);
      let y0 = Math.min(0, ...all);
      let y1 = Math.max(...all);
      if (!(y1 > y0)) {
        y0 -= 1;
        y1 += 1;
      }
      const x0 = Math.min(...xsAll);
      const x1 = Math.max(...xsAll);
      const X = (x: number) => m.l + ((x - x0) / Math.max(1, x1 - x0)) * (W - m.l - m.r);
      const Y = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
      const unit = last.series[p.variables[0]!]!.unit;
      const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-chart': p.title });
      svg.append(s('title', {}));
      svg.firstChild!.textContent = `${p.title} (${unit})`;
      svg.append(s('line', { x1: m.l, x2: W - m.r, y1: Y(y0), y2: Y(y0), stroke: '#bbb' }));
      for (const [y, anchor] of [
        [y0, 'end'],
        [y1, 'end'],
      ] as const) {
        const t = s('text', { x: m.l - 4, y: Y(y) + 4, 'text-anchor': anchor, class: 'tick' });
        t.textContent = compact.format(y);
        svg.append(t);
      }
      for (const x of [x0, 2030, x1].filter(
        (x, i, a) => x >= x0 && x <= x1 && a.indexOf(x) === i,
      )) {
        const anchor = x === x0 ? 'start' : x === x1 ? 'end' : 'middle';
        const t = s('text', { x: X(x), y: H - 6, 'text-anchor': anchor, class: 'tick' });
        t.textContent = String(x);
        svg.append(t);
      }
      if (band) {
        const area = (lo: number[], hi: number[]) =>
          band.years
            .map((x, i) => `${i ? 'L' : 'M'}${X(x).toFixed(1)},${Y(hi[i]!).toFixed(1)}`)
            .join('') +
          band.years
            .map((x, i) => [x, i] as const)
            .reverse()
            .map(([x, i]) => `L${X(x).toFixed(1)},${Y(lo[i]!).toFixed(1)}`)
            .join('') +
          'Z';
        const end = band.years.length - 1;
        svg.append(
          s('path', {
            d: area(band.p5, band.p95),
            fill: colour,
            'fill-opacity': 0.2,
            stroke: 'none',
            'data-band': p.variables[0]!,
            'data-year': band.years[end]!,
            'data-p5': band.p5[end]!,
            'data-p50': band.p50[end]!,
            'data-p95': band.p95[end]!,
          }),
          s('path', { d: area(band.p25, band.p75), fill: colour, 'fill-opacity': 0.35 }),
        );
        lines.push({
          xs: band.years,
          ys: band.p50,
          style: { stroke: colour, 'stroke-width': 1, 'stroke-opacity': 0.9 },
        });
      }
      for (const l of lines) {
        const d = l.xs
          .map((x, i) => `${i ? 'L' : 'M'}${X(x).toFixed(1)},${Y(l.ys[i]!).toFixed(1)}`)
          .join('');
        svg.append(s('path', { d, fill: 'none', ...l.style }));
      }
      const legend = h(
        'p',
        { class: 'legend' },
        p.variables.map((v, k) => `${['—', '- -', '··'][k]} ${v}`).join('  '),
        pinned ? '  faded: pinned' : '',
        band
          ? `  shaded${p.variables.length > 1 ? ' (—)' : ''}: Monte Carlo p5–p95 (darker ` +
              `p25–p75), thin line p50 of ` +
              `${data.samples.toLocaleString('en-US')} paths`
          : '',
        lines.some((l) => l.style['stroke-dasharray'] === '1 3')
          ? '  dotted black: required pathway'
          : '',
      );
      charts.append(h('figure', {}, h('figcaption', {}, `${p.title} (${unit})`), svg, legend));
    }
  }

  function drawNumbers(): void {
    if (!last) return;
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'variable'),
      h('th', { scope: 'col' }, 'unit'),
    );
    const years = last.series['Emissions|Scope 1+2']?.years ?? Object.values(last.series)[0]!.years;
    for (const y of years) head.append(h('th', { scope: 'col' }, String(y)));
    const body = Object.entries(last.series).map(([v, sr]) => {
      const tr = h(
        'tr',
        { 'data-variable': v },
        h('th', { scope: 'row' }, v),
        h('td', {}, sr.unit),
      );
      for (const y of years) {
        const i = sr.years.indexOf(y);
        tr.append(
          i < 0
            ? h('td', {}, '')
            : h(
                'td',
                { 'data-year': String(y), 'data-value': String(sr.values[i]) },
                show(sr.values[i]),
              ),
        );
      }
      return tr;
    });
    numbers.replaceChildren(h('thead', {}, head), h('tbody', {}, ...body));
  }

  // --- save, compare, reset ---
  function savedYaml(sc: ExplorerScenario): { name: string; text: string } {
    const changedScenario = currentScenario();
    const moved = sc.levers.filter((l) => state.values.has(l.id));
    const describe = (path: string[]) => {
      const p = path.join('.');
      const here = moved.filter((l) => l.paths.some((q) => q.join('.').startsWith(p)));
      return here.map((l) => `${l.label}: ${l.value} → ${state.values.get(l.id)}`).join('; ');
    };
    const delta = scenarioDelta(sc.scenario, changedScenario, describe);
    const name = `${sc.name}-explored`;
    const movedText = moved
      .map((l) => `${l.label} ${l.value} → ${state.values.get(l.id)}`)
      .join('; ');
    const doc = {
      name,
      extends: sc.extendsAs,
      title: `${sc.title}, explored`,
      description: `Levers moved in carbonpath explore: ${movedText || 'none'}.`,
      ...delta,
    };
    const dataFlag = data.dataArg ? ` --data ${data.dataArg}` : '';
    const run = `npx carbonpath run ${sc.saveIn}/${name}.yaml${dataFlag}`;
    const text =
      `# Saved by carbonpath ${data.version} explore from ${sc.file}.\n` +
      `# Save it in ${sc.saveIn}/ (extends finds ${sc.extendsAs} there or among the bundled ` +
      `scenarios), fill in each why, and run:\n#   ${run}\n` +
      stringify(doc, { lineWidth: 0 });
    return { name: `${name}.yaml`, text };
  }

  saveBtn.addEventListener('click', () => {
    const { name, text } = savedYaml(scenarioOf());
    const a = h('a', {
      href: URL.createObjectURL(new Blob([text], { type: 'application/yaml' })),
      download: name,
    });
    document.body.append(a);
    a.click();
    a.remove();
    const where = scenarioOf().saveIn;
    saveNote.textContent = `Saved ${name}: put it in ${where}/ and run it with carbonpath run.`;
  });
  pinBtn.addEventListener('click', () => {
    if (pinned) {
      pinned = undefined;
      pinBtn.textContent = 'Compare: pin this state';
    } else if (last) {
      pinned = {
        colour: scenarioOf().colour,
        label: `${scenarioOf().name}, ${state.values.size} lever(s) moved`,
        outcome: last,
        probabilities: lastProbabilities,
      };
      pinBtn.textContent = 'Compare: clear the pin';
    }
    draw();
  });
  resetBtn.addEventListener('click', () => {
    performance.mark('explorer:input');
    state.values.clear();
    buildLevers();
    changed();
  });
  select.addEventListener('change', () => {
    performance.mark('explorer:input');
    state.index = Number(select.value);
    state.values.clear();
    buildLevers();
    changed();
  });
  window.addEventListener('hashchange', () => {
    readHash();
    void recompute();
    scheduleMonteCarlo();
  });

  readHash();
  void recompute().then(() => {
    document.body.dataset.ready = 'true';
    performance.mark('explorer:ready');
    // the worker (a second copy of the script to compile) once the first page is painted
    requestAnimationFrame(() =>
      setTimeout(() => {
        startWorker();
        scheduleMonteCarlo();
      }, 0),
    );
  });
}
