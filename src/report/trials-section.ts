// The report's trials table: status, metric, change against the incumbent, params changed, and why.
import { isBetter, type MetricDirection } from '../core/metric-direction.js';
import type { ParamValue } from '../task/task-definition.js';
import { formatMetric, formatParamValue, formatSigned, markdownCell, markdownTable } from './markdown-table.js';

export interface ReportTrial {
  /** 0 is the baseline. */
  index: number;
  status: string;
  metric: number | null;
  /** Params this trial changed: name → [before, after]. */
  changed: Readonly<Record<string, readonly [ParamValue, ParamValue]>>;
  summary: string;
  reason: string;
  /** Who proposed it (`llm`, `optuna:tpe`, `mechanism:NAME`, …); null for the baseline. */
  proposer?: string | null;
  /** The commit holding the trial's code (kept: the run's branch; others: their side ref); null in old records. */
  commit?: string | null;
}

/** Runs with more trials than this show only the baseline, kept, crashed and timed-out trials, and count the rest. */
export const fullTableLimit = 100;

/**
 * Renders the trials table. Δ vs incumbent is the trial's metric minus the best kept metric before
 * it (signed in metric units; for `minimize`, negative is better). Long runs (over `fullTableLimit`
 * trials) list every trial that is not a plain discard or rejection, and summarize those by count.
 */
export function renderTrialsSection(
  trials: readonly ReportTrial[],
  options: { direction: MetricDirection; runId: string; workDir?: string },
): string {
  const lines = ['## Trials', ''];
  if (trials.length === 0) return [...lines, 'No trial recorded yet.'].join('\n');
  const better = options.direction === 'minimize' ? 'negative is better' : 'positive is better';
  const incumbents = incumbentBefore(trials, options.direction);
  const shortened = trials.length > fullTableLimit;
  const shown = shortened
    ? trials.filter((trial) => trial.index === 0 || (trial.status !== 'discard' && trial.status !== 'rejected'))
    : trials;

  // With more than one proposer (a mix, or a mechanism that proposes) each row says whose trial it is.
  const byColumn = new Set(trials.flatMap((trial) => (trial.proposer ? [trial.proposer] : []))).size > 1;
  const rows = shown.map((trial) => {
    const incumbent = incumbents.get(trial.index) ?? null;
    const delta = trial.metric !== null && incumbent !== null ? trial.metric - incumbent : null;
    const moves = Object.entries(trial.changed);
    const changed = moves
      .map(([name, [before, after]]) => `${name} ${formatParamValue(before)} → ${formatParamValue(after)}`)
      .join('; ');
    // A summary that only restates the changed params (the random proposer's) is left out.
    const restated = moves
      .map(([name, [before, after]]) => `${name} ${formatParamValue(before)} -> ${formatParamValue(after)}`)
      .join(', ');
    const summary = moves.length > 0 && trial.summary === restated ? '' : trial.summary;
    const note = [summary, trial.reason].filter((part) => part !== '').join(' — ');
    return [
      String(trial.index),
      ...(byColumn ? [markdownCell(trial.proposer ?? (trial.index === 0 ? 'baseline' : '—'), 60)] : []),
      trial.status === 'keep' ? '**keep**' : trial.status,
      formatMetric(trial.metric),
      trial.index === 0 ? '—' : formatSigned(delta),
      markdownCell(changed || '—', 200),
      markdownCell(note || '—', 200),
      trial.commit ? `\`${trial.commit.slice(0, 7)}\`` : '—',
    ];
  });

  if (shortened) {
    const hidden = trials.filter((trial) => !shown.includes(trial));
    const discards = hidden.filter((trial) => trial.status === 'discard').length;
    const rejections = hidden.length - discards;
    lines.push(
      `${trials.length} trials: the table lists the baseline and every kept, crashed and timed-out trial; ` +
        `${discards} discarded and ${rejections} rejected trials are left out (all are in \`results.tsv\` and ` +
        `\`bilevel status ${options.runId} --json\`).`,
      '',
    );
  }
  if (options.workDir && trials.some((trial) => trial.commit)) {
    lines.push(
      `Every trial's code is a commit in the run's working copy (kept trials on its branch, the others on ` +
        `\`refs/bilevel/trials/<n>\`): \`git -C ${options.workDir} show COMMIT\` shows what a trial changed.`,
      '',
    );
  }
  lines.push(
    markdownTable(
      [
        '#',
        ...(byColumn ? ['proposer'] : []),
        'status',
        'metric',
        `Δ vs incumbent (${better})`,
        'changed (before → after)',
        'summary / reason',
        'commit',
      ],
      rows,
    ),
  );
  return lines.join('\n');
}

/** For each trial, the best kept metric among the trials before it (null before the first). */
function incumbentBefore(trials: readonly ReportTrial[], direction: MetricDirection): Map<number, number | null> {
  const result = new Map<number, number | null>();
  let best: number | null = null;
  for (const trial of [...trials].sort((left, right) => left.index - right.index)) {
    result.set(trial.index, best);
    if (
      trial.status === 'keep' &&
      trial.metric !== null &&
      (best === null || isBetter(trial.metric, best, direction))
    ) {
      best = trial.metric;
    }
  }
  return result;
}
