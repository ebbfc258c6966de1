// The run settings, one row each: where the value lives in the run config, its schema and default, its flag, parser
// and help, which commands take it, and whether an ablate group may set its own. Adding a setting is adding a row.
import { z } from 'zod';
import { parseProposerSpec, proposerSpecSchema } from './proposer-spec.js';
import {
  gpuList,
  integer,
  nameList,
  nonNegativeInteger,
  nonNegativeNumber,
  oneOf,
  parseLevels,
  parseLlmRole,
  parseMechanismParam,
  positiveInteger,
  positiveNumber,
  priceFile,
  slotEnvEntry,
  text,
} from './setting-parsers.js';

/** The commands that build or change a run from flags. */
export type SettingCommand = 'run' | 'resume' | 'ablate';

export const levelSchema = z.enum(['1', '1.5', '2']);
export type Level = z.infer<typeof levelSchema>;

/** How long a run waits out an LLM outage (retrying with backoff) before it stops, resumable: 15 minutes. */
export const defaultLlmPatienceSeconds = 900;

export interface RunSetting<Schema extends z.ZodType = z.ZodType> {
  /** The value's schema in the stored run config, with its default (`.default(…)`) or `.optional()`. */
  readonly schema: Schema;
  /** The flag as commander spells it, e.g. `--noise-threshold <x>`; absent for settings no flag sets. */
  readonly flag?: string;
  /** What the setting does, for --help (the default is added from the schema, or from `defaultHelp`). */
  readonly help?: string;
  /** Turns the flag's text into the value; throws a USAGE error naming the flag. */
  parse?(text: string, previous: NonNullable<z.output<Schema>> | undefined): NonNullable<z.output<Schema>>;
  /** The default in words, when it is not a fixed value (e.g. "the task's"). */
  readonly defaultHelp?: string;
  /** Commands that take the flag. */
  readonly commands?: readonly SettingCommand[];
  /** A command's own default, where it differs from the schema's. */
  readonly commandDefaults?: Partial<Record<SettingCommand, NonNullable<z.output<Schema>>>>;
  /** Commands where the flag must be given. */
  readonly requiredIn?: readonly SettingCommand[];
  /** The flag may be given more than once (the parser folds each into the previous value). */
  readonly repeatable?: boolean;
  /**
   * How the run is executed, not what it searches (workers, GPUs): left out of a study's identity, so the same study
   * can be continued with more workers.
   */
  readonly execution?: boolean;
  /** An ablate group may set its own value (`--group-def 'NAME:key=value'`). */
  readonly group?: boolean;
}

/** A row, typed so that its schema and whether a group may set it stay known to the type checker. */
const setting = <Schema extends z.ZodType, Group extends boolean = false>(
  row: RunSetting<Schema> & { readonly group?: Group },
): RunSetting<Schema> & { readonly group?: Group } => row;

/** Settings stored at the top level of a run config. */
export const runSettings = {
  /** The task reference as given (built-in name or folder). */
  task: setting({
    schema: z.string(),
    flag: '--task <name|dir>',
    help: 'built-in task name or task folder',
    parse: text,
    commands: ['run', 'ablate'],
    commandDefaults: { run: 'tinygpt' },
    requiredIn: ['ablate'],
  }),
  /** The task's resolved folder. */
  taskDir: setting({ schema: z.string() }),
  levels: setting({
    schema: z.array(levelSchema).min(1),
    flag: '--levels <list>',
    help: 'levels to run: 1, 1,1.5, 1,2 or 1,1.5,2',
    parse: parseLevels,
    defaultHelp: '1,1.5,2 with the llm proposer, 1 with --proposer random',
    commands: ['run'],
    group: true,
  }),
  /** Who proposes each trial (proposer-spec.ts): llm, random, optuna:SAMPLER, or mix:ARM=WEIGHT,…. */
  proposer: setting({
    schema: proposerSpecSchema,
    flag: '--proposer <spec>',
    help:
      "llm; random (bilevel's seeded random search, no LLM); optuna:tpe|cmaes|gp|qmc|random (Optuna's samplers, " +
      'through Python, params mode); or mix:ARM=WEIGHT,… (a seeded choice per trial, e.g. mix:llm=0.3,optuna:cmaes=0.7)',
    parse: (value) => parseProposerSpec(value).spec,
    defaultHelp: 'llm, with the model --llm names or the environment provides (BILEVEL_LLM, a provider key, …)',
    commands: ['run', 'ablate'],
    group: true,
  }),
  /** The Python that runs the Optuna sidecar; absent: `python3` on PATH, then /usr/bin/python3 (the first with optuna). */
  python: setting({
    schema: z.string().optional(),
    flag: '--python <path>',
    help: 'the Python interpreter for optuna:* proposers (it must import optuna)',
    parse: text,
    defaultHelp: 'python3 on PATH, then /usr/bin/python3: the first that imports optuna',
    commands: ['run', 'resume', 'ablate'],
    execution: true,
  }),
  /** Number of trials after the baseline. */
  trials: setting({
    schema: z.number().int().min(0),
    flag: '--trials <n>',
    help: 'trials after the baseline',
    parse: nonNegativeInteger('--trials'),
    commands: ['run', 'ablate'],
    commandDefaults: { run: 20, ablate: 30 },
  }),
  /** Training budget per trial, in seconds (given to the program as BILEVEL_BUDGET_SECONDS). */
  budgetSeconds: setting({
    schema: z.number().positive(),
    flag: '--budget <seconds>',
    help: 'training budget per trial',
    parse: positiveNumber('--budget'),
    defaultHelp: "the task's",
    commands: ['run', 'ablate'],
  }),
  /** Hard limit per trial, in seconds: past it the trial's processes are killed. */
  timeoutSeconds: setting({
    schema: z.number().positive(),
    flag: '--timeout <seconds>',
    help: 'hard limit per trial',
    parse: positiveNumber('--timeout'),
    defaultHelp: "the task's; with --budget, 1.5 × budget + the task's own margin over its budget",
    commands: ['run', 'ablate'],
  }),
  mode: setting({
    schema: z.enum(['params', 'code']),
    flag: '--mode <mode>',
    help: 'params (change constants) or code (edit files)',
    parse: oneOf('--mode', ['params', 'code'] as const),
    defaultHelp: "the task's",
    commands: ['run', 'ablate'],
  }),
  seed: setting({
    schema: z.number().int(),
    flag: '--seed <n>',
    help: 'run seed: proposals, mechanisms and the task noise replay from it',
    parse: integer('--seed'),
    commands: ['run'],
    commandDefaults: { run: 0 },
  }),
  mechanisms: setting({
    schema: z.array(z.string()).default([]),
    flag: '--mechanisms <names>',
    help: 'comma-separated built-in or library mechanisms to activate',
    parse: nameList,
    defaultHelp: 'none',
    commands: ['run'],
    group: true,
  }),
  /** Params of the named mechanisms (mechanism → param → value); absent params keep their defaults. */
  mechanismConfigs: setting({
    schema: z.record(z.string(), z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]))).optional(),
    flag: '--mechanism-param <name.param=value>',
    help: 'set a mechanism param, e.g. plateau-restart.patience=8 (repeatable)',
    parse: parseMechanismParam,
    commands: ['run'],
    repeatable: true,
  }),
  /** Level 1.5 runs after every `outerEvery` trials (K). */
  outerEvery: setting({
    schema: z.number().int().positive().default(5),
    flag: '--outer-every <k>',
    help: 'Level 1.5 runs after every K trials',
    parse: positiveInteger('--outer-every'),
    commands: ['run'],
    group: true,
  }),
  /** A trial is kept only if it beats the incumbent by more than this (metric units). */
  noiseThreshold: setting({
    schema: z.number().min(0).default(0),
    flag: '--noise-threshold <x>',
    help: 'keep only if better than the incumbent by more than this',
    parse: nonNegativeNumber('--noise-threshold'),
    commands: ['run', 'ablate'],
    group: true,
  }),
  /** Level 2 runs after every `metaEvery`-th Level 1.5 cycle (every metaEvery × outerEvery trials). */
  metaEvery: setting({
    schema: z.number().int().positive().default(2),
    flag: '--meta-every <m>',
    help: 'Level 2 runs after every M-th Level 1.5 cycle, i.e. every M×K trials',
    parse: positiveInteger('--meta-every'),
    commands: ['run'],
    group: true,
  }),
  /** Level 2 also runs once the run has gone this many trials without a new best nor a meta session. */
  metaPlateau: setting({
    schema: z.number().int().positive().default(10),
    flag: '--meta-plateau <n>',
    help: 'Level 2 also runs after N trials without a new best',
    parse: positiveInteger('--meta-plateau'),
    commands: ['run'],
    group: true,
  }),
  /** Trials an injected mechanism is watched before it is kept or retired. */
  probationWindow: setting({
    schema: z.number().int().positive().default(10),
    flag: '--probation-window <n>',
    help: 'trials an injected mechanism is watched before it is kept or retired',
    parse: positiveInteger('--probation-window'),
    commands: ['run'],
    group: true,
  }),
  /** Times a generated module that fails the gate goes back to the model with its problems. */
  repairAttempts: setting({
    schema: z.number().int().min(0).default(2),
    flag: '--repair-attempts <n>',
    help: 'times a generated module that fails the gate goes back to the model',
    parse: nonNegativeInteger('--repair-attempts'),
    commands: ['run'],
  }),
  /** Trials that may run at once, each in its own slot (working copy); with `--gpus`, one GPU id per slot. */
  workers: setting({
    schema: z.number().int().min(1).max(256).default(1),
    flag: '--workers <n>',
    help: 'trials that may run at once on this machine, each in its own working copy (with --gpus: one GPU each)',
    parse: positiveInteger('--workers'),
    defaultHelp: '1, or the number of --gpus ids',
    commands: ['run', 'resume', 'ablate'],
    execution: true,
  }),
  /** GPU ids, one per slot: slot k's trials get CUDA_VISIBLE_DEVICES=<k-th id>. */
  gpus: setting({
    schema: z.array(z.string().regex(/^[A-Za-z0-9:_-]+$/)).optional(),
    flag: '--gpus <ids>',
    help: "GPU ids, one per slot, e.g. 0,1,2,3: slot k's trials get CUDA_VISIBLE_DEVICES=<k-th id>",
    parse: gpuList,
    commands: ['run', 'resume', 'ablate'],
    execution: true,
  }),
  /** `NAME=template` variables each slot's trials get; `{slot}` is the slot number, `{gpu}` its GPU id. */
  slotEnv: setting({
    schema: z.array(z.string()).default([]),
    flag: '--slot-env <NAME=template>',
    help: "a variable per slot for other schedulers, e.g. 'OMP_PLACES={slot}' ({slot}: slot number, {gpu}: its GPU id); repeatable",
    parse: slotEnvEntry,
    defaultHelp: 'none',
    commands: ['run', 'resume', 'ablate'],
    repeatable: true,
    execution: true,
  }),
  /** Where trials run: in a bubblewrap jail, unjailed, or jailed where this machine allows it (said at start). */
  isolation: setting({
    schema: z.enum(['auto', 'jail', 'none']).default('auto'),
    flag: '--isolation <mode>',
    help: 'auto (a bubblewrap jail for every trial where it works here, else unjailed, said at start), jail (refuse to start without one) or none',
    parse: oneOf('--isolation', ['auto', 'jail', 'none'] as const),
    commands: ['run', 'ablate'],
    execution: true,
  }),
  /** Jailed trials may use the network even if the task does not ask for it (`"network": true`). */
  trialNetwork: setting({
    schema: z.boolean().default(false),
    flag: '--trial-network',
    help: 'let jailed trials use the network (otherwise only if task.json says "network": true; else loopback only)',
    commands: ['run', 'ablate'],
    execution: true,
  }),
  /** Trials shown to proposers and mechanisms. */
  historyLimit: setting({ schema: z.number().int().positive().default(200) }),
  /** Tries per trial when a proposal is rejected before running (the retry gets the reason). */
  proposalAttempts: setting({ schema: z.number().int().min(1).default(2) }),
  /** Code mode: times the LLM may try to fix a crashed trial. */
  fixAttempts: setting({ schema: z.number().int().min(0).default(1) }),
} as const;

/** Settings of the run's LLM (`config.llm`), present when the proposer or the analysts use a model. */
export const llmSettings = {
  /** The model every role uses unless `roles` names another. */
  default: setting({
    schema: z.string(),
    flag: '--llm <id>',
    help: 'model id, provider:model (openai:…, anthropic:…, deepseek:…, openai-compatible:…, local:PATH.gguf, replay:FILE)',
    parse: text,
    commands: ['run', 'ablate'],
  }),
  roles: setting({
    schema: z.record(z.string(), z.string()).default({}),
    flag: '--llm-role <role=id>',
    help: 'a model for one role (propose, analyze, research, fix) instead of --llm; repeatable. The paper keeps one model at every level',
    parse: parseLlmRole,
    commands: ['run'],
    repeatable: true,
  }),
  baseUrl: setting({
    schema: z.string().optional(),
    flag: '--llm-base-url <url>',
    help: 'base URL for openai-compatible servers (Ollama, vLLM, llama.cpp, LM Studio)',
    parse: text,
    commands: ['run', 'ablate'],
  }),
  record: setting({
    schema: z.string().optional(),
    flag: '--record <file>',
    help: 'record every LLM exchange to this cassette file',
    parse: text,
    commands: ['run'],
  }),
  maxCostUsd: setting({
    schema: z.number().positive().optional(),
    flag: '--max-cost-usd <x>',
    help: 'stop (resumable) before LLM spending (estimated, USD) would pass this; on resume: the new cap',
    parse: positiveNumber('--max-cost-usd'),
    commands: ['run', 'resume', 'ablate'],
  }),
  maxCalls: setting({
    schema: z.number().int().positive().optional(),
    flag: '--max-llm-calls <n>',
    help: 'stop (resumable) before this many LLM calls; on resume: the new cap',
    parse: positiveInteger('--max-llm-calls'),
    commands: ['run', 'resume', 'ablate'],
  }),
  /** JSON file of prices (USD per million tokens) that replace or extend the built-in table. */
  pricesFile: setting({
    schema: z.string().optional(),
    flag: '--prices <file>',
    help: 'JSON prices (USD per million tokens) for models the built-in table lacks, e.g. {"openai-compatible:m": {"input": 0.5, "output": 1.5}}',
    parse: priceFile,
    commands: ['run', 'resume', 'ablate'],
  }),
  /** Seconds a failing LLM call is retried through an outage before the run stops, resumable. */
  patienceSeconds: setting({
    schema: z.number().min(0).optional(),
    flag: '--llm-patience <seconds>',
    help: 'how long a failing LLM call (429, 5xx, network, timeout) is retried before a run stops, resumable',
    parse: nonNegativeNumber('--llm-patience'),
    defaultHelp: String(defaultLlmPatienceSeconds),
    commands: ['run', 'resume', 'ablate'],
  }),
  /** Seconds one LLM call may take before it is abandoned as a timeout (retried like an outage). */
  timeoutSeconds: setting({
    schema: z.number().positive().optional(),
    flag: '--llm-timeout <seconds>',
    help: 'longest one LLM call may take (a reply that never ends included) before it is retried',
    parse: positiveNumber('--llm-timeout'),
    defaultHelp: '120; local models 600',
    commands: ['run', 'resume'],
  }),
  /** Seconds before the first retry of a failed LLM call; each further retry waits twice as long (with jitter). */
  retryDelaySeconds: setting({
    schema: z.number().min(0).optional(),
    flag: '--llm-retry-delay <seconds>',
    help: "wait before the first retry of a failed LLM call; doubles each retry (a server's Retry-After still wins)",
    parse: nonNegativeNumber('--llm-retry-delay'),
    defaultHelp: '1',
    commands: ['run', 'resume'],
  }),
} as const;

export type RunSettingKey = keyof typeof runSettings;
export type LlmSettingKey = keyof typeof llmSettings;
/** The settings an ablate group may set for itself. */
export type GroupSettingKey = {
  [Key in RunSettingKey]: (typeof runSettings)[Key] extends { readonly group?: true } ? Key : never;
}[RunSettingKey];

/** Every row with its path in the config: `['noiseThreshold']` or `['llm', 'maxCostUsd']`. */
export function allSettings(): { path: readonly [string] | readonly ['llm', string]; row: RunSetting }[] {
  return [
    ...Object.entries(runSettings).map(([key, row]) => ({ path: [key] as const, row: row as RunSetting })),
    ...Object.entries(llmSettings).map(([key, row]) => ({ path: ['llm', key] as const, row: row as RunSetting })),
  ];
}

/** The settings an ablate group may set for itself, by key. */
export const groupSettings = Object.fromEntries(
  Object.entries(runSettings).filter(([, row]) => 'group' in row && row.group),
) as { [Key in GroupSettingKey]: (typeof runSettings)[Key] };

/** The value a command uses when the flag is absent: the command's own default, else the schema's (if any). */
export function settingDefault<Schema extends z.ZodType>(
  row: RunSetting<Schema>,
  command: SettingCommand,
): z.output<Schema> | undefined {
  if (row.commandDefaults && command in row.commandDefaults) return row.commandDefaults[command];
  const parsed = row.schema.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}
