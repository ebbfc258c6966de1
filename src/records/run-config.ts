// A run's configuration, stored with the run: its schema is built from the run settings table, one field per row.
import { z } from 'zod';
import { llmSettings, runSettings } from './run-settings.js';

export { defaultLlmPatienceSeconds, type Level, levelSchema } from './run-settings.js';

type Shape<Rows extends Record<string, { readonly schema: z.ZodType }>> = { [Key in keyof Rows]: Rows[Key]['schema'] };

function shapeOf<Rows extends Record<string, { readonly schema: z.ZodType }>>(rows: Rows): Shape<Rows> {
  return Object.fromEntries(Object.entries(rows).map(([key, row]) => [key, row.schema])) as Shape<Rows>;
}

/** A run's configuration, stored with the run: everything needed to continue it exactly after a crash. */
export const runConfigSchema = z.object({
  ...shapeOf(runSettings),
  llm: z.object(shapeOf(llmSettings)).optional(),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
/** A run config as a caller may write it: settings with a default may be left out. */
export type RunConfigInput = z.input<typeof runConfigSchema>;
