// The param view of a params-mode run: one slice plot per tunable (each measured trial's value against its
// metric), most telling first, with how its moves went — what mattered, at a glance.
import { followChanges, getJson, refresher, showError } from './api.js';
import { sliceChart } from './charts.js';
import { el, replace, segment } from './dom.js';
import * as format from './format.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
const runId = decodeURIComponent(location.pathname.split('/')[2] ?? '');

/** @param {any} view */
function render(view) {
  document.title = `bilevel: params of run ${view.runId}`;
  const grid = el('div', { class: 'slices' });
  replace(
    root,
    el('p', { class: 'crumbs' }, el('a', { href: `/runs/${segment(runId)}` }, `run ${runId}`), ` · ${view.task}`),
    el('h1', {}, 'What mattered: each param against the metric'),
    el(
      'p',
      { class: 'muted' },
      `Each dot is a measured trial at the value in effect (green: kept). Dashed lines: grey the baseline's value, blue the best's. ` +
        `Sorted by the largest gain a move of the param made over its parent. ${view.metric.name}: ${view.metric.direction === 'minimize' ? 'lower' : 'higher'} is better.`,
    ),
    view.mode !== 'params'
      ? el('p', { class: 'muted' }, 'This run edits code: its trials share no params to plot.')
      : null,
    grid,
  );
  for (const slice of view.params) {
    const card = el(
      'article',
      { class: 'slice' },
      el('h3', {}, slice.name),
      el(
        'p',
        { class: 'muted' },
        `moved ${slice.stats.moved}× · kept ${slice.stats.kept} · best gain ${format.stat(slice.stats.bestGain)} · crashes ${slice.stats.crashes}` +
          ` · baseline ${format.paramValue(slice.baseline)} → best ${format.paramValue(slice.best)}`,
      ),
    );
    grid.appendChild(card);
    sliceChart(card, slice, view.range, view.metric.name);
  }
}

const refresh = refresher(async () => {
  try {
    render(await getJson(`/api/runs/${segment(runId)}/params`));
  } catch (error) {
    showError(root, error);
  }
}, 2000);
refresh.request();
followChanges((change) => {
  if (change.runs.includes(runId)) refresh.request();
});
