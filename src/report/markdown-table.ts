// Markdown building blocks for reports: table cells that cannot break the table, tables, and number formats.

/**
 * One table cell: newlines and tabs become spaces, `|` is escaped, `<` is written as `&lt;`
 * (no raw HTML reaches the page), and text longer than `limit` characters is cut with "…".
 */
export function markdownCell(text: string, limit = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

/** A GitHub-flavoured Markdown table; cells are used as given (pass them through `markdownCell`). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A metric value with six decimals (as `bilevel status` prints it); "—" when there is none. */
export function formatMetric(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(6);
}

/** A signed difference with six decimals ("+0.001200", "-0.000300"); "—" when there is none. */
export function formatSigned(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : value < 0 ? '-' : '±'}${Math.abs(value).toFixed(6)}`;
}

/** Seconds as "42.1 s", "3 min 05 s" or "2 h 07 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
  const roundedMinutes = Math.round(seconds / 60);
  return `${Math.floor(roundedMinutes / 60)} h ${String(roundedMinutes % 60).padStart(2, '0')} min`;
}

/** A param value as the summaries write it: strings quoted, numbers and booleans as they are. */
export function formatParamValue(value: number | string | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
