// One step of a trial (prepare, train, evaluate, serve) as an execution request: its command, environment and jail,
// built from the task and the run settings in this one place.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ExecutionRequest, JailSpec } from '../executor/executor.js';
import { gpuDevices } from '../executor/gpu-devices.js';
import { packageRoot } from '../task/package-root.js';
import { isExternalPath, resolveExternalPath, type TaskRoots } from '../task/task-paths.js';
import { trialEnvironment } from '../task/trial-environment.js';
import { expandCommand } from './expand-command.js';
import { executionSeed } from './live-context.js';
import type { RunSession } from './run-session.js';

/**
 * `prepare`: once per session, may write {data} and {cache}; `train`: the task's command, writes its working copy,
 * output folder and the cache, cannot see hidden paths; `evaluate`: the protected evaluator, sees everything, writes
 * nothing; `serve`: the editable side the evaluator queries, sees what training saw, writes nothing.
 */
export type TrialStep = 'prepare' | 'train' | 'evaluate' | 'serve';

export type StepSession = Pick<RunSession, 'config' | 'task' | 'paths' | 'isolation'>;

export interface StepPlace {
  /** The trial (null for prepare). */
  trialIndex: number | null;
  /** 0 first, 1+ confirmation re-runs. */
  execution: number;
  /** The working copy the step runs in: its slot's (slot 0 is the run's own; prepare runs there). */
  work: string;
  /** The slot's own variables (CUDA_VISIBLE_DEVICES, `--slot-env`). */
  slotEnv: Readonly<Record<string, string>>;
  /** The trial's output folder (BILEVEL_OUTPUT_DIR); null for prepare. */
  output: string | null;
  /** This step's private temp folder (the jail's /tmp; TMPDIR unjailed); the caller creates and removes it. */
  tmp: string;
}

export function taskRoots(session: Pick<RunSession, 'paths'>): TaskRoots {
  return { cache: session.paths.cache, data: session.paths.data, package: packageRoot(), home: homedir() };
}

/** The request for `step`, but for where its log goes and the run's signal. */
export function stepRequest(
  session: StepSession,
  step: TrialStep,
  place: StepPlace,
): Pick<ExecutionRequest, 'command' | 'cwd' | 'env' | 'timeoutSeconds' | 'jail'> {
  const { definition } = session.task;
  const jailed = session.isolation.mode === 'jail';
  const command =
    step === 'prepare'
      ? definition.prepare?.command
      : step === 'evaluate'
        ? definition.evaluate?.command
        : step === 'serve'
          ? definition.evaluate?.serve
          : definition.command;
  if (!command) throw new RangeError(`the task has no ${step} step`);
  const timeoutSeconds =
    step === 'prepare'
      ? (definition.prepare?.timeoutSeconds ?? 600)
      : step === 'train'
        ? session.config.timeoutSeconds
        : (definition.evaluate?.timeoutSeconds ?? 120);
  const tmp = jailed ? '/tmp' : place.tmp;
  const loop: Record<string, string> = {
    ...place.slotEnv,
    BILEVEL_STEP: step,
    BILEVEL_BUDGET_SECONDS: String(session.config.budgetSeconds),
    BILEVEL_CACHE_DIR: session.paths.cache,
    BILEVEL_DATA_DIR: session.paths.data,
    BILEVEL_PACKAGE_ROOT: packageRoot(),
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
  };
  if (place.trialIndex !== null) {
    loop.BILEVEL_SEED = String(executionSeed(session.config.seed, place.trialIndex, place.execution));
    loop.BILEVEL_TRIAL = String(place.trialIndex);
  }
  if (place.output !== null) loop.BILEVEL_OUTPUT_DIR = place.output;
  // The evaluator and the program it queries talk over two pipes: each reads fd 3 and writes fd 4.
  if (step === 'serve' || (step === 'evaluate' && definition.evaluate?.serve)) loop.BILEVEL_CHANNEL_FDS = '3,4';
  const { env } = trialEnvironment(process.env, definition, loop);
  return {
    command: expandCommand(command),
    cwd: place.work,
    env,
    timeoutSeconds,
    ...(jailed ? { jail: stepJail(session, step, place) } : {}),
  };
}

/** What each step may see and write; see TrialStep. */
export function stepJail(session: StepSession, step: TrialStep, place: StepPlace): JailSpec {
  const { paths, task, config } = session;
  const { definition } = task;
  const roots = taskRoots(session);
  const network = definition.network || config.trialNetwork;
  const readable = [...baseReadable(), ...definition.readable.map((path) => resolveExternalPath(path, roots))];
  if (network) readable.push(...resolverFolders());
  const trialFolders = [paths.cache, paths.data, place.work, ...(place.output ? [place.output] : [])];
  const limited = step === 'train' || step === 'serve';
  const hidden = limited
    ? [
        ...task.hiddenFiles.map((file) => join(place.work, file)),
        ...definition.hidden.filter(isExternalPath).map((path) => resolveExternalPath(path, roots)),
      ]
    : [];
  const writable =
    step === 'prepare'
      ? [paths.data, paths.cache]
      : step === 'train'
        ? [place.work, paths.cache, ...(place.output ? [place.output] : [])]
        : [];
  return {
    masked: maskedFolders(paths.stateDir, task.dir),
    tmp: place.tmp,
    readable: [...readable, ...trialFolders.filter((folder) => !writable.includes(folder))],
    writable,
    readOnly: [join(place.work, '.git')],
    hidden: [...hidden, ...cassettePaths(session)],
    network,
    devices: gpuDevices(),
  };
}

/** The homes, the state dir, the task's own folder (its hidden files live there too) and /run (sockets). */
function maskedFolders(stateDir: string, taskDir: string): string[] {
  const folders = [homedir(), '/home', '/root', resolve(stateDir), resolve(taskDir), '/run'];
  if (existsSync('/var/run') && !lstatSync('/var/run').isSymbolicLink()) folders.push('/var/run');
  return [...new Set(folders)].filter((folder) => existsSync(folder));
}

/** What every program needs even under a masked folder: Node's installation and the bilevel package with its modules. */
function baseReadable(): string[] {
  const nodePrefix = dirname(dirname(realpathSync(process.execPath)));
  const root = realpathSync(packageRoot());
  const modules = join(packageRoot(), 'node_modules');
  return [...new Set([nodePrefix, root, ...(existsSync(modules) ? [realpathSync(modules)] : [])])];
}

/** Where /etc/resolv.conf points when it points into /run (systemd-resolved), so DNS works with the network on. */
function resolverFolders(): string[] {
  if (!existsSync('/etc/resolv.conf')) return [];
  const target = realpathSync('/etc/resolv.conf');
  return target.startsWith('/run/') ? [dirname(target)] : [];
}

/** The run's cassette files (recorded LLM exchanges), wherever they are. */
function cassettePaths(session: StepSession): string[] {
  const llm = session.config.llm;
  const files = [llm?.record, llm?.default?.startsWith('replay:') ? llm.default.slice('replay:'.length) : undefined];
  return files.filter((file): file is string => file !== undefined).map((file) => resolve(file));
}
