// Reads a `name: value` metric line (Karpathy's grep-able summary) from a run's output.

const numberPattern = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)`;

/**
 * The value on the LAST line that starts with `name:` followed by a number (padding allowed, e.g.
 * `val_bpb:          0.997900`). `nan`, `inf` and `-inf` (any case) give `NaN`, which callers record as a
 * crash; no such line gives `null`. A line with anything before the name does not count.
 */
export function readMetric(text: string, name: string): number | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = new RegExp(`^${escaped}:[ \\t]*(${numberPattern})(?![\\w.])`, 'gm');
  let last: string | undefined;
  for (const match of text.matchAll(line)) last = match[1];
  if (last === undefined) return null;
  const value = Number(last);
  return Number.isFinite(value) ? value : Number.NaN;
}
