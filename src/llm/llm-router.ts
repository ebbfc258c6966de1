// Picks the model for each role (one --llm for all by default), with accounting and the run's budget around it.

import { type CreateLanguageModelOptions, createLanguageModel } from './create-language-model.js';
import type { LanguageModel, LlmRole } from './language-model.js';
import type { PriceTable } from './prices.js';
import { type LlmCallRecord, withAccounting } from './with-accounting.js';
import { type LlmBudget, type LlmSpend, withBudget } from './with-budget.js';

export const llmRoles: readonly LlmRole[] = ['propose', 'analyze', 'research', 'fix'];

export interface LlmRouterConfig extends CreateLanguageModelOptions {
  /** Model id for every role without its own entry, e.g. `openai:gpt-4.1-mini`. */
  default: string;
  /** Per-role model ids, e.g. `{ research: 'anthropic:claude-sonnet-4-5' }`. */
  roles?: Partial<Record<LlmRole, string>>;
  /** Receives one record per call (store it with the run). */
  onCall?: (record: LlmCallRecord) => void;
  /** Price table for cost estimates; default `defaultPrices`. */
  prices?: PriceTable;
  /** Hard caps for the whole run, all roles together. */
  budget?: LlmBudget;
  /** Spend so far (sum of the run's stored records on a resume); updated in place after every call. */
  spent?: LlmSpend;
}

export interface LlmRouter {
  /** The model for `role` (the same object for roles that share an id). */
  forRole(role: LlmRole): LanguageModel;
  /** Role → model id, to record with the run. */
  readonly assignments: Readonly<Record<LlmRole, string>>;
  /** Live spend across all roles. */
  readonly spent: Readonly<LlmSpend>;
}

/**
 * Builds every model the config names, up front, so a missing key or unknown provider fails before the run
 * starts. Each model is wrapped: budget check → accounting → (retries, timeout, reply check) → provider.
 */
export async function createLlmRouter(config: LlmRouterConfig): Promise<LlmRouter> {
  const spent: LlmSpend = config.spent ?? { costUsd: 0, calls: 0 };
  const assignments = Object.fromEntries(
    llmRoles.map((role) => [role, config.roles?.[role] ?? config.default]),
  ) as Record<LlmRole, string>;
  const models = new Map<string, LanguageModel>();
  const sink = (record: LlmCallRecord) => {
    spent.calls += 1;
    spent.costUsd += record.costUsd;
    config.onCall?.(record);
  };
  for (const id of new Set(Object.values(assignments))) {
    const model = await createLanguageModel(id, config);
    models.set(id, withBudget(withAccounting(model, sink, config.prices), config.budget ?? {}, spent));
  }
  return {
    assignments,
    spent,
    forRole(role) {
      const model = models.get(assignments[role]);
      if (model === undefined) throw new Error(`no model for role ${role}`);
      return model;
    },
  };
}
