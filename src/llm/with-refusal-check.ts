// Tells configuration from noise: a request refused on every call (bad key, unknown model) is marked to stop the run.
import { isBilevelError } from '../core/errors.js';
import type { LanguageModel } from './language-model.js';
import { isLlmCallError, LlmCallError, toLlmCallError } from './llm-call-error.js';
import { wrapModel } from './wrap-model.js';

/** Statuses that name the configuration whatever came before: the key (401, 403) or the model (404). */
const configurationStatuses = new Set([401, 403, 404]);
/** Other refusals (400, 413, 422, …) in a row that make it the configuration rather than one odd request. */
export const refusalsInARow = 3;

/**
 * A refused request (a 4xx that is not an outage) is the configuration when its status names the key or the model,
 * or when `refusalsInARow` calls in a row were refused; then the error is rethrown with `configuration: true` and
 * the run stops at once. A single odd refusal between answers costs only that call (the caller records it). Any
 * answer from the server, usable or not, resets the count.
 */
export function withRefusalCheck(model: LanguageModel): LanguageModel {
  let refused = 0;
  return wrapModel(model, async (request) => {
    try {
      const response = await model.generate(request);
      refused = 0;
      return response;
    } catch (thrown) {
      if (isBilevelError(thrown) && !isLlmCallError(thrown)) throw thrown;
      const error = toLlmCallError(thrown, request.signal);
      if (error.kind === 'invalid-response' || error.kind === 'empty') refused = 0;
      if (error.kind !== 'http' || error.outage || error.configuration) throw error;
      refused += 1;
      const named = error.status !== undefined && configurationStatuses.has(error.status);
      if (!named && refused < refusalsInARow) throw error;
      throw new LlmCallError(
        'http',
        named ? error.message : `${error.message} (${refused} calls in a row refused: this is the configuration)`,
        {
          ...(error.status === undefined ? {} : { status: error.status }),
          retryable: false,
          outage: false,
          configuration: true,
          hint: error.hint ?? 'Check the model id, the key and --llm-base-url.',
          cause: error,
        },
      );
    }
  });
}
