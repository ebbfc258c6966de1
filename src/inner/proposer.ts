// The proposer contract: given the run's state, suggest the next change. Random and LLM proposers implement it.

import type { PendingTrialView, TrialRecordView } from '../mechanisms/mechanism.js';
import type { Proposal } from '../records/proposal.js';
import type { SearchSettings } from '../records/search-settings.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';

export interface ProposalContext {
  task: {
    name: string;
    description: string;
    metric: { name: string; direction: 'minimize' | 'maximize' };
    mode: 'params' | 'code';
  };
  /** The tunables, with ranges or choices. */
  params: readonly ParamSpec[];
  /** Current values in the parent's working copy. */
  current: Record<string, ParamValue>;
  /** Editable files' contents in the parent's working copy (path → text); filled in code mode. */
  files: Record<string, string>;
  /** Best metric so far (the incumbent), or null if the baseline failed. */
  incumbentMetric: number | null;
  /** Recent trials, oldest first, bounded in length by the loop; each with who proposed it, where known. */
  history: readonly ProposalHistoryTrial[];
  /** Total trials recorded so far, including ones not in `history`. */
  trialCount: number;
  /** Trials running now (proposed, not yet recorded): do not propose these again. Empty with one worker. */
  pending: readonly PendingTrialView[];
  settings: SearchSettings;
  /** Extra guidance lines added by mechanisms (transformPrompt). */
  guidance: readonly string[];
  /** If non-empty, only these params should be changed (from mechanisms' transformPrompt). */
  focus: readonly string[];
  /** Params that should not be changed this trial (frozen ones are in `settings.frozen`). */
  avoid: readonly string[];
  /** The index of the trial being proposed. */
  trialIndex: number;
  /** 0 for the first try; 1+ after a rejection. */
  attempt: number;
  /** Why the previous attempt was rejected, fed back to the proposer. */
  feedback?: string;
  /** Seed for this trial and attempt: the same on a resume, so proposals replay. */
  seed: number;
  /** Aborted on Ctrl-C or a budget cap. */
  signal?: AbortSignal;
}

/** A recorded trial as a proposer is shown it: the view every level sees, and who proposed it. */
export type ProposalHistoryTrial = TrialRecordView & {
  /** `llm`, `random`, `optuna:tpe`, `mechanism:NAME`, …; null for the baseline (and trials recorded before it was kept). */
  readonly proposer?: string | null;
};

/**
 * A proposal, or a failure to produce one (e.g. a malformed LLM reply) that becomes a `rejected` trial. `by` names the
 * arm that answered when the proposer has several (a mix); the loop records it, or the run's proposer spec without it.
 */
export type ProposerResult = { ok: true; proposal: Proposal; by?: string } | { ok: false; reason: string; by?: string };

export interface Proposer {
  readonly specificationVersion: 'proposer-v1';
  /** `random`, `llm:openai:gpt-4o`, … — recorded with the run. */
  readonly name: string;
  propose(context: ProposalContext): Promise<ProposerResult>;
  /**
   * Code mode only, optional: the applied proposal crashed; suggest edits (relative to the *crashed*
   * files, given in `context.files`) that fix it. Called at most a bounded number of times per trial.
   */
  fixCrash?(
    context: ProposalContext & { proposal: Proposal; errorTail: string; fixAttempt: number },
  ): Promise<ProposerResult>;
  /** Optional: releases what the proposer holds (an optimizer's sidecar process) when the run stops. */
  dispose?(): Promise<void>;
}
