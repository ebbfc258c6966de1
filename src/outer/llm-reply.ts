// The LLM analyst's reply: its zod schema, and how a valid reply becomes settings (unknown names dropped, minActive kept).
import { z } from 'zod';
import type { SearchSettings } from '../records/search-settings.js';
import { freezeSettings } from '../records/settings-snapshot.js';
import type { ParamSpec } from '../task/task-definition.js';
import type { AnalystResult } from './analyst.js';
import { maxGuidanceLength } from './rules-guidance.js';

export const analystReplySchema = z.object({
  /** Param names the proposer must not change until the next cycle. */
  frozen: z.array(z.string().max(200)).max(500),
  strategy: z.enum(['explore', 'exploit', 'balanced']),
  /** Advice appended to every proposal prompt. */
  guidance: z.string().max(maxGuidanceLength),
  /** Why, in a few sentences. */
  rationale: z.string().max(4000),
});

export type AnalystReply = z.infer<typeof analystReplySchema>;

/** Control characters other than newline and tab become spaces; surrounding blanks are trimmed. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim();
}

/**
 * Turns a schema-valid reply into settings. Names that are not params are dropped (matched
 * case-insensitively first), duplicates removed, and when fewer than `minActive` params would stay
 * active, the names listed last are not frozen. Every such correction is noted in `changes`.
 */
export function applyAnalystReply(
  reply: AnalystReply,
  options: { params: readonly ParamSpec[]; settings: SearchSettings; minActive: number },
): AnalystResult {
  const notes: string[] = [];
  const byName = new Map(options.params.map((param) => [param.name, param.name]));
  const byUpper = new Map(options.params.map((param) => [param.name.toUpperCase(), param.name]));
  const frozen: string[] = [];
  for (const raw of reply.frozen) {
    const name = byName.get(raw.trim()) ?? byUpper.get(raw.trim().toUpperCase());
    if (name === undefined) {
      notes.push(`dropped ${JSON.stringify(raw.slice(0, 60))} from the reply's frozen list: not a param of this task`);
    } else if (!frozen.includes(name)) {
      frozen.push(name);
    }
  }
  const room = Math.max(0, options.params.length - options.minActive);
  for (const name of frozen.slice(room)) {
    notes.push(`did not freeze ${name}: at least ${options.minActive} params must stay active`);
  }
  const nextFrozen = frozen.slice(0, room);
  const guidance = clean(reply.guidance);
  const changes: string[] = [];
  for (const name of nextFrozen) if (!options.settings.frozen.includes(name)) changes.push(`froze ${name}`);
  for (const name of options.settings.frozen) if (!nextFrozen.includes(name)) changes.push(`unfroze ${name}`);
  if (reply.strategy !== options.settings.strategy) {
    changes.push(`strategy ${options.settings.strategy} → ${reply.strategy}`);
  }
  if (guidance !== options.settings.guidance) changes.push(`guidance: ${guidance === '' ? '(none)' : guidance}`);
  return {
    settings: freezeSettings({ frozen: nextFrozen, strategy: reply.strategy, guidance }),
    rationale: clean(reply.rationale),
    changes: [...changes, ...notes],
    ok: true,
  };
}
