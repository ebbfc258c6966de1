// One trial, start to end: parent → prompt → propose → screen → apply → execute → measure → judge → record.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { basePromptParts } from '../mechanisms/build-context.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { Proposal } from '../records/proposal.js';
import type { TrialAttempt, TrialRecord, TrialStatus } from '../records/trial-record.js';
import type { ParamValue } from '../task/task-definition.js';
import { executeTrial } from './execute-trial.js';
import { judgeTrial } from './judge.js';
import { liveMechanismContext, proposalSeed } from './live-context.js';
import type { ProposalContext } from './proposer.js';
import { executionFields, record } from './record-trial.js';
import type { RunSession } from './run-session.js';
import { screenAndApply } from './screen-proposal.js';

/** Runs and records trial `index` (> 0). Throws RunInterrupted on Ctrl-C, before anything is recorded. */
export async function runTrial(session: RunSession, index: number): Promise<TrialRecord> {
  const startedAt = new Date().toISOString();
  const { history, mechanisms, workspace, config } = session;

  // One context for every decision of this trial: the trials recorded before it.
  const context = liveMechanismContext(session, index);
  // Parent: the incumbent unless a mechanism picks another kept trial.
  const fallback = history.defaultParent();
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
    const screened = await screenAndApply(session, context, result.proposal, parentValues);
    if (screened.ok) {
      accepted = { proposal: result.proposal, values: screened.values, changed: screened.changed };
    } else {
      attempts.push({ kind: 'rejected', reason: screened.reason, proposal: result.proposal });
      lastRejection = { proposal: result.proposal, values: screened.values, changed: screened.changed };
      await workspace.resetTo(parentCommit);
    }
  }

  if (!accepted) {
    const summary = lastRejection.proposal?.summary ?? 'no valid proposal';
    return record(session, {
      index,
      status: 'rejected',
      metric: null,
      parent: parent?.index ?? 0,
      // Nothing ran: the side commit is the parent's code, so every trial names a commit (results.tsv).
      commit: await workspace.commitSide(index, `trial ${index} (rejected): ${summary}`),
      values: lastRejection.values ?? parentValues,
      changed: lastRejection.changed ?? {},
      summary,
      reason: attempts.at(-1)?.reason ?? 'no proposal',
      proposal: lastRejection.proposal ?? null,
      attempts,
      confirmations: [],
      diff: '',
      ...executionFields(null),
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
    const screened = await screenAndApply(session, context, fixed.proposal, parentValues);
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
  let status: TrialStatus;
  let reason = execution.measurement.reason;
  let metric = execution.measurement.metric;
  let confirmations: number[] = [];
  if (execution.measurement.status !== 'ok' || metric === null) {
    status = execution.measurement.status === 'timeout' ? 'timeout' : 'crash';
  } else {
    const judgement = await judgeTrial({
      metric,
      incumbent: history.incumbent,
      direction: session.task.definition.metric.direction,
      noiseThreshold: config.noiseThreshold,
      askMechanisms: (outcome) => mechanisms.judgeOutcome(context, outcome),
      rerun: async (confirmation) => {
        const again = (await executeTrial(session, index, confirmation)).measurement;
        return again.metric === null ? { metric: null, reason: again.reason } : { metric: again.metric };
      },
    });
    ({ verdict: status, reason, metric, confirmations } = judgement);
  }
  // Kept: a commit on the run's branch. Otherwise: a commit on the trial's side ref, so its code stays one `git show` away.
  const commit =
    status === 'keep'
      ? await workspace.commitAll(`trial ${index}: ${proposal.summary}`)
      : await workspace.commitSide(index, `trial ${index} (${status}): ${proposal.summary}`);

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
    ...executionFields(execution),
    startedAt,
  });
}

async function readEditableFiles(session: RunSession): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of session.task.definition.editable) {
    files[file] = await readFile(join(session.paths.work, file), 'utf8');
  }
  return files;
}
