// What a sandboxed module says about itself once loaded: name, description, params and the hooks it defines.

import { z } from 'zod';
import { type HookName, hookInVersion, hookNames, specificationVersions } from '../mechanisms/hooks.js';
import type { MechanismParam } from '../mechanisms/mechanism.js';
import { HookFailure } from '../mechanisms/runtime.js';

const hookNameSchema = z.enum(hookNames);

const valueSchema = z.union([z.number(), z.string(), z.boolean()]);

const paramSchema = z.union([
  z.object({
    type: z.literal('number'),
    default: z.number(),
    min: z.number(),
    max: z.number(),
    integer: z.boolean().optional(),
    description: z.string().optional(),
  }),
  z.object({
    type: z.literal('choice'),
    default: valueSchema,
    choices: z.array(valueSchema),
    description: z.string().optional(),
  }),
]);

const loadedMetaSchema = z.object({
  specificationVersion: z.enum(specificationVersions),
  name: z
    .string()
    .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be kebab-case (like plateau-restart)')
    .max(64),
  description: z.string().min(1).max(1000),
  params: z.record(z.string(), paramSchema).optional(),
  hasInit: z.boolean(),
  hooks: z.array(hookNameSchema),
});

export interface LoadedMechanismMeta {
  readonly specificationVersion: (typeof specificationVersions)[number];
  /** kebab-case. */
  readonly name: string;
  readonly description: string;
  readonly params?: Readonly<Record<string, MechanismParam>>;
  /** Whether the module defines `init`. */
  readonly hasInit: boolean;
  readonly hooks: readonly HookName[];
}

/** Validates the host's description of a loaded module; a bad one is the module's fault (invalid-return). */
export function parseLoadedMeta(value: unknown): LoadedMechanismMeta {
  const parsed = loadedMetaSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'mechanism'}: ${issue.message}`);
    throw new HookFailure('invalid-return', `the mechanism object is malformed: ${problems.join('; ')}`);
  }
  // A hook newer than the module's revision is not part of its contract (v1 never called `propose`).
  const version = parsed.data.specificationVersion;
  return { ...parsed.data, hooks: parsed.data.hooks.filter((hook) => hookInVersion(hook, version)) };
}
