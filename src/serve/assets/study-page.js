// A study's page: the group table with intervals, the between-group tests, the per-group convergence chart, and
// each group's runs with links — the numbers `bilevel ablate` writes, updated live while the study runs.
import { followChanges, getJson, refresher, showError } from './api.js';
import { lineChart } from './charts.js';
import { el, facts, replace, segment, table } from './dom.js';
import * as format from './format.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
const studyId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
/** @type {Set<string>} */
let runIds = new Set();

/** @param {number | null | undefined} value */
function p(value) {
  if (value === null || value === undefined || typeof value !== 'number') return String(value ?? '–');
  return value < 0.001 ? value.toExponential(1) : value.toFixed(3);
}

/** @param {any} view */
function render(view) {
  const report = view.report;
  document.title = `bilevel: study ${report.studyId}`;
  runIds = new Set(
    report.groups.flatMap((/** @type {any} */ group) => group.runs.map((/** @type {any} */ run) => run.runId)),
  );
  const chartBox = el('div', { class: 'chart-box' });
  replace(
    root,
    el(
      'h1',
      {},
      `Study ${report.studyId}`,
      ' ',
      el(
        'span',
        { class: `state ${report.complete ? 'finished' : 'running'}` },
        report.complete ? 'complete' : 'in progress',
      ),
    ),
    facts([
      [
        'task',
        `${report.task.name} (${report.task.metric.name}, ${report.task.metric.direction === 'minimize' ? 'lower' : 'higher'} is better)`,
      ],
      ['repeats × trials', `${report.definition.repeats} × ${report.definition.controls.trials}`],
      ['seeds', report.protocol.seeds],
      ['baseline', report.protocol.baseline],
      ['restarts', report.protocol.restart],
    ]),
    el('h2', {}, 'Groups: improvement over the baseline (positive is better)'),
    table(
      [
        'group',
        'levels',
        'mechanisms',
        'repeats',
        'mean ± sd',
        'median',
        '95% interval',
        'best repeat',
        'Level 1.5 cycles (changed)',
        'Level 2 sessions (activated)',
        'decisions changed',
      ],
      report.groups.map((/** @type {any} */ group) => [
        group.name,
        group.levels.join(', '),
        group.mechanisms.join(', ') || '–',
        `${group.repeats}${group.excluded ? ` (${group.excluded} left out)` : ''}`,
        group.summary ? `${format.stat(group.summary.mean)} ± ${format.stat(group.summary.sd)}` : '–',
        group.summary ? format.stat(group.summary.median) : '–',
        group.summary?.ci ? `${format.stat(group.summary.ci.low)} to ${format.stat(group.summary.ci.high)}` : '–',
        group.bestRun
          ? el(
              'a',
              { href: `/runs/${segment(group.bestRun.runId)}` },
              `${format.stat(group.bestRun.improvement)} (repeat ${group.bestRun.repeat})`,
            )
          : '–',
        `${group.activity.outerCycles} (${group.activity.outerCyclesWithChanges})`,
        `${group.activity.metaSessions} (${group.activity.metaSessionsActivated})`,
        String(group.activity.decisionsChanged),
      ]),
      'groups',
    ),
    el('h2', {}, 'Tests between groups'),
    report.comparisons.length === 0
      ? el('p', { class: 'muted' }, 'No two groups have finished repeats to compare yet.')
      : table(
          ['comparison', 'n', 'mean difference', 'Welch p', 'permutation p', 'Hedges g', 'repeats needed (80% power)'],
          report.comparisons.map((/** @type {any} */ comparison) => [
            `${comparison.a} vs ${comparison.b}`,
            `${comparison.n.a} / ${comparison.n.b}`,
            format.stat(comparison.meanDifference),
            p(comparison.welch?.p),
            p(comparison.permutation?.p),
            format.stat(comparison.hedgesG),
            String(comparison.repeatsNeeded ?? '–'),
          ]),
          'comparisons',
        ),
    el(
      'p',
      { class: 'muted' },
      'Believe a difference only when both p-values are small; a mechanism that changed no decision cannot explain one.',
    ),
    el('h2', {}, 'Convergence by group'),
    chartBox,
    el('h2', {}, 'Runs'),
    report.groups.map((/** @type {any} */ group) => [
      el('h3', {}, `Group ${group.name}`),
      table(
        ['repeat', 'seed', 'run', 'state', 'trials', 'baseline', 'best', 'improvement', 'time'],
        group.runs.map((/** @type {any} */ run) => [
          String(run.repeat),
          String(run.seed),
          el('a', { href: `/runs/${segment(run.runId)}` }, run.runId),
          run.state,
          String(run.trials),
          format.metric(run.baseline),
          run.best ? `${format.metric(run.best.metric)} (#${run.best.trial})` : '–',
          format.stat(run.improvement),
          format.duration(run.seconds),
        ]),
      ),
    ]),
  );
  lineChart(chartBox, view.chart);
}

const refresh = refresher(async () => {
  try {
    render(await getJson(`/api/studies/${segment(studyId)}`));
  } catch (error) {
    showError(root, error);
  }
});
refresh.request();
followChanges((change) => {
  if (change.studies || change.runs.some((id) => runIds.has(id))) refresh.request();
});
