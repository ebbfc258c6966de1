// Numbers, durations and times as the pages show them.

/**
 * A metric with 6 significant digits, or an en dash when there is none.
 * @param {number | null | undefined} value
 */
export function metric(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Number(value.toPrecision(6)).toString();
}

/**
 * A statistic with 4 significant digits (improvements, intervals, effect sizes), or an en dash.
 * @param {number | string | null | undefined} value
 */
export function stat(value) {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Number(value.toPrecision(4)).toString();
}

/**
 * A param value as it reads in source.
 * @param {unknown} value
 */
export function paramValue(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number(value.toPrecision(6)).toString();
  return String(value);
}

/**
 * Seconds as `42 s`, `3 min 20 s`, `2 h 5 min`.
 * @param {number | null | undefined} seconds
 */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * An ISO time as local `YYYY-MM-DD HH:MM:SS`.
 * @param {string | null | undefined} iso
 */
export function time(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}:${pad(date.getSeconds())}`;
}

/**
 * The change from the baseline to the best, signed so that positive is better, with the percentage.
 * @param {number | null} baseline
 * @param {number | null | undefined} best
 * @param {'minimize' | 'maximize'} direction
 */
export function gain(baseline, best, direction) {
  if (baseline === null || best === null || best === undefined) return '–';
  const delta = direction === 'minimize' ? baseline - best : best - baseline;
  const percent = baseline === 0 ? '' : ` (${((delta / Math.abs(baseline)) * 100).toFixed(2)}%)`;
  return `${delta >= 0 ? '+' : ''}${Number(delta.toPrecision(4))}${percent}`;
}

/**
 * `a → b` for each changed param.
 * @param {Record<string, [unknown, unknown]>} changed
 */
export function changes(changed) {
  return Object.entries(changed)
    .map(([name, [before, after]]) => `${name} ${paramValue(before)} → ${paramValue(after)}`)
    .join(', ');
}
