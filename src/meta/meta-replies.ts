// The zod schemas of the research session's four rounds and of a repair: what each LLM reply must be.
import { z } from 'zod';
import { hookNames } from '../mechanisms/hooks.js';

const hookName = z.enum(hookNames);

/** Round 1: candidates, each with the field it comes from and the failure it targets. */
export const exploreReplySchema = z.object({
  observations: z.string(),
  candidates: z.array(z.object({ name: z.string(), field: z.string(), targets: z.string(), idea: z.string() })).min(1),
});
export type ExploreReply = z.infer<typeof exploreReplySchema>;

/** Round 2: a score per candidate and one selected name, or "none". */
export const critiqueReplySchema = z.object({
  scores: z.array(z.object({ name: z.string(), score: z.number().min(0).max(10), reason: z.string() })),
  selected: z.string(),
  rationale: z.string(),
});
export type CritiqueReply = z.infer<typeof critiqueReplySchema>;

/** Round 3: hooks, params and state of the selected mechanism. */
export const specifyReplySchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string(),
  hooks: z.array(hookName).min(1),
  params: z.string(),
  state: z.string(),
  behaviour: z.string(),
});
export type SpecifyReply = z.infer<typeof specifyReplySchema>;

/** Round 4: one TypeScript module using defineMechanism. */
export const generateReplySchema = z.object({ module: z.string().min(1), notes: z.string() });
export type GenerateReply = z.infer<typeof generateReplySchema>;

/** A repair: the corrected module. */
export const repairReplySchema = z.object({ module: z.string().min(1), changes: z.string() });
export type RepairReply = z.infer<typeof repairReplySchema>;

/** Schema names sent to providers (and used by test servers to tell the rounds apart). */
export const metaSchemaNames = {
  explore: 'meta_explore',
  critique: 'meta_critique',
  specify: 'meta_specify',
  generate: 'meta_generate',
  repair: 'meta_repair',
} as const;
