// The `llm_calls` table: one row per LLM call (role, model, prompt hash, tokens, latency, cost) — never keys.
import type { LlmCallRecord } from '../llm/with-accounting.js';
import type { Database } from './database.js';

/** One stored call: the accounting record plus the run and the trial it was made for. */
export interface LlmCallRow extends LlmCallRecord {
  runId: string;
  /** The trial in progress (or about to start) when the call was made. */
  trialIndex: number | null;
}

export interface LlmUsageSummary {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Estimated from the price table; 0 for local and unknown models. */
  costUsd: number;
}

export function insertLlmCall(database: Database, call: LlmCallRow): void {
  database
    .prepare(
      `INSERT INTO llm_calls (run_id, trial_idx, role, provider, model, prompt_hash, input_tokens, output_tokens,
         latency_ms, cost_usd, ok, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      call.runId,
      call.trialIndex,
      call.role,
      call.provider,
      call.model,
      call.promptHash,
      call.inputTokens,
      call.outputTokens,
      call.latencyMs,
      call.costUsd,
      call.ok ? 1 : 0,
      call.error ?? null,
      new Date().toISOString(),
    );
}

export function summarizeLlmCalls(database: Database, runId: string): LlmUsageSummary {
  const row = database
    .prepare(
      `SELECT COUNT(*) AS calls, COALESCE(SUM(input_tokens), 0) AS inputTokens,
         COALESCE(SUM(output_tokens), 0) AS outputTokens, COALESCE(SUM(cost_usd), 0) AS costUsd
       FROM llm_calls WHERE run_id = ?`,
    )
    .get(runId) as LlmUsageSummary;
  return row;
}
