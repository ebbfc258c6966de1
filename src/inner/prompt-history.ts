// The proposer prompt's history: a fixed-size aggregate of all trials shown plus a table of the most recent ones.

import { isBetter } from '../core/metric-direction.js';
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import type { ProposalHistoryTrial } from './proposer.js';

export interface HistoryRenderOptions {
  /** Rows in the recent-trials table. */
  recent: number;
  /** Most params listed in the per-param aggregate (the rest are counted). */
  maxParamRows?: number;
  direction: 'minimize' | 'maximize';
}

/** Longest cell of the recent table ("what changed" / summary), in characters. */
const maxChangeCell = 180;
/** Longest reason appended to a failed trial's row, in characters. */
const maxReasonCell = 120;
/** Choice values listed per param in the aggregate. */
const maxChoicesListed = 6;

/**
 * A param value exactly as the model may copy it back: numbers in full (1048576, never 1048580), strings quoted
 * whole. Only measured metrics are rounded (`formatMetric`); a rounded value offered back would be rejected.
 */
export function formatValue(value: ParamValue | undefined): string {
  if (value === undefined) return '?';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Line breaks would break the table (pipes are escaped, as Markdown writes them); long text is cut with an ellipsis. */
export function cell(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
  return cut.replace(/\|/g, '\\|');
}

/**
 * Renders `history` (oldest first) in bounded space, whatever its length: totals and the best trial, one
 * aggregate row per param over every trial given (times moved, kept, crashed, values tried, best metric when
 * moved), then the last `options.recent` trials with the values they changed and their outcomes.
 */
export function renderProposalHistory(
  history: readonly ProposalHistoryTrial[],
  trialCount: number,
  params: readonly ParamSpec[],
  options: HistoryRenderOptions,
): string {
  if (history.length === 0) return 'No trials yet.';
  const sections = [renderTotals(history, trialCount, options.direction), ...renderProposers(history)];
  const older = history.length - options.recent;
  if (older > 0 && params.length > 0) sections.push(renderParamAggregate(history, params, options));
  sections.push(renderRecent(history, options.recent));
  return sections.join('\n\n');
}

function renderTotals(
  history: readonly TrialRecordView[],
  trialCount: number,
  direction: 'minimize' | 'maximize',
): string {
  const counts = new Map<string, number>();
  let best: TrialRecordView | undefined;
  for (const trial of history) {
    counts.set(trial.status, (counts.get(trial.status) ?? 0) + 1);
    if (trial.metric !== null && (trial.status === 'keep' || trial.index === 0)) {
      if (best?.metric == null || isBetter(trial.metric, best.metric, direction)) best = trial;
    }
  }
  const statusText = ['keep', 'discard', 'crash', 'timeout', 'rejected']
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`)
    .join(', ');
  const shown = history.length < trialCount ? ` (the last ${history.length} of ${trialCount} are summarised here)` : '';
  const bestText = best ? ` Best kept: ${formatMetric(best.metric)} at trial ${best.index}.` : '';
  return `Outcomes${shown}: ${statusText}.${bestText}`;
}

interface ParamAggregate {
  moved: number;
  kept: number;
  crashed: number;
  min: number;
  max: number;
  distinct: Map<string, number>;
  bestMetric: number | null;
  bestValue: ParamValue | undefined;
}

function renderParamAggregate(
  history: readonly TrialRecordView[],
  params: readonly ParamSpec[],
  options: HistoryRenderOptions,
): string {
  const maxRows = options.maxParamRows ?? 40;
  const aggregates = new Map<string, ParamAggregate>();
  for (const trial of history) {
    for (const [name, [, after]] of Object.entries(trial.changed)) {
      const aggregate = aggregates.get(name) ?? {
        moved: 0,
        kept: 0,
        crashed: 0,
        min: Number.POSITIVE_INFINITY,
        max: Number.NEGATIVE_INFINITY,
        distinct: new Map<string, number>(),
        bestMetric: null,
        bestValue: undefined,
      };
      aggregate.moved++;
      if (trial.status === 'keep') aggregate.kept++;
      if (trial.status === 'crash' || trial.status === 'timeout') aggregate.crashed++;
      if (typeof after === 'number') {
        aggregate.min = Math.min(aggregate.min, after);
        aggregate.max = Math.max(aggregate.max, after);
      }
      const key = formatValue(after);
      aggregate.distinct.set(key, (aggregate.distinct.get(key) ?? 0) + 1);
      if (
        trial.metric !== null &&
        (aggregate.bestMetric === null || isBetter(trial.metric, aggregate.bestMetric, options.direction))
      ) {
        aggregate.bestMetric = trial.metric;
        aggregate.bestValue = after;
      }
      aggregates.set(name, aggregate);
    }
  }
  const lines = [
    'Per parameter, over all trials above (moved = trials that changed it; best = best metric of those trials):',
    '| param | moved | kept | crashed | values tried | best (at value) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  const shown = params.slice(0, maxRows);
  for (const param of shown) {
    const aggregate = aggregates.get(param.name);
    if (aggregate === undefined) {
      lines.push(`| ${param.name} | 0 | 0 | 0 | never moved | – |`);
      continue;
    }
    const tried =
      param.type === 'number' && Number.isFinite(aggregate.min)
        ? `${formatValue(aggregate.min)} … ${formatValue(aggregate.max)} (${aggregate.distinct.size} distinct)`
        : [...aggregate.distinct.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, maxChoicesListed)
            .map(([value, count]) => `${value} ×${count}`)
            .join(', ') + (aggregate.distinct.size > maxChoicesListed ? ', …' : '');
    const best =
      aggregate.bestMetric === null
        ? '–'
        : `${formatMetric(aggregate.bestMetric)} (${formatValue(aggregate.bestValue)})`;
    lines.push(
      `| ${param.name} | ${aggregate.moved} | ${aggregate.kept} | ${aggregate.crashed} | ${cell(tried, 120)} | ${cell(best, 60)} |`,
    );
  }
  if (params.length > shown.length) lines.push(`(${params.length - shown.length} more params not listed)`);
  return lines.join('\n');
}

/** Whether trials the LLM did not propose (another arm of a mix, a mechanism) are among those shown. */
function othersProposed(history: readonly ProposalHistoryTrial[]): boolean {
  return history.some((trial) => trial.proposer != null && trial.proposer !== 'llm');
}

/** Which proposer made how many of the trials shown, when some were not the LLM's (a mix, a mechanism that proposes). */
function renderProposers(history: readonly ProposalHistoryTrial[]): string[] {
  if (!othersProposed(history)) return [];
  const counts = new Map<string, number>();
  for (const trial of history) if (trial.proposer) counts.set(trial.proposer, (counts.get(trial.proposer) ?? 0) + 1);
  const listed = [...counts].map(([name, count]) => `${name} ${count}`).join(', ');
  return [
    `Not every trial here is yours (llm): the "by" column says who proposed each one (${listed}). Every trial's outcome counts, whoever proposed it.`,
  ];
}

function renderRecent(history: readonly ProposalHistoryTrial[], limit: number): string {
  const recent = history.slice(Math.max(0, history.length - limit));
  const byColumn = othersProposed(history);
  const lines = [
    `The last ${recent.length} trials, oldest first (values changed from the parent → outcome):`,
    `| trial | parent |${byColumn ? ' by |' : ''} status | metric | values changed / summary |`,
    `| --- | --- |${byColumn ? ' --- |' : ''} --- | --- | --- |`,
  ];
  for (const trial of recent) {
    const changes = Object.entries(trial.changed).map(
      ([name, [before, after]]) => `${name} ${formatValue(before)}→${formatValue(after)}`,
    );
    const what = changes.length > 0 ? changes.join(', ') : trial.summary || '(no change)';
    const failed = trial.status !== 'keep' && trial.status !== 'discard' && trial.reason !== '';
    const reason = failed ? ` — ${cell(trial.reason, maxReasonCell)}` : '';
    lines.push(
      `| ${trial.index} | ${trial.index === 0 ? '–' : trial.parent} |${byColumn ? ` ${trial.proposer ?? (trial.index === 0 ? 'baseline' : '–')} |` : ''} ${trial.status} | ${formatMetric(trial.metric)} | ${cell(what, maxChangeCell)}${reason} |`,
    );
  }
  return lines.join('\n');
}

/** A measured metric, to 6 significant digits (the one kind of number shown rounded). */
export function formatMetric(metric: number | null): string {
  return metric === null ? '–' : Number(metric.toPrecision(6)).toString();
}
