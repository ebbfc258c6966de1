// What an ablation study is: its groups, repeats and the controls held fixed across groups; hashed into its id.
import { z } from 'zod';
import { sha256 } from '../core/hash.js';
import { type RunConfig, runConfigSchema } from '../records/run-config.js';
import { type GroupSettingKey, groupSettings, type RunSetting, runSettings } from '../records/run-settings.js';

/**
 * A group: a named set of levels and mechanisms run `repeats` times, and its own value of any setting the run
 * settings table lets a group set (`group: true`): absent ones take the study's.
 */
export const studyGroupSchema = z.object({
  /** Shown in tables and charts; letters, digits, `_`, `-` and `.`. */
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/),
  ...groupOverrideShape(),
  levels: runSettings.levels.schema,
  /** Mechanisms active in every run of the group (built-in or library names). */
  mechanisms: runSettings.mechanisms.schema,
});
export type StudyGroup = z.infer<typeof studyGroupSchema>;

/** Every group setting as optional (its value without the run default). */
function groupOverrideShape(): { [Key in GroupSettingKey]: z.ZodOptional<z.ZodType<RunConfig[Key]>> } {
  return Object.fromEntries(
    Object.entries(groupSettings).map(([key, row]) => {
      const schema = row.schema as z.ZodType;
      const inner = schema instanceof z.ZodDefault || schema instanceof z.ZodOptional ? schema.unwrap() : schema;
      return [key, (inner as z.ZodType).optional()];
    }),
  ) as { [Key in GroupSettingKey]: z.ZodOptional<z.ZodType<RunConfig[Key]>> };
}

/** The restart protocol, the same in every group: `none`, or the built-in plateau-restart mechanism. */
export const restartProtocolSchema = z.object({
  /** `none`: no restarts; `best` / `last`: after a plateau, branch from the best / the most recent kept trial. */
  from: z.enum(['none', 'best', 'last']),
  /** Trials without a new best that trigger a restart (plateau-restart's `patience`). */
  every: z.number().int().min(2).max(100),
  /** Trials the wide-exploration phase lasts (plateau-restart's `duration`). */
  duration: z.number().int().min(1).max(10),
});
export type RestartProtocol = z.infer<typeof restartProtocolSchema>;

/** The run settings shared by every group and repeat (a run config without levels, seed and mechanisms). */
export const studyControlsSchema = runConfigSchema.omit({ levels: true, seed: true, mechanisms: true });
export type StudyControls = z.infer<typeof studyControlsSchema>;

export const studyDefinitionSchema = z.object({
  version: z.literal('study-v1'),
  groups: z.array(studyGroupSchema).min(1),
  /** Repeats per group; repeat r (0-based) of every group uses seed `firstSeed + r`. */
  repeats: z.number().int().positive(),
  firstSeed: z.number().int(),
  /**
   * `per-group`: each run's improvement is measured from its own trial 0; `shared`: from the trial 0 of the
   * repeat's first group (one baseline per repeat shared by the groups).
   */
  baseline: z.enum(['per-group', 'shared']),
  restart: restartProtocolSchema,
  controls: studyControlsSchema,
});
export type StudyDefinition = z.infer<typeof studyDefinitionSchema>;

/**
 * The study id: a hash of the definition, so the same command finds the same study. The LLM base URL is left
 * out (a server may move between invocations), as are LLM caps and the cassette path.
 */
export function studyId(definition: StudyDefinition): string {
  const { llm, ...all } = definition.controls;
  // How the study is executed (workers, GPUs) is not what it compares: the same study may go on with more workers.
  const controls = Object.fromEntries(
    Object.entries(all).filter(([key]) => !(runSettings[key as keyof typeof runSettings] as RunSetting).execution),
  );
  const identity = {
    ...definition,
    controls: { ...controls, ...(llm ? { llm: { default: llm.default, roles: llm.roles } } : {}) },
  };
  return `study-${sha256(canonicalJson(identity)).slice(0, 12)}`;
}

/** JSON with object keys sorted, so equal values hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
