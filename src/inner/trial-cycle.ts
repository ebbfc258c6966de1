// One trial, start to end, in two halves: propose (parent → prompt → propose → screen → apply, in the driver, one
// trial at a time) and finish (execute → measure → judge → record, while other trials run in their own slots).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { basePromptParts } from '../mechanisms/build-context.js';
import type { MechanismContext, PromptParts } from '../mechanisms/mechanism.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import type { PendingTrial } from '../records/pending-trial.js';
import type { Proposal } from '../records/proposal.js';
import type { TrialAttempt, TrialRecord, TrialStatus } from '../records/trial-record.js';
import { saveMechanismActivity } from '../storage/mechanism-tables.js';
import { insertPendingTrial, updatePendingPlacement } from '../storage/pending-trials-table.js';
import type { ParamValue } from '../task/task-definition.js';
import { executeTrial } from './execute-trial.js';
import { judgeTrial } from './judge.js';
import { liveMechanismContext, proposalSeed } from './live-context.js';
import type { ProposalContext, ProposerResult } from './proposer.js';
import { executionFields, record, storePendingEvents } from './record-trial.js';
import type { RunSession } from './run-session.js';
import { screenAndApply } from './screen-proposal.js';
import type { TrialSlot } from './trial-slot.js';

/** A trial that passed the screen and stands applied in its slot's working copy, ready to run. */
export interface ProposedTrial {
  readonly pending: PendingTrial;
  readonly slot: TrialSlot;
  /** What every mechanism decided this trial from (the trials recorded when it was proposed). */
  readonly context: MechanismContext;
  /** What the proposer was told (the crash fixer of code mode is told it again). */
  readonly proposalContext: ProposalContext;
}

/**
 * Proposes trial `index` (> 0) in `slot`: a rejected trial is recorded at once and returned as a record; an
 * accepted one is applied to the slot's working copy and stored as in flight (so a resume runs it as proposed).
 */
export async function proposeTrial(
  session: RunSession,
  slot: TrialSlot,
  index: number,
): Promise<{ recorded: TrialRecord } | { proposed: ProposedTrial }> {
  const startedAt = new Date().toISOString();
  const { history, mechanisms, config } = session;
  const { workspace } = slot;

  // One context for every decision of this trial: the trials recorded before it, and those in flight.
  const context = liveMechanismContext(session, index);
  // Parent: the incumbent unless a mechanism picks another kept trial.
  const fallback = history.defaultParent();
  const parentIndex = await mechanisms.selectParent(context, fallback?.index ?? 0);
  const parent = history.findKept(parentIndex) ?? fallback;
  const parentCommit = parent?.commit ?? session.run.baselineCommit;
  const parentValues = parent?.values ?? session.task.defaults;
  await workspace.resetTo(parentCommit);

  const prompt = await mechanisms.transformPrompt(context, basePromptParts(session.settings));
  const files = config.mode === 'code' ? await readEditableFiles(session, slot) : {};
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
    pending: context.pending,
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
    const screened = await screenAndApply(session, slot.workspace.dir, context, result.proposal, parentValues);
    if (screened.ok) {
      accepted = { proposal: result.proposal, values: screened.values, changed: screened.changed, by };
    } else {
      attempts.push({ kind: 'rejected', reason: screened.reason, proposal: result.proposal, proposer: by });
      lastRejection = { proposal: result.proposal, values: screened.values, changed: screened.changed, by };
      await workspace.resetTo(parentCommit);
    }
  }

  const inFlight = context.pending.map((trial) => trial.index);
  if (!accepted) {
    const summary = lastRejection.proposal?.summary ?? 'no valid proposal';
    // Nothing ran: the side commit is the parent's code, so every trial names a commit (results.tsv).
    const commit = await workspace.commitSide(index, `trial ${index} (rejected): ${summary}`);
    const recorded = await session.recordLock.run(() =>
      record(session, {
        index,
        status: 'rejected',
        metric: null,
        parent: parent?.index ?? 0,
        commit,
        values: lastRejection.values ?? parentValues,
        changed: lastRejection.changed ?? {},
        summary,
        reason: attempts.at(-1)?.reason ?? 'no proposal',
        proposal: lastRejection.proposal ?? null,
        proposer: lastRejection.by ?? null,
        attempts,
        confirmations: [],
        diff: '',
        ...executionFields(null),
        worker: slot.worker,
        inFlight,
        startedAt,
      }),
    );
    return { recorded };
  }

  const pending: PendingTrial = {
    runId: session.run.id,
    index,
    slot: slot.id,
    worker: slot.worker,
    parent: parent?.index ?? 0,
    parentCommit,
    proposal: accepted.proposal,
    proposer: accepted.by,
    values: accepted.values,
    changed: accepted.changed,
    attempts,
    inFlight,
    startedAt,
  };
  // In flight from here: stored with the counters and events of the decisions made so far, in one transaction, so
  // a resume runs it as proposed without asking the mechanisms (and counting their calls) a second time.
  const events = session.pendingEvents.splice(0);
  const activity = session.mechanismActivity();
  session.database.transaction(() => {
    insertPendingTrial(session.database, pending);
    storePendingEvents(session.database, events);
    for (const entry of activity) saveMechanismActivity(session.database, session.run.id, entry.name, entry);
  })();
  session.pending.set(index, pending);
  return { proposed: { pending, slot, context, proposalContext } };
}

/**
 * Runs a proposed trial in its slot and records it: execute, in code mode let the proposer try to fix a crash,
 * then judge against the incumbent at the time it finishes and record, one finishing trial at a time. Throws
 * RunInterrupted on Ctrl-C, before anything is recorded (the trial stays in flight and re-runs on resume).
 */
export async function finishTrial(session: RunSession, proposed: ProposedTrial): Promise<TrialRecord> {
  const { pending, slot, context, proposalContext } = proposed;
  const { config, mechanisms } = session;
  const index = pending.index;
  const attempts = [...pending.attempts];
  let proposal = pending.proposal;
  let accepted = { values: pending.values, changed: pending.changed };

  let execution = await executeTrial(session, slot, index, 0);
  for (let fix = 0; execution.measurement.status === 'crash' && fix < config.fixAttempts; fix++) {
    if (config.mode !== 'code' || !session.proposer.fixCrash) break;
    const fixed = await session.proposer.fixCrash({
      ...proposalContext,
      files: await readEditableFiles(session, slot),
      proposal,
      errorTail: execution.errorTail,
      fixAttempt: fix,
      seed: proposalSeed(config.seed, index, 100 + fix),
    });
    if (!fixed.ok) {
      attempts.push({ kind: 'fix', reason: `fix attempt ${fix + 1} failed: ${fixed.reason}` });
      break;
    }
    const screened = await screenAndApply(
      session,
      slot.workspace.dir,
      context,
      fixed.proposal,
      proposalContext.current,
    );
    attempts.push({
      kind: 'fix',
      reason: screened.ok ? `fix attempt ${fix + 1} applied` : screened.reason,
      proposal: fixed.proposal,
    });
    if (!screened.ok) break;
    accepted = { values: screened.values, changed: screened.changed };
    proposal = fixed.proposal;
    execution = await executeTrial(session, slot, index, 0);
  }
  const diff = await slot.workspace.diff();

  return session.recordLock.run(async () => {
    // Judge: keep iff strictly better than the incumbent (as it stands now) by more than the noise threshold,
    // unless a mechanism overrides; a `confirm` re-runs this trial in its slot.
    let status: TrialStatus;
    let reason = execution.measurement.reason;
    let metric = execution.measurement.metric;
    let confirmations: number[] = [];
    if (execution.measurement.status !== 'ok' || metric === null) {
      status = execution.measurement.status === 'timeout' ? 'timeout' : 'crash';
    } else {
      const judgement = await judgeTrial({
        metric,
        incumbent: session.history.incumbent,
        direction: session.task.definition.metric.direction,
        noiseThreshold: config.noiseThreshold,
        askMechanisms: (outcome) => mechanisms.judgeOutcome(context, outcome),
        rerun: async (confirmation) => {
          const again = (await executeTrial(session, slot, index, confirmation)).measurement;
          return again.metric === null ? { metric: null, reason: again.reason } : { metric: again.metric };
        },
      });
      ({ verdict: status, reason, metric, confirmations } = judgement);
    }
    // Kept: a commit on the run's branch. Otherwise a commit on the trial's side ref, so its code stays one
    // `git show` away.
    let commit: string;
    if (status === 'keep') {
      commit = await slot.workspace.commitAll(`trial ${index}: ${proposal.summary}`);
      await slot.workspace.advanceBranch(session.run.branch, commit);
    } else {
      commit = await slot.workspace.commitSide(index, `trial ${index} (${status}): ${proposal.summary}`);
    }
    const recorded = await record(session, {
      index,
      status,
      metric,
      parent: pending.parent,
      commit,
      values: accepted.values,
      changed: accepted.changed,
      summary: proposal.summary,
      reason,
      proposal,
      proposer: pending.proposer,
      attempts,
      confirmations,
      diff,
      ...executionFields(execution),
      worker: slot.worker,
      inFlight: pending.inFlight,
      startedAt: pending.startedAt,
    });
    session.pending.delete(index);
    return recorded;
  });
}

/**
 * A trial that was in flight when the run stopped, made ready to run again as it was proposed: its slot's working
 * copy reset to the parent and the stored proposal applied (it passed the screen then; the mechanisms are not asked
 * again, their counters for it are already stored).
 */
export async function reviveTrial(
  session: RunSession,
  pending: PendingTrial,
  slot: TrialSlot,
): Promise<{ recorded: TrialRecord } | { proposed: ProposedTrial }> {
  await slot.workspace.resetTo(pending.parentCommit);
  const context = liveMechanismContext(session, pending.index);
  const parentValues = parentValuesOf(pending);
  const screened = await screenAndApply(session, slot.workspace.dir, context, pending.proposal, parentValues, {
    askMechanisms: false,
  });
  if (!screened.ok) {
    // It no longer applies (the working copy was changed outside bilevel): a rejected trial, with the reason.
    await slot.workspace.resetTo(pending.parentCommit);
    const commit = await slot.workspace.commitSide(
      pending.index,
      `trial ${pending.index} (rejected): ${pending.proposal.summary}`,
    );
    const recorded = await session.recordLock.run(async () => {
      const trial = await record(session, {
        index: pending.index,
        status: 'rejected',
        metric: null,
        parent: pending.parent,
        commit,
        values: pending.values,
        changed: pending.changed,
        summary: pending.proposal.summary,
        reason: `on resume the proposal no longer applies: ${screened.reason}`,
        proposal: pending.proposal,
        proposer: pending.proposer,
        attempts: pending.attempts,
        confirmations: [],
        diff: '',
        ...executionFields(null),
        worker: slot.worker,
        inFlight: pending.inFlight,
        startedAt: pending.startedAt,
      });
      session.pending.delete(pending.index);
      return trial;
    });
    return { recorded };
  }
  const revived: PendingTrial = { ...pending, slot: slot.id, worker: slot.worker };
  updatePendingPlacement(session.database, session.run.id, pending.index, slot.id, slot.worker);
  session.pending.set(pending.index, revived);
  const files = session.config.mode === 'code' ? await readEditableFiles(session, slot) : {};
  return {
    proposed: {
      pending: revived,
      slot,
      context,
      proposalContext: {
        task: {
          name: session.task.definition.name,
          description: session.task.definition.description,
          metric: { name: session.task.definition.metric.name, direction: session.task.definition.metric.direction },
          mode: session.config.mode,
        },
        params: session.task.params,
        current: parentValues,
        files,
        incumbentMetric: session.history.incumbent?.metric ?? null,
        history: session.history.recent().map(toTrialRecordView),
        trialCount: session.history.count,
        pending: context.pending,
        settings: session.settings,
        guidance: [],
        focus: [],
        avoid: [],
        trialIndex: pending.index,
        attempt: 0,
        seed: proposalSeed(session.config.seed, pending.index, 0),
        signal: session.signal,
      },
    },
  };
}

/** The parent's values: the trial's own values with its changes undone. */
function parentValuesOf(pending: PendingTrial): Record<string, ParamValue> {
  const values = { ...pending.values };
  for (const [name, [before]] of Object.entries(pending.changed)) values[name] = before;
  return values;
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

async function readEditableFiles(session: RunSession, slot: TrialSlot): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of session.task.definition.editable) {
    files[file] = await readFile(join(slot.workspace.dir, file), 'utf8');
  }
  return files;
}
