// One meta session whole: the diagnosis it researched against, every prompt and reply of every round, the chosen
// candidate, each module source with its gate report, and the outcome. Every text is shown as text.
import { getJson, showError } from './api.js';
import { el, facts, pre, replace, segment } from './dom.js';
import * as format from './format.js';

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
const [, , runId = '', , sessionId = ''] = location.pathname.split('/').map((part) => decodeURIComponent(part));
const live = document.getElementById('live');
if (live) live.textContent = 'recorded';

/** @param {any} session */
function render(session) {
  document.title = `bilevel: meta session ${session.id}`;
  const runHref = `/runs/${segment(runId)}`;
  const sessionHref = (/** @type {string} */ id) => `${runHref}/sessions/${segment(id)}`;
  replace(
    root,
    el('p', { class: 'crumbs' }, el('a', { href: runHref }, `run ${runId}`), ` · ${session.task}`),
    el(
      'h1',
      {},
      `Meta session ${session.id}`,
      ' ',
      el('span', { class: `outcome ${session.outcome}` }, session.outcome),
    ),
    facts([
      ['after trial', String(session.afterTrial)],
      ['mode · trigger', `${session.mode} · ${session.trigger}`],
      ['mechanism', session.mechanism ?? '–'],
      ['why', session.detail],
      ['at', format.time(session.createdAt)],
    ]),
    el(
      'p',
      { class: 'crumbs' },
      session.previous ? el('a', { href: sessionHref(session.previous) }, '‹ previous session') : null,
      session.previous && session.next ? ' · ' : null,
      session.next ? el('a', { href: sessionHref(session.next) }, 'next session ›') : null,
    ),
    el('h2', {}, 'Diagnosis of the trace'),
    pre(JSON.stringify(session.diagnosis, null, 2), 'json'),
    session.chosen === null ? null : [el('h2', {}, 'Chosen'), pre(JSON.stringify(session.chosen, null, 2), 'json')],
    el('h2', {}, `Rounds (${session.rounds.length})`),
    session.rounds.length === 0
      ? el('p', { class: 'muted' }, 'No LLM rounds: an offline session picks from the built-ins and the library.')
      : session.rounds.map((/** @type {any} */ round) =>
          el(
            'article',
            { class: 'round' },
            el('h3', {}, `Round: ${round.round}`),
            el('p', { class: 'muted' }, `prompt: ${round.prompt.length} characters, sha256 ${round.promptSha256}`),
            pre(round.prompt, 'prompt'),
            round.error === undefined
              ? [el('h4', {}, 'reply (validated)'), pre(JSON.stringify(round.reply, null, 2), 'json')]
              : el('p', { class: 'error' }, `no usable reply: ${round.error}`),
          ),
        ),
    el('h2', {}, `Modules through the gate (${session.attempts.length})`),
    session.attempts.length === 0
      ? el('p', { class: 'muted' }, 'No module was written.')
      : session.attempts.map((/** @type {any} */ attempt) =>
          el(
            'article',
            { class: 'attempt' },
            el('h3', {}, `Gate attempt ${attempt.attempt + 1}`),
            el('p', { class: 'muted' }, `source sha256 ${attempt.sourceSha256}`),
            pre(attempt.source, 'source'),
            el('h4', {}, 'gate report'),
            pre(JSON.stringify(attempt.gate, null, 2), 'json'),
          ),
        ),
  );
}

getJson(`/api/runs/${segment(runId)}/sessions/${segment(sessionId)}`).then(render, (error) => showError(root, error));
