// A slot: one trial runs in it at a time, in its own working copy (slot 0 the run's `work/`, the others git
// worktrees of it), with its own environment (a GPU per slot, or whatever `--slot-env` sets).
import { join } from 'node:path';
import { GitWorkspace } from './git-workspace.js';
import type { RunPaths } from './run-paths.js';

export interface TrialSlot {
  /** 0, 1, … (slot 0 is the run's main working copy). */
  readonly id: number;
  readonly workspace: GitWorkspace;
  /** Variables this slot's trials get on top of the run's (CUDA_VISIBLE_DEVICES, `--slot-env`). */
  readonly env: Readonly<Record<string, string>>;
  /** How the record names who ran a trial: `local slot 2`. */
  readonly worker: string;
}

export interface SlotSettings {
  /** How many trials may run at once. */
  readonly workers: number;
  /** GPU ids, one per slot: slot k gets CUDA_VISIBLE_DEVICES=<gpus[k]>. */
  readonly gpus?: readonly string[];
  /** `NAME=template` entries; `{slot}` becomes the slot number and `{gpu}` its GPU id. */
  readonly slotEnv?: readonly string[];
}

/** The working copy of slot `id` (> 0) inside the run's folder. */
export function slotDirectory(paths: RunPaths, id: number): string {
  return id === 0 ? paths.work : join(paths.root, 'slots', String(id));
}

/** Opens (making where missing) the run's slots, each detached at `commit`. */
export async function openSlots(paths: RunPaths, settings: SlotSettings, commit: string): Promise<TrialSlot[]> {
  const main = new GitWorkspace(paths.work);
  const slots: TrialSlot[] = [];
  for (let id = 0; id < settings.workers; id++) {
    const workspace = id === 0 ? main : await main.addWorktree(slotDirectory(paths, id), commit);
    await workspace.removeStaleLock();
    if (id === 0) await workspace.detach();
    await workspace.resetTo(commit);
    slots.push({ id, workspace, env: slotEnvironment(settings, id), worker: `local slot ${id}` });
  }
  return slots;
}

/** The variables slot `id` adds to its trials' environment. */
export function slotEnvironment(settings: SlotSettings, id: number): Record<string, string> {
  const gpu = settings.gpus?.[id];
  const env: Record<string, string> = gpu === undefined ? {} : { CUDA_VISIBLE_DEVICES: gpu };
  for (const entry of settings.slotEnv ?? []) {
    const equals = entry.indexOf('=');
    const name = entry.slice(0, equals);
    env[name] = entry
      .slice(equals + 1)
      .replaceAll('{slot}', String(id))
      .replaceAll('{gpu}', gpu ?? '');
  }
  return env;
}
