// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.

export const migrations: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    task_name TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    metric_direction TEXT NOT NULL CHECK (metric_direction IN ('minimize', 'maximize')),
    config_json TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'interrupted', 'failed')),
    state_reason TEXT NOT NULL DEFAULT '',
    work_dir TEXT NOT NULL,
    branch TEXT NOT NULL,
    baseline_commit TEXT NOT NULL,
    protected_hashes_json TEXT NOT NULL,
    prompt_hashes_json TEXT NOT NULL DEFAULT '{}',
    pid INTEGER,
    trial_pgid INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE trials (
    run_id TEXT NOT NULL REFERENCES runs(id),
    idx INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('keep', 'discard', 'crash', 'timeout', 'rejected')),
    metric REAL,
    parent INTEGER NOT NULL,
    commit_sha TEXT,
    values_json TEXT NOT NULL,
    changed_json TEXT NOT NULL,
    summary TEXT NOT NULL,
    reason TEXT NOT NULL,
    proposal_json TEXT,
    attempts_json TEXT NOT NULL DEFAULT '[]',
    confirmations_json TEXT NOT NULL DEFAULT '[]',
    diff TEXT NOT NULL DEFAULT '',
    log_path TEXT,
    wall_seconds REAL,
    peak_memory_mb REAL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    PRIMARY KEY (run_id, idx)
  );

  CREATE TABLE llm_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES runs(id),
    trial_idx INTEGER,
    role TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    cost_usd REAL NOT NULL,
    ok INTEGER NOT NULL,
    error TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX llm_calls_by_run ON llm_calls(run_id);

  CREATE TABLE mechanism_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES runs(id),
    trial_idx INTEGER NOT NULL,
    mechanism TEXT NOT NULL,
    kind TEXT NOT NULL,
    hook TEXT,
    before_json TEXT,
    after_json TEXT,
    detail TEXT
  );
  CREATE INDEX mechanism_events_by_run ON mechanism_events(run_id, trial_idx);

  CREATE TABLE mechanism_activity (
    run_id TEXT NOT NULL REFERENCES runs(id),
    name TEXT NOT NULL,
    activity_json TEXT NOT NULL,
    PRIMARY KEY (run_id, name)
  );

  CREATE TABLE settings_snapshots (
    run_id TEXT NOT NULL REFERENCES runs(id),
    cycle INTEGER NOT NULL,
    after_trial INTEGER NOT NULL,
    snapshot_json TEXT NOT NULL,
    PRIMARY KEY (run_id, cycle)
  );
  `,
  // Ablation studies (`bilevel ablate`): a study's definition, and which run is each group × repeat.
  `
  CREATE TABLE studies (
    id TEXT PRIMARY KEY,
    definition_json TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE study_runs (
    study_id TEXT NOT NULL REFERENCES studies(id),
    group_name TEXT NOT NULL,
    repeat_index INTEGER NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs(id),
    drive_seconds REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (study_id, group_name, repeat_index)
  );
  `,
  `
  CREATE TABLE meta_sessions (
    id TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs(id),
    after_trial INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('llm', 'offline')),
    trigger TEXT NOT NULL,
    diagnosis_json TEXT NOT NULL,
    rounds_json TEXT NOT NULL,
    chosen_json TEXT,
    attempts_json TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('activated', 'no-selection', 'refused', 'inert', 'failed')),
    mechanism TEXT,
    detail TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, id)
  );
  CREATE UNIQUE INDEX meta_sessions_by_boundary ON meta_sessions(run_id, after_trial);

  CREATE TABLE mechanism_lifecycle (
    run_id TEXT NOT NULL REFERENCES runs(id),
    name TEXT NOT NULL,
    origin TEXT NOT NULL,
    session_id TEXT,
    activation_order INTEGER NOT NULL,
    activated_at_trial INTEGER NOT NULL,
    retired_at_trial INTEGER,
    reason TEXT,
    probation_json TEXT,
    PRIMARY KEY (run_id, name)
  );
  `,
  // Many trials at once: trials in flight (so a resume runs them again as proposed), each local slot's process
  // group, the order trials were recorded in (observers saw them in that order) and who ran each.
  `
  CREATE TABLE pending_trials (
    run_id TEXT NOT NULL REFERENCES runs(id),
    idx INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    worker TEXT NOT NULL,
    parent INTEGER NOT NULL,
    parent_commit TEXT NOT NULL,
    proposal_json TEXT NOT NULL,
    values_json TEXT NOT NULL,
    changed_json TEXT NOT NULL,
    attempts_json TEXT NOT NULL,
    in_flight_json TEXT NOT NULL DEFAULT '[]',
    started_at TEXT NOT NULL,
    PRIMARY KEY (run_id, idx)
  );

  CREATE TABLE slot_processes (
    run_id TEXT NOT NULL REFERENCES runs(id),
    slot INTEGER NOT NULL,
    process_group INTEGER NOT NULL,
    PRIMARY KEY (run_id, slot)
  );

  ALTER TABLE trials ADD COLUMN seq INTEGER;
  UPDATE trials SET seq = idx;
  CREATE INDEX trials_by_seq ON trials(run_id, seq);
  ALTER TABLE trials ADD COLUMN worker TEXT;
  ALTER TABLE trials ADD COLUMN in_flight_json TEXT NOT NULL DEFAULT '[]';
  `,
  // How the last session of a run isolated its trials: {"mode":"jail"} or {"mode":"none","reason":"…"}.
  `
  ALTER TABLE runs ADD COLUMN isolation_json TEXT;
  `,
  // Which proposer made each trial (llm, random, optuna:tpe, mechanism:NAME, …); null for the baseline and for
  // trials recorded before proposers were recorded; and of each trial in flight.
  `
  ALTER TABLE trials ADD COLUMN proposer TEXT;
  ALTER TABLE pending_trials ADD COLUMN proposer TEXT;
  `,
];
