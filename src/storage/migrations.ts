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
];
