// Turns run settings (parsed from `bilevel run` flags by the settings table, or a study's controls) into a run
// config: the defaults that depend on the task or on other settings, and the rules that tie settings together.
import { BilevelError } from '../core/errors.js';
import { describeLlmConfiguration } from '../llm/llm-configuration.js';
import { optunaSamplersOf, proposerUsesLlm } from '../records/proposer-spec.js';
import { type RunConfig, runConfigSchema } from '../records/run-config.js';
import { defaultLlmPatienceSeconds, runSettings, settingDefault } from '../records/run-settings.js';
import { usage } from '../records/setting-parsers.js';
import type { Task } from '../task/load-task.js';

/** Settings as the table's parsers give them: any may be absent (then its default applies). */
export type RunSettingValues = Partial<Omit<RunConfig, 'llm' | 'taskDir'>> & {
  llm?: Partial<NonNullable<RunConfig['llm']>>;
};

/** `--workers`, or one slot per `--gpus` id; a GPU list must give every slot its own id. */
export function slotCount(values: Pick<RunSettingValues, 'workers' | 'gpus'>): number {
  const workers = values.workers ?? values.gpus?.length ?? 1;
  if (values.gpus && values.gpus.length < workers) {
    throw usage(
      `--workers ${workers} needs a GPU id per slot, but --gpus gives ${values.gpus.length}`,
      `pass ${workers} ids to --gpus, or --workers ${values.gpus.length}`,
    );
  }
  return workers;
}

/** A run config without its task folder (createRun adds it), every default filled in. */
export type RunConfigDraft = Omit<RunConfig, 'taskDir'>;

const draftSchema = runConfigSchema.omit({ taskDir: true });

/**
 * The run config for these settings on this task. Without a proposer the LLM one is used, which needs a model
 * (`--llm`, or `defaultLlm` from the environment): with neither, LLM_NOT_CONFIGURED lists the ways to configure one.
 */
export function runConfigFrom(
  values: RunSettingValues,
  task: Task,
  defaultLlm: string | undefined,
  /** A study whose groups set their own proposer may need a model although its default proposer does not. */
  options: { llmNeeded?: boolean } = {},
): RunConfigDraft {
  const proposer = values.proposer ?? 'llm';
  const needsLlm = proposerUsesLlm(proposer) || options.llmNeeded === true;
  const llmId = values.llm?.default ?? (needsLlm ? defaultLlm : undefined);
  if (needsLlm && llmId === undefined) {
    throw new BilevelError('LLM_NOT_CONFIGURED', describeLlmConfiguration(), {
      hint: 'pass --llm PROVIDER:MODEL (or set a key as listed above), or run without an LLM: --proposer random or --proposer optuna:tpe',
    });
  }
  const mode = values.mode ?? task.definition.mode;
  if (mode === 'code' && optunaSamplersOf(proposer).length > 0) {
    throw usage(
      `--proposer ${proposer}: Optuna's samplers propose param values, and this run is in code mode`,
      'pass --mode params (the task must declare its params), or use --proposer llm for code edits',
    );
  }
  const roles = values.llm?.roles ?? {};
  if (llmId === undefined && Object.keys(roles).length > 0) {
    throw usage(
      '--llm-role needs a model for the other roles too',
      'pass --llm PROVIDER:MODEL as well (the roles without their own --llm-role use it)',
    );
  }
  const budgetSeconds = values.budgetSeconds ?? task.definition.budgetSeconds;
  const timeoutSeconds =
    values.timeoutSeconds ??
    (values.budgetSeconds === undefined
      ? task.definition.timeoutSeconds
      : Math.max(
          budgetSeconds + 10,
          task.definition.timeoutSeconds - task.definition.budgetSeconds + budgetSeconds * 1.5,
        ));
  if (timeoutSeconds <= budgetSeconds) {
    throw usage(
      `--timeout ${timeoutSeconds} must be longer than the budget (${budgetSeconds} s)`,
      'pass a larger --timeout or a smaller --budget',
    );
  }
  const workers = slotCount(values);
  const { llm: llmValues, ...settings } = values;
  return draftSchema.parse({
    ...settings,
    task: values.task ?? settingDefault(runSettings.task, 'run'),
    levels: values.levels ?? (proposer === 'llm' ? ['1', '1.5', '2'] : ['1']),
    proposer,
    trials: values.trials ?? settingDefault(runSettings.trials, 'run'),
    budgetSeconds,
    timeoutSeconds,
    mode,
    seed: values.seed ?? settingDefault(runSettings.seed, 'run'),
    workers,
    ...(llmId === undefined
      ? {}
      : { llm: { patienceSeconds: defaultLlmPatienceSeconds, ...llmValues, default: llmId, roles } }),
  });
}
