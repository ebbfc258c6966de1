// The executor contract: run one trial's command somewhere and report what happened. Local now, a queue later.

export interface ExecutionRequest {
  /** argv, placeholders already expanded. */
  command: readonly string[];
  /** Working directory (the run's private working copy). */
  cwd: string;
  /** Extra environment variables (budget, seed, cache dir, …). */
  env: Readonly<Record<string, string>>;
  /** Hard wall-clock limit in seconds; past it the whole process group is killed. */
  timeoutSeconds: number;
  /** Where stdout and stderr are written, interleaved as they arrive. */
  logPath: string;
  /** Aborts the execution (Ctrl-C): the process group is killed. */
  signal?: AbortSignal;
  /** Told the process group id as soon as the program starts (so a crash of the caller can clean it up later). */
  onSpawn?: (processGroupId: number) => void;
}

export interface ExecutionResult {
  /** `exited`: the process ended by itself (any code); `timeout`: killed at the limit; `aborted`: killed by the signal; `spawn-failed`: never started. */
  kind: 'exited' | 'timeout' | 'aborted' | 'spawn-failed';
  /** Exit code, or null when killed by a signal. */
  exitCode: number | null;
  /** The signal that ended it, if any. */
  exitSignal: string | null;
  /** Wall time in seconds. */
  wallSeconds: number;
  /** Peak resident memory of the process group in MiB, sampled; null when not measurable here. */
  peakMemoryMb: number | null;
  /** The last ~4 KiB of the log (for crash reasons and fix prompts). */
  logTail: string;
  /** stdout and stderr interleaved, capped at 1 MiB (the log file has everything). */
  output: string;
  /** stdout alone, capped at 1 MiB: where `name: value` metric lines are read from. */
  stdout: string;
  /** Why it failed to start, for `spawn-failed`. */
  error?: string;
}

export interface Executor {
  readonly specificationVersion: 'executor-v1';
  readonly name: string;
  execute(request: ExecutionRequest): Promise<ExecutionResult>;
}
