// The recent-trial table shown to the LLM analyst: one bounded Markdown row per trial.
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { ParamValue } from '../task/task-definition.js';

/** Longest "what changed" cell, in characters. */
const maxChangeCell = 160;

/** Values exactly as they were set (the analyst's guidance may quote them back); metrics are rounded. */
function formatValue(value: ParamValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Pipes and line breaks would break the table; long cells are cut. */
function cell(text: string, limit: number): string {
  const flat = text.replace(/[\s|]+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

/** The last `limit` trials (baseline included when it is among them), oldest first. */
export function renderRecentTrials(history: readonly TrialRecordView[], limit: number): string {
  const recent = history.slice(Math.max(0, history.length - limit));
  const lines = ['| trial | status | metric | parent | what changed |', '| --- | --- | --- | --- | --- |'];
  for (const trial of recent) {
    const changes = Object.entries(trial.changed)
      .map(([name, [before, after]]) => `${name} ${formatValue(before)}→${formatValue(after)}`)
      .join(', ');
    const what = changes !== '' ? changes : trial.summary;
    const reason =
      trial.status === 'crash' || trial.status === 'timeout' || trial.status === 'rejected' ? ` (${trial.reason})` : '';
    const metric = trial.metric === null ? '–' : Number(trial.metric.toPrecision(6)).toString();
    lines.push(
      `| ${trial.index} | ${trial.status} | ${metric} | ${trial.parent} | ${cell(what + reason, maxChangeCell)} |`,
    );
  }
  if (recent.length < history.length) lines.push(`(${history.length - recent.length} earlier trials not shown)`);
  return lines.join('\n');
}
