// The values of prompts/analyze.md's placeholders, built from an analyst input; every part is bounded in size.
import { directionWords } from '../core/metric-direction.js';
import type { AnalystInput } from './analyst.js';
import { buildParamTable, renderParamTable } from './param-table.js';
import { renderRecentTrials } from './trial-table.js';

/** Longest task description shown, in characters. */
const maxDescription = 2000;

export interface AnalyzePromptOptions {
  /** How many recent trials the prompt shows. */
  historyLimit: number;
  /** How many params must stay unfrozen. */
  minActive: number;
}

/** Placeholder name → text, for `prompts/analyze.md`. */
export function analyzePromptVariables(input: AnalystInput, options: AnalyzePromptOptions): Record<string, string> {
  const description = input.task?.description ?? '';
  const task =
    input.task === undefined
      ? '(no description given)'
      : `${input.task.name}: ${description.length <= maxDescription ? description : `${description.slice(0, maxDescription)}…`}`;
  const table = buildParamTable(input.params, input.history, input.direction);
  return {
    task,
    metricName: input.metricName,
    direction: input.direction,
    directionWords: directionWords(input.direction),
    cycle: String(input.cycle),
    trialIndex: String(input.trialIndex),
    frozen: input.settings.frozen.length === 0 ? 'none' : input.settings.frozen.join(', '),
    strategy: input.settings.strategy,
    guidance: input.settings.guidance === '' ? '(none)' : input.settings.guidance,
    trialCount: String(input.history.filter((trial) => trial.index > 0).length),
    paramTable: renderParamTable(table, { frozen: input.settings.frozen }),
    recentTrials: renderRecentTrials(input.history, options.historyLimit),
    paramNames: input.params.map((param) => param.name).join(', '),
    minActive: String(Math.min(options.minActive, input.params.length)),
  };
}
