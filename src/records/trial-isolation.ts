// How a session's trials are isolated: in a jail, or unjailed and why (said at start, in status and in the report).

export type TrialIsolation = { mode: 'jail' } | { mode: 'none'; reason: string };
