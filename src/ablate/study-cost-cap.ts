// The study-wide LLM cost cap: each run is capped at what the study has left, so the study as a whole cannot pass it.
import type { Database } from '../storage/database.js';
import { summarizeLlmCalls } from '../storage/llm-calls-table.js';
import { listStudyRuns } from '../storage/study-tables.js';

export type RunCostCap =
  /** The run may spend up to `maxCostUsd` in all (what it spent already included); `binding` when the study's cap set it. */
  | { readonly ok: true; readonly maxCostUsd: number; readonly binding: 'study' | 'run' }
  /** The study has nothing left for this run. */
  | { readonly ok: false; readonly studySpentUsd: number };

/**
 * The cap for a run's next drive (`runId` undefined: a run not yet created): its own spend plus what the study has
 * left (`studyCapUsd` minus every study run's spend), and no more than the per-run cap. Like the per-run cap, it
 * stops before a call expected to pass it: with less left than the study's mean cost per call, nothing is left.
 * Spends are the estimates stored with each call.
 */
export function runCostCap(
  database: Database,
  studyId: string,
  runId: string | undefined,
  studyCapUsd: number,
  perRunCapUsd: number | undefined,
): RunCostCap {
  const { costUsd: studySpentUsd, calls } = studySpend(database, studyId, runId);
  const left = studyCapUsd - studySpentUsd;
  const expectedNextCall = calls === 0 ? 0 : studySpentUsd / calls;
  if (left <= 0 || left < expectedNextCall) return { ok: false, studySpentUsd };
  const fromStudy = (runId === undefined ? 0 : summarizeLlmCalls(database, runId).costUsd) + left;
  return perRunCapUsd !== undefined && perRunCapUsd <= fromStudy
    ? { ok: true, maxCostUsd: perRunCapUsd, binding: 'run' }
    : { ok: true, maxCostUsd: fromStudy, binding: 'study' };
}

/** What the study's runs (and `extraRunId`, a run not yet recorded as the study's) spent on LLM calls, in all. */
export function studySpend(
  database: Database,
  studyId: string,
  extraRunId?: string,
): { costUsd: number; calls: number } {
  const runIds = new Set(listStudyRuns(database, studyId).map((row) => row.runId));
  if (extraRunId !== undefined) runIds.add(extraRunId);
  let costUsd = 0;
  let calls = 0;
  for (const id of runIds) {
    const usage = summarizeLlmCalls(database, id);
    costUsd += usage.costUsd;
    calls += usage.calls;
  }
  return { costUsd, calls };
}
