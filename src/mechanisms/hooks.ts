// The hook vocabulary, once: every hook's name, whether it decides or observes, what it takes, and what it may answer.
// Runtimes, the activity counters, the reply schemas and the sandbox host are all built from this table.
import { z } from 'zod';

/** Most guidance lines a transformPrompt answer may carry. */
export const maxGuidanceLines = 20;
/** Longest guidance line or reason, in characters. */
export const maxTextLength = 500;

const text = z.string().max(maxTextLength);
const reason = z.string().min(1, 'a reason is required').max(maxTextLength);
const value = z.union([z.number(), z.string(), z.boolean()]);

/**
 * Each hook in the order the loop calls it: `decision` hooks may answer (or decline with undefined), `observer`
 * hooks only watch. `arguments` are what the loop passes before the mechanism's state; `answer` is the schema a
 * decision's answer must match (checked once, where answers are combined); `since`, the contract revision that
 * added the hook (absent: every revision has it).
 */
export const hookTable = {
  selectParent: {
    role: 'decision',
    arguments: ['context'],
    answer: z.strictObject({ parent: z.number().int() }),
  },
  transformPrompt: {
    role: 'decision',
    arguments: ['context', 'prompt'],
    answer: z.strictObject({
      guidance: z.array(text).max(maxGuidanceLines),
      focus: z.array(z.string()).max(100),
      avoid: z.array(z.string()).max(100),
    }),
  },
  propose: {
    role: 'decision',
    arguments: ['context', 'request'],
    since: 'mechanism-v2',
    answer: z.strictObject({
      values: z
        .record(z.string(), value)
        .refine((values) => Object.keys(values).length > 0, 'values must name at least one tunable'),
      summary: z.string().min(1, 'a summary is required').max(maxTextLength),
    }),
  },
  screenProposal: {
    role: 'decision',
    arguments: ['context', 'proposal'],
    answer: z.discriminatedUnion('accept', [
      z.strictObject({ accept: z.literal(true) }),
      z.strictObject({ accept: z.literal(false), reason }),
    ]),
  },
  judgeOutcome: {
    role: 'decision',
    arguments: ['context', 'outcome'],
    answer: z.strictObject({ verdict: z.enum(['keep', 'discard', 'confirm']), reason }),
  },
  shouldStop: {
    role: 'decision',
    arguments: ['context'],
    answer: z.strictObject({ stop: z.boolean(), reason }),
  },
  onTrialEnd: { role: 'observer', arguments: ['context', 'trial'] },
  onRunEnd: { role: 'observer', arguments: ['context'] },
} as const;

export type HookName = keyof typeof hookTable;
export type DecisionHookName = {
  [Hook in HookName]: (typeof hookTable)[Hook]['role'] extends 'decision' ? Hook : never;
}[HookName];
export type ObserverHookName = Exclude<HookName, DecisionHookName>;

/** Every hook name, in the order the loop calls them. */
export const hookNames = Object.keys(hookTable) as HookName[];

/** The hooks that decide (the others only observe). */
export const decisionHookNames = hookNames.filter(
  (hook): hook is DecisionHookName => hookTable[hook].role === 'decision',
);

/** Arguments a hook takes before the mechanism's state. */
export function hookArity(hook: HookName): number {
  return hookTable[hook].arguments.length;
}

export function isObserverHook(hook: HookName): hook is ObserverHookName {
  return hookTable[hook].role === 'observer';
}

/** The contract revisions, oldest first (as `specificationVersion` spells them). */
export const specificationVersions = ['mechanism-v1', 'mechanism-v2'] as const;
export type SpecificationVersionName = (typeof specificationVersions)[number];

/** Whether a module written to `version` may define `hook` (a hook added later is not part of an older revision). */
export function hookInVersion(hook: HookName, version: SpecificationVersionName): boolean {
  const spec = hookTable[hook];
  const since = 'since' in spec ? spec.since : specificationVersions[0];
  return specificationVersions.indexOf(version) >= specificationVersions.indexOf(since);
}

/** A zero per hook, e.g. for call counters. */
export function perHook<T>(value: () => T): Record<HookName, T> {
  return Object.fromEntries(hookNames.map((hook) => [hook, value()])) as Record<HookName, T>;
}

/** The validated answer of each decision hook. */
export type HookAnswer = {
  [Hook in DecisionHookName]: z.infer<(typeof hookTable)[Hook]['answer']>;
};

/**
 * Per-call time limit of every hook, in milliseconds: in a live run (in process or sandboxed), in the gate's
 * conformance suite and in replays. A slower call is a `timeout` strike and its answer is dropped.
 */
export const defaultHookTimeoutMs = 1000;

/** Confirmation re-runs a mechanism may ask for in one trial; past this the default verdict stands. */
export const maxConfirmations = 3;
