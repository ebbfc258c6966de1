// One trial, start to end: parent → prompt → propose → screen → apply → execute → measure → judge → record.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBetter } from '../core/metric-direction.js';
import { basePromptParts } from '../mechanisms/build-context.js';
import type { OutcomeView } from '../mechanisms/mechanism.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { Proposal } from '../records/proposal.js';
import type { TrialAttempt, TrialRecord, TrialStatus } from '../records/trial-record.js';
import { insertMechanismEvent, saveMechanismActivity } from '../storage/mechanism-tables.js';
import { appendResultsRow } from '../storage/results-tsv.js';
import { insertTrial } from '../storage/trials-table.js';
import type { ParamValue } from '../task/task-definition.js';
import { type Execution, executeTrial } from './execute-trial.js';
import { liveMechanismContext, proposalSeed } from './live-context.js';
import type { ProposalContext } from './proposer.js';
import type { RunSession } from './run-session.js';
import { screenAndApply } from './screen-proposal.js';

/** Confirmation re-runs a mechanism may ask for in one trial. */
const maxConfirmations = 3;

/** Runs and records trial `index` (> 0). Throws RunInterrupted on Ctrl-C, before anything is recorded. */
export async function runTrial(session: RunSession, index: number): Promise<TrialRecord> {
  const startedAt = new Date().toISOString();
  const { history, mechanisms, workspace, config } = session;

  // Parent: the incumbent unless a mechanism picks another kept trial.
  const fallback = history.defaultParent();
  const context = liveMechanismContext(session, index);
  const parentIndex = await mechanisms.selectParent(context, fallback?.index ?? 0);
  const parent = history.findKept(parentIndex) ?? fallback;
  const parentCommit = parent?.commit ?? session.run.baselineCommit;
  const parentValues = parent?.values ?? session.task.defaults;
  await workspace.resetTo(parentCommit);

  const prompt = await mechanisms.transformPrompt(context, basePromptParts(session.settings));
  const files = config.mode === 'code' ? await readEditableFiles(session) : {};
  const proposalContext: ProposalContext = {
    task: {
      name: session.task.definition.name,
      description: session.task.definition.description,
      metric: { name: session.task.definition.metric.name, direction: session.task.definition.metric.direction },
      mode: config.mode,
    },
    params: session.task.params,
    current: parentValues,
    files,
    incumbentMetric: history.incumbent?.metric ?? null,
    history: history.recent().map(toTrialRecordView),
    trialCount: history.count,
    settings: session.settings,
    guidance: prompt.guidance,
    focus: prompt.focus,
    avoid: prompt.avoid,
    trialIndex: index,
    attempt: 0,
    seed: proposalSeed(config.seed, index, 0),
    signal: session.signal,
  };

  // Propose and screen, with the rejection reason fed back on a retry.
  const attempts: TrialAttempt[] = [];
  let accepted:
    | { proposal: Proposal; values: Record<string, ParamValue>; changed: Record<string, [ParamValue, ParamValue]> }
    | undefined;
  let lastRejection: {
    proposal?: Proposal;
    values?: Record<string, ParamValue>;
    changed?: Record<string, [ParamValue, ParamValue]>;
  } = {};
  for (let attempt = 0; attempt < config.proposalAttempts && !accepted; attempt++) {
    const feedback = attempts.at(-1)?.reason;
    const result = await session.proposer.propose({
      ...proposalContext,
      attempt,
      seed: proposalSeed(config.seed, index, attempt),
      ...(feedback === undefined ? {} : { feedback }),
    });
    if (!result.ok) {
      attempts.push({ kind: 'rejected', reason: result.reason });
      lastRejection = {};
      continue;
    }
    const screened = await screenAndApply(session, index, result.proposal, parentValues);
    if (screened.ok) {
      accepted = { proposal: result.proposal, values: screened.values, changed: screened.changed };
    } else {
      attempts.push({ kind: 'rejected', reason: screened.reason, proposal: result.proposal });
      lastRejection = { proposal: result.proposal, values: screened.values, changed: screened.changed };
      await workspace.resetTo(parentCommit);
    }
  }

  if (!accepted) {
    return record(session, {
      index,
      status: 'rejected',
      metric: null,
      parent: parent?.index ?? 0,
      commit: null,
      values: lastRejection.values ?? parentValues,
      changed: lastRejection.changed ?? {},
      summary: lastRejection.proposal?.summary ?? 'no valid proposal',
      reason: attempts.at(-1)?.reason ?? 'no proposal',
      proposal: lastRejection.proposal ?? null,
      attempts,
      confirmations: [],
      diff: '',
      execution: null,
      startedAt,
    });
  }

  // Execute, and in code mode let the proposer try to fix a crash.
  let proposal = accepted.proposal;
  let execution = await executeTrial(session, index, 0);
  for (let fix = 0; execution.measurement.status === 'crash' && fix < config.fixAttempts; fix++) {
    if (config.mode !== 'code' || !session.proposer.fixCrash) break;
    const fixed = await session.proposer.fixCrash({
      ...proposalContext,
      files: await readEditableFiles(session),
      proposal,
      errorTail: execution.result.logTail,
      fixAttempt: fix,
      seed: proposalSeed(config.seed, index, 100 + fix),
    });
    if (!fixed.ok) {
      attempts.push({ kind: 'fix', reason: `fix attempt ${fix + 1} failed: ${fixed.reason}` });
      break;
    }
    const screened = await screenAndApply(session, index, fixed.proposal, parentValues);
    attempts.push({
      kind: 'fix',
      reason: screened.ok ? `fix attempt ${fix + 1} applied` : screened.reason,
      proposal: fixed.proposal,
    });
    if (!screened.ok) break;
    accepted = { proposal: fixed.proposal, values: screened.values, changed: screened.changed };
    proposal = fixed.proposal;
    execution = await executeTrial(session, index, 0);
  }
  const diff = await workspace.diff();

  // Judge: keep iff strictly better than the incumbent by more than the noise threshold, unless a mechanism overrides.
  const confirmations: number[] = [];
  let status: TrialStatus;
  let reason = execution.measurement.reason;
  let metric = execution.measurement.metric;
  if (execution.measurement.status !== 'ok' || metric === null) {
    status = execution.measurement.status === 'timeout' ? 'timeout' : 'crash';
  } else {
    const decision = await judge(session, index, metric, confirmations);
    status = decision.verdict;
    reason = decision.reason;
    if (confirmations.length > 0) metric = mean([metric, ...confirmations]);
  }
  const commit = status === 'keep' ? await workspace.commitAll(`trial ${index}: ${proposal.summary}`) : null;

  return record(session, {
    index,
    status,
    metric,
    parent: parent?.index ?? 0,
    commit,
    values: accepted.values,
    changed: accepted.changed,
    summary: proposal.summary,
    reason,
    proposal,
    attempts,
    confirmations,
    diff,
    execution,
    startedAt,
  });
}

/** The default verdict, then the mechanisms' say; a `confirm` re-runs the same working copy. */
async function judge(
  session: RunSession,
  index: number,
  metric: number,
  confirmations: number[],
): Promise<{ verdict: 'keep' | 'discard'; reason: string }> {
  for (;;) {
    const measured = confirmations.length > 0 ? mean([metric, ...confirmations]) : metric;
    const defaultDecision = defaultVerdict(session, measured);
    const outcome: OutcomeView = {
      status: 'ok',
      metric,
      verdict: defaultDecision.verdict,
      confirmations: [...confirmations],
    };
    const decision = await session.mechanisms.judgeOutcome(liveMechanismContext(session, index), outcome);
    if (decision.verdict !== 'confirm') {
      const by = decision.by ? ` (${decision.by})` : '';
      return decision.reason === 'default'
        ? defaultDecision
        : { verdict: decision.verdict, reason: `${decision.reason}${by}` };
    }
    if (confirmations.length >= maxConfirmations) return defaultDecision;
    const again = await executeTrial(session, index, confirmations.length + 1);
    if (again.measurement.metric === null) {
      return { verdict: 'discard', reason: `confirmation run failed: ${again.measurement.reason}` };
    }
    confirmations.push(again.measurement.metric);
  }
}

function defaultVerdict(session: RunSession, metric: number): { verdict: 'keep' | 'discard'; reason: string } {
  const incumbent = session.history.incumbent;
  const direction = session.task.definition.metric.direction;
  if (incumbent === null || incumbent.metric === null) return { verdict: 'keep', reason: '' };
  const margin = direction === 'minimize' ? -session.config.noiseThreshold : session.config.noiseThreshold;
  if (isBetter(metric, incumbent.metric + margin, direction)) return { verdict: 'keep', reason: '' };
  return { verdict: 'discard', reason: `not better than ${incumbent.metric.toFixed(6)} (trial ${incumbent.index})` };
}

interface TrialDraft {
  index: number;
  status: TrialStatus;
  metric: number | null;
  parent: number;
  commit: string | null;
  values: Record<string, ParamValue>;
  changed: Record<string, [ParamValue, ParamValue]>;
  summary: string;
  reason: string;
  proposal: Proposal | null;
  attempts: TrialAttempt[];
  confirmations: number[];
  diff: string;
  execution: Execution | null;
  startedAt: string;
}

/**
 * Writes the trial's artifacts, tells the mechanisms, then stores the trial, its mechanism events and counters in
 * one transaction (the moment the trial becomes durable), and appends its results.tsv row.
 */
export async function record(session: RunSession, draft: TrialDraft): Promise<TrialRecord> {
  const { database, run, paths } = session;
  const trial: TrialRecord = {
    runId: run.id,
    index: draft.index,
    status: draft.status,
    metric: draft.metric,
    values: draft.values,
    changed: draft.changed,
    summary: draft.summary,
    reason: draft.status === 'keep' ? '' : draft.reason,
    parent: draft.parent,
    commit: draft.commit,
    proposal: draft.proposal,
    attempts: draft.attempts,
    confirmations: draft.confirmations,
    diff: draft.diff,
    logPath: draft.execution?.logPath ?? null,
    wallSeconds: draft.execution?.result.wallSeconds ?? null,
    peakMemoryMb: draft.execution?.result.peakMemoryMb ?? null,
    startedAt: draft.startedAt,
    endedAt: new Date().toISOString(),
  };
  // Artifacts first: a kill before the transaction leaves files the re-run overwrites, never a record without them.
  const folder = paths.trial(trial.index);
  await mkdir(folder, { recursive: true });
  if (trial.proposal) await writeFile(join(folder, 'proposal.json'), `${JSON.stringify(trial.proposal, null, 2)}\n`);
  if (trial.diff) await writeFile(join(folder, 'diff.patch'), trial.diff);
  // Observers see the trial before it is stored, so their counters and events land in the same transaction.
  session.history.add(trial);
  await session.mechanisms.onTrialEnd(liveMechanismContext(session, trial.index), toTrialRecordView(trial));
  const events = session.pendingEvents.splice(0);
  const activity = session.mechanismActivity();
  database.transaction(() => {
    insertTrial(database, trial);
    for (const event of events) insertMechanismEvent(database, event);
    for (const entry of activity) saveMechanismActivity(database, run.id, entry.name, entry);
  })();
  appendResultsRow(paths.resultsTsv, trial);
  return trial;
}

async function readEditableFiles(session: RunSession): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of session.task.definition.editable) {
    files[file] = await readFile(join(session.paths.work, file), 'utf8');
  }
  return files;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
