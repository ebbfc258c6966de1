// Accounting: every call becomes one LlmCallRecord (role, model, prompt hash, tokens, latency, cost estimate).
import { requestHash } from './cassette.js';
import type { LanguageModel, LlmRole } from './language-model.js';
import { defaultPrices, estimateCostUsd, type PriceTable } from './prices.js';
import { redactSecrets, secretValues } from './redact-secrets.js';
import { wrapModel } from './wrap-model.js';

/** One LLM call as stored with the run; summed by `status --json`. */
export interface LlmCallRecord {
  role: LlmRole;
  /** `openai`, `anthropic`, `deepseek`, `openai-compatible`, `local`, `replay`. */
  provider: string;
  /** The model name within the provider. */
  model: string;
  /** SHA-256 of the request (system, messages, schema, settings): equal prompts give equal hashes. */
  promptHash: string;
  /** Tokens in the prompt, as the provider counted them (0 when unknown or the call failed). */
  inputTokens: number;
  /** Tokens in the reply (0 when unknown or the call failed). */
  outputTokens: number;
  /** Milliseconds for the whole call, retries included. */
  latencyMs: number;
  /** Estimated USD from the price table; 0 for unpriced models and failed calls. */
  costUsd: number;
  ok: boolean;
  /** Why the call failed, in one line (never contains keys or headers). */
  error?: string;
}

/** Calls `sink` once per `generate`, after it settles (successful or not). Retries inside count as one call. */
export function withAccounting(
  model: LanguageModel,
  sink: (record: LlmCallRecord) => void,
  prices: PriceTable = defaultPrices,
): LanguageModel {
  return wrapModel(model, async (request) => {
    const started = performance.now();
    const base = {
      role: request.role,
      provider: model.provider,
      model: model.modelId,
      promptHash: requestHash(request),
    };
    try {
      const response = await model.generate(request);
      sink({
        ...base,
        inputTokens: response.usage.inputTokens,
        outputTokens: response.usage.outputTokens,
        latencyMs: Math.round(performance.now() - started),
        costUsd: estimateCostUsd(prices, model.provider, model.modelId, response.usage),
        ok: true,
      });
      return response;
    } catch (error) {
      sink({
        ...base,
        inputTokens: 0,
        outputTokens: 0,
        latencyMs: Math.round(performance.now() - started),
        costUsd: 0,
        ok: false,
        error: redactSecrets(
          (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
          secretValues(),
        ).slice(0, 300),
      });
      throw error;
    }
  });
}
