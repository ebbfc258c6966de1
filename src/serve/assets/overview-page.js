// The front page: every run (state, task, levels, proposer, progress, best vs baseline, time left, workers) and
// every study, updated live as runs record trials.
import { followChanges, getJson, refresher, showError } from './api.js';
import { el, replace, segment, table } from './dom.js';
import * as format from './format.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));

/** @param {any} run */
function stateCell(run) {
  if (run.state === 'running' && run.progress.driverAlive === false) {
    return el('span', { class: 'state gone', title: `bilevel resume ${run.id}` }, 'running, process gone');
  }
  return el('span', { class: `state ${run.state}`, title: run.stateReason || undefined }, run.state);
}

/** @param {any} run */
function progressCell(run) {
  const bar = el(
    'span',
    { class: 'progress' },
    el('span', { class: `fill w${Math.round((run.trials / Math.max(1, run.plannedTrials)) * 20) * 5}` }),
  );
  return [bar, ` ${run.trials}/${run.plannedTrials}`];
}

/** @param {any} run */
function timeLeft(run) {
  if (run.state !== 'running') return '–';
  if (run.progress.driverAlive === false) return 'stopped';
  return run.progress.etaSeconds === null ? '…' : format.duration(run.progress.etaSeconds);
}

/** @param {any} view */
function render(view) {
  document.title = 'bilevel: runs and studies';
  const runs = view.runs.map((/** @type {any} */ run) => [
    el('a', { href: `/runs/${segment(run.id)}` }, run.id),
    run.task,
    stateCell(run),
    run.levels.join(', '),
    run.proposer,
    progressCell(run),
    format.metric(run.baseline),
    run.best ? `${format.metric(run.best.metric)} (#${run.best.trial})` : '–',
    run.best ? format.gain(run.baseline, run.best.metric, run.metric.direction) : '–',
    timeLeft(run),
    run.workers === null ? (run.inFlight > 0 ? String(run.inFlight) : '1') : `${run.inFlight}/${run.workers}`,
    run.study ? el('a', { href: `/studies/${segment(run.study)}` }, run.study) : '',
    format.time(run.createdAt),
  ]);
  const studies = view.studies.map((/** @type {any} */ study) => [
    el('a', { href: `/studies/${segment(study.id)}` }, study.id),
    study.task,
    study.groups.map((/** @type {any} */ group) => `${group.name} (${group.levels.join('+')})`).join(', '),
    String(study.repeats),
    String(study.trials),
    `${study.finished}/${study.plannedRuns} finished${study.runs > study.finished ? `, ${study.runs - study.finished} started` : ''}`,
    study.problem ?? '',
    format.time(study.createdAt),
  ]);
  replace(
    root,
    el('h1', {}, 'Runs'),
    view.waiting
      ? el(
          'p',
          { class: 'muted' },
          'No runs in this state dir yet. This page shows the first one as soon as it starts.',
        )
      : view.runs.length === 0
        ? el('p', { class: 'muted' }, 'No runs yet.')
        : table(
            [
              'run',
              'task',
              'state',
              'levels',
              'proposer',
              'trials',
              'baseline',
              'best',
              'gain',
              'time left',
              'workers',
              'study',
              'started',
            ],
            runs,
            'runs',
          ),
    el('h1', {}, 'Studies'),
    view.studies.length === 0
      ? el('p', { class: 'muted' }, 'No studies (`bilevel ablate`) in this state dir.')
      : table(['study', 'task', 'groups', 'repeats', 'trials', 'runs', '', 'started'], studies, 'studies'),
  );
}

const refresh = refresher(async () => {
  try {
    render(await getJson('/api/overview'));
  } catch (error) {
    showError(root, error);
  }
});
refresh.request();
followChanges(() => refresh.request());
