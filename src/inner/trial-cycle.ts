// One trial, start to end: parent → prompt → propose → screen → apply → execute → measure → judge → record.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { basePromptParts } from '../mechanisms/build-context.js';
import type { MechanismContext, PromptParts } from '../mechanisms/mechanism.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { Proposal } from '../records/proposal.js';
import type { TrialAttempt, TrialRecord, TrialStatus } from '../records/trial-record.js';
import type { ParamValue } from '../task/task-definition.js';
import { executeTrial } from './execute-trial.js';
import { judgeTrial } from './judge.js';
import { liveMechanismContext, proposalSeed } from './live-context.js';
import type { ProposalContext, ProposerResult } from './proposer.js';
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
    history: history.recent().map((trial) => ({ ...toTrialRecordView(trial), proposer: trial.proposer })),
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
    | {
        proposal: Proposal;
        values: Record<string, ParamValue>;
        changed: Record<string, [ParamValue, ParamValue]>;
        by: string;
      }
    | undefined;
  let lastRejection: {
    proposal?: Proposal;
    values?: Record<string, ParamValue>;
    changed?: Record<string, [ParamValue, ParamValue]>;
    by?: string;
  } = {};
  for (let attempt = 0; attempt < config.proposalAttempts && !accepted; attempt++) {
    const feedback = attempts.at(-1)?.reason;
    // A mechanism's `propose` (first attempt only) is asked before the proposer and saves its call.
    const proposed =
      attempt === 0
        ? await mechanismProposal(mechanisms, context, parent?.index ?? 0, parentValues, prompt)
        : undefined;
    const result =
      proposed ??
      (await session.proposer.propose({
        ...proposalContext,
        attempt,
        seed: proposalSeed(config.seed, index, attempt),
        ...(feedback === undefined ? {} : { feedback }),
      }));
    const by = result.by ?? config.proposer;
    if (!result.ok) {
      attempts.push({ kind: 'rejected', reason: result.reason, proposer: by });
      lastRejection = { by };
      continue;
    }
    const screened = await screenAndApply(session, context, result.proposal, parentValues);
    if (screened.ok) {
      accepted = { proposal: result.proposal, values: screened.values, changed: screened.changed, by };
    } else {
      attempts.push({ kind: 'rejected', reason: screened.reason, proposal: result.proposal, proposer: by });
      lastRejection = { proposal: result.proposal, values: screened.values, changed: screened.changed, by };
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
      proposer: lastRejection.by ?? null,
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
    accepted = { proposal: fixed.proposal, values: screened.values, changed: screened.changed, by: accepted.by };
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
    proposer: accepted.by,
    attempts,
    confirmations,
    diff,
    ...executionFields(execution),
    startedAt,
  });
}

/**
 * The first mechanism `propose` answer as a params proposal, by `mechanism:NAME`, or undefined when all decline. Only
 * the values that differ from the parent's are kept (a frozen param at its current value is not a change).
 */
async function mechanismProposal(
  mechanisms: RunSession['mechanisms'],
  context: MechanismContext,
  parent: number,
  current: Record<string, ParamValue>,
  prompt: PromptParts,
): Promise<ProposerResult | undefined> {
  const answer = await mechanisms.propose(context, { parent, current, prompt });
  if (!answer) return undefined;
  const values = Object.fromEntries(Object.entries(answer.values).filter(([name, value]) => current[name] !== value));
  const proposal: Proposal = { kind: 'params', values, summary: answer.summary, rationale: `proposed by ${answer.by}` };
  return { ok: true, proposal, by: `mechanism:${answer.by}` };
}

async function readEditableFiles(session: RunSession): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of session.task.definition.editable) {
    files[file] = await readFile(join(session.paths.work, file), 'utf8');
  }
  return files;
}
