// Builds a run's proposer from its spec: the LLM, random search, an Optuna sampler, or a mix of them.
import { BilevelError } from '../core/errors.js';
import { createLlmProposer } from '../inner/llm-proposer.js';
import { createMixedProposer } from '../inner/mixed-proposer.js';
import { createOptunaProposer } from '../inner/optuna-proposer.js';
import type { Proposer } from '../inner/proposer.js';
import { createRandomProposer } from '../inner/random-proposer.js';
import type { ProgressEvent } from '../inner/run-session.js';
import type { LlmRouter } from '../llm/llm-router.js';
import { sidecarHash } from '../optimizers/find-python.js';
import { describeSearch, optunaAvailability, requireOptuna } from '../optimizers/optuna-availability.js';
import { type OptunaSampler, optunaSamplersOf, type ProposerArm, parseProposerSpec } from '../records/proposer-spec.js';
import type { RunRecord } from '../records/run-record.js';
import type { Database } from '../storage/database.js';
import type { Task } from '../task/load-task.js';

/** Name of the Optuna sidecar script among a run's recorded file hashes (beside its prompts). */
export const sidecarHashName = 'optuna-sidecar.py';

export interface BuiltProposer {
  proposer: Proposer;
  /** Files the proposer runs on (prompts, the sidecar script), with their hashes, to record with the run. */
  files: { name: string; sha256: string }[];
}

/**
 * One proposer per arm of the run's spec, mixed when there are several. Optuna's arms need a Python that imports
 * Optuna: without one this throws OPTIMIZER_UNAVAILABLE (exit 2) before the first trial. Which Python runs them is
 * said once on the progress display.
 */
export function buildProposer(
  database: Database,
  run: RunRecord,
  task: Task,
  options: { router: LlmRouter | undefined; onProgress?: (event: ProgressEvent) => void },
): BuiltProposer {
  const { config } = run;
  const plan = parseProposerSpec(config.proposer);
  const files: BuiltProposer['files'] = [];
  const samplers = optunaSamplersOf(config.proposer);
  const python = samplers.length > 0 ? requireOptuna(samplers, config.python) : undefined;
  if (python) {
    const { search } = optunaAvailability(config.python);
    options.onProgress?.({
      type: 'note',
      message: `${samplers.map((sampler) => `optuna:${sampler}`).join(', ')}: Optuna ${python.optunaVersion} on ${python.executable} (tried ${describeSearch(search)})`,
    });
    files.push({ name: sidecarHashName, sha256: sidecarHash() });
  }
  const build = (arm: ProposerArm): Proposer => {
    if (arm === 'random') return createRandomProposer();
    if (arm === 'llm') {
      if (!options.router) {
        throw new BilevelError(
          'LLM_NOT_CONFIGURED',
          `the run's proposer ${config.proposer} uses the LLM but the run stores no model id`,
          {
            hint: 'start a new run with --llm PROVIDER:MODEL, or with --proposer random',
          },
        );
      }
      const llm = createLlmProposer({ model: options.router, mode: config.mode, maxFixAttempts: config.fixAttempts });
      files.push(...llm.prompts);
      return llm;
    }
    return createOptunaProposer({
      database,
      runId: run.id,
      sampler: arm.slice('optuna:'.length) as OptunaSampler,
      runSeed: config.seed,
      python: python?.executable ?? python?.command ?? 'python3',
      direction: task.definition.metric.direction,
      params: task.params,
      ...(options.onProgress ? { onNote: (message: string) => options.onProgress?.({ type: 'note', message }) } : {}),
    });
  };
  if (!plan.mixed) return { proposer: build(plan.arms[0]?.arm ?? 'llm'), files };
  const arms = new Map(plan.arms.map((entry) => [entry.arm, build(entry.arm)]));
  return { proposer: createMixedProposer(plan, arms, config.seed), files };
}

/** Fails before a run or study is created when an Optuna arm cannot run here (OPTIMIZER_UNAVAILABLE, exit 2). */
export function checkProposerAvailable(specs: readonly string[], python: string | undefined): void {
  const samplers = [...new Set(specs.flatMap((spec) => optunaSamplersOf(spec)))];
  if (samplers.length > 0) requireOptuna(samplers, python);
}
