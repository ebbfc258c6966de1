// The analyst contract (analyst-v1): Level 1.5 reads the trial trace and returns new search settings.
import type { TrialRecordView } from '../mechanisms/mechanism.js';
import type { SearchSettings } from '../records/search-settings.js';
import type { SettingsSnapshot } from '../records/settings-snapshot.js';
import type { ParamSpec } from '../task/task-definition.js';

export interface AnalystInput {
  /** This cycle's number: 1 for the first. */
  cycle: number;
  /** The last trial recorded before this cycle; the new settings apply from the next trial on. */
  trialIndex: number;
  /** The task's tunables; frozen names must come from this list. */
  params: readonly ParamSpec[];
  /** The settings in effect now (the previous cycle's, or the defaults). */
  settings: SearchSettings;
  /**
   * The whole trace, oldest first, baseline (index 0) included. It is NOT bounded by the caller: the
   * per-parameter statistics need every move. Each analyst bounds what it shows (the LLM analyst
   * renders only its `historyLimit` most recent trials plus the fixed-size param table).
   */
  history: readonly TrialRecordView[];
  /** `minimize` when lower is better, `maximize` when higher is better. */
  direction: 'minimize' | 'maximize';
  /** The metric's name, e.g. `val_bpb`. */
  metricName: string;
  /** The task, for the LLM's prompt; optional. */
  task?: { name: string; description: string };
  /**
   * Earlier cycles' snapshots, oldest first. The rules analyst dates its freezes from them (when a
   * param was frozen decides when it is unfrozen); without them it estimates from the trace.
   */
  previous?: readonly SettingsSnapshot[];
  /** Aborted on Ctrl-C or a budget cap. */
  signal?: AbortSignal;
}

export interface AnalystResult {
  /** The new settings: a NEW deep-frozen object, never the input mutated. Equal to the input when `ok` is false. */
  settings: SearchSettings;
  /** Why, in a few sentences. */
  rationale: string;
  /** What changed, one human-readable line each, e.g. "froze WEIGHT_DECAY: 6 proposals moved it, none kept". */
  changes: string[];
  /** False when the analysis failed (e.g. an unusable LLM reply) and the settings were kept. */
  ok: boolean;
  /** Why the analysis failed; only when `ok` is false. */
  error?: string;
}

export interface Analyst {
  readonly specificationVersion: 'analyst-v1';
  /** `rules` (deterministic) or `llm` (the paper's: one LLM call per cycle). */
  readonly name: 'rules' | 'llm';
  analyze(input: AnalystInput): Promise<AnalystResult>;
}
