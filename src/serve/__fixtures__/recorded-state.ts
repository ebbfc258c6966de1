// Test and bench fixture: writes runs, trials, Level 1.5 snapshots, meta sessions and a study into a state dir
// through the storage layer's own writers, from a seeded simulation (no task is run; the numbers are made up).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, type Rng } from '../../core/rng.js';
import { type StudyDefinition, studyDefinitionSchema, studyId } from '../../ablate/study-definition.js';
import { runPaths } from '../../inner/run-paths.js';
import { type Level, runConfigSchema } from '../../records/run-config.js';
import type { RunState } from '../../records/run-record.js';
import type { TrialRecord, TrialStatus } from '../../records/trial-record.js';
import type { Database } from '../../storage/database.js';
import { saveMechanismActivity, insertMechanismEvent } from '../../storage/mechanism-tables.js';
import { recordMetaSession, saveLifecycle } from '../../storage/meta-tables.js';
import { insertRun } from '../../storage/runs-table.js';
import { insertSettingsSnapshot } from '../../storage/settings-table.js';
import { ensureStudy, insertStudyRun } from '../../storage/study-tables.js';
import { insertTrial } from '../../storage/trials-table.js';

/** A tunable of the simulated objective: a number in [min, max] or one of `choices`. */
interface SimulatedParam {
  name: string;
  min?: number;
  max?: number;
  choices?: number[];
  start: number;
}

/** tinygpt's tunables (names and ranges from tasks/tinygpt/task.json), so a fixture run has the main job's shape. */
export const tinygptShapedParams: readonly SimulatedParam[] = [
  { name: 'DEPTH', min: 1, max: 4, start: 2 },
  { name: 'WIDTH', choices: [32, 48, 64, 96, 128], start: 64 },
  { name: 'HEADS', choices: [1, 2, 4, 8], start: 4 },
  { name: 'MLP_RATIO', min: 1, max: 4, start: 4 },
  { name: 'SEQ_LEN', choices: [32, 64, 128, 256], start: 64 },
  { name: 'BATCH_SIZE', min: 4, max: 32, start: 16 },
  { name: 'LEARNING_RATE', min: 0.0003, max: 0.03, start: 0.003 },
  { name: 'EMBEDDING_LR', min: 0.001, max: 0.1, start: 0.01 },
  { name: 'WEIGHT_DECAY', min: 0, max: 0.3, start: 0.1 },
  { name: 'ADAM_BETA1', min: 0.8, max: 0.95, start: 0.9 },
  { name: 'ADAM_BETA2', min: 0.9, max: 0.999, start: 0.95 },
  { name: 'WARMUP_RATIO', min: 0, max: 0.2, start: 0.05 },
  { name: 'WARMDOWN_RATIO', min: 0, max: 0.8, start: 0.4 },
  { name: 'FINAL_LR_FRAC', min: 0, max: 0.2, start: 0.1 },
  { name: 'GRAD_CLIP', min: 0.25, max: 4, start: 1 },
];

/** Texts a model or a task might write that would run as code if a page ever parsed them as HTML. */
export const hostileTexts = {
  summary: '<img src=x onerror="window.__xss = \'summary\'"> LEARNING_RATE up',
  reason: '<script>window.__xss = "reason"</script>not better',
  prompt: 'Explore the trace.</pre><script>window.__xss = "prompt"</script><b>bold?</b>',
  source: "export default 1; // </code><img src=x onerror=\"window.__xss='source'\">",
  log: '<svg onload="window.__xss=\'log\'"></svg> step 10 loss 2.9',
} as const;

export interface RecordedRunOptions {
  id: string;
  /** Trials after the baseline. */
  trials: number;
  state?: RunState;
  /** The process driving a `running` run (default: this one, so it reads as alive). */
  pid?: number | null;
  task?: string;
  levels?: Level[];
  seed?: number;
  /** Seeds the simulation (default: 1 + seed), so runs with the same run seed can still differ. */
  simulationSeed?: number;
  /** Trials planned after the baseline (default: `trials`). */
  plannedTrials?: number;
  /** The first trial's start; trials follow each other `trialSeconds` apart. */
  startedAt?: Date;
  trialSeconds?: number;
  /** Put the hostile texts into a trial's summary and reason, a meta session's prompt and source, and a log. */
  hostile?: boolean;
  /** Write a run.log for each trial (default true; a bench of 10,000 trials turns it off). */
  logs?: boolean;
  /** Diff lines per trial (default 12). */
  diffLines?: number;
}

/** Writes one run with its trials; Level 1.5 snapshots every 5 trials and Level 2 sessions every 10 when enabled. */
export function writeRecordedRun(database: Database, stateDir: string, options: RecordedRunOptions): void {
  const rng = createRng(options.simulationSeed ?? 1 + (options.seed ?? 0));
  const levels = options.levels ?? ['1', '1.5', '2'];
  const state = options.state ?? 'finished';
  const paths = runPaths(stateDir, options.id);
  const started = (options.startedAt ?? new Date('2026-11-30T22:00:00Z')).getTime();
  const trialMs = (options.trialSeconds ?? 62) * 1000;
  const config = runConfigSchema.parse({
    task: options.task ?? 'tinygpt',
    taskDir: join(stateDir, 'no-such-task'),
    levels,
    proposer: 'random',
    trials: options.plannedTrials ?? options.trials,
    budgetSeconds: 60,
    timeoutSeconds: 180,
    mode: 'params',
    seed: options.seed ?? 0,
    mechanisms: [],
  });
  insertRun(database, {
    id: options.id,
    taskName: options.task ?? 'tinygpt',
    metric: { name: 'val_bpb', direction: 'minimize' },
    config,
    state,
    stateReason: state === 'failed' ? 'TASK_BROKEN: the baseline and the next 5 trials measured nothing' : '',
    workDir: paths.work,
    branch: `bilevel/${options.id}`,
    baselineCommit: 'b'.repeat(40),
    protectedHashes: {},
    promptHashes: {},
    pid: state === 'running' ? (options.pid ?? process.pid) : null,
    createdAt: new Date(started).toISOString(),
  });
  const simulation = simulate(rng, options.trials);
  const write = database.transaction(() => {
    simulation.forEach((trial, index) => {
      const hostile = options.hostile === true && index === 3;
      const startedAt = new Date(started + index * trialMs);
      const logPath = options.logs === false ? null : join(paths.trial(index), 'run.log');
      if (logPath) {
        mkdirSync(paths.trial(index), { recursive: true });
        writeFileSync(logPath, logText(index, trial.metric, hostile && options.hostile === true));
      }
      insertTrial(database, {
        runId: options.id,
        index,
        status: trial.status,
        metric: trial.metric,
        parent: trial.parent,
        commit: trial.status === 'keep' ? hexOf(rng, 40) : null,
        values: trial.values,
        changed: trial.changed,
        summary: hostile ? hostileTexts.summary : trial.summary,
        reason: hostile ? hostileTexts.reason : trial.reason,
        proposal: index === 0 ? null : { kind: 'params', values: trial.proposed, summary: trial.summary },
        attempts: trial.status === 'rejected' ? [{ kind: 'rejected', reason: trial.reason }] : [],
        confirmations: [],
        diff: index === 0 ? '' : diffText(trial.changed, options.diffLines ?? 12, hostile),
        logPath,
        wallSeconds: trial.status === 'rejected' ? null : trialMs / 1000 - 1.5,
        peakMemoryMb: trial.status === 'rejected' ? null : 180 + rng.int(40),
        proposer: index === 0 ? null : 'random',
        worker: 'local slot 0',
        inFlight: [],
        startedAt: startedAt.toISOString(),
        endedAt: new Date(startedAt.getTime() + trialMs - 500).toISOString(),
      } satisfies TrialRecord);
    });
    if (levels.includes('1.5')) writeSnapshots(database, options.id, simulation.length - 1);
    if (levels.includes('2')) writeLevel2(database, options.id, simulation.length - 1, options.hostile === true);
  });
  write();
}

interface SimulatedTrial {
  status: TrialStatus;
  metric: number | null;
  parent: number;
  values: Record<string, number>;
  proposed: Record<string, number>;
  changed: Record<string, [number, number]>;
  summary: string;
  reason: string;
}

/** A seeded random search on a smooth objective with noise, judged the way the loop judges (strictly better). */
function simulate(rng: Rng, trials: number): SimulatedTrial[] {
  const optimum = Object.fromEntries(tinygptShapedParams.map((param) => [param.name, draw(rng, param)]));
  const objective = (values: Record<string, number>): number =>
    2.31 +
    tinygptShapedParams.reduce((sum, param) => {
      const span = param.choices ? param.choices.length : (param.max as number) - (param.min as number) || 1;
      const position = (value: number) => (param.choices ? param.choices.indexOf(value) : value) / span;
      return sum + 0.35 * (position(values[param.name] as number) - position(optimum[param.name] as number)) ** 2;
    }, 0) +
    (rng.next() - 0.5) * 0.01;
  const start = Object.fromEntries(tinygptShapedParams.map((param) => [param.name, param.start]));
  const baseline = round(objective(start));
  const out: SimulatedTrial[] = [
    { status: 'keep', metric: baseline, parent: 0, values: start, proposed: {}, changed: {}, summary: 'baseline', reason: '' },
  ];
  let incumbent = { index: 0, metric: baseline, values: start };
  for (let index = 1; index <= trials; index += 1) {
    const moved = [rng.pick(tinygptShapedParams), ...(rng.next() < 0.4 ? [rng.pick(tinygptShapedParams)] : [])];
    const proposed: Record<string, number> = {};
    for (const param of moved) proposed[param.name] = draw(rng, param);
    const values = { ...incumbent.values, ...proposed };
    const changed: Record<string, [number, number]> = {};
    for (const [name, value] of Object.entries(proposed)) {
      if (value !== incumbent.values[name]) changed[name] = [incumbent.values[name] as number, value];
    }
    const summary =
      Object.entries(changed)
        .map(([name, [before, after]]) => `${name} ${before} -> ${after}`)
        .join(', ') || 'no change';
    const roll = rng.next();
    const base = { parent: incumbent.index, values, proposed, changed, summary };
    if (roll < 0.03) {
      out.push({ ...base, status: 'rejected', metric: null, reason: `${moved[0]?.name} is frozen by Level 1.5` });
    } else if (roll < 0.08) {
      out.push({ ...base, status: 'crash', metric: null, reason: 'exit code 1: RangeError: Invalid typed array length' });
    } else if (roll < 0.09) {
      out.push({ ...base, status: 'timeout', metric: null, reason: 'killed after 180 s (timeout)' });
    } else {
      const metric = round(objective(values) + (rng.next() < 0.03 ? 1.5 : 0));
      if (metric < incumbent.metric) {
        out.push({ ...base, status: 'keep', metric, reason: '' });
        incumbent = { index, metric, values };
      } else {
        const reason = `not better than ${incumbent.metric} (trial ${incumbent.index})`;
        out.push({ ...base, status: 'discard', metric, reason });
      }
    }
  }
  return out;
}

function draw(rng: Rng, param: SimulatedParam): number {
  if (param.choices) return rng.pick(param.choices);
  const min = param.min as number;
  const max = param.max as number;
  const value = min + rng.next() * (max - min);
  return Number.isInteger(param.start) && max - min >= 3 ? Math.round(value) : Number(value.toPrecision(4));
}

function round(value: number): number {
  return Number(value.toFixed(6));
}

function hexOf(rng: Rng, length: number): string {
  return Array.from({ length }, () => '0123456789abcdef'[rng.int(16)]).join('');
}

function diffText(changed: Record<string, [number, number]>, lines: number, hostile: boolean): string {
  const body = Object.entries(changed).flatMap(([name, [before, after]]) => [
    `-export const ${name} = ${before};`,
    `+export const ${name} = ${after};`,
  ]);
  const context = Array.from({ length: Math.max(0, lines - body.length) }, (_, line) => ` // context line ${line}`);
  return [
    'diff --git a/train.ts b/train.ts',
    '--- a/train.ts',
    '+++ b/train.ts',
    '@@ -10,7 +10,7 @@',
    ...body,
    ...context,
    ...(hostile ? [`+// ${hostileTexts.summary}`] : []),
    '',
  ].join('\n');
}

function logText(index: number, metric: number | null, hostile: boolean): string {
  const steps = Array.from({ length: 40 }, (_, step) => `step ${step * 10} loss ${(3.2 - step * 0.02).toFixed(4)}`);
  return [
    `trial ${index}`,
    ...steps,
    ...(hostile ? [hostileTexts.log] : []),
    metric === null ? 'RangeError: Invalid typed array length' : `val_bpb: ${metric}`,
    '',
  ].join('\n');
}

function writeSnapshots(database: Database, runId: string, lastTrial: number): void {
  for (let cycle = 1; cycle * 5 <= lastTrial; cycle += 1) {
    const frozen = cycle >= 2 ? ['ADAM_BETA2'] : [];
    insertSettingsSnapshot(database, runId, cycle, cycle * 5, {
      cycle,
      afterTrial: cycle * 5,
      settings: {
        frozen,
        strategy: cycle % 3 === 0 ? 'explore' : 'exploit',
        guidance: 'What worked: moves of LEARNING_RATE upward were kept.',
      },
      analyst: 'rules',
      rationale: `Cycle ${cycle} after trial ${cycle * 5}: keeps so far came from the learning rates.`,
      changes: cycle === 2 ? ['froze ADAM_BETA2: 4 moves, none kept'] : [],
      ok: true,
    });
  }
}

/** A Level 2 session every 10 trials: the first an LLM session with its rounds and one gate attempt, then offline. */
function writeLevel2(database: Database, runId: string, lastTrial: number, hostile: boolean): void {
  const mechanisms = ['plateau-nudge', 'bandit', 'confirm-marginal'];
  let order = 0;
  for (let after = 10; after <= lastTrial; after += 10) {
    const llm = after === 10;
    const mechanism = mechanisms[(after / 10 - 1) % mechanisms.length] as string;
    const id = `m${after}`;
    const retiredAt = after + 10 <= lastTrial && mechanism === 'bandit' ? after + 10 : null;
    const verdict = retiredAt === null ? 'kept' : 'retired';
    const probation =
      after + 10 <= lastTrial
        ? {
            window: { from: after + 1, to: after + 10, trials: 10, keeps: 2, failures: 1, gain: 0.004 },
            previous: { from: after - 9, to: after, trials: 10, keeps: 1, failures: 0, gain: 0.001 },
            decisionsChanged: verdict === 'kept' ? 4 : 0,
            strikes: 0,
            verdict,
            reason: verdict === 'kept' ? 'kept: changed 4 decisions' : 'inert in practice: changed no decision',
          }
        : null;
    const source = hostile && llm ? hostileTexts.source : `export default defineMechanism({ name: '${mechanism}' });`;
    recordMetaSession(
      database,
      {
        id,
        runId,
        afterTrial: after,
        mode: llm ? 'llm' : 'offline',
        trigger: 'cadence',
        diagnosis: { trials: after + 1, keepRate: 0.2, plateauLength: 4, neverMoved: ['GRAD_CLIP'] },
        rounds: llm
          ? ['explore', 'critique', 'specify', 'generate'].map((round) => ({
              round,
              promptSha256: 'c'.repeat(64),
              prompt:
                round === 'explore' && hostile
                  ? hostileTexts.prompt
                  : `Round ${round}: the loop's code, the contract and the diagnosis follow.\n...`,
              reply: { round, answer: `a reply for ${round}` },
            }))
          : [],
        chosen: { name: mechanism, why: 'the search sits on a plateau' },
        attempts: llm ? [{ attempt: 0, sourceSha256: 'd'.repeat(64), source, gate: { passed: true, stages: [] } }] : [],
        outcome: 'activated',
        mechanism,
        detail: `activated ${mechanism}: it targets the plateau`,
        createdAt: new Date(Date.parse('2026-11-30T22:00:00Z') + after * 62_000).toISOString(),
      },
      [
        {
          runId,
          name: mechanism,
          origin: llm ? 'generated' : 'builtin',
          sessionId: id,
          activationOrder: order,
          activatedAtTrial: after,
          retiredAtTrial: retiredAt,
          reason: retiredAt === null ? null : `probation: ${probation?.reason}`,
          probation,
        },
      ],
    );
    saveLifecycleActivity(database, runId, mechanism, after, lastTrial, retiredAt);
    order += 1;
  }
}

function saveLifecycleActivity(
  database: Database,
  runId: string,
  mechanism: string,
  after: number,
  lastTrial: number,
  retiredAt: number | null,
): void {
  const calls = (retiredAt ?? lastTrial) - after;
  saveMechanismActivity(database, runId, mechanism, {
    name: mechanism,
    origin: 'builtin',
    status: retiredAt === null ? 'active' : 'retired',
    hookCalls: { transformPrompt: calls, screenProposal: calls, onTrialEnd: calls },
    decisionsChanged: retiredAt === null ? Math.min(4, calls) : 0,
    strikes: 0,
  });
  for (let trial = after + 1; trial <= Math.min(after + 4, retiredAt ?? lastTrial); trial += 1) {
    if (retiredAt !== null) break;
    insertMechanismEvent(database, {
      runId,
      trialIndex: trial,
      mechanism,
      kind: 'decision-changed',
      hook: 'transformPrompt',
      before: { focus: [] },
      after: { focus: ['GRAD_CLIP'] },
    });
  }
}

export interface RecordedStudyOptions {
  /** Group names with their levels. */
  groups: { name: string; levels: Level[] }[];
  repeats: number;
  trials: number;
}

/** Writes a finished study (its definition and one recorded run per group × repeat); returns its id. */
export function writeRecordedStudy(database: Database, stateDir: string, options: RecordedStudyOptions): string {
  const definition: StudyDefinition = studyDefinitionSchema.parse({
    version: 'study-v1',
    groups: options.groups.map((group) => ({ ...group, mechanisms: [] })),
    repeats: options.repeats,
    firstSeed: 0,
    baseline: 'per-group',
    restart: { from: 'none', every: 8, duration: 2 },
    controls: {
      task: 'synthetic',
      taskDir: join(stateDir, 'no-such-task'),
      proposer: 'random',
      trials: options.trials,
      budgetSeconds: 5,
      timeoutSeconds: 30,
      mode: 'params',
    },
  });
  const id = studyId(definition);
  ensureStudy(database, id, definition);
  options.groups.forEach((group, groupIndex) => {
    for (let repeat = 0; repeat < options.repeats; repeat += 1) {
      const runId = `20261201-0${groupIndex}${repeat}000-s${groupIndex}${repeat}`;
      writeRecordedRun(database, stateDir, {
        id: runId,
        trials: options.trials,
        task: 'synthetic',
        levels: group.levels,
        seed: repeat,
        simulationSeed: 100 * groupIndex + repeat + 1,
        trialSeconds: 1,
        startedAt: new Date(Date.parse('2026-12-01T00:00:00Z') + (groupIndex * options.repeats + repeat) * 60_000),
        logs: false,
      });
      insertStudyRun(database, { studyId: id, group: group.name, repeat, runId });
    }
  });
  return id;
}
