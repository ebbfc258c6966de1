// A run's page: its header, the convergence chart, the best change against the baseline, the trials table (paged;
// a row opens the trial's diff and log tail), Level 1.5 snapshots, mechanisms and meta sessions — updated live.
import { followChanges, getJson, refresher, showError } from './api.js';
import { runChart } from './charts.js';
import { el, facts, pre, replace, segment, table } from './dom.js';
import * as format from './format.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
const runId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const base = `/api/runs/${segment(runId)}`;
const statuses = ['keep', 'discard', 'crash', 'timeout', 'rejected'];
const pageSize = 50;

/** What the reader chose in the table: kept across live refreshes. */
const tableState = {
  offset: 0,
  order: 'desc',
  statuses: /** @type {string[]} */ ([]),
  open: /** @type {number | null} */ (null),
};

/** Long lists show their last `shortList` entries until the reader asks for all (a 10,000-trial run has thousands). */
const shortList = 20;
const expanded = { events: false, snapshots: false, sessions: false };
/** The whole lists of cycles and sessions, fetched while the reader has asked for all of them. */
const whole = { snapshots: /** @type {any[] | null} */ (null), sessions: /** @type {any[] | null} */ (null) };
/** @type {any} */
let lastRun = null;

/**
 * A line saying how much of a long list shows, with a button to show all of it or the last `shortList` again.
 * @param {'events' | 'snapshots' | 'sessions'} key
 * @param {number} total
 * @param {string} noun
 */
function listToggle(key, total, noun) {
  if (total <= shortList) return null;
  const toggle = button(expanded[key] ? `show the last ${shortList} only` : `show all ${total} ${noun}`, async () => {
    expanded[key] = !expanded[key];
    await fetchWhole();
    if (lastRun) renderSections(lastRun);
  });
  return el('p', {}, `${expanded[key] ? 'all' : `the last ${shortList} of`} ${total} ${noun} `, toggle);
}

/** Fetches the whole lists the reader has asked for (they are not part of the run's first answer). */
async function fetchWhole() {
  whole.snapshots = expanded.snapshots ? await getJson(`${base}/snapshots`) : null;
  whole.sessions = expanded.sessions ? await getJson(`${base}/sessions`) : null;
}

const parts = {
  header: el('section', { id: 'header' }),
  chart: el('section', { id: 'chart' }),
  best: el('section', { id: 'best' }),
  trials: el('section', { id: 'trials' }),
  outer: el('section', { id: 'level-1-5' }),
  mechanisms: el('section', { id: 'mechanisms' }),
  sessions: el('section', { id: 'level-2' }),
};
const chartBox = el('div', { class: 'chart-box' });
const trialsBox = el('div', { class: 'trials-box' });
/** @type {ReturnType<typeof runChart> | null} */
let chart = null;

/** @param {number} trial */
async function describe(trial) {
  const page = await getJson(`${base}/trials/${trial}`);
  return page.summary + (page.reason ? ` — ${page.reason}` : '');
}

/** @param {any} run */
function renderHeader(run) {
  document.title = `bilevel: run ${run.id}`;
  const alive =
    run.state === 'running' ? (run.progress.driverAlive ? 'driver alive' : 'process gone: bilevel resume') : '';
  const counts = statuses.map((status) => `${run.counts[status]} ${status}`).join(', ');
  const left =
    run.state === 'running' && run.progress.etaSeconds !== null
      ? `about ${format.duration(run.progress.etaSeconds)} left (${run.progress.remainingTrials} trials at ${format.duration(run.progress.meanTrialSeconds)})`
      : undefined;
  const inFlight = run.inFlight.length
    ? run.inFlight
        .map((/** @type {any} */ trial) => `#${trial.index}${trial.worker ? ` on ${trial.worker}` : ''}`)
        .join(', ')
    : undefined;
  const config = run.config;
  replace(
    parts.header,
    el(
      'h1',
      {},
      `run ${run.id}`,
      ' ',
      el('span', { class: `state ${run.state}` }, run.state),
      alive ? ` ${alive}` : '',
    ),
    run.stateReason ? el('p', { class: 'reason' }, run.stateReason) : null,
    facts([
      ['task', run.task],
      ['levels', run.levels.join(', ')],
      ['proposer', `${run.proposer}${run.llm.model ? ` (${run.llm.model})` : ''}`],
      ['mode · seed', `${run.mode} · ${run.seed}`],
      ['trials', `${run.trials}/${run.plannedTrials} recorded: ${counts}`],
      ['time left', left],
      ['in flight', inFlight],
      ['workers', typeof config.workers === 'number' ? String(config.workers) : undefined],
      ['isolation', typeof config.isolation === 'string' ? config.isolation : undefined],
      [`${run.metric.name}`, `${run.metric.direction === 'minimize' ? 'lower' : 'higher'} is better`],
      ['baseline', format.metric(run.baseline)],
      [
        'best',
        run.best
          ? `${format.metric(run.best.metric)} at trial ${run.best.trial}: ${format.gain(run.baseline, run.best.metric, run.metric.direction)}`
          : 'nothing kept yet',
      ],
      ['budget', `${config.budgetSeconds} s per trial (timeout ${config.timeoutSeconds} s)`],
      [
        'llm',
        run.llm.calls > 0
          ? `${run.llm.calls} calls, ${run.llm.inputTokens} in / ${run.llm.outputTokens} out tokens, ~$${run.llm.costUsd.toFixed(4)}`
          : undefined,
      ],
      ['started · updated', `${format.time(run.createdAt)} · ${format.time(run.updatedAt)}`],
    ]),
    el(
      'nav',
      { class: 'sections' },
      [
        ['#chart', 'chart'],
        ['#best', 'best change'],
        ['#trials', 'trials'],
        ['#level-1-5', 'Level 1.5'],
        ['#mechanisms', 'mechanisms'],
        ['#level-2', 'Level 2'],
      ].map(([href, label]) => el('a', { href: `/runs/${segment(runId)}${href}` }, label)),
      run.mode === 'params' ? el('a', { href: `/runs/${segment(runId)}/params` }, 'param view') : null,
    ),
  );
}

/** @param {any} run */
function renderChart(run) {
  if (!chart) {
    replace(parts.chart, el('h2', {}, 'Convergence'), chartBox);
    chart = runChart(chartBox, run.chart, describe);
  } else {
    chart.update(run.chart);
  }
  const events = run.chart.events;
  const list = parts.chart.querySelector('.events') ?? el('details', { class: 'events' });
  const shown = expanded.events ? events : events.slice(-shortList);
  replace(
    list,
    el('summary', {}, `${events.length} Level 1.5 / Level 2 events on the chart`),
    listToggle('events', events.length, 'events'),
    el(
      'ul',
      {},
      shown.map((/** @type {any} */ event) =>
        el('li', { class: event.kind }, `after trial ${event.after}: ${event.label}`),
      ),
    ),
  );
  parts.chart.appendChild(list);
}

/** @param {any} run */
function renderBest(run) {
  const diffBox = el('div', { class: 'diff-box' });
  const changed = Object.entries(run.best?.changed ?? {});
  replace(
    parts.best,
    el('h2', {}, 'Best change against the baseline'),
    !run.best || run.best.trial === 0
      ? el('p', { class: 'muted' }, 'No trial beat the baseline yet: the best state is the task as it was.')
      : [
          el(
            'p',
            {},
            `Trial ${run.best.trial}: ${run.metric.name} ${format.metric(run.best.metric)} against the baseline's ${format.metric(run.baseline)} (${format.gain(run.baseline, run.best.metric, run.metric.direction)}).`,
          ),
          changed.length
            ? table(
                ['param', 'baseline', 'best'],
                changed.map(([name, [before, after]]) => [name, format.paramValue(before), format.paramValue(after)]),
              )
            : el('p', { class: 'muted' }, 'The params are the same as the baseline’s.'),
          el(
            'p',
            {},
            el('a', { href: `${base}/best.patch`, download: 'best.patch' }, 'download best.patch'),
            ' ',
            button('show the diff', async () => {
              const response = await fetch(`${base}/best.patch`);
              replace(diffBox, pre(response.ok ? await response.text() : (await response.json()).error, 'diff'));
            }),
          ),
          diffBox,
        ],
  );
}

/**
 * @param {string} label
 * @param {() => void | Promise<void>} action
 * @param {string} [className]
 */
function button(label, action, className) {
  const element = el('button', { class: className }, label);
  element.addEventListener('click', () => void action());
  return element;
}

async function renderTrials() {
  const query = new URLSearchParams({
    offset: String(tableState.offset),
    limit: String(pageSize),
    order: tableState.order,
    status: tableState.statuses.join(','),
  });
  const page = await getJson(`${base}/trials?${query}`);
  const optional = ['proposer', 'worker', 'cpuSeconds', 'underLoad'].filter((field) =>
    page.rows.some((/** @type {any} */ row) => field in row),
  );
  const header = ['#', 'status', 'metric', 'changed', 'reason', 'wall', ...optional.map(optionalLabel), 'ended'];
  const body = el('tbody', {});
  for (const row of page.rows) {
    const line = el(
      'tr',
      { class: `trial ${row.status}`, 'data-index': row.index, title: 'click: diff, log tail, proposal' },
      el('td', {}, String(row.index)),
      el('td', {}, el('span', { class: `status ${row.status}` }, row.status)),
      el('td', {}, format.metric(row.metric)),
      el('td', {}, format.changes(row.changed) || row.summary),
      el('td', { class: 'reason' }, row.reason),
      el('td', {}, format.duration(row.wallSeconds)),
      optional.map((field) => el('td', {}, optionalValue(field, row[field]))),
      el('td', {}, format.time(row.endedAt)),
    );
    line.addEventListener('click', () => {
      tableState.open = tableState.open === row.index ? null : row.index;
      void refreshTrials.request();
    });
    body.appendChild(line);
    if (tableState.open === row.index) {
      const cell = el('td', { colspan: header.length }, el('p', { class: 'muted' }, 'loading…'));
      body.appendChild(el('tr', { class: 'detail' }, cell));
      void renderDetail(cell, row.index);
    }
  }
  const first = page.total === 0 ? 0 : tableState.offset + 1;
  const last = Math.min(page.total, tableState.offset + pageSize);
  replace(
    trialsBox,
    el(
      'div',
      { class: 'controls' },
      el('span', {}, 'show: '),
      statuses.map((status) =>
        button(status, () => toggleStatus(status), `filter ${tableState.statuses.includes(status) ? 'on' : ''}`),
      ),
      button(tableState.order === 'desc' ? 'newest first' : 'oldest first', () => {
        tableState.order = tableState.order === 'desc' ? 'asc' : 'desc';
        tableState.offset = 0;
        void refreshTrials.request();
      }),
      el('span', { class: 'pager' }, `rows ${first}–${last} of ${page.total} `),
      button('‹ previous', () => movePage(-1), tableState.offset === 0 ? 'disabled' : ''),
      button('next ›', () => movePage(1), last >= page.total ? 'disabled' : ''),
    ),
    el(
      'table',
      { class: 'trials' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          header.map((name) => el('th', {}, name)),
        ),
      ),
      body,
    ),
  );
  /** @param {number} step */
  function movePage(step) {
    const next = tableState.offset + step * pageSize;
    if (next < 0 || next >= page.total) return;
    tableState.offset = next;
    void refreshTrials.request();
  }
}

/** @param {string} status */
function toggleStatus(status) {
  tableState.statuses = tableState.statuses.includes(status)
    ? tableState.statuses.filter((item) => item !== status)
    : [...tableState.statuses, status];
  tableState.offset = 0;
  void refreshTrials.request();
}

/** @param {string} field */
function optionalLabel(field) {
  return { proposer: 'proposer', worker: 'worker', cpuSeconds: 'CPU', underLoad: 'load' }[field] ?? field;
}

/**
 * @param {string} field
 * @param {unknown} value
 */
function optionalValue(field, value) {
  if (value === null || value === undefined) return '–';
  if (field === 'cpuSeconds') return format.duration(/** @type {number} */ (value));
  if (field === 'underLoad') return value ? 'under load' : 'ok';
  return String(value);
}

/**
 * A trial whole: summary, reason, diff, log tail, proposal, attempts and whatever else was recorded.
 * @param {HTMLElement} cell
 * @param {number} index
 */
async function renderDetail(cell, index) {
  try {
    const trial = await getJson(`${base}/trials/${index}`);
    replace(
      cell,
      facts([
        ['summary', trial.summary],
        ['reason', trial.reason || undefined],
        ['parent', `trial ${trial.parent}`],
        ['commit', trial.commit ?? undefined],
        ['confirmations', trial.confirmations.length ? trial.confirmations.map(format.metric).join(', ') : undefined],
        ['peak memory', trial.peakMemoryMb === null ? undefined : `${trial.peakMemoryMb.toFixed(0)} MiB`],
        ['started', format.time(trial.startedAt)],
        ...Object.entries(trial.extra).map(
          ([column, value]) => /** @type {[string, string]} */ ([column, String(value)]),
        ),
      ]),
      el('h4', {}, 'diff'),
      trial.diff ? pre(trial.diff, 'diff') : el('p', { class: 'muted' }, 'no diff (the baseline, or nothing changed)'),
      el(
        'h4',
        {},
        trial.log
          ? `log tail (${trial.log.complete ? 'whole file' : `last ${trial.log.text.length} of ${trial.log.bytes} bytes`})`
          : 'log',
      ),
      trial.log ? pre(trial.log.text, 'log') : el('p', { class: 'muted' }, trial.logMissing),
      trial.proposal ? [el('h4', {}, 'proposal'), pre(JSON.stringify(trial.proposal, null, 2))] : null,
      trial.attempts.length ? [el('h4', {}, 'attempts before it'), pre(JSON.stringify(trial.attempts, null, 2))] : null,
    );
  } catch (error) {
    showError(cell, error);
  }
}

/** @param {any} run */
function renderOuter(run) {
  const snapshots = whole.snapshots ?? run.snapshots;
  replace(
    parts.outer,
    el('h2', {}, 'Level 1.5: search settings over time'),
    listToggle('snapshots', run.snapshotCount, 'Level 1.5 cycles'),
    run.snapshotCount === 0
      ? el(
          'p',
          { class: 'muted' },
          run.levels.includes('1.5') ? 'No Level 1.5 cycle yet.' : 'Level 1.5 is off in this run.',
        )
      : table(
          ['cycle', 'after trial', 'analyst', 'strategy', 'frozen', 'changes', 'why', 'guidance'],
          snapshots.map((/** @type {any} */ snapshot) => [
            String(snapshot.cycle),
            String(snapshot.afterTrial),
            snapshot.analyst,
            snapshot.settings.strategy,
            snapshot.settings.frozen.join(', ') || 'none',
            snapshot.ok ? snapshot.changes.join('; ') || 'no change' : `analysis failed: ${snapshot.error ?? ''}`,
            snapshot.rationale,
            snapshot.settings.guidance,
          ]),
          'snapshots',
        ),
  );
}

/** @param {any} run */
function renderMechanisms(run) {
  replace(
    parts.mechanisms,
    el('h2', {}, 'Mechanisms'),
    run.mechanisms.length === 0
      ? el('p', { class: 'muted' }, 'No mechanism is active in this run.')
      : table(
          ['name', 'origin', 'status', 'active', 'hook calls', 'decisions changed', 'strikes', 'probation', ''],
          run.mechanisms.map((/** @type {any} */ mechanism) => {
            const box = el('div', { class: 'events-box' });
            return [
              mechanism.name,
              mechanism.origin,
              `${mechanism.status}${mechanism.retiredReason ? `: ${mechanism.retiredReason}` : ''}`,
              `after trial ${mechanism.activatedAt ?? 0}${mechanism.retiredAt === null || mechanism.retiredAt === undefined ? '' : ` to ${mechanism.retiredAt}`}`,
              Object.entries(mechanism.hookCallsByHook)
                .filter(([, calls]) => calls > 0)
                .map(([hook, calls]) => `${hook} ${calls}`)
                .join(', ') || String(mechanism.hookCalls),
              String(mechanism.decisionsChanged),
              String(mechanism.strikes),
              probationText(mechanism.probation),
              [button('changed decisions', () => showEvents(box, mechanism.name)), box],
            ];
          }),
          'mechanisms',
        ),
  );
}

/** @param {any} probation */
function probationText(probation) {
  if (!probation) return '–';
  const window = probation.window;
  const previous = probation.previous;
  return `${probation.verdict}: ${probation.reason} (trials ${window.from}–${window.to}: ${window.keeps} keeps, gain ${format.metric(window.gain)}; before: ${previous.keeps} keeps, gain ${format.metric(previous.gain)})`;
}

/**
 * @param {HTMLElement} box
 * @param {string} name
 */
async function showEvents(box, name) {
  const { total, events } = await getJson(`${base}/mechanisms/${segment(name)}/events`);
  replace(
    box,
    events.length === 0
      ? el('p', { class: 'muted' }, 'none recorded')
      : [
          el('p', { class: 'muted' }, `${total} events${total > events.length ? `, the last ${events.length}` : ''}`),
          table(
            ['trial', 'kind', 'hook', 'before', 'after', 'detail'],
            events.map((/** @type {any} */ event) => [
              String(event.trialIndex),
              event.kind,
              event.hook ?? '',
              event.before === undefined ? '' : JSON.stringify(event.before),
              event.after === undefined ? '' : JSON.stringify(event.after),
              event.detail ?? '',
            ]),
          ),
        ],
  );
}

/** @param {any} run */
function renderSessions(run) {
  const sessions = whole.sessions ?? run.sessions;
  replace(
    parts.sessions,
    el('h2', {}, 'Level 2: meta sessions'),
    listToggle('sessions', run.sessionCount, 'meta sessions'),
    run.sessionCount === 0
      ? el('p', { class: 'muted' }, run.levels.includes('2') ? 'No meta session yet.' : 'Level 2 is off in this run.')
      : table(
          ['after trial', 'mode', 'trigger', 'outcome', 'mechanism', 'why', 'transcript'],
          sessions.map((/** @type {any} */ session) => [
            String(session.afterTrial),
            session.mode,
            session.trigger,
            session.outcome,
            session.mechanism ?? '–',
            session.detail,
            el(
              'a',
              { href: `/runs/${segment(runId)}/sessions/${segment(session.id)}` },
              `${session.rounds} prompts, ${session.attempts} modules`,
            ),
          ]),
          'sessions',
        ),
  );
}

/** @param {any} run */
function renderSections(run) {
  renderHeader(run);
  renderChart(run);
  renderBest(run);
  renderOuter(run);
  renderMechanisms(run);
  renderSessions(run);
}

const refreshTrials = refresher(async () => {
  try {
    await renderTrials();
  } catch (error) {
    showError(trialsBox, error);
  }
});

let first = true;
const refreshRun = refresher(async () => {
  // The table's page is fetched beside the run, not after it: the first render waits for the slower of the two.
  const trialsDone = refreshTrials.request();
  try {
    const [run] = await Promise.all([getJson(base), fetchWhole()]);
    if (first) {
      replace(root, Object.values(parts));
      replace(parts.trials, el('h2', {}, 'Trials'), trialsBox);
      first = false;
    }
    lastRun = run;
    renderSections(run);
  } catch (error) {
    if (first) showError(root, error);
  }
  await trialsDone;
});

refreshRun.request();
followChanges((change) => {
  if (change.runs.includes(runId)) refreshRun.request();
});
