// Drives a study: every group × repeat as an ordinary run, sequentially; finished runs are reused, stopped ones resumed.

import type { ProgressEvent } from '../inner/run-session.js';
import type { RunRecord } from '../records/run-record.js';
import { launchRun } from '../run/launch-run.js';
import { createRun, reopenRun } from '../run/open-run.js';
import type { Database } from '../storage/database.js';
import { getRun, updateRunConfig } from '../storage/runs-table.js';
import { addStudyRunSeconds, ensureStudy, insertStudyRun, listStudyRuns } from '../storage/study-tables.js';
import { countTrials } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';
import { runConfigFor } from './study-config.js';
import { runCostCap, studySpend } from './study-cost-cap.js';
import { type StudyDefinition, type StudyGroup, studyId } from './study-definition.js';

/** Where the study stands when a run starts or ends (for the progress display). */
export interface StudyPosition {
  group: string;
  /** 0-based. */
  repeat: number;
  runId: string;
  /** 1-based position of this run in the study's order, and the study's number of runs. */
  slot: number;
  slots: number;
  /** Runs already finished (this one excluded). */
  finishedRuns: number;
  /** Mean seconds a finished run took to drive, null before any (for the time-left estimate). */
  meanRunSeconds: number | null;
}

export type StudyEvent =
  | { type: 'study-start'; studyId: string; slots: number; finished: number; reused: boolean }
  | { type: 'run-skip'; position: StudyPosition }
  | { type: 'run-start'; position: StudyPosition; resumed: boolean; trialsDone: number }
  | { type: 'run-end'; position: StudyPosition; state: string; reason: string; seconds: number }
  | { type: 'run-progress'; position: StudyPosition; event: ProgressEvent };

export interface RunStudyOptions {
  database: Database;
  stateDir: string;
  definition: StudyDefinition;
  task: Task;
  signal: AbortSignal;
  onEvent?: (event: StudyEvent) => void;
  /** Environment for API keys and base URLs (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Most USD (estimated) all the study's LLM calls together may cost; each run is capped at what is left. */
  maxStudyCostUsd?: number;
}

export interface StudyEnd {
  studyId: string;
  state: 'finished' | 'interrupted';
  reason: string;
}

/**
 * Runs the study in repeat-major order (repeat 0 of every group, then repeat 1, …), so a study stopped midway
 * has about as many repeats in every group. A run that fails throws (the study stops; running the command again
 * resumes that run); a run stopped by Ctrl-C or an LLM cap ends the study `interrupted`.
 */
export async function runStudy(options: RunStudyOptions): Promise<StudyEnd> {
  const { database, stateDir, definition, task, signal } = options;
  const emit = options.onEvent ?? (() => {});
  const id = studyId(definition);
  ensureStudy(database, id, definition);
  const slots = definition.repeats * definition.groups.length;
  const stored = new Map(listStudyRuns(database, id).map((row) => [`${row.group}\u0000${row.repeat}`, row]));
  const finishedSeconds = (): number[] =>
    listStudyRuns(database, id)
      .filter((row) => getRun(database, row.runId).state === 'finished')
      .map((row) => row.driveSeconds);
  const alreadyFinished = finishedSeconds().length;
  emit({ type: 'study-start', studyId: id, slots, finished: alreadyFinished, reused: stored.size > 0 });
  let slot = 0;
  for (let repeat = 0; repeat < definition.repeats; repeat += 1) {
    for (const group of definition.groups) {
      slot += 1;
      if (signal.aborted) return { studyId: id, state: 'interrupted', reason: 'interrupted by the user' };
      const row = stored.get(`${group.name}\u0000${repeat}`);
      const seconds = finishedSeconds();
      const position = (runId: string): StudyPosition => ({
        group: group.name,
        repeat,
        runId,
        slot,
        slots,
        finishedRuns: seconds.length,
        meanRunSeconds: seconds.length === 0 ? null : seconds.reduce((sum, value) => sum + value, 0) / seconds.length,
      });
      if (row && getRun(database, row.runId).state === 'finished') {
        emit({ type: 'run-skip', position: position(row.runId) });
        continue;
      }
      // The study's cost cap is checked before a run is created or reopened: a run it cannot afford is not started.
      const cap =
        options.maxStudyCostUsd === undefined || !definition.controls.llm
          ? undefined
          : runCostCap(database, id, row?.runId, options.maxStudyCostUsd, definition.controls.llm.maxCostUsd);
      if (cap && !cap.ok)
        return { studyId: id, state: 'interrupted', reason: studyCapReason(options, cap.studySpentUsd) };
      const opened = row
        ? await reopenRun(database, stateDir, row.runId)
        : await createStudyRun(database, stateDir, definition, group, repeat, task, id);
      const here = position(opened.run.id);
      applyLlmControls(options, opened.run, cap?.ok ? cap.maxCostUsd : undefined);
      const end = await driveStudyRun(options, opened, here, id, group, repeat, emit);
      if (end.state !== 'finished') {
        const studyBound = cap?.ok && cap.binding === 'study' && end.reason.startsWith('LLM cost cap reached');
        const reason = studyBound ? studyCapReason(options, studySpend(database, id).costUsd) : end.reason;
        return { studyId: id, state: 'interrupted', reason };
      }
    }
  }
  return { studyId: id, state: 'finished', reason: '' };
}

/**
 * Writes this invocation's LLM settings into the run's config (what its session is built from): the server's base
 * URL (it may have moved), the caps (raising one and running the command again lets a capped run go on), the
 * patience and the price file; `studyShareUsd` (its share of a study cap) replaces the per-run cost cap.
 */
function applyLlmControls(options: RunStudyOptions, run: RunRecord, studyShareUsd: number | undefined): void {
  const llm = run.config.llm;
  const wanted = options.definition.controls.llm;
  if (!llm || !wanted) return;
  const { maxCostUsd: _cost, maxCalls: _calls, ...kept } = llm;
  const maxCostUsd = studyShareUsd ?? wanted.maxCostUsd;
  const updated = {
    ...kept,
    ...(wanted.baseUrl === undefined ? {} : { baseUrl: wanted.baseUrl }),
    ...(wanted.pricesFile === undefined ? {} : { pricesFile: wanted.pricesFile }),
    ...(wanted.patienceSeconds === undefined ? {} : { patienceSeconds: wanted.patienceSeconds }),
    ...(maxCostUsd === undefined ? {} : { maxCostUsd }),
    ...(wanted.maxCalls === undefined ? {} : { maxCalls: wanted.maxCalls }),
  };
  if (JSON.stringify(updated) !== JSON.stringify(llm)) {
    run.config = { ...run.config, llm: updated };
    updateRunConfig(options.database, run.id, run.config);
  }
}

function studyCapReason(options: RunStudyOptions, spentUsd: number): string {
  return `the study's LLM cost cap is reached: $${spentUsd.toFixed(4)} of $${options.maxStudyCostUsd?.toFixed(4)} spent; raise --max-study-cost-usd and run the command again`;
}

async function createStudyRun(
  database: Database,
  stateDir: string,
  definition: StudyDefinition,
  group: StudyGroup,
  repeat: number,
  task: Task,
  id: string,
): Promise<{ run: RunRecord; task: Task }> {
  const created = await createRun(database, stateDir, runConfigFor(definition, group, repeat), task);
  insertStudyRun(database, { studyId: id, group: group.name, repeat, runId: created.run.id });
  return created;
}

async function driveStudyRun(
  options: RunStudyOptions,
  opened: { run: RunRecord; task: Task },
  position: StudyPosition,
  id: string,
  group: StudyGroup,
  repeat: number,
  emit: (event: StudyEvent) => void,
) {
  const { database, stateDir, signal } = options;
  const trialsDone = countTrials(database, opened.run.id);
  emit({ type: 'run-start', position, resumed: trialsDone > 0 || opened.run.state !== 'running', trialsDone });
  const started = performance.now();
  // Seconds are stored after every trial, so a study killed outright keeps all but the last trial's time.
  let marked = started;
  const markSeconds = (): void => {
    const now = performance.now();
    addStudyRunSeconds(database, id, group.name, repeat, (now - marked) / 1000);
    marked = now;
  };
  try {
    const end = await launchRun(database, opened, {
      signal,
      onProgress: (event) => {
        if (event.type === 'trial-end') markSeconds();
        emit({ type: 'run-progress', position, event });
      },
      stateDir,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    const seconds = (performance.now() - started) / 1000;
    emit({ type: 'run-end', position, state: end.state, reason: end.reason, seconds });
    return end;
  } finally {
    markSeconds();
  }
}
