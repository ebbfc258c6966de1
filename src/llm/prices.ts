// Price table for cost estimates: USD per million tokens by `provider:model` prefix, overridable by a JSON file.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BilevelError } from '../core/errors.js';

/** USD per million tokens. */
export interface ModelPrice {
  /** USD per million input (prompt) tokens. */
  input: number;
  /** USD per million output (completion) tokens. */
  output: number;
}

/** `provider:model-prefix` → price; the longest matching prefix wins, so dated model versions match. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Public list prices (standard tier, no caching discounts), checked in 2025; estimates only. Local models,
 * replays and unknown models cost 0. Override or extend with `loadPriceTable(path)`.
 */
export const defaultPrices: PriceTable = Object.freeze({
  'openai:gpt-4o': { input: 2.5, output: 10 },
  'openai:gpt-4o-mini': { input: 0.15, output: 0.6 },
  'openai:gpt-4.1': { input: 2, output: 8 },
  'openai:gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'openai:gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'openai:gpt-5': { input: 1.25, output: 10 },
  'openai:gpt-5-mini': { input: 0.25, output: 2 },
  'openai:gpt-5-nano': { input: 0.05, output: 0.4 },
  'openai:o3': { input: 2, output: 8 },
  'openai:o3-mini': { input: 1.1, output: 4.4 },
  'openai:o4-mini': { input: 1.1, output: 4.4 },
  'anthropic:claude-3-5-haiku': { input: 0.8, output: 4 },
  'anthropic:claude-3-5-sonnet': { input: 3, output: 15 },
  'anthropic:claude-3-7-sonnet': { input: 3, output: 15 },
  'anthropic:claude-haiku-4-5': { input: 1, output: 5 },
  'anthropic:claude-sonnet-4': { input: 3, output: 15 },
  'anthropic:claude-opus-4': { input: 15, output: 75 },
  'deepseek:deepseek-chat': { input: 0.27, output: 1.1 },
  'deepseek:deepseek-reasoner': { input: 0.55, output: 2.19 },
});

const priceFileSchema = z.record(
  z.string().regex(/^[a-z-]+:.+$/, 'keys are provider:model, e.g. openai:gpt-4o'),
  z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() }),
);

/** The default table, with entries from the JSON file at `overridePath` (same shape) replacing or adding. */
export function loadPriceTable(overridePath?: string): PriceTable {
  if (overridePath === undefined) return defaultPrices;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(overridePath, 'utf8'));
  } catch (error) {
    throw new BilevelError('CONFIG', `cannot read price file ${overridePath}`, {
      hint: 'Give a JSON object like {"openai:gpt-4o": {"input": 2.5, "output": 10}} (USD per million tokens).',
      cause: error,
    });
  }
  const checked = priceFileSchema.safeParse(parsed);
  if (!checked.success) {
    throw new BilevelError('CONFIG', `price file ${overridePath}: ${z.prettifyError(checked.error)}`, {
      hint: 'Each entry is "provider:model": {"input": USD per million, "output": USD per million}.',
    });
  }
  return Object.freeze({ ...defaultPrices, ...checked.data });
}

/** The price for a model, by exact id or longest `provider:prefix`; undefined when the table has none. */
export function findPrice(prices: PriceTable, provider: string, modelId: string): ModelPrice | undefined {
  const id = `${provider}:${modelId}`;
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (id.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : prices[best];
}

/** Estimated USD for one call; 0 when the model has no price (local, replay, unknown). */
export function estimateCostUsd(
  prices: PriceTable,
  provider: string,
  modelId: string,
  usage: { inputTokens: number; outputTokens: number },
): number {
  const price = findPrice(prices, provider, modelId);
  if (price === undefined) return 0;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
