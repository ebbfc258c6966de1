// The executor contract: run one trial's program somewhere and report what happened. Local now, a queue later.

/**
 * How a program is jailed (bubblewrap on Linux). Everything is described by absolute host paths, so a remote worker
 * that holds the same folders can build the same jail. What is not named here is visible read-only.
 */
export interface JailSpec {
  /** Folders replaced by an empty, private, writable tmpfs: the homes, the state dir, /run. */
  masked: readonly string[];
  /** Host folder mounted as the program's /tmp (private to this execution). */
  tmp: string;
  /** Paths under a masked folder that stay visible, read-only (the Node binary, the bilevel package). */
  readable: readonly string[];
  /** Paths the program may write: its working copy, its output folder, the shared cache. */
  writable: readonly string[];
  /** Paths inside a writable one that stay read-only (the working copy's .git, the output folder for an evaluator). */
  readOnly: readonly string[];
  /** Paths replaced by an empty placeholder nobody in the jail may read (the task's hidden files); absent ones skip. */
  hidden: readonly string[];
  /** false: its own network namespace, loopback only. */
  network: boolean;
  /** Device nodes passed through as they are (GPUs: /dev/nvidia*, /dev/dri, /dev/kfd). */
  devices: readonly string[];
}

/**
 * A second program run beside the main one for as long as it runs, each in its own jail: e.g. the edited model,
 * served to a protected evaluator that queries it. The two talk over two pipes: each reads fd 3 and writes fd 4.
 */
export interface CompanionRequest {
  /** argv, placeholders already expanded. */
  command: readonly string[];
  /** Its whole environment. */
  env: Readonly<Record<string, string>>;
  /** Its jail; absent: it runs unjailed. */
  jail?: JailSpec;
  /** Where its stdout and stderr go (never parsed, never shown to a model). */
  logPath: string;
}

export interface ExecutionRequest {
  /** argv, placeholders already expanded. */
  command: readonly string[];
  /** Working directory (the run's private working copy). */
  cwd: string;
  /** The program's whole environment (an allowlist built by the loop; nothing else of bilevel's is passed). */
  env: Readonly<Record<string, string>>;
  /** Hard wall-clock limit in seconds; past it the whole process tree is killed. */
  timeoutSeconds: number;
  /** Where stdout and stderr are written, interleaved as they arrive (all of it). */
  logPath: string;
  /** The jail to run in; absent: unjailed, as a process group of this user. */
  jail?: JailSpec;
  /** A program to run beside this one, connected to it by pipes (see CompanionRequest). */
  companion?: CompanionRequest;
  /** Aborts the execution (Ctrl-C): the process tree is killed. */
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
  /** The last ~4 KiB of stdout and stderr interleaved (for crash reasons and fix prompts); the log has everything. */
  logTail: string;
  /** stdout's `key: value` lines, read as they arrived: the last value per key (bounded; see summary-lines.ts). */
  summary: Readonly<Record<string, string>>;
  /** Why it failed to start, for `spawn-failed`. */
  error?: string;
}

export interface Executor {
  readonly specificationVersion: 'executor-v1';
  readonly name: string;
  execute(request: ExecutionRequest): Promise<ExecutionResult>;
}
