// The library's public surface: re-exports only. The `bilevel` command is src/cli/main.ts.

export { BilevelError, type ErrorCode, formatError, isBilevelError } from './core/errors.js';
export type { ExecutionRequest, ExecutionResult, Executor } from './executor/executor.js';
export { createLocalExecutor } from './executor/local-executor.js';
export { runGate } from './gate/run-gate.js';
export { createLlmProposer } from './inner/llm-proposer.js';
export type { ProposalContext, Proposer, ProposerResult } from './inner/proposer.js';
export { createRandomProposer } from './inner/random-proposer.js';
export { driveRun } from './inner/run-loop.js';
export type { ProgressEvent, RunSession } from './inner/run-session.js';
export { type RunEnd, RunInterrupted } from './inner/stop-rule.js';
export { addToLibrary, getLibraryMechanism, listLibrary } from './library/library.js';
export { createLanguageModel } from './llm/create-language-model.js';
export type { GenerateRequest, GenerateResponse, LanguageModel, LlmRole } from './llm/language-model.js';
export { createLlmRouter } from './llm/llm-router.js';
export { generateStructured } from './llm/structured.js';
export {
  builtinMechanisms,
  composeMechanisms,
  createInProcessRuntime,
  defineMechanism,
  getBuiltinMechanism,
  type Mechanism,
  type MechanismContext,
  type MechanismRuntime,
  replayTrace,
  runConformance,
  type TrialRecordView,
} from './mechanisms/index.js';
export type { Analyst } from './outer/analyst.js';
export { createAnalyst } from './outer/create-analyst.js';
export { createOuterLoop } from './outer/outer-loop.js';
export type { CodeEdit, Proposal } from './records/proposal.js';
export type { Level, RunConfig } from './records/run-config.js';
export type { SearchSettings } from './records/search-settings.js';
export type { TrialAttempt, TrialRecord, TrialStatus } from './records/trial-record.js';
export { buildRunStatus, type RunStatus } from './report/run-status.js';
export { createRun, openSession, reopenRun, type SessionParts } from './run/open-run.js';
export { buildSessionParts } from './run/session-parts.js';
export { createSandboxedRuntime } from './sandbox/sandboxed-runtime.js';
export { openDatabase } from './storage/database.js';
export { listBuiltinTasks } from './task/builtin-tasks.js';
export { loadTask, type Task } from './task/load-task.js';
export type { ParamSpec, ParamValue, TaskDefinition } from './task/task-definition.js';
