// Level 2 in the loop: between trials, judge injected mechanisms on probation, and run a meta session when due.

import { sha256 } from '../core/hash.js';
import { runGate } from '../gate/run-gate.js';
import type { CycleView } from '../inner/run-session.js';
import { gateTrace, metaTrials } from '../inner/run-trace.js';
import { isRunStop } from '../inner/stop-rule.js';
import { addToLibrary, listLibrary } from '../library/library.js';
import { recordLibraryEvidence } from '../library/library-evidence.js';
import { loadLibraryRuntime, loadLifecycleRuntime } from '../library/library-runtime.js';
import type { LanguageModel } from '../llm/language-model.js';
import { builtinMechanisms } from '../mechanisms/builtin/index.js';
import type { ComposedMechanisms } from '../mechanisms/compose.js';
import { toTrialRecordView } from '../mechanisms/recorded-trace.js';
import { rebuildState } from '../mechanisms/replay.js';
import type { MechanismRuntime } from '../mechanisms/runtime.js';
import type { ProbationEvidence } from '../records/probation-evidence.js';
import type { RunRecord } from '../records/run-record.js';
import type { Database } from '../storage/database.js';
import {
  countMechanismEventsInWindow,
  listLifecycle,
  listMetaSessions,
  type MechanismLifecycle,
  type MetaSessionRecord,
  recordMetaSession,
  saveLifecycle,
} from '../storage/meta-tables.js';
import { listTrials, listTrialsInRecordOrder } from '../storage/trials-table.js';
import type { Task } from '../task/load-task.js';
import { diagnoseTrace, symptomNames, type TraceDiagnosis } from './diagnose-trace.js';
import { formatLibrary } from './meta-prompt-context.js';
import { metaTrigger } from './meta-schedule.js';
import { type MetaSettings, metaSettings } from './meta-settings.js';
import { selectOffline } from './offline-selector.js';
import { judgeProbation, windowStats } from './probation.js';
import { runResearchSession } from './research-session.js';

export interface MetaLevelOptions {
  readonly database: Database;
  readonly run: RunRecord;
  readonly task: Task;
  readonly stateDir: string;
  /** The run's composed mechanisms: injected mechanisms are activated into it. */
  readonly composed: ComposedMechanisms;
  /** The model for role `research`; absent: offline mode (picks from built-ins and the library). */
  readonly model?: LanguageModel;
}

export interface MetaLevel {
  readonly mode: 'llm' | 'offline';
  /** One line for the run's output saying which mode the meta level is in. */
  readonly modeLine: string;
  /** Whether `runDue` has anything to do before trial `nextIndex` (the loop waits for trials in flight first). */
  isDue(view: CycleView, nextIndex: number): boolean;
  /** Called between trials, before trial `nextIndex`: probation verdicts first, then a session if one is due. */
  runDue(view: CycleView, nextIndex: number): Promise<void>;
}

export const offlineModeLine = 'meta level: offline (no LLM): picks from built-ins and the library';

export function createMetaLevel(options: MetaLevelOptions): MetaLevel {
  const { database, run, task, stateDir, composed, model } = options;
  const settings = metaSettings(run.config);
  const direction = task.definition.metric.direction;
  const done = new Set(listMetaSessions(database, run.id).map((session) => session.afterTrial));
  const lifecycle = listLifecycle(database, run.id);
  const mode = model ? 'llm' : 'offline';

  /** Whether anything is due before trial `nextIndex`: a retirement to note, a probation verdict, or a session. */
  function isDue(view: CycleView, nextIndex: number): boolean {
    const lastTrial = nextIndex - 1;
    if (lastTrial < 1) return false;
    const activity = composed.activity();
    const probationDue = lifecycle.some((entry) => {
      if (entry.retiredAtTrial !== null) return false;
      if (activity.find((item) => item.name === entry.name)?.status === 'retired') return true;
      const evidence = entry.probation as ProbationEvidence | null;
      return !evidence?.verdict && lastTrial >= entry.activatedAtTrial + settings.probationWindow;
    });
    const incumbentIndex = view.history.incumbent?.index ?? 0;
    return probationDue || metaTrigger({ lastTrial, incumbentIndex, done }, settings) !== undefined;
  }

  async function runDue(session: CycleView, nextIndex: number): Promise<void> {
    const lastTrial = nextIndex - 1;
    if (lastTrial < 1) return;
    await judgeOnProbation(session, lastTrial);
    const trigger = metaTrigger({ lastTrial, incumbentIndex: session.history.incumbent?.index ?? 0, done }, settings);
    if (trigger) await runSession(session, lastTrial, trigger);
  }

  async function judgeOnProbation(session: CycleView, lastTrial: number): Promise<void> {
    const activity = composed.activity();
    let trials: ReturnType<typeof toTrialRecordView>[] | undefined;
    for (const entry of lifecycle) {
      if (entry.retiredAtTrial !== null) continue;
      const counters = activity.find((item) => item.name === entry.name);
      if (counters?.status === 'retired') {
        entry.retiredAtTrial = lastTrial;
        entry.reason = counters.retiredReason ?? 'retired by the loop';
        saveLifecycle(database, entry);
        session.onProgress({ type: 'note', message: `level 2: ${entry.name} retired: ${entry.reason}` });
        continue;
      }
      const evidence = entry.probation as ProbationEvidence | null;
      if (evidence?.verdict || lastTrial < entry.activatedAtTrial + settings.probationWindow) continue;
      trials ??= listTrials(database, run.id).map(toTrialRecordView);
      const verdict = probationVerdict(entry, trials, settings, lastTrial);
      entry.probation = verdict;
      if (verdict.verdict === 'retired') {
        composed.retire(entry.name, `probation: ${verdict.reason}`);
        entry.retiredAtTrial = lastTrial;
        entry.reason = `probation: ${verdict.reason}`;
      }
      saveLifecycle(database, entry);
      if (entry.origin !== 'builtin') {
        recordLibraryEvidence(stateDir, entry.name, {
          runId: run.id,
          sessionId: entry.sessionId,
          activatedAtTrial: entry.activatedAtTrial,
          probation: verdict,
        });
      }
      session.onProgress({ type: 'note', message: `level 2 probation of ${entry.name}: ${verdict.reason}` });
    }
  }

  function probationVerdict(
    entry: MechanismLifecycle,
    trials: readonly ReturnType<typeof toTrialRecordView>[],
    meta: MetaSettings,
    lastTrial: number,
  ): ProbationEvidence {
    const start = entry.activatedAtTrial + 1;
    const end = Math.min(lastTrial, entry.activatedAtTrial + meta.probationWindow);
    const counts = countMechanismEventsInWindow(database, run.id, entry.name, start, end);
    return judgeProbation({
      window: windowStats(trials, start, end, direction),
      previous: windowStats(trials, Math.max(1, start - meta.probationWindow), start - 1, direction),
      ...counts,
    });
  }

  async function runSession(
    session: CycleView,
    lastTrial: number,
    trigger: MetaSessionRecord['trigger'],
  ): Promise<void> {
    const sessionId = `m${lastTrial}`;
    const stored = metaTrials(database, run.id);
    const diagnosis = diagnoseTrace(stored.map(toTrialRecordView), {
      direction,
      params: task.params.map((param) => param.name),
      activity: composed.activity(),
      plateauThreshold: settings.metaPlateau,
    });
    const base = {
      id: sessionId,
      runId: run.id,
      afterTrial: lastTrial,
      mode,
      trigger,
      diagnosis,
      createdAt: new Date().toISOString(),
    } as const;
    const inRun = new Set([...composed.activity().map((item) => item.name), ...lifecycle.map((item) => item.name)]);
    let record: MetaSessionRecord;
    let runtime: MechanismRuntime | undefined;
    let origin: MechanismLifecycle['origin'] = 'generated';
    try {
      if (!model) {
        const pick = selectOffline(diagnosis, listLibrary(stateDir), inRun);
        record = pick
          ? {
              ...base,
              rounds: [],
              chosen: pick,
              attempts: [],
              outcome: 'activated',
              mechanism: pick.name,
              detail: pick.reason,
            }
          : {
              ...base,
              rounds: [],
              chosen: null,
              attempts: [],
              outcome: 'no-selection',
              mechanism: null,
              detail: `nothing unused matches the symptoms (${diagnosis.symptoms.join(', ') || 'none'})`,
            };
        if (pick) {
          origin = pick.origin;
          runtime = await loadLifecycleRuntime(stateDir, pick);
        }
      } else {
        session.onProgress({
          type: 'note',
          message: `level 2 session ${sessionId} (llm, ${trigger}): researching (explore, critique, specify, generate)…`,
        });
        const library = listLibrary(stateDir);
        const trace = gateTrace(database, run, task, stored);
        const reserved = [...Object.keys(builtinMechanisms), ...library.map((entry) => entry.name), ...inRun];
        const result = await runResearchSession({
          model,
          task: `${task.definition.name}: ${task.definition.description}`,
          diagnosis,
          library: formatLibrary(library, [...inRun], stateDir),
          reservedNames: [...new Set(reserved)],
          repairAttempts: settings.repairAttempts,
          seed: run.config.seed + lastTrial,
          ...(session.signal === undefined ? {} : { signal: session.signal }),
          gate: async (source) => {
            const report = await runGate(source, { trace, origin: 'generated' });
            const name = report.mechanism?.name;
            const stored = library.find((entry) => entry.name === name);
            const taken =
              name !== undefined &&
              (Object.hasOwn(builtinMechanisms, name) ||
                inRun.has(name) ||
                (stored !== undefined && stored.provenance.sourceSha256 !== sha256(source)));
            if (!taken) return report;
            const problem = `name: "${name}" is taken (a built-in, a library entry or a mechanism in this run); choose another name`;
            return { ...report, ok: false, problems: [...report.problems, problem] };
          },
        });
        const outcome = result.outcome === 'passed' ? 'activated' : result.outcome;
        record = {
          ...base,
          rounds: result.rounds,
          chosen: result.chosen,
          attempts: result.attempts,
          outcome,
          mechanism: result.mechanism,
          detail: result.detail,
        };
        if (result.outcome === 'passed' && result.source && result.report && result.mechanism) {
          addToLibrary(stateDir, result.source, result.report, {
            origin: 'generated',
            source: { runId: run.id, sessionId },
            evidence: {
              targets: targetSymptoms(result.targets, diagnosis),
              targetText: result.targets,
              gateDecisionsChanged: result.report.replay?.decisionsChanged ?? 0,
              diagnosis: { symptoms: diagnosis.symptoms, afterTrial: lastTrial },
            },
          });
          runtime = await loadLibraryRuntime(stateDir, result.mechanism);
        }
      }
    } catch (error) {
      // A session that breaks unexpectedly (the sandbox will not start, the library cannot be written) is a
      // recorded outcome; the run goes on. Stopping (Ctrl-C, an LLM cap) still stops the run.
      if (isRunStop(error, session.signal)) throw error;
      await runtime?.dispose();
      runtime = undefined;
      record = {
        ...base,
        rounds: [],
        chosen: null,
        attempts: [],
        outcome: 'failed',
        mechanism: null,
        detail: `the session stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const created: MechanismLifecycle[] = [];
    if (runtime) {
      const config = composed.activate(runtime);
      await rebuildState(runtime, gateTrace(database, run, task, listTrialsInRecordOrder(database, run.id)), config);
      const entry: MechanismLifecycle = {
        runId: run.id,
        name: runtime.name,
        origin,
        sessionId,
        activationOrder: lifecycle.length,
        activatedAtTrial: lastTrial,
        retiredAtTrial: null,
        reason: null,
        probation: null,
      };
      created.push(entry);
    }
    // The session becomes durable here, all at once; a kill before this line re-runs it from scratch on resume.
    recordMetaSession(database, record, created);
    lifecycle.push(...created);
    done.add(lastTrial);
    session.onProgress({
      type: 'note',
      message: `level 2 session ${sessionId} (${mode}, ${trigger}): ${record.outcome}${
        record.mechanism ? ` ${record.mechanism}` : ''
      } — ${record.detail}`,
    });
  }

  return {
    mode,
    modeLine: model ? `meta level: llm (${model.provider}:${model.modelId}, role research)` : offlineModeLine,
    isDue,
    runDue,
  };
}

/** The diagnosis's symptom names that a candidate's "targets" text mentions; its first symptom when none. */
function targetSymptoms(text: string, diagnosis: TraceDiagnosis): string[] {
  const lower = text.toLowerCase();
  const named = symptomNames.filter((symptom) => lower.includes(symptom) || lower.includes(symptom.replace('-', ' ')));
  return named.length > 0 ? named : diagnosis.symptoms.slice(0, 1);
}
