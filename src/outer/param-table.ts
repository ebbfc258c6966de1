// Per-parameter statistics over a trial trace: how often each param was moved, kept, gained, crashed.
import { improvement } from '../core/metric-direction.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { ParamSpec } from '../task/task-definition.js';

/** What the trace says about one tunable. Only executed trials count (rejected ones never ran). */
export interface ParamRow {
  name: string;
  /** Executed trials that changed this param. */
  moved: number;
  /** Of those, how many were kept. */
  kept: number;
  /**
   * The best improvement over the parent's metric among the moves, in metric units, signed so that
   * positive is better whatever the direction; null when no move was measured against a measured parent.
   */
  bestGain: number | null;
  /** The last trial that moved it, or null. */
  lastMoved: number | null;
  /** The last kept trial that moved it, or null. */
  lastKept: number | null;
  /** Distinct values it was moved to. */
  distinctValues: number;
  /** Moves that crashed or timed out. */
  crashes: number;
  /** Kept moves that raised a numeric value. */
  keptUp: number;
  /** Kept moves that lowered a numeric value. */
  keptDown: number;
}

/** One row per param, in the order of `params`. */
export type ParamTable = readonly ParamRow[];

export interface ParamTableOptions {
  /** Count only trials with an index greater than this (parents are still looked up in the whole trace). */
  after?: number;
}

/** Builds the table from the whole trace; `direction` decides the sign of `bestGain`. */
export function buildParamTable(
  params: readonly ParamSpec[],
  history: readonly TrialRecordView[],
  direction: 'minimize' | 'maximize',
  options: ParamTableOptions = {},
): ParamTable {
  const byIndex = new Map(history.map((trial) => [trial.index, trial]));
  const after = options.after ?? 0;
  return params.map((param) => {
    const row: ParamRow = {
      name: param.name,
      moved: 0,
      kept: 0,
      bestGain: null,
      lastMoved: null,
      lastKept: null,
      distinctValues: 0,
      crashes: 0,
      keptUp: 0,
      keptDown: 0,
    };
    const values = new Set<string>();
    for (const trial of history) {
      if (trial.index <= after || trial.status === 'rejected') continue;
      const change = trial.changed[param.name];
      if (change === undefined || change[0] === change[1]) continue;
      const [before, afterValue] = change;
      row.moved += 1;
      row.lastMoved = trial.index;
      values.add(JSON.stringify(afterValue));
      if (trial.status === 'crash' || trial.status === 'timeout') row.crashes += 1;
      if (trial.status === 'keep') {
        row.kept += 1;
        row.lastKept = trial.index;
        if (typeof before === 'number' && typeof afterValue === 'number') {
          if (afterValue > before) row.keptUp += 1;
          if (afterValue < before) row.keptDown += 1;
        }
      }
      const parentMetric = byIndex.get(trial.parent)?.metric ?? null;
      if (trial.metric !== null && parentMetric !== null) {
        const gain = improvement(parentMetric, trial.metric, direction);
        if (row.bestGain === null || gain > row.bestGain) row.bestGain = gain;
      }
    }
    row.distinctValues = values.size;
    return row;
  });
}

/** Formats a gain in 3 significant digits, with a sign for gains. */
function formatGain(gain: number | null): string {
  if (gain === null) return '–';
  const text = Number(gain.toPrecision(3)).toString();
  return gain > 0 ? `+${text}` : text;
}

export interface RenderParamTableOptions {
  /** Params marked as frozen in the last column. */
  frozen?: readonly string[];
  /** At most this many rows (most-moved first beyond the limit); default 40. */
  maxRows?: number;
}

/**
 * A compact Markdown table, one row per param, bounded to `maxRows` rows of bounded width
 * (names are capped at 40 characters), so it fits a prompt whatever the task.
 */
export function renderParamTable(table: ParamTable, options: RenderParamTableOptions = {}): string {
  const maxRows = options.maxRows ?? 40;
  const frozen = new Set(options.frozen ?? []);
  const rows =
    table.length <= maxRows
      ? table
      : [...table]
          .sort((left, right) => right.moved - left.moved || left.name.localeCompare(right.name))
          .slice(0, maxRows);
  const lines = [
    '| param | moved | kept | best gain | kept up/down | distinct values | crashes | last moved | frozen |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.name.slice(0, 40)} | ${row.moved} | ${row.kept} | ${formatGain(row.bestGain)} | ${row.keptUp}/${row.keptDown} | ${row.distinctValues} | ${row.crashes} | ${row.lastMoved ?? '–'} | ${frozen.has(row.name) ? 'yes' : 'no'} |`,
    );
  }
  if (rows.length < table.length) lines.push(`(${table.length - rows.length} more params not shown)`);
  return lines.join('\n');
}
