// The report's "what changed" section: from the baseline to the best kept trial, params and the whole diff.
import type { ParamValue } from '../task/task-definition.js';
import { formatMetric, formatParamValue, markdownTable } from './markdown-table.js';
import { fenced } from './session-transcript.js';

/** File name of the whole baseline → best diff inside the report folder. */
export const bestPatchFileName = 'best.patch';

/** Lines of the diff shown inline; the whole diff is in `best.patch`. */
export const inlineDiffLines = 200;

export interface BestChangeInput {
  metricName: string;
  direction: 'minimize' | 'maximize';
  baseline: { metric: number | null; values: Readonly<Record<string, ParamValue>> } | undefined;
  best: { index: number; metric: number; values: Readonly<Record<string, ParamValue>> } | null;
  /** `git diff` from the baseline commit to the best trial's commit; null when the working copy is gone. */
  diff: string | null;
  /** How to adopt the change in the task folder (adopt-patch.ts), shown after the diff; none without a diff. */
  adoption?: readonly string[];
}

/** Markdown for the section: the metric change, the params that differ, and the diff (clipped inline). */
export function renderBestChangeSection(input: BestChangeInput): string {
  const lines = ['## What changed: baseline → best', ''];
  const { baseline, best } = input;
  if (!best || best.index === 0 || !baseline) {
    lines.push('No trial beat the baseline: the best state is the task as it was.');
    return lines.join('\n');
  }
  const relative =
    baseline.metric !== null && baseline.metric !== 0
      ? ` (${Math.abs(((best.metric - baseline.metric) / baseline.metric) * 100).toFixed(2)}% ${
          input.direction === 'minimize' ? 'lower' : 'higher'
        })`
      : '';
  lines.push(
    `Best: trial ${best.index}, ${input.metricName} ${formatMetric(best.metric)} against the baseline's ` +
      `${formatMetric(baseline.metric)}${relative}. The working copy is left at this state.`,
    '',
  );
  const changed = Object.entries(changedParams(baseline.values, best.values));
  if (changed.length > 0) {
    lines.push(
      markdownTable(
        ['param', 'baseline', 'best'],
        changed.map(([name, [before, after]]) => [name, formatParamValue(before), formatParamValue(after)]),
      ),
      '',
    );
  }
  if (input.diff === null) {
    lines.push("No diff: the run's working copy could not be read (it may have been deleted).");
  } else if (input.diff.trim() === '') {
    lines.push('The files are the same as the baseline (the gain came from the run itself, e.g. noise).');
  } else {
    const diffLines = input.diff.replace(/\n$/, '').split('\n');
    const shown = diffLines.slice(0, inlineDiffLines).join('\n');
    lines.push(
      `The whole change, ${diffLines.length} lines, is in [${bestPatchFileName}](${bestPatchFileName})` +
        `${diffLines.length > inlineDiffLines ? `; the first ${inlineDiffLines} lines:` : ':'}`,
      '',
      fenced(shown, 'diff'),
    );
    if (input.adoption) lines.push('', ...input.adoption);
  }
  return lines.join('\n');
}

/** The params whose value differs between two trials (name → [baseline, best]), in the baseline's order. */
export function changedParams(
  baseline: Readonly<Record<string, ParamValue>>,
  best: Readonly<Record<string, ParamValue>>,
): Record<string, [ParamValue, ParamValue]> {
  const changed: Record<string, [ParamValue, ParamValue]> = {};
  for (const [name, before] of Object.entries(baseline)) {
    const after = best[name];
    if (after !== undefined && after !== before) changed[name] = [before, after];
  }
  return changed;
}
