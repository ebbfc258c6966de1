// Per-call timeout: aborts a call that takes longer than a limit, and says it timed out (retryable).
import { isBilevelError } from '../core/errors.js';
import type { LanguageModel } from './language-model.js';
import { LlmCallError, toLlmCallError } from './llm-call-error.js';
import { wrapModel } from './wrap-model.js';

/** Each `generate` call gets at most `timeoutMs` milliseconds; the caller's own signal still aborts it. */
export function withTimeout(model: LanguageModel, timeoutMs: number): LanguageModel {
  return wrapModel(model, async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    try {
      return await model.generate({ ...request, signal });
    } catch (error) {
      if (controller.signal.aborted && !request.signal?.aborted) {
        throw new LlmCallError('timeout', `the LLM call took longer than ${timeoutMs} ms`, {
          hint: 'Raise the per-call timeout, or use a faster model or server.',
          cause: error,
        });
      }
      throw isBilevelError(error) ? error : toLlmCallError(error, request.signal);
    } finally {
      clearTimeout(timer);
    }
  });
}
