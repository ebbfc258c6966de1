// Creates a new run (working copy, record, results.tsv) or reopens a stored one, and assembles its session.

import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BilevelError } from '../core/errors.js';
import { newRunId } from '../core/ids.js';
import { isProcessAlive } from '../core/process-alive.js';
import { SerialLock } from '../core/serial-lock.js';
import type { Executor } from '../executor/executor.js';
import { createLocalExecutor } from '../executor/local-executor.js';
import { GitWorkspace } from '../inner/git-workspace.js';
import { type LoopMechanisms, noMechanisms } from '../inner/loop-mechanisms.js';
import type { Proposer } from '../inner/proposer.js';
import { RunHistory } from '../inner/run-history.js';
import { runPaths } from '../inner/run-paths.js';
import type { ProgressEvent, RunSession } from '../inner/run-session.js';
import { openSlots } from '../inner/trial-slot.js';
import { type RunConfigInput, runConfigSchema } from '../records/run-config.js';
import type { RunRecord } from '../records/run-record.js';
import { defaultSearchSettings, type SearchSettings } from '../records/search-settings.js';
import type { TrialRecord } from '../records/trial-record.js';
import type { Database } from '../storage/database.js';
import { listPendingTrials } from '../storage/pending-trials-table.js';
import { writeResultsTsv } from '../storage/results-tsv.js';
import { claimRun, getRun, insertRun, setRunIsolation, updateRunState } from '../storage/runs-table.js';
import {
  countTrials,
  getTrial,
  listTrials,
  maxTrialIndex,
  recentKeptTrials,
  recentTrials,
} from '../storage/trials-table.js';
import { loadTask, type Task } from '../task/load-task.js';
import { hashProtectedFiles } from '../task/protected-files.js';
import { killOrphanTrials } from './kill-orphan-trials.js';
import { resolveIsolation } from './resolve-isolation.js';

/** Trials kept in memory for contexts and prompts; the kept-trial window is 50 (mechanism contract). */
const keptWindow = 50;

/** What the caller supplies to a session besides the stored record (built from the config by the CLI or tests). */
export interface SessionParts {
  proposer: Proposer;
  mechanisms?: LoopMechanisms;
  mechanismActivity?: () => readonly { readonly name: string }[];
  outer?: RunSession['outer'];
  meta?: RunSession['meta'];
  /** Settings to start from (on resume: the last stored snapshot). */
  settings?: SearchSettings;
  executor?: Executor;
  signal: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  pendingEvents?: RunSession['pendingEvents'];
  /** Releases what the parts hold (sandbox host processes); called when the run stops. */
  dispose?: () => Promise<void>;
}

/** Creates the run's folder, private repository and record. The run starts in state `running`, with no trials. */
export async function createRun(
  database: Database,
  stateDir: string,
  config: Omit<RunConfigInput, 'taskDir'>,
  task: Task,
): Promise<{ run: RunRecord; task: Task }> {
  const id = newRunId();
  const paths = runPaths(resolve(stateDir), id);
  await mkdir(paths.root, { recursive: true });
  const branch = `bilevel/${id}`;
  const { commit } = await GitWorkspace.create(task.dir, paths.work, branch);
  const run: RunRecord = {
    id,
    taskName: task.definition.name,
    metric: { name: task.definition.metric.name, direction: task.definition.metric.direction },
    config: runConfigSchema.parse({ ...config, taskDir: task.dir }),
    state: 'running',
    stateReason: '',
    workDir: paths.work,
    branch,
    baselineCommit: commit,
    // Hidden task files are pinned like protected ones: a trial that replaces one is caught.
    protectedHashes: await hashProtectedFiles(paths.work, [...task.definition.protected, ...task.hiddenFiles]),
    promptHashes: {},
    pid: process.pid,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  insertRun(database, run);
  writeResultsTsv(paths.resultsTsv, task.definition.metric.name, []);
  return { run, task };
}

/**
 * Reopens a stored run for `resume`: refuses one another live process holds, reloads the task from the run's
 * working copy, rebuilds the bounded memory, repairs results.tsv, and resets the working copy to the incumbent.
 */
export async function reopenRun(
  database: Database,
  stateDir: string,
  runId: string,
): Promise<{ run: RunRecord; task: Task }> {
  const run = getRun(database, runId);
  if (run.state === 'finished') {
    throw new BilevelError('USAGE', `run ${runId} already finished`, { hint: 'start a new run with `bilevel run`' });
  }
  // Taken atomically: of two `resume`s at once, exactly one gets the run.
  const claim = claimRun(database, runId, process.pid, isProcessAlive);
  if (!claim.claimed) {
    throw new BilevelError('RUN_LOCKED', `run ${runId} is being driven by process ${claim.holder}`, {
      hint: `wait for it to end, or stop that process first (kill ${claim.holder}), then resume`,
    });
  }
  try {
    const task = await loadTask(run.config.taskDir);
    const paths = runPaths(resolve(stateDir), runId);
    killOrphanTrials(database, runId, paths.root);
    writeResultsTsv(paths.resultsTsv, task.definition.metric.name, listTrials(database, runId));
    return { run, task };
  } catch (error) {
    // Not reopened after all: the run goes back to how it was, not left `running` under this process.
    updateRunState(database, runId, claim.previous.state, claim.previous.stateReason, null);
    throw error;
  }
}

/**
 * Assembles the session: its slots' working copies at the incumbent, the run's bounded memory, and the trials that
 * were in flight when it last stopped (they run again first, as proposed).
 */
export async function openSession(
  database: Database,
  stateDir: string,
  opened: { run: RunRecord; task: Task },
  parts: SessionParts,
): Promise<RunSession> {
  const { run, task } = opened;
  const paths = runPaths(resolve(stateDir), run.id);
  const history = RunHistory.restore(
    task.definition.metric.direction,
    { window: run.config.historyLimit, kept: keptWindow },
    {
      recent: recentTrials(database, run.id, run.config.historyLimit),
      kept: recentKeptTrials(database, run.id, keptWindow),
      incumbent: findIncumbent(database, run.id, task.definition.metric.direction),
      count: countTrials(database, run.id),
    },
  );
  const isolation = resolveIsolation(run.config.isolation);
  setRunIsolation(database, run.id, isolation);
  const slots = await openSlots(paths, run.config, history.incumbent?.commit ?? run.baselineCommit);
  const interrupted = listPendingTrials(database, run.id);
  const lastIndex = Math.max(maxTrialIndex(database, run.id), ...interrupted.map((trial) => trial.index));
  return {
    database,
    run,
    config: run.config,
    task,
    stateDir,
    paths,
    slots,
    pending: new Map(),
    interrupted,
    // Trial 0 is the baseline: new trials start at 1.
    nextIndex: Math.max(lastIndex, 0) + 1,
    recordLock: new SerialLock(),
    executor: parts.executor ?? createLocalExecutor(),
    isolation,
    externalHashes: {},
    proposer: parts.proposer,
    mechanisms: parts.mechanisms ?? noMechanisms(),
    mechanismActivity: parts.mechanismActivity ?? (() => []),
    ...(parts.outer ? { outer: parts.outer } : {}),
    ...(parts.meta ? { meta: parts.meta } : {}),
    history,
    settings: parts.settings ?? defaultSearchSettings,
    pendingEvents: parts.pendingEvents ?? [],
    dispose: parts.dispose ?? (async () => {}),
    signal: parts.signal,
    onProgress: parts.onProgress ?? (() => {}),
  };
}

function findIncumbent(database: Database, runId: string, direction: 'minimize' | 'maximize'): TrialRecord | null {
  const order = direction === 'minimize' ? 'ASC' : 'DESC';
  const row = database
    .prepare(
      `SELECT idx FROM trials WHERE run_id = ? AND status = 'keep' AND metric IS NOT NULL ORDER BY metric ${order}, seq ASC LIMIT 1`,
    )
    .get(runId) as { idx: number } | undefined;
  return row ? (getTrial(database, runId, row.idx) ?? null) : null;
}
