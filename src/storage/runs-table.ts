// The `runs` table: one row per run, its configuration and lifecycle state.
import { BilevelError } from '../core/errors.js';
import { type RunConfig, runConfigSchema } from '../records/run-config.js';
import type { RunRecord, RunState } from '../records/run-record.js';
import type { TrialIsolation } from '../records/trial-isolation.js';
import type { Database } from './database.js';

interface RunRow {
  id: string;
  task_name: string;
  metric_name: string;
  metric_direction: 'minimize' | 'maximize';
  config_json: string;
  state: RunState;
  state_reason: string;
  work_dir: string;
  branch: string;
  baseline_commit: string;
  protected_hashes_json: string;
  prompt_hashes_json: string;
  pid: number | null;
  created_at: string;
  updated_at: string;
}

function fromRow(row: RunRow): RunRecord {
  return {
    id: row.id,
    taskName: row.task_name,
    metric: { name: row.metric_name, direction: row.metric_direction },
    config: runConfigSchema.parse(JSON.parse(row.config_json)),
    state: row.state,
    stateReason: row.state_reason,
    workDir: row.work_dir,
    branch: row.branch,
    baselineCommit: row.baseline_commit,
    protectedHashes: JSON.parse(row.protected_hashes_json),
    promptHashes: JSON.parse(row.prompt_hashes_json),
    pid: row.pid,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function insertRun(database: Database, run: Omit<RunRecord, 'updatedAt'>): void {
  database
    .prepare(
      `INSERT INTO runs (id, task_name, metric_name, metric_direction, config_json, state, state_reason, work_dir, branch, baseline_commit,
         protected_hashes_json, prompt_hashes_json, pid, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      run.id,
      run.taskName,
      run.metric.name,
      run.metric.direction,
      JSON.stringify(run.config),
      run.state,
      run.stateReason,
      run.workDir,
      run.branch,
      run.baselineCommit,
      JSON.stringify(run.protectedHashes),
      JSON.stringify(run.promptHashes),
      run.pid,
      run.createdAt,
      run.createdAt,
    );
}

export function findRun(database: Database, id: string): RunRecord | undefined {
  const row = database.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** The run, or a RUN_NOT_FOUND error that lists where to look. */
export function getRun(database: Database, id: string): RunRecord {
  const run = findRun(database, id);
  if (!run) {
    throw new BilevelError('RUN_NOT_FOUND', `no run with id ${id} in this state dir`, {
      hint: '`bilevel status` lists the runs; pass --state-dir if the run lives elsewhere',
    });
  }
  return run;
}

export function listRuns(database: Database): RunRecord[] {
  const rows = database.prepare('SELECT * FROM runs ORDER BY created_at, id').all() as RunRow[];
  return rows.map(fromRow);
}

export function updateRunState(
  database: Database,
  id: string,
  state: RunState,
  stateReason: string,
  pid: number | null,
): void {
  database
    .prepare('UPDATE runs SET state = ?, state_reason = ?, pid = ?, updated_at = ? WHERE id = ?')
    .run(state, stateReason, pid, new Date().toISOString(), id);
}

/**
 * Takes the run for this process, atomically: in one write transaction, the run is refused (`holder` is returned)
 * while another live process drives it; otherwise it is marked `running` with this process's id. Two `resume`s at
 * once cannot both pass: the second sees the first's id. `isAlive` tells a live driver from a dead one.
 */
export function claimRun(
  database: Database,
  id: string,
  pid: number,
  isAlive: (pid: number) => boolean,
): { claimed: true; previous: Pick<RunRecord, 'state' | 'stateReason'> } | { claimed: false; holder: number } {
  return database
    .transaction(() => {
      const row = database.prepare('SELECT state, state_reason, pid FROM runs WHERE id = ?').get(id) as
        | Pick<RunRow, 'state' | 'state_reason' | 'pid'>
        | undefined;
      if (!row) return { claimed: false as const, holder: -1 };
      if (row.state === 'running' && row.pid !== null && row.pid !== pid && isAlive(row.pid)) {
        return { claimed: false as const, holder: row.pid };
      }
      database
        .prepare("UPDATE runs SET state = 'running', pid = ?, updated_at = ? WHERE id = ?")
        .run(pid, new Date().toISOString(), id);
      return { claimed: true as const, previous: { state: row.state, stateReason: row.state_reason } };
    })
    .immediate();
}

export function updateRunConfig(database: Database, id: string, config: RunConfig): void {
  database
    .prepare('UPDATE runs SET config_json = ?, updated_at = ? WHERE id = ?')
    .run(JSON.stringify(config), new Date().toISOString(), id);
}

export function updatePromptHashes(database: Database, id: string, promptHashes: Record<string, string>): void {
  database.prepare('UPDATE runs SET prompt_hashes_json = ? WHERE id = ?').run(JSON.stringify(promptHashes), id);
}

/** Records how the current session isolates the run's trials. */
export function setRunIsolation(database: Database, id: string, isolation: TrialIsolation): void {
  database.prepare('UPDATE runs SET isolation_json = ? WHERE id = ?').run(JSON.stringify(isolation), id);
}

/** How the run's last session isolated its trials; null for runs from before isolation was recorded. */
export function getRunIsolation(database: Database, id: string): TrialIsolation | null {
  const row = database.prepare('SELECT isolation_json FROM runs WHERE id = ?').get(id) as
    | { isolation_json: string | null }
    | undefined;
  return row?.isolation_json ? (JSON.parse(row.isolation_json) as TrialIsolation) : null;
}
