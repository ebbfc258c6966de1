// Reading the dashboard's JSON API, and following its live event stream (the server says which runs changed).
import { el, replace } from './dom.js';

/**
 * GETs a JSON document from this server; a refusal becomes an Error carrying the server's message and hint.
 * @param {string} path
 * @returns {Promise<any>}
 */
export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) {
    /** @type {{ error?: string, hint?: string }} */
    let body = {};
    try {
      body = await response.json();
    } catch {
      body = { error: `${response.status} ${response.statusText}` };
    }
    throw new ApiError(body.error ?? `${response.status} ${response.statusText}`, body.hint, response.status);
  }
  return response.json();
}

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {string | undefined} hint
   * @param {number} status
   */
  constructor(message, hint, status) {
    super(message);
    this.hint = hint;
    this.status = status;
  }
}

/** @typedef {{ runs: string[], studies: boolean, at: string }} StateChange */

/**
 * Calls `onChange` for every change the server reports, and shows the stream's state in the page header.
 * @param {(change: StateChange) => void} onChange
 */
export function followChanges(onChange) {
  const badge = document.getElementById('live');
  const show = (/** @type {string} */ text, /** @type {string} */ state) => {
    if (!badge) return;
    badge.textContent = text;
    badge.className = `live ${state}`;
  };
  const source = new EventSource('/api/events');
  source.addEventListener('hello', () => show('live', 'on'));
  source.addEventListener('change', (event) => {
    show('live', 'on');
    onChange(JSON.parse(/** @type {MessageEvent} */ (event).data));
  });
  source.addEventListener('error', () => show('reconnecting…', 'off'));
  return source;
}

/**
 * Runs `task` now and again after each `request()`, never two at once and at most once per `gapMs`: a burst of
 * changes costs one refresh, and a change during a refresh is never lost.
 * @param {() => Promise<void>} task
 * @param {number} [gapMs]
 */
export function refresher(task, gapMs = 300) {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (again) {
        again = false;
        setTimeout(run, gapMs);
      }
    }
  };
  return { request: run };
}

/**
 * Shows an error where the page would be.
 * @param {HTMLElement} root
 * @param {unknown} error
 */
export function showError(root, error) {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiError ? error.hint : undefined;
  replace(root, el('div', { class: 'error' }, el('p', {}, message), hint ? el('p', { class: 'hint' }, hint) : null));
}
