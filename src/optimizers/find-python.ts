// Finds a Python that can import Optuna: the one --python names, else python3 on PATH, then /usr/bin/python3.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { sha256 } from '../core/hash.js';
import type { OptunaSampler } from '../records/proposer-spec.js';

/** The sidecar script shipped with bilevel (data, like the prompts: its hash is recorded with the run). */
export const sidecarScript = fileURLToPath(new URL('./optuna-sidecar.py', import.meta.url));

/** The script's SHA-256, recorded with every run that uses it. */
export function sidecarHash(): string {
  return sha256(readFileSync(sidecarScript, 'utf8'));
}

const probeSchema = z.object({
  ok: z.boolean(),
  python: z.string(),
  executable: z.string(),
  error: z.string().optional(),
  optuna: z.string().optional(),
  /** Sampler → null when it can run, or why it cannot. */
  samplers: z.record(z.string(), z.string().nullable()).optional(),
});

/** What one interpreter said about itself: its version, and Optuna's with the samplers that can run, or why not. */
export interface PythonProbe {
  /** The command as given (`python3`, `/usr/bin/python3`, `--python`'s path). */
  readonly command: string;
  /** The interpreter's own path and version, when it ran. */
  readonly executable?: string;
  readonly pythonVersion?: string;
  readonly optunaVersion?: string;
  /** Why this interpreter cannot run Optuna at all (absent when it can). */
  readonly problem?: string;
  /** Per sampler: null when it can run, else why not. Empty when Optuna is missing. */
  readonly samplers: Readonly<Partial<Record<OptunaSampler, string | null>>>;
}

/** Where bilevel looked, and the interpreter it will use (the first that imports Optuna), if any. */
export interface PythonSearch {
  readonly chosen?: PythonProbe;
  /** Every interpreter tried, in order. */
  readonly tried: readonly PythonProbe[];
}

/** The interpreters to try: the explicit one alone, else python3 on PATH, then Debian's /usr/bin/python3. */
export function pythonCandidates(explicit: string | undefined): string[] {
  return explicit === undefined ? ['python3', '/usr/bin/python3'] : [explicit];
}

const probes = new Map<string, PythonProbe>();

/** Runs the sidecar's `--probe` with `command` (once per process and command). */
export function probePython(command: string): PythonProbe {
  const cached = probes.get(command);
  if (cached) return cached;
  const result = spawnSync(command, [sidecarScript, '--probe'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' },
  });
  const probe = readProbe(command, result);
  probes.set(command, probe);
  return probe;
}

function readProbe(command: string, result: ReturnType<typeof spawnSync>): PythonProbe {
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return { command, samplers: {}, problem: code === 'ENOENT' ? 'not found' : result.error.message };
  }
  const line =
    String(result.stdout ?? '')
      .trim()
      .split('\n')
      .at(-1) ?? '';
  let parsed: z.infer<typeof probeSchema>;
  try {
    parsed = probeSchema.parse(JSON.parse(line));
  } catch {
    const stderr =
      String(result.stderr ?? '')
        .trim()
        .split('\n')
        .at(-1) ?? '';
    return {
      command,
      samplers: {},
      problem: `its probe failed (exit ${result.status}): ${stderr || line || 'no output'}`,
    };
  }
  const base = { command, executable: parsed.executable, pythonVersion: parsed.python };
  if (!parsed.ok || parsed.optuna === undefined) {
    return { ...base, samplers: {}, problem: `cannot import optuna (${parsed.error ?? 'unknown error'})` };
  }
  return { ...base, optunaVersion: parsed.optuna, samplers: parsed.samplers ?? {} };
}

/** Tries each candidate in order and picks the first that imports Optuna. */
export function findOptunaPython(explicit: string | undefined): PythonSearch {
  const tried: PythonProbe[] = [];
  for (const command of pythonCandidates(explicit)) {
    const probe = probePython(command);
    tried.push(probe);
    if (probe.problem === undefined) return { chosen: probe, tried };
  }
  return { tried };
}
