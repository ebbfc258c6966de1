// Level 2 records: one row per meta session (everything it saw and said) and each injected mechanism's lifecycle.
import type { Database } from './database.js';

/** One LLM round of a research session: the exact prompt, its hash, and the validated reply. */
export interface MetaRound {
  /** `explore`, `critique`, `specify`, `generate`, or `repair-N`. */
  readonly round: string;
  /** Hex SHA-256 of the prompt text (system + user). */
  readonly promptSha256: string;
  readonly prompt: string;
  /** The validated reply, or null when none was usable. */
  readonly reply: unknown;
  /** Why no reply was usable; absent when one was. */
  readonly error?: string;
}

/** One trip of a module through the gate (the first one, then each repair). */
export interface MetaAttempt {
  readonly attempt: number;
  readonly sourceSha256: string;
  readonly source: string;
  /** The gate report without the compiled script. */
  readonly gate: unknown;
}

export type MetaOutcome = 'activated' | 'no-selection' | 'refused' | 'inert' | 'failed';

export interface MetaSessionRecord {
  readonly id: string;
  readonly runId: string;
  /** The trial boundary it ran at: after this trial, before the next. */
  readonly afterTrial: number;
  readonly mode: 'llm' | 'offline';
  /** Why it ran: `cadence` (every M-th outer cycle) or `plateau`. */
  readonly trigger: 'cadence' | 'plateau';
  readonly diagnosis: unknown;
  readonly rounds: readonly MetaRound[];
  /** The selected candidate (LLM) or the picked mechanism with its matching reason (offline); null when none. */
  readonly chosen: unknown;
  readonly attempts: readonly MetaAttempt[];
  readonly outcome: MetaOutcome;
  /** The mechanism activated, refused or flagged; null when none was written. */
  readonly mechanism: string | null;
  /** One line for people: why this outcome. */
  readonly detail: string;
  readonly createdAt: string;
}

/** What Level 2 recorded about one mechanism it put into the run. */
export interface MechanismLifecycle {
  readonly runId: string;
  readonly name: string;
  readonly origin: 'builtin' | 'library' | 'generated';
  /** The meta session that activated it. */
  readonly sessionId: string | null;
  /** 0 for the first mechanism Level 2 activated in the run, then 1, 2, … (resume re-activates in this order). */
  readonly activationOrder: number;
  /** Activated after this trial (it first decides trial activatedAtTrial + 1). */
  readonly activatedAtTrial: number;
  retiredAtTrial: number | null;
  reason: string | null;
  /** Probation windows and the verdict (see meta/probation.ts). */
  probation: unknown;
}

/** Writes a finished session and the lifecycle rows it creates or changes, in one transaction. */
export function recordMetaSession(
  database: Database,
  session: MetaSessionRecord,
  lifecycle: readonly MechanismLifecycle[] = [],
): void {
  database.transaction(() => {
    database
      .prepare(
        `INSERT INTO meta_sessions (id, run_id, after_trial, mode, trigger, diagnosis_json, rounds_json, chosen_json,
           attempts_json, outcome, mechanism, detail, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        session.id,
        session.runId,
        session.afterTrial,
        session.mode,
        session.trigger,
        JSON.stringify(session.diagnosis),
        JSON.stringify(session.rounds),
        session.chosen === null ? null : JSON.stringify(session.chosen),
        JSON.stringify(session.attempts),
        session.outcome,
        session.mechanism,
        session.detail,
        session.createdAt,
      );
    for (const entry of lifecycle) saveLifecycle(database, entry);
  })();
}

/** Inserts or replaces one lifecycle row (activation, a probation verdict, a retirement). */
export function saveLifecycle(database: Database, entry: MechanismLifecycle): void {
  database
    .prepare(
      `INSERT INTO mechanism_lifecycle (run_id, name, origin, session_id, activation_order, activated_at_trial,
         retired_at_trial, reason, probation_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name) DO UPDATE SET retired_at_trial = excluded.retired_at_trial,
         reason = excluded.reason, probation_json = excluded.probation_json`,
    )
    .run(
      entry.runId,
      entry.name,
      entry.origin,
      entry.sessionId,
      entry.activationOrder,
      entry.activatedAtTrial,
      entry.retiredAtTrial,
      entry.reason,
      entry.probation === undefined || entry.probation === null ? null : JSON.stringify(entry.probation),
    );
}

/** The run's meta sessions, oldest first. */
export function listMetaSessions(database: Database, runId: string): MetaSessionRecord[] {
  const rows = database
    .prepare('SELECT * FROM meta_sessions WHERE run_id = ? ORDER BY after_trial')
    .all(runId) as Record<string, unknown>[];
  return rows.map((row) => ({
    id: row.id as string,
    runId: row.run_id as string,
    afterTrial: row.after_trial as number,
    mode: row.mode as MetaSessionRecord['mode'],
    trigger: row.trigger as MetaSessionRecord['trigger'],
    diagnosis: JSON.parse(row.diagnosis_json as string),
    rounds: JSON.parse(row.rounds_json as string),
    chosen: row.chosen_json === null ? null : JSON.parse(row.chosen_json as string),
    attempts: JSON.parse(row.attempts_json as string),
    outcome: row.outcome as MetaOutcome,
    mechanism: (row.mechanism as string | null) ?? null,
    detail: row.detail as string,
    createdAt: row.created_at as string,
  }));
}

/** Every mechanism Level 2 activated in the run, in activation order. */
export function listLifecycle(database: Database, runId: string): MechanismLifecycle[] {
  const rows = database
    .prepare('SELECT * FROM mechanism_lifecycle WHERE run_id = ? ORDER BY activation_order')
    .all(runId) as Record<string, unknown>[];
  return rows.map((row) => ({
    runId: row.run_id as string,
    name: row.name as string,
    origin: row.origin as MechanismLifecycle['origin'],
    sessionId: (row.session_id as string | null) ?? null,
    activationOrder: row.activation_order as number,
    activatedAtTrial: row.activated_at_trial as number,
    retiredAtTrial: (row.retired_at_trial as number | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    probation: row.probation_json === null ? null : JSON.parse(row.probation_json as string),
  }));
}

/** A mechanism's changed decisions and strikes on trials from..to (inclusive), from the run's event log. */
export function countMechanismEventsInWindow(
  database: Database,
  runId: string,
  mechanism: string,
  from: number,
  to: number,
): { decisionsChanged: number; strikes: number } {
  const rows = database
    .prepare(
      `SELECT kind, COUNT(*) AS n FROM mechanism_events
       WHERE run_id = ? AND mechanism = ? AND trial_idx BETWEEN ? AND ? GROUP BY kind`,
    )
    .all(runId, mechanism, from, to) as { kind: string; n: number }[];
  const count = (kind: string) => rows.find((row) => row.kind === kind)?.n ?? 0;
  return { decisionsChanged: count('decision-changed'), strikes: count('strike') };
}

/** A meta session without its texts: what a list of sessions shows (the rounds and attempts counted, not read). */
export interface MetaSessionSummary {
  readonly id: string;
  readonly afterTrial: number;
  readonly mode: MetaSessionRecord['mode'];
  readonly trigger: MetaSessionRecord['trigger'];
  readonly outcome: MetaOutcome;
  readonly mechanism: string | null;
  readonly detail: string;
  readonly createdAt: string;
  /** LLM rounds and gate attempts the session holds. */
  readonly rounds: number;
  readonly attempts: number;
}

/** The run's meta sessions, oldest first, without reading their prompts, replies and sources. */
export function listMetaSessionSummaries(database: Database, runId: string): MetaSessionSummary[] {
  return database
    .prepare(
      `SELECT id, after_trial AS afterTrial, mode, trigger, outcome, mechanism, detail, created_at AS createdAt,
         json_array_length(rounds_json) AS rounds, json_array_length(attempts_json) AS attempts
       FROM meta_sessions WHERE run_id = ? ORDER BY after_trial`,
    )
    .all(runId) as MetaSessionSummary[];
}
