// An Optuna sampler as a proposer: asks the sidecar for each trial, tells it every recorded trial whoever made it.
import { mixSeed } from '../core/rng.js';
import { type OptunaStudy, type SidecarOptions, startOptunaSidecar } from '../optimizers/optuna-sidecar.js';
import { fitsDistribution, type OptunaSpace, optunaSpace } from '../optimizers/search-space.js';
import type { OptunaSampler } from '../records/proposer-spec.js';
import type { TrialRecord } from '../records/trial-record.js';
import type { Database } from '../storage/database.js';
import { listTrials, trialsAfter } from '../storage/trials-table.js';
import type { ParamSpec, ParamValue } from '../task/task-definition.js';
import type { ProposalContext, Proposer, ProposerResult } from './proposer.js';

export interface OptunaProposerOptions {
  database: Database;
  runId: string;
  sampler: OptunaSampler;
  /** The run seed: the sampler's own seed is derived from it (the same on a resume). */
  runSeed: number;
  /** The interpreter that imports Optuna (see optimizers/find-python.ts). */
  python: string;
  direction: 'minimize' | 'maximize';
  params: readonly ParamSpec[];
  /** Something the user should know (a resume that could not replay a proposal). */
  onNote?: (message: string) => void;
  /** Starts the sidecar (tests pass a fake); default: the Python sidecar. */
  start?: (options: SidecarOptions) => Promise<OptunaStudy>;
}

/** One ask of the study that has not been told yet: which trial and attempt it proposed. */
interface OpenAsk {
  trial: number;
  attempt: number;
  number: number;
}

/**
 * Proposes with one of Optuna's samplers through ask-and-tell. Before every ask the study is told every trial
 * recorded since the last one, from the database (the only record): its own trials with their outcome, the others'
 * (another arm of a mix, a mechanism, the baseline) as added trials. Several asks may be open at once (trials in
 * flight). On the first call of a process the study is rebuilt by replaying the record in the order it happened:
 * the same asks, tells and adds, so a resumed run makes the proposals the uninterrupted one would have.
 */
export function createOptunaProposer(options: OptunaProposerOptions): Proposer & { dispose(): Promise<void> } {
  const arm = `optuna:${options.sampler}`;
  const space = optunaSpace(options.params);
  const start = options.start ?? startOptunaSidecar;
  let sidecar: Promise<OptunaStudy> | undefined;
  const open: OpenAsk[] = [];
  /** Trial indexes the study has been told about (all trials up to `floor` and any later in `settled`). */
  const settled = new Set<number>();
  let floor = -1;

  async function tellRecorded(study: OptunaStudy, trial: TrialRecord): Promise<void> {
    if (settled.has(trial.index)) return;
    const asks = open.filter((ask) => ask.trial === trial.index);
    const ran = trial.status !== 'rejected';
    const value = ran && trial.metric !== null && Number.isFinite(trial.metric) ? trial.metric : null;
    const final = ran && trial.proposer === arm ? asks.at(-1) : undefined;
    for (const ask of asks) await study.tell(ask.number, ask === final ? value : null);
    removeAsks(trial.index, Number.POSITIVE_INFINITY);
    if (final === undefined && ran) await study.add(fitting(space, trial.values), value);
    settled.add(trial.index);
    while (settled.has(floor + 1)) settled.delete(++floor);
  }

  /** Asks of `trial` made before `attempt` were rejected unrun: the study is told they failed. */
  async function failEarlierAttempts(study: OptunaStudy, trial: number, attempt: number): Promise<void> {
    for (const ask of open.filter((entry) => entry.trial === trial && entry.attempt < attempt)) {
      await study.tell(ask.number, null);
    }
    removeAsks(trial, attempt);
  }

  function removeAsks(trial: number, beforeAttempt: number): void {
    for (let index = open.length - 1; index >= 0; index--) {
      const ask = open[index] as OpenAsk;
      if (ask.trial === trial && ask.attempt < beforeAttempt) open.splice(index, 1);
    }
  }

  async function ask(study: OptunaStudy, trial: number, attempt: number, fixed: Record<string, ParamValue>) {
    const asked = await study.ask(fixed);
    open.push({ trial, attempt, number: asked.number });
    return asked.params;
  }

  /** Replays the record: each of this arm's asks after the trials recorded before it, in the order they happened. */
  async function rebuild(study: OptunaStudy): Promise<void> {
    const trials = listTrials(options.database, options.runId);
    const byIndex = new Map(trials.map((trial) => [trial.index, trial]));
    let mismatches = 0;
    for (const trial of trials) {
      for (const attempt of ownAttempts(trial, arm)) {
        const inFlight = new Set((trial as { inFlight?: readonly number[] }).inFlight ?? []);
        for (let index = floor + 1; index < trial.index; index++) {
          const earlier = byIndex.get(index);
          if (earlier && !inFlight.has(index)) await tellRecorded(study, earlier);
        }
        await failEarlierAttempts(study, trial.index, attempt.attempt);
        const params = await ask(study, trial.index, attempt.attempt, fixedFromRecord(space, trial, attempt.values));
        if (!sameValues(params, attempt.values)) mismatches++;
      }
    }
    if (mismatches > 0) {
      options.onNote?.(
        `${arm}: on resume the sampler did not make ${mismatches} of its recorded proposals again (a different Optuna or Python?); the rest of this run is not the one an uninterrupted process would have made`,
      );
    }
  }

  async function study(): Promise<OptunaStudy> {
    sidecar ??= (async () => {
      const started = await start({
        python: options.python,
        sampler: options.sampler,
        seed: mixSeed(options.runSeed, 0x6f707475) & 0x7fffffff,
        direction: options.direction,
        space,
      });
      await rebuild(started);
      return started;
    })();
    return sidecar;
  }

  return {
    specificationVersion: 'proposer-v1',
    name: arm,
    async propose(context: ProposalContext): Promise<ProposerResult> {
      const current = await study();
      for (const trial of trialsAfter(options.database, options.runId, floor)) await tellRecorded(current, trial);
      await failEarlierAttempts(current, context.trialIndex, context.attempt);
      const blocked = blockedParams(context);
      if (options.params.every((param) => blocked.has(param.name))) {
        return { ok: false, reason: 'no param may be moved: every tunable is frozen, avoided or outside the focus' };
      }
      const fixed = fitting(
        space,
        Object.fromEntries(Object.entries(context.current).filter(([name]) => blocked.has(name))),
      );
      const params = await ask(current, context.trialIndex, context.attempt, fixed);
      const values = Object.fromEntries(Object.entries(params).filter(([name]) => !blocked.has(name)));
      return {
        ok: true,
        proposal: {
          kind: 'params',
          values,
          summary: summarize(arm, context.current, values),
          rationale: `Optuna ${options.sampler} sampler (ask-and-tell)`,
        },
      };
    },
    async dispose() {
      if (sidecar) (await sidecar.catch(() => undefined))?.close();
    },
  };
}

/** The params this trial must leave alone: frozen, avoided, or outside a non-empty focus. */
function blockedParams(context: ProposalContext): Set<string> {
  const blocked = new Set([...context.settings.frozen, ...context.avoid]);
  if (context.focus.length > 0) {
    for (const param of context.params) if (!context.focus.includes(param.name)) blocked.add(param.name);
  }
  return blocked;
}

/** This arm's asks in a recorded trial, in order: the attempt number and the values it proposed. */
function ownAttempts(trial: TrialRecord, arm: string): { attempt: number; values: Record<string, ParamValue> }[] {
  const own: { attempt: number; values: Record<string, ParamValue> }[] = [];
  const rejected = trial.attempts.filter((attempt) => attempt.kind === 'rejected');
  rejected.forEach((attempt, position) => {
    if (attempt.proposer === arm && attempt.proposal?.kind === 'params') {
      own.push({ attempt: position, values: attempt.proposal.values });
    }
  });
  if (trial.status !== 'rejected' && trial.proposer === arm && trial.proposal?.kind === 'params') {
    own.push({ attempt: rejected.length, values: trial.proposal.values });
  }
  return own;
}

/** The values the params outside a recorded proposal were held at: the trial's parent's. */
function fixedFromRecord(
  space: OptunaSpace,
  trial: TrialRecord,
  proposed: Record<string, ParamValue>,
): Record<string, ParamValue> {
  const parent: Record<string, ParamValue> = { ...trial.values };
  for (const [name, [before]] of Object.entries(trial.changed)) parent[name] = before as ParamValue;
  return fitting(space, Object.fromEntries(Object.entries(parent).filter(([name]) => !Object.hasOwn(proposed, name))));
}

/** The values that fit the study's space (others cannot be told to Optuna). */
function fitting(space: OptunaSpace, values: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  return Object.fromEntries(
    Object.entries(values).filter(([name, value]) => {
      const distribution = space[name];
      return distribution !== undefined && fitsDistribution(distribution, value);
    }),
  );
}

function sameValues(a: Record<string, ParamValue>, b: Record<string, ParamValue>): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].every((name) => Object.is(a[name], b[name]));
}

/** `optuna:tpe: DEPTH 8 -> 12, MATRIX_LR 0.04 -> 0.0123 (+9 more)`: the moves, the largest share first. */
function summarize(arm: string, current: Record<string, ParamValue>, values: Record<string, ParamValue>): string {
  const moves = Object.entries(values).filter(([name, value]) => current[name] !== value);
  if (moves.length === 0) return `${arm}: the current values again`;
  const shown = moves
    .slice(0, 4)
    .map(([name, value]) => `${name} ${shortValue(current[name])} -> ${shortValue(value)}`)
    .join(', ');
  return `${arm}: ${shown}${moves.length > 4 ? ` (+${moves.length - 4} more)` : ''}`;
}

/** Whole numbers as they are, other numbers to 4 significant digits, strings quoted. */
function shortValue(value: ParamValue | undefined): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
