// The dashboard's charts, drawn with uPlot from data the server computed: the run's convergence (a dot per trial by
// status, the best-so-far step, off-scale and no-metric markers, Level 1.5 / Level 2 event lines, hover), a study's
// per-group convergence, and a param's slice plot. Legends and captions are HTML text; nothing is thinned.
import uPlot from '/assets/vendor/uplot.js';
import { el, replace } from './dom.js';
import * as format from './format.js';

export const colors = {
  keep: '#009e73',
  discard: '#8c8c8c',
  failed: '#d55e00',
  offScale: '#e69f00',
  best: '#0072b2',
  'outer-cycle': '#56b4e9',
  'meta-session': '#cc79a7',
  activated: '#009e73',
  retired: '#d55e00',
  underLoad: '#000000',
};

/**
 * @typedef {{ after: number, kind: 'outer-cycle' | 'meta-session' | 'activated' | 'retired', label: string }} ChartEvent
 * @typedef {{
 *   metricName: string, direction: 'minimize' | 'maximize', index: number[], status: string[],
 *   metric: (number | null)[], best: (number | null)[], range: { low: number, high: number } | null,
 *   offScale: number, underLoad?: (boolean | null)[], events: ChartEvent[]
 * }} RunChartData
 */

/**
 * The series uPlot draws for a run, and how many points each holds: every trial is exactly one point.
 * @param {RunChartData} data
 */
export function runSeries(data) {
  const range = data.range ?? { low: 0, high: 1 };
  const span = range.high - range.low || 1;
  const floor = range.low - 0.06 * span;
  /** @type {(number | null)[][]} */
  const [keep, discard, off, failed] = [[], [], [], []];
  data.index.forEach((_, position) => {
    const value = data.metric[position] ?? null;
    const inside = value !== null && value >= range.low && value <= range.high;
    keep.push(inside && data.status[position] === 'keep' ? value : null);
    discard.push(inside && data.status[position] !== 'keep' ? value : null);
    off.push(value !== null && !inside ? Math.min(range.high, Math.max(range.low, value)) : null);
    failed.push(value === null ? floor : null);
  });
  const count = (/** @type {(number | null)[]} */ values) => values.filter((value) => value !== null).length;
  return {
    aligned: /** @type {uPlot.AlignedData} */ ([data.index, data.best, keep, discard, off, failed]),
    floor,
    top: range.high,
    counts: { keep: count(keep), discard: count(discard), offScale: count(off), failed: count(failed) },
  };
}

/**
 * The run's convergence chart; `describe(trial)` resolves to a one-line summary for the hover box.
 * @param {HTMLElement} container
 * @param {RunChartData} initial
 * @param {(trial: number) => Promise<string>} describe
 */
export function runChart(container, initial, describe) {
  let data = initial;
  let series = runSeries(data);
  const caption = el('p', { class: 'chart-caption' });
  const holder = el('div', { class: 'chart' });
  const tooltip = el('div', { class: 'tooltip', role: 'status' });
  replace(container, legend(data), holder, caption);
  const plot = new uPlot(
    {
      width: Math.max(320, container.clientWidth),
      height: 360,
      legend: { show: false },
      cursor: { points: { show: false }, drag: { x: true, y: false } },
      scales: {
        x: { time: false },
        y: { range: () => [series.floor - (series.top - series.floor) * 0.02, series.top] },
      },
      axes: [
        { label: 'trial', labelSize: 20, incrs: trialSteps },
        { label: `${data.metricName} (${data.direction === 'minimize' ? 'lower' : 'higher'} is better)`, size: 70 },
      ],
      series: [
        {},
        {
          label: 'best so far',
          stroke: colors.best,
          width: 2,
          spanGaps: true,
          points: { show: false },
          paths: uPlot.paths.stepped?.({ align: 1 }),
        },
        dots('keep', colors.keep, 7),
        dots('discard', colors.discard, 5),
        hidden('off scale'),
        hidden('no metric'),
      ],
      hooks: {
        draw: [(u) => drawMarkers(u, data, series)],
        setCursor: [(u) => hover(u, tooltip, data, describe)],
      },
    },
    series.aligned,
    holder,
  );
  plot.over.appendChild(tooltip);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, container.clientWidth), height: 360 }));
  resize.observe(container);
  const showCaption = () => {
    const { counts } = series;
    const drawn = counts.keep + counts.discard + counts.offScale + counts.failed;
    caption.setAttribute('data-index', String(drawn));
    replace(
      caption,
      `${drawn} points, one per trial: ${counts.keep} kept, ${counts.discard} measured and not kept, `,
      `${counts.failed} without a metric (crash, timeout, rejected: along the bottom), `,
      `${counts.offScale} off the scale (triangles at the edge). Drag to zoom, double-click to reset.`,
    );
  };
  showCaption();
  return {
    /** @param {RunChartData} next */
    update(next) {
      data = next;
      series = runSeries(data);
      plot.setData(series.aligned);
      showCaption();
    },
  };
}

/** Tick steps on the trial axis: whole trials only. */
const trialSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];

/**
 * @param {string} label
 * @param {string} color
 * @param {number} size
 * @returns {uPlot.Series}
 */
function dots(label, color, size) {
  return {
    label,
    stroke: color,
    fill: color,
    paths: () => null,
    points: { show: true, size, stroke: color, fill: color },
  };
}

/**
 * A series drawn by drawMarkers instead of by uPlot.
 * @param {string} label
 * @returns {uPlot.Series}
 */
function hidden(label) {
  return { label, paths: () => null, points: { show: false } };
}

/** @param {RunChartData} data */
function legend(data) {
  const item = (/** @type {string} */ color, /** @type {string} */ shape, /** @type {string} */ text) =>
    el('span', { class: 'legend-item' }, el('span', { class: `swatch ${shape} ${colorClass(color)}` }), text);
  const kinds = new Set(data.events.map((event) => event.kind));
  return el(
    'div',
    { class: 'legend' },
    item(colors.keep, 'dot', 'kept'),
    item(colors.discard, 'dot', 'not kept'),
    item(colors.failed, 'cross', 'no metric'),
    item(colors.offScale, 'triangle', 'off scale'),
    item(colors.best, 'line', 'best so far'),
    kinds.has('outer-cycle') && item(colors['outer-cycle'], 'bar', 'Level 1.5 cycle'),
    kinds.has('activated') && item(colors.activated, 'bar', 'mechanism activated'),
    kinds.has('retired') && item(colors.retired, 'bar', 'mechanism retired'),
    kinds.has('meta-session') && item(colors['meta-session'], 'bar', 'Level 2 session (nothing activated)'),
    data.underLoad && item(colors.underLoad, 'ring', 'measured under load'),
  );
}

/** @param {string} color */
function colorClass(color) {
  return `c${color.slice(1)}`;
}

/**
 * Event lines between trials, off-scale triangles, no-metric crosses and under-load rings, on the canvas.
 * @param {uPlot} u
 * @param {RunChartData} data
 * @param {ReturnType<typeof runSeries>} series
 */
function drawMarkers(u, data, series) {
  const { ctx } = u;
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  ctx.clip();
  ctx.setLineDash([4 * ratio, 3 * ratio]);
  ctx.lineWidth = 1.5 * ratio;
  // Several events at one boundary sit side by side, 4 px apart, so none hides another.
  /** @type {Map<number, ChartEvent[]>} */
  const byBoundary = new Map();
  for (const event of data.events) byBoundary.set(event.after, [...(byBoundary.get(event.after) ?? []), event]);
  for (const [after, together] of byBoundary) {
    const center = u.valToPos(after + 0.5, 'x', true);
    together.forEach((event, rank) => {
      const x = center + (rank - (together.length - 1) / 2) * 4 * ratio;
      ctx.strokeStyle = colors[event.kind];
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
    });
  }
  ctx.setLineDash([]);
  const [xs, , , , off, failed] = series.aligned;
  const size = 4 * ratio;
  for (let position = 0; position < xs.length; position += 1) {
    const x = u.valToPos(/** @type {number} */ (xs[position]), 'x', true);
    const high = off?.[position];
    if (high !== null && high !== undefined) {
      const y = u.valToPos(high, 'y', true);
      const pointsUp = y <= u.bbox.top + u.bbox.height / 2;
      ctx.fillStyle = colors.offScale;
      ctx.beginPath();
      ctx.moveTo(x, pointsUp ? y : y + size);
      ctx.lineTo(x - size, pointsUp ? y + 1.6 * size : y - 0.6 * size);
      ctx.lineTo(x + size, pointsUp ? y + 1.6 * size : y - 0.6 * size);
      ctx.fill();
    }
    const none = failed?.[position];
    if (none !== null && none !== undefined) {
      const y = u.valToPos(none, 'y', true);
      ctx.strokeStyle = colors.failed;
      ctx.lineWidth = 1.5 * ratio;
      ctx.beginPath();
      ctx.moveTo(x - size, y - size);
      ctx.lineTo(x + size, y + size);
      ctx.moveTo(x + size, y - size);
      ctx.lineTo(x - size, y + size);
      ctx.stroke();
    }
    if (data.underLoad?.[position] === true && data.metric[position] !== null) {
      const value = /** @type {number} */ (u.data[2]?.[position] ?? u.data[3]?.[position] ?? high);
      ctx.strokeStyle = colors.underLoad;
      ctx.lineWidth = 1.2 * ratio;
      ctx.beginPath();
      ctx.arc(x, u.valToPos(value, 'y', true), 5 * ratio, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
  ctx.restore();
}

/** @type {Map<number, string>} */
const summaries = new Map();

/**
 * The hover box: the trial under the cursor (index, status, metric, summary) and what happened right after it.
 * @param {uPlot} u
 * @param {HTMLElement} tooltip
 * @param {RunChartData} data
 * @param {(trial: number) => Promise<string>} describe
 */
function hover(u, tooltip, data, describe) {
  const position = u.cursor.idx;
  if (position === null || position === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
    tooltip.classList.remove('shown');
    return;
  }
  const trial = data.index[position];
  if (trial === undefined) return;
  const summary = el('div', { class: 'summary' }, summaries.get(trial) ?? '…');
  const events = data.events.filter((event) => event.after === trial);
  replace(
    tooltip,
    el(
      'div',
      {},
      el('strong', {}, `trial ${trial}`),
      ` ${data.status[position]} · ${format.metric(data.metric[position])}`,
    ),
    el('div', {}, `best so far ${format.metric(data.best[position])}`),
    summary,
    events.map((event) => el('div', { class: `event ${event.kind}` }, `after it: ${event.label}`)),
  );
  tooltip.classList.add('shown');
  const left = u.cursor.left ?? 0;
  tooltip.classList.toggle('flip', left > u.over.clientWidth / 2);
  tooltip.style.left = `${left}px`;
  tooltip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
  if (!summaries.has(trial)) {
    describe(trial).then((text) => {
      summaries.set(trial, text);
      if (u.cursor.idx === position) summary.textContent = text;
    });
  }
}

/**
 * @typedef {{ label: string, points: (number | null)[], weight: 'thin' | 'thick', color?: string }} LineSeries
 * @typedef {{ title: string, metricName: string, direction: 'minimize' | 'maximize', series: LineSeries[] }} LineChartOptions
 */

/**
 * A study's convergence: thin lines per repeat, thick lines per group mean (the data of `bilevel ablate`'s chart).
 * @param {HTMLElement} container
 * @param {LineChartOptions} options
 */
export function lineChart(container, options) {
  const length = Math.max(0, ...options.series.map((line) => line.points.length));
  const xs = Array.from({ length }, (_, index) => index);
  const ordered = [...options.series].sort((a, b) => (a.weight === b.weight ? 0 : a.weight === 'thin' ? -1 : 1));
  const palette = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#f0e442', '#000000'];
  const thick = ordered.filter((line) => line.weight === 'thick');
  const colorOf = (/** @type {LineSeries} */ line, /** @type {number} */ position) =>
    line.color ?? palette[position % palette.length] ?? '#000000';
  const holder = el('div', { class: 'chart' });
  replace(
    container,
    el(
      'div',
      { class: 'legend' },
      thick.map((line, position) =>
        el(
          'span',
          { class: 'legend-item' },
          el('span', { class: `swatch line ${colorClass(colorOf(line, position))}` }),
          line.label,
        ),
      ),
      el('span', { class: 'legend-item muted' }, 'thin: single repeats'),
    ),
    holder,
  );
  let thickSeen = 0;
  const plot = new uPlot(
    {
      width: Math.max(320, container.clientWidth),
      height: 340,
      legend: { show: false },
      scales: { x: { time: false } },
      axes: [
        { label: 'trial', labelSize: 20, incrs: trialSteps },
        { label: options.metricName, size: 70 },
      ],
      series: [
        {},
        ...ordered.map((line) => {
          const color = line.color ?? (line.weight === 'thick' ? colorOf(line, thickSeen++) : '#999999');
          return {
            label: line.label,
            stroke: line.weight === 'thick' ? color : `${color}66`,
            width: line.weight === 'thick' ? 2.5 : 1,
            spanGaps: true,
            points: { show: false },
          };
        }),
      ],
    },
    /** @type {uPlot.AlignedData} */ ([xs, ...ordered.map((line) => xs.map((index) => line.points[index] ?? null))]),
    holder,
  );
  new ResizeObserver(() => plot.setSize({ width: Math.max(320, container.clientWidth), height: 340 })).observe(
    container,
  );
  return plot;
}

/**
 * @typedef {{
 *   name: string, kind: 'number' | 'choice', scale: 'linear' | 'log', choices?: unknown[], trial: number[],
 *   value: unknown[], metric: number[], status: string[], baseline: unknown, best: unknown
 * }} ParamSlice
 */

/**
 * One param's slice plot: each measured trial's value (x) against its metric (y), kept ones in green; a dashed
 * grey line at the baseline's value and a blue one at the best's.
 * @param {HTMLElement} container
 * @param {ParamSlice} slice
 * @param {{ low: number, high: number } | null} range
 * @param {string} metricName
 */
export function sliceChart(container, slice, range, metricName) {
  const choices = slice.kind === 'choice' ? (slice.choices ?? [...new Set(slice.value)]) : null;
  const xOf = (/** @type {unknown} */ value) => (choices ? choices.indexOf(value) : /** @type {number} */ (value));
  const points = slice.value
    .map((value, position) => ({
      x: xOf(value),
      y: slice.metric[position] ?? 0,
      keep: slice.status[position] === 'keep',
    }))
    .filter((point) => Number.isFinite(point.x) && (choices ? point.x >= 0 : slice.scale !== 'log' || point.x > 0))
    .sort((a, b) => a.x - b.x);
  const clamp = (/** @type {number} */ y) => (range ? Math.min(range.high, Math.max(range.low, y)) : y);
  const holder = el('div', { class: 'chart small' });
  container.appendChild(holder);
  const marks = [
    { value: slice.baseline, color: '#8c8c8c' },
    { value: slice.best, color: colors.best },
  ];
  return new uPlot(
    {
      width: 300,
      height: 200,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: {
          time: false,
          distr: slice.scale === 'log' ? 3 : 1,
          ...(choices ? { range: () => [-0.5, Math.max(0.5, choices.length - 0.5)] } : {}),
        },
        ...(range ? { y: { range: () => [range.low, range.high] } } : {}),
      },
      axes: [
        {
          size: 30,
          ...(choices
            ? {
                splits: () => choices.map((_, index) => index),
                values: (_u, splits) => splits.map((index) => format.paramValue(choices[index])),
              }
            : {}),
        },
        { size: 56, label: metricName, labelSize: 14 },
      ],
      series: [{}, dots('not kept', colors.discard, 4), dots('kept', colors.keep, 5)],
      hooks: {
        draw: [
          (u) => {
            const { ctx } = u;
            ctx.save();
            ctx.setLineDash([4, 3]);
            for (const mark of marks) {
              if (mark.value === null || mark.value === undefined) continue;
              const x = u.valToPos(xOf(mark.value), 'x', true);
              ctx.strokeStyle = mark.color;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    },
    /** @type {uPlot.AlignedData} */ ([
      points.map((point) => point.x),
      points.map((point) => (point.keep ? null : clamp(point.y))),
      points.map((point) => (point.keep ? clamp(point.y) : null)),
    ]),
    holder,
  );
}
