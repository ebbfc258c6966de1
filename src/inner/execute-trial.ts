// Runs a trial's steps in its slot's working copy and measures it: training, then (when the task has one) the protected
// evaluator, protected and hidden files checked after each; the metric is read from the evaluator alone.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionRequest, ExecutionResult } from '../executor/executor.js';
import { readSummaryLines } from '../executor/summary-lines.js';
import { setSlotProcessGroup } from '../storage/pending-trials-table.js';
import { verifyProtectedFiles } from '../task/protected-files.js';
import { readMetric } from '../task/read-metric.js';
import { type Measurement, measureOutcome } from './measure-outcome.js';
import type { RunSession } from './run-session.js';
import { type StepPlace, stepRequest, type TrialStep } from './step-request.js';
import { RunInterrupted } from './stop-rule.js';
import type { TrialSlot } from './trial-slot.js';

export interface Execution {
  measurement: Measurement;
  /** The training program's execution (its log is `logPath`). */
  result: ExecutionResult;
  logPath: string;
  /** The evaluator's execution, when it ran. */
  evaluation?: { result: ExecutionResult; logPath: string };
  /** What a fix prompt is shown: training's log tail, and the evaluator's when the evaluator failed. */
  errorTail: string;
}

type TrialSession = Pick<
  RunSession,
  'config' | 'task' | 'paths' | 'executor' | 'signal' | 'database' | 'run' | 'isolation' | 'externalHashes'
>;

type Slot = Pick<TrialSlot, 'id' | 'workspace' | 'env'>;

/** Executes trial `trialIndex` for the `execution`-th time (0 first, 1+ confirmation re-runs). */
export async function executeTrial(
  session: TrialSession,
  slot: Slot,
  trialIndex: number,
  execution: number,
): Promise<Execution> {
  const { task } = session;
  const folder = session.paths.trial(trialIndex);
  const suffix = execution === 0 ? '' : `-confirm-${execution}`;
  const output = join(folder, `output${suffix}`);
  await rm(output, { recursive: true, force: true });
  await mkdir(output, { recursive: true });
  const place = (step: TrialStep): StepPlace => ({
    trialIndex,
    execution,
    work: slot.workspace.dir,
    slotEnv: slot.env,
    output,
    tmp: join(folder, `tmp-${step}`),
  });

  const logPath = join(folder, `run${suffix}.log`);
  const result = await runStep(session, slot, 'train', place('train'), logPath);
  const metricName = task.definition.metric.name;
  const evaluate = task.definition.evaluate;
  let modified = await modifiedFiles(session, slot);
  if (!evaluate || modified.length > 0 || result.kind !== 'exited' || result.exitCode !== 0) {
    // Without an evaluator the metric is the training program's own (autoresearch's shape); with one, training
    // that failed or touched what it may not is a crash before anything is evaluated.
    const metric = evaluate ? null : readMetric(await trainingSummary(session, slot, result), metricName);
    const measurement = evaluate
      ? measureOutcome(result, metricName, metric, modified, session.config.timeoutSeconds, 'training')
      : measureOutcome(result, metricName, metric, modified, session.config.timeoutSeconds);
    return { measurement, result, logPath, errorTail: result.logTail };
  }

  // The evaluator sees the working copy as the proposal left it, whatever training planted or changed beside it.
  await slot.workspace.discardAllBut(task.definition.editable);
  const evaluationLog = join(folder, `evaluate${suffix}.log`);
  const served = place('serve');
  const companion = evaluate.serve
    ? {
        request: { ...stepRequest(session, 'serve', served), logPath: join(folder, `serve${suffix}.log`) },
        tmp: served.tmp,
      }
    : undefined;
  const evaluated = await runStep(session, slot, 'evaluate', place('evaluate'), evaluationLog, companion);
  modified = await modifiedFiles(session, slot);
  const metric = readMetric(evaluated.summary, metricName);
  const measurement = measureOutcome(evaluated, metricName, metric, modified, evaluate.timeoutSeconds, 'evaluator');
  return {
    measurement,
    result,
    logPath,
    evaluation: { result: evaluated, logPath: evaluationLog },
    errorTail:
      measurement.status === 'ok' ? result.logTail : `${result.logTail}\n--- evaluator ---\n${evaluated.logTail}`,
  };
}

/** Runs one step with its private temp folder (removed after); Ctrl-C during it interrupts the run. */
async function runStep(
  session: TrialSession,
  slot: Slot,
  step: TrialStep,
  place: StepPlace,
  logPath: string,
  companion?: { request: NonNullable<ExecutionRequest['companion']>; tmp: string },
): Promise<ExecutionResult> {
  const tmps = [place.tmp, ...(companion ? [companion.tmp] : [])];
  for (const tmp of tmps) await mkdir(tmp, { recursive: true });
  try {
    const result = await session.executor.execute({
      ...stepRequest(session, step, place),
      logPath,
      ...(companion ? { companion: companion.request } : {}),
      signal: session.signal,
      onSpawn: (processGroupId) => setSlotProcessGroup(session.database, session.run.id, slot.id, processGroupId),
    });
    setSlotProcessGroup(session.database, session.run.id, slot.id, null);
    if (result.kind === 'aborted') throw new RunInterrupted('stopped by the user during a trial');
    return result;
  } finally {
    for (const tmp of tmps) await rm(tmp, { recursive: true, force: true });
  }
}

/** Protected and hidden files (in the working copy, and the task's external hidden files) that changed. */
async function modifiedFiles(session: TrialSession, slot: Slot): Promise<string[]> {
  const inWorkingCopy = await verifyProtectedFiles(
    slot.workspace.dir,
    session.task.definition,
    session.run.protectedHashes,
  );
  const external = await verifyProtectedFiles(slot.workspace.dir, { protected: [] }, session.externalHashes);
  return [...inWorkingCopy, ...external];
}

/** The training program's summary lines: from its stdout, or from the file the task names. */
async function trainingSummary(
  session: TrialSession,
  slot: Slot,
  result: ExecutionResult,
): Promise<Readonly<Record<string, string>>> {
  const source = session.task.definition.metric.source;
  if (source === 'stdout') return result.summary;
  return readSummaryLines(await readFile(join(slot.workspace.dir, source.file), 'utf8').catch(() => ''));
}
