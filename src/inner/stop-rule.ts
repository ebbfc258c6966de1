// What stops a run, decided once: the loop, Level 1.5 and Level 2 all ask here whether an error ends the run.
import { BilevelError, isBilevelError } from '../core/errors.js';
import { isLlmCallError } from '../llm/llm-call-error.js';

/** The user stopped the run (Ctrl-C) while a trial was running: the trial is not recorded and re-runs on resume. */
export class RunInterrupted extends Error {
  override readonly name = 'RunInterrupted';
}

export interface RunEnd {
  state: 'finished' | 'interrupted' | 'failed';
  reason: string;
}

/**
 * True when `error` must stop the whole run, wherever it was raised: the user's Ctrl-C (an abort), an LLM cap, or
 * an LLM request refused on every call (a bad key, an unknown model: configuration, not noise). Anything else raised
 * inside one Level 1.5 or Level 2 cycle (a failed call, a malformed reply) costs that cycle only.
 */
export function isRunStop(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  if (error instanceof RunInterrupted || (error instanceof Error && error.name === 'AbortError')) return true;
  if (isLlmCallError(error) && (error.kind === 'aborted' || error.configuration)) return true;
  return isBilevelError(error) && error.code === 'LLM_BUDGET_EXHAUSTED';
}

/**
 * True when a failed LLM call costs only the proposal it was for (the trial is recorded `rejected` with the reason):
 * a malformed or empty reply after its retries, or one refused request between answers. Outages past the patience,
 * configuration errors, stops and unexpected failures are not: they reach the loop and end the run.
 */
export function isProposalFailure(error: unknown, signal?: AbortSignal): boolean {
  if (!isLlmCallError(error) || isRunStop(error, signal) || error.outage) return false;
  return error.kind === 'invalid-response' || error.kind === 'empty' || error.kind === 'http';
}

/**
 * How an error that reached the loop ends the run: `interrupted` (resumable) for a stop or for an LLM that stayed
 * unreachable through the run's patience, `failed` for everything else (a refused configuration included).
 */
export function runEndOf(error: unknown): RunEnd {
  if (isBilevelError(error) && error.code === 'LLM_BUDGET_EXHAUSTED') {
    return { state: 'interrupted', reason: `${error.message}; raise the cap and \`bilevel resume\`` };
  }
  if (isLlmCallError(error) && error.configuration) {
    return {
      state: 'failed',
      reason: `[${error.code}] ${error.message}; fix the model configuration (${error.hint}), then \`bilevel resume\``,
    };
  }
  if (isRunStop(error)) {
    return { state: 'interrupted', reason: 'interrupted by the user; `bilevel resume` continues it' };
  }
  if (isLlmCallError(error) && error.outage) {
    return {
      state: 'interrupted',
      reason: `the LLM stayed unreachable through the run's patience (${error.message}); \`bilevel resume\` continues it`,
    };
  }
  const message = error instanceof BilevelError ? `[${error.code}] ${error.message}` : String(error);
  return { state: 'failed', reason: message };
}
