// Hard caps on LLM spend: refuses a call before it would pass --max-cost-usd or --max-llm-calls.
import { BilevelError } from '../core/errors.js';
import type { LanguageModel } from './language-model.js';
import { wrapModel } from './wrap-model.js';

export interface LlmBudget {
  /** Most USD the run may spend on LLM calls (estimated from the price table). */
  maxCostUsd?: number;
  /** Most LLM calls the run may make. */
  maxCalls?: number;
}

/** What the run has spent so far; the caller restores it from stored records on resume and keeps it current. */
export interface LlmSpend {
  costUsd: number;
  calls: number;
}

/**
 * Throws `LLM_BUDGET_EXHAUSTED` before a call when `spent.calls` has reached `maxCalls`, or when the spend
 * plus the expected cost of one more call (the mean cost so far) would pass `maxCostUsd`. Reads `spent`
 * at each call; whoever stores the accounting records updates it (see `createLlmRouter`).
 */
export function withBudget(model: LanguageModel, budget: LlmBudget, spent: LlmSpend): LanguageModel {
  return wrapModel(model, async (request) => {
    const refusal = budgetRefusal(budget, spent);
    if (refusal !== undefined) {
      throw new BilevelError('LLM_BUDGET_EXHAUSTED', refusal, {
        hint: 'The run stopped cleanly; continue it with `bilevel resume RUN_ID` and a higher --max-cost-usd or --max-llm-calls.',
      });
    }
    return model.generate(request);
  });
}

/** Why the next call may not be made, or undefined when it may. */
export function budgetRefusal(budget: LlmBudget, spent: LlmSpend): string | undefined {
  if (budget.maxCalls !== undefined && spent.calls >= budget.maxCalls) {
    return `LLM call cap reached: ${spent.calls} of ${budget.maxCalls} calls made`;
  }
  if (budget.maxCostUsd !== undefined) {
    const expectedNext = spent.calls > 0 ? spent.costUsd / spent.calls : 0;
    if (spent.costUsd + expectedNext > budget.maxCostUsd) {
      return (
        `LLM cost cap reached: $${spent.costUsd.toFixed(4)} spent, one more call (~$${expectedNext.toFixed(4)}) ` +
        `would pass the cap of $${budget.maxCostUsd}`
      );
    }
  }
  return undefined;
}
