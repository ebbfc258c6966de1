// Reads the metric from a program's `name: value` summary lines (Karpathy's grep-able summary).

const numberPattern = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)`;
const leadingNumber = new RegExp(`^(${numberPattern})(?![\\w.])`);

/**
 * The metric `name` from summary lines (key → the value on the LAST line that started with `key:`, as the executor
 * reads them; padding allowed, e.g. `val_bpb:          0.997900`). `nan`, `inf` and `-inf` (any case) give `NaN`,
 * which callers record as a crash; no such line, or one that does not start with a number, gives `null`.
 */
export function readMetric(summary: Readonly<Record<string, string>>, name: string): number | null {
  const value = Object.hasOwn(summary, name) ? summary[name] : undefined;
  if (value === undefined) return null;
  const match = leadingNumber.exec(value);
  if (!match) return null;
  const number = Number(match[1]);
  return Number.isFinite(number) ? number : Number.NaN;
}
