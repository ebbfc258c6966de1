// The mechanism contract (mechanism-v2; mechanism-v1 modules keep working). Imports nothing: this file is handed as-is
// to the type checker and to the LLM that writes new mechanisms. All data in and out is plain JSON-like data.

/** A param value in the task's editable files. */
export type Value = number | string | boolean;

/** One tunable of the task, as mechanisms see it. */
export type TunableView =
  | {
      readonly name: string;
      readonly type: 'number';
      readonly min: number;
      readonly max: number;
      /** Only whole numbers are valid. */
      readonly integer: boolean;
      /** `log`: moves are naturally multiplicative. */
      readonly scale: 'linear' | 'log';
    }
  | { readonly name: string; readonly type: 'choice'; readonly choices: readonly Value[] };

/** A finished trial. `metric` is null when the trial crashed, timed out, was rejected or printed NaN. */
export interface TrialRecordView {
  /** 0 is the baseline. */
  readonly index: number;
  readonly status: 'keep' | 'discard' | 'crash' | 'timeout' | 'rejected';
  readonly metric: number | null;
  /** All tunables' values in effect for this trial. */
  readonly values: Readonly<Record<string, Value>>;
  /** Only what this trial changed from its parent: name → [before, after]. */
  readonly changed: Readonly<Record<string, readonly [Value, Value]>>;
  readonly summary: string;
  /** Why it was rejected, crashed or discarded; empty for a keep. */
  readonly reason: string;
  /** Index of the kept trial it branched from. */
  readonly parent: number;
}

/**
 * A trial proposed and running now, not yet recorded (several run at once when the run has more than one worker).
 * Every context, of a mechanism-v1 or -v2 module, carries the trials in flight in `pending`.
 */
export interface PendingTrialView {
  readonly index: number;
  /** All tunables' values with its proposal applied. */
  readonly values: Readonly<Record<string, Value>>;
  /** What it changes from its parent: name → [before, after]. */
  readonly changed: Readonly<Record<string, readonly [Value, Value]>>;
  readonly summary: string;
  /** Index of the kept trial it branched from. */
  readonly parent: number;
}

/** What every hook is shown. Read-only; the same data on a resume, so hooks can be deterministic. */
export interface MechanismContext {
  /** Index of the trial being decided (for observers: the trial that just ended). */
  readonly trialIndex: number;
  readonly task: {
    readonly name: string;
    readonly metric: { readonly name: string; readonly direction: 'minimize' | 'maximize' };
    readonly mode: 'params' | 'code';
  };
  readonly tunables: readonly TunableView[];
  /** Level 1.5's current settings. */
  readonly settings: {
    readonly frozen: readonly string[];
    readonly strategy: 'explore' | 'exploit' | 'balanced';
    readonly guidance: string;
  };
  /** Recent trials, oldest first; at most 200. */
  readonly history: readonly TrialRecordView[];
  /** Number of trials recorded so far (may exceed history.length). */
  readonly trialCount: number;
  /** The best kept trial so far, or null when nothing was kept. */
  readonly incumbent: TrialRecordView | null;
  /** Kept trials (possible parents), oldest first; at most 50. */
  readonly kept: readonly TrialRecordView[];
  /**
   * Trials in flight when this trial was proposed, oldest first: proposed, not yet recorded, so not in `history`.
   * Empty with one worker. Avoid proposing what is already running.
   */
  readonly pending: readonly PendingTrialView[];
  /** Seed for this trial: the same on a resume. Use it for any randomness (no Math.random). */
  readonly seed: number;
  /** This mechanism's own param values (from its `params` declaration). */
  readonly config: Readonly<Record<string, Value>>;
}

/** The proposal prompt in parts that mechanisms may rewrite. The random proposer honours focus and avoid too. */
export interface PromptParts {
  /** Lines of advice shown to the proposer. */
  readonly guidance: readonly string[];
  /** If non-empty, only these params should be changed. */
  readonly focus: readonly string[];
  /** Params that should not be changed. */
  readonly avoid: readonly string[];
}

/** A proposal as mechanisms see it, before it runs. */
export interface ProposalView {
  readonly kind: 'params' | 'code';
  /** All tunables' values if the proposal is applied. */
  readonly values: Readonly<Record<string, Value>>;
  /** What it changes from the parent: name → [before, after]. Empty for code edits that touch no constant. */
  readonly changed: Readonly<Record<string, readonly [Value, Value]>>;
  readonly summary: string;
  /** For code proposals: the files edited. */
  readonly files: readonly string[];
}

/** A measured trial before the keep/discard decision. */
export interface OutcomeView {
  readonly status: 'ok' | 'crash' | 'timeout';
  /** null when not measured. */
  readonly metric: number | null;
  /** What the default judge decided (keep iff strictly better than the incumbent). */
  readonly verdict: 'keep' | 'discard';
  /** Metrics of earlier confirmation re-runs of this same proposal, oldest first. */
  readonly confirmations: readonly number[];
}

/** What `propose` is told: where the next trial branches from, and the prompt after `transformPrompt`. */
export interface ProposeRequest {
  /** Index of the kept trial the proposal branches from (the incumbent unless `selectParent` picked another). */
  readonly parent: number;
  /** The parent's values of every tunable: a proposal that lists only some params keeps these for the rest. */
  readonly current: Readonly<Record<string, Value>>;
  /** The prompt parts after every `transformPrompt`: respect `focus` and `avoid` as the proposer would. */
  readonly prompt: PromptParts;
}

/** A trial a mechanism proposes: new values for some or all tunables (the rest keep the parent's). */
export interface ProposeAnswer {
  /** Tunable name → value; at least one. Each value must fit its tunable (range, integer, choices). */
  readonly values: Readonly<Record<string, Value>>;
  /** One line for results.tsv and the history, e.g. `latin hypercube point 3/8`. */
  readonly summary: string;
}

export type ScreenDecision = { readonly accept: true } | { readonly accept: false; readonly reason: string };

/**
 * `confirm` asks the loop to run the same proposal again and call judgeOutcome once more with the new
 * metric in `confirmations` (at most 3 confirmations per trial; after that the default verdict stands).
 */
export interface JudgeDecision {
  readonly verdict: 'keep' | 'discard' | 'confirm';
  readonly reason: string;
}

export type MechanismParam =
  | {
      readonly type: 'number';
      readonly default: number;
      readonly min: number;
      readonly max: number;
      readonly integer?: boolean;
      readonly description?: string;
    }
  | {
      readonly type: 'choice';
      readonly default: Value;
      readonly choices: readonly Value[];
      readonly description?: string;
    };

/**
 * The contract's revisions. `mechanism-v2` adds `propose`; a `mechanism-v1` module keeps working unchanged (it may
 * not define `propose`, which v1 never called).
 */
export type SpecificationVersion = 'mechanism-v1' | 'mechanism-v2';

/**
 * What every revision shares: a plain object of optional hooks. Decision hooks return `undefined` to decline (no
 * opinion). `State` is the mechanism's own plain-data memory: made by `init`, updated only by `onTrialEnd`, read by
 * the decision hooks. After a restart it is rebuilt by replaying the recorded trials.
 */
export interface MechanismV1<State = unknown> {
  readonly specificationVersion: 'mechanism-v1';
  /** kebab-case, unique in a run. */
  readonly name: string;
  /** One sentence: what failure of the search it addresses and how. */
  readonly description: string;
  /** Tunable knobs of the mechanism itself (Level 1.5 may tune them). */
  readonly params?: Readonly<Record<string, MechanismParam>>;
  /** Fresh state at the start of a run. Called again before a replay. */
  init?(context: { readonly seed: number; readonly config: Readonly<Record<string, Value>> }): State;
  /** Which kept trial to branch the next proposal from: return its index. Runs before proposing. */
  selectParent?(context: MechanismContext, state: Readonly<State>): { readonly parent: number } | undefined;
  /** Rewrite the prompt parts for the next proposal. Chained: each mechanism sees the previous one's output. */
  transformPrompt?(context: MechanismContext, prompt: PromptParts, state: Readonly<State>): PromptParts | undefined;
  /** Accept or reject a proposal before it runs; a rejection's reason is fed back to the proposer. */
  screenProposal?(
    context: MechanismContext,
    proposal: ProposalView,
    state: Readonly<State>,
  ): ScreenDecision | undefined;
  /** Override the keep/discard decision, or ask for a confirmation re-run. */
  judgeOutcome?(context: MechanismContext, outcome: OutcomeView, state: Readonly<State>): JudgeDecision | undefined;
  /** End the run early. Runs after each trial. */
  shouldStop?(
    context: MechanismContext,
    state: Readonly<State>,
  ): { readonly stop: boolean; readonly reason: string } | undefined;
  /** Observer: a trial was recorded. May update and return the state; cannot change decisions. */
  onTrialEnd?(context: MechanismContext, trial: TrialRecordView, state: State): State | undefined;
  /** Observer: the run finished. */
  onRunEnd?(context: MechanismContext, state: Readonly<State>): void;
}

/** Revision 2: everything in v1, and `propose`. */
export interface MechanismV2<State = unknown> extends Omit<MechanismV1<State>, 'specificationVersion'> {
  readonly specificationVersion: 'mechanism-v2';
  /**
   * Make the next trial's proposal yourself: return the values (all tunables, or a subset over `request.current`),
   * or decline to let the proposer (LLM, random, Optuna) make it. Runs after `transformPrompt`, on the first
   * attempt of a trial; the first mechanism that answers wins and the proposer is not asked. The proposal is still
   * screened by every mechanism's `screenProposal`; if it is rejected, the proposer makes the retry.
   */
  propose?(context: MechanismContext, request: ProposeRequest, state: Readonly<State>): ProposeAnswer | undefined;
}

/** A mechanism of either revision. */
export type Mechanism<State = unknown> = MechanismV1<State> | MechanismV2<State>;

/** Identity helper that gives a mechanism literal its type. */
export function defineMechanism<State = unknown>(mechanism: Mechanism<State>): Mechanism<State> {
  return mechanism;
}

/** The names of the decision hooks, in the order the loop calls them in a trial. */
export const decisionHooks = [
  'selectParent',
  'transformPrompt',
  'propose',
  'screenProposal',
  'judgeOutcome',
  'shouldStop',
] as const;
export type DecisionHook = (typeof decisionHooks)[number];
