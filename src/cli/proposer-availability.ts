// The proposers `run --help` and `tasks show` list, each with whether it can run here (Optuna's: with which Python).
import { installHint, optunaAvailability } from '../optimizers/optuna-availability.js';
import { proposerArms } from '../records/proposer-spec.js';
import type { Task } from '../task/load-task.js';
import { alignColumns } from './align-columns.js';

export interface ProposerAvailability {
  name: string;
  /** Whether it can run here (for the LLM: whether a model is configured; null when not checked). */
  available: boolean | null;
  detail: string;
}

/**
 * Every proposer arm and the mix. `llm` is the configured model id, when known; `task`, when given, adds what the
 * task allows (Optuna needs params mode and declared params).
 */
export function proposerAvailability(options: { llm?: string | null; task?: Task; python?: string } = {}) {
  const { samplers } = optunaAvailability(options.python);
  const paramsProblem = taskProblem(options.task);
  return proposerArms.map((name): ProposerAvailability => {
    if (name === 'random')
      return { name, available: true, detail: "bilevel's seeded random search over the params (no LLM)" };
    if (name === 'llm') {
      if (options.llm === undefined)
        return {
          name,
          available: null,
          detail: 'needs a model: --llm PROVIDER:MODEL, or BILEVEL_LLM / a provider key',
        };
      return options.llm === null
        ? {
            name,
            available: false,
            detail: 'no model configured: pass --llm PROVIDER:MODEL (or set BILEVEL_LLM / a provider key)',
          }
        : { name, available: true, detail: `with ${options.llm}` };
    }
    const entry = samplers.find((sampler) => `optuna:${sampler.sampler}` === name);
    if (entry?.problem !== undefined) {
      return {
        name,
        available: false,
        detail: `${entry.problem}; ${installHint(entry.python ? entry.sampler : undefined)}`,
      };
    }
    if (paramsProblem) return { name, available: false, detail: paramsProblem };
    return { name, available: true, detail: `Optuna ${entry?.optunaVersion} on ${entry?.python}` };
  });
}

function taskProblem(task: Task | undefined): string | undefined {
  if (!task) return undefined;
  if (task.params.length === 0) return 'the task has no tunable params';
  if (task.definition.mode === 'code')
    return 'Optuna proposes param values: this task runs in code mode, pass --mode params';
  return undefined;
}

/** The list as text: a column of names, `yes`/`no`/`?`, and the detail; then the mix. */
export function describeProposers(entries: readonly ProposerAvailability[]): string {
  const rows = entries.map((entry) => [
    `  ${entry.name}`,
    entry.available === null ? '?' : entry.available ? 'yes' : 'no',
    entry.detail,
  ]);
  rows.push(['  mix:ARM=WEIGHT,…', '', 'any of these, a seeded choice per trial (e.g. mix:llm=0.3,optuna:cmaes=0.7)']);
  return `Proposers (can run here?):\n${alignColumns(rows)}`;
}
