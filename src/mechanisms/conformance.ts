// The conformance suite every mechanism must pass (built-ins in tests, generated ones in the gate).
import { basePromptParts } from './build-context.js';
import { composeMechanisms, type MechanismEvent } from './compose.js';
import { decisionHookNames, defaultHookTimeoutMs } from './hooks.js';
import type { MechanismParam, OutcomeView, ProposalView, Value } from './mechanism.js';
import { type RecordedTrace, toTrialRecordView } from './recorded-trace.js';
import { contextFor, type ReplayReport, replayTrace } from './replay.js';
import type { MechanismRuntime } from './runtime.js';
import { makeSyntheticTrace } from './synthetic-trace.js';

export type ConformanceCheckName =
  | 'name-kebab-case'
  | 'description-present'
  | 'params-well-formed'
  | 'has-decision-hook'
  | 'empty-history'
  | 'valid-shapes-on-trace'
  | 'deterministic'
  | 'within-time-limit';

export interface ConformanceCheck {
  name: ConformanceCheckName;
  passed: boolean;
  /** What was checked and, on failure, what to fix; written for a model to read. */
  message: string;
}

export interface ConformanceReport {
  mechanism: string;
  passed: boolean;
  checks: ConformanceCheck[];
  /** The replay on the trace (decisions it would change; `inert` when none). */
  replay: ReplayReport;
}

export interface ConformanceOptions {
  /** The trace to replay; default: the synthetic `repeats` trace. */
  trace?: RecordedTrace;
  /** Per-call limit in milliseconds; default 500. */
  hookTimeoutMs?: number;
  /** The param declaration, when the runtime does not carry one (sandboxed runtimes). */
  params?: Readonly<Record<string, MechanismParam>>;
  config?: Readonly<Record<string, Value>>;
}

const kebabCase = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Runs every check; a failed check does not stop the others. Re-initialises the runtime several times. */
export async function runConformance(
  runtime: MechanismRuntime,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const trace = options.trace ?? makeSyntheticTrace('repeats');
  const limitMs = options.hookTimeoutMs ?? defaultHookTimeoutMs;
  const params = options.params ?? (runtime as { params?: Record<string, MechanismParam> }).params ?? {};
  const replayOptions = { config: options.config, hookTimeoutMs: limitMs };
  const checks: ConformanceCheck[] = [
    check(
      'name-kebab-case',
      kebabCase.test(runtime.name),
      `name "${runtime.name}" must be kebab-case (e.g. "tabu-list")`,
    ),
    check(
      'description-present',
      runtime.description.trim().length >= 10 && runtime.description.length <= 400,
      'description must be one sentence (10–400 characters) saying what search failure it addresses and how',
    ),
    paramsCheck(params),
    check(
      'has-decision-hook',
      decisionHookNames.some((hook) => runtime.hooks.has(hook)),
      `defines none of ${decisionHookNames.join(', ')}, so it can never change a decision`,
    ),
  ];

  const emptyFailures = await emptyHistoryFailures(runtime, trace, replayOptions);
  checks.push(
    check(
      'empty-history',
      emptyFailures.length === 0,
      `with only the baseline recorded, each hook must decline (return undefined) or return a valid value: ${emptyFailures.join(' | ')}`,
    ),
  );

  const first = await replayTrace(runtime, trace, replayOptions);
  const second = await replayTrace(runtime, trace, replayOptions);
  const shapeFailures = failuresOf(first, 'other');
  checks.push(
    check(
      'valid-shapes-on-trace',
      shapeFailures.length === 0,
      `on a ${trace.trials.length}-trial trace every hook must return a valid value without throwing: ${shapeFailures.slice(0, 5).join(' | ')}`,
    ),
  );
  const difference = firstDifference(first, second);
  checks.push(
    check(
      'deterministic',
      difference === null,
      `two runs with the same seed and trace must give identical answers; first difference: ${difference}. Use context.seed for randomness, never Math.random or the clock, and keep all memory in the state`,
    ),
  );
  const slow = [...failuresOf(first, 'timeout'), ...failuresOf(second, 'timeout')];
  checks.push(
    check(
      'within-time-limit',
      slow.length === 0,
      `every call must finish within ${limitMs} ms (slowest: ${Math.round(Math.max(first.maxCallMs, second.maxCallMs))} ms): ${slow.slice(0, 3).join(' | ')}`,
    ),
  );
  return { mechanism: runtime.name, passed: checks.every((item) => item.passed), checks, replay: first };
}

/** A readable summary: one line per check, then the replay's counts. */
export function formatConformanceReport(report: ConformanceReport): string {
  const lines = report.checks.map(
    (item) => `${item.passed ? 'pass' : 'FAIL'} ${item.name}${item.passed ? '' : `: ${item.message}`}`,
  );
  const changed = report.replay.inert
    ? 'inert: it changed no decision'
    : `changed ${report.replay.decisionsChanged} decisions`;
  lines.push(`replay over ${report.replay.trials} trials: ${changed}`);
  return `${report.mechanism}: ${report.passed ? 'conforms' : 'does not conform'}\n${lines.join('\n')}`;
}

function check(name: ConformanceCheckName, passed: boolean, problem: string): ConformanceCheck {
  return { name, passed, message: passed ? 'ok' : problem };
}

function paramsCheck(params: Readonly<Record<string, MechanismParam>>): ConformanceCheck {
  const problems: string[] = [];
  for (const [name, param] of Object.entries(params)) {
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) problems.push(`param "${name}" must be a camelCase identifier`);
    if (param.type === 'number') {
      const finite = [param.default, param.min, param.max].every(Number.isFinite);
      if (!finite || param.min > param.max) problems.push(`param "${name}": min/max/default must be finite, min ≤ max`);
      else if (param.default < param.min || param.default > param.max) {
        problems.push(`param "${name}": default ${param.default} is outside [${param.min}, ${param.max}]`);
      } else if (param.integer && !Number.isInteger(param.default)) {
        problems.push(`param "${name}": default ${param.default} must be a whole number`);
      }
    } else if (param.choices.length === 0 || !param.choices.includes(param.default)) {
      problems.push(`param "${name}": default ${JSON.stringify(param.default)} must be one of its (non-empty) choices`);
    }
  }
  return check('params-well-formed', problems.length === 0, problems.join('; '));
}

/** Calls every decision hook once with only the baseline recorded; returns the failures. */
async function emptyHistoryFailures(
  runtime: MechanismRuntime,
  trace: RecordedTrace,
  options: { config?: Readonly<Record<string, Value>>; hookTimeoutMs: number },
): Promise<string[]> {
  const events: MechanismEvent[] = [];
  const composed = composeMechanisms([runtime], {
    maxStrikes: Number.POSITIVE_INFINITY,
    hookTimeoutMs: options.hookTimeoutMs,
    onEvent: (event) => events.push(event),
  });
  await composed.init(trace.seed, { [runtime.name]: options.config ?? {} });
  const baseline = trace.trials[0];
  if (baseline) await composed.onTrialEnd(contextFor(trace, 1, 0), toTrialRecordView(baseline));
  const context = contextFor(trace, 1, 1);
  const recorded = trace.trials[1];
  const proposal: ProposalView = recorded?.proposal ?? firstMoveProposal(trace);
  const outcome: OutcomeView = recorded?.outcome ?? {
    status: 'ok',
    metric: baseline?.metric ?? 1,
    verdict: 'discard',
    confirmations: [],
  };
  await composed.shouldStop(context);
  await composed.selectParent(context, 0);
  const prompt = await composed.transformPrompt(context, basePromptParts(context.settings));
  await composed.propose(context, { parent: 0, current: baseline?.values ?? {}, prompt });
  await composed.screenProposal(context, proposal);
  await composed.judgeOutcome(context, outcome);
  return events.filter((event) => event.kind === 'strike').map((event) => `${event.hook ?? 'init'}: ${event.detail}`);
}

/** A proposal that moves the first tunable to another valid value, for traces without a trial 1. */
function firstMoveProposal(trace: RecordedTrace): ProposalView {
  const values = { ...(trace.trials[0]?.values ?? {}) };
  const tunable = trace.tunables[0];
  const changed: Record<string, [Value, Value]> = {};
  if (tunable) {
    const before = values[tunable.name] ?? (tunable.type === 'number' ? tunable.min : tunable.choices[0]);
    const after = tunable.type === 'number' ? tunable.max : (tunable.choices.at(-1) ?? before);
    if (before !== undefined && after !== undefined) {
      values[tunable.name] = after;
      changed[tunable.name] = [before, after];
    }
  }
  return { kind: 'params', values, changed, summary: 'first move', files: [] };
}

/** Where two replays' answers first differ, or null when identical. */
function firstDifference(first: ReplayReport, second: ReplayReport): string | null {
  const count = Math.max(first.answers.length, second.answers.length);
  for (let position = 0; position < count; position += 1) {
    const a = first.answers[position];
    const b = second.answers[position];
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      const where = a ?? b;
      return `trial ${where?.trialIndex}, ${where?.hook}: ${JSON.stringify(a?.answer)} then ${JSON.stringify(b?.answer)}`;
    }
  }
  const failuresA = failuresOf(first, 'other').join('\n');
  const failuresB = failuresOf(second, 'other').join('\n');
  return failuresA === failuresB ? null : 'the failures differ between the two runs';
}

/** A replay's failed calls, either the timeouts or everything else, as `trial N, hook: kind: message`. */
function failuresOf(report: ReplayReport, which: 'timeout' | 'other'): string[] {
  return report.events
    .filter((event) => event.kind === 'strike' && event.detail?.startsWith('timeout:') === (which === 'timeout'))
    .map((event) => `trial ${event.trialIndex}, ${event.hook ?? 'init'}: ${event.detail}`);
}
